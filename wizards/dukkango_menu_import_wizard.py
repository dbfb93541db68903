# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json

from odoo import fields, models

from ..dukkango.menu import parse_foods

ACTIONS = [("create", "Create"), ("update", "Update"), ("unchanged", "Unchanged"), ("archive", "Archive")]


class DukkangoMenuImportWizard(models.TransientModel):
    """Preview of a menu import: what will be created, updated and archived, written only
    when confirmed, from exactly the menu that was previewed."""

    _name = "dukkango.menu.import.wizard"
    _description = "Import the Dükkango Menu"

    restaurant_id = fields.Many2one("dukkango.restaurant", required=True, readonly=True)
    line_ids = fields.One2many("dukkango.menu.import.line", "wizard_id", readonly=True)
    payload = fields.Text(readonly=True)
    errors = fields.Text(string="Dishes left out", readonly=True)
    create_count = fields.Integer(compute="_compute_counts")
    update_count = fields.Integer(compute="_compute_counts")
    archive_count = fields.Integer(compute="_compute_counts")
    unchanged_count = fields.Integer(compute="_compute_counts")

    def _compute_counts(self):
        for wizard in self:
            actions = wizard.line_ids.mapped("action")
            wizard.create_count = actions.count("create")
            wizard.update_count = actions.count("update")
            wizard.archive_count = actions.count("archive")
            wizard.unchanged_count = actions.count("unchanged")

    def _load_preview(self):
        self.ensure_one()
        rows = self.restaurant_id.account_id._get_menu()
        foods, errors = parse_foods(rows)
        plan = self.env["dukkango.menu.sync"]._plan(self.restaurant_id, foods)
        self.write(
            {
                "payload": json.dumps(rows, ensure_ascii=False),
                "errors": "\n".join(error.message for error in errors) or False,
                "line_ids": [fields.Command.clear()]
                + [fields.Command.create(self._prepare_line_vals(step)) for step in plan],
            }
        )

    def _prepare_line_vals(self, step):
        food, link = step["food"], step["link"]
        return {
            "action": step["action"],
            "food_id": food.food_id if food else link.food_id,
            "name": food.name if food else link.name,
            "price": float(food.price) if food else link.price,
            "category": (food.category.name if food and food.category else False)
            or (link.category_name if not food else False),
            "options": ", ".join(group.title for group in food.groups) if food else False,
            "changes": "; ".join(step["changes"]) or False,
        }

    def action_apply(self):
        self.ensure_one()
        foods, _errors = parse_foods(json.loads(self.payload))
        restaurant = self.restaurant_id
        sync = self.env["dukkango.menu.sync"]
        counts = sync._apply(restaurant, sync._plan(restaurant, foods))
        return restaurant.account_id._notification(
            self.env._(
                "%(create)s created, %(update)s updated, %(archive)s archived, %(unchanged)s unchanged.", **counts
            ),
            title=self.env._("Dükkango menu of %(restaurant)s", restaurant=restaurant.name),
            next_action={"type": "ir.actions.act_window_close"},
        )


class DukkangoMenuImportLine(models.TransientModel):
    _name = "dukkango.menu.import.line"
    _description = "Dükkango Menu Import Line"
    _order = "id"

    wizard_id = fields.Many2one("dukkango.menu.import.wizard", required=True, ondelete="cascade")
    action = fields.Selection(ACTIONS, required=True)
    food_id = fields.Integer(string="Food ID")
    name = fields.Char()
    price = fields.Float(digits="Product Price")
    category = fields.Char()
    options = fields.Char()
    changes = fields.Char()
