# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class DukkangoFood(models.Model):
    """A dish of a restaurant's Dükkango menu and the POS product it is sold as."""

    _name = "dukkango.food"
    _description = "Dükkango Menu Item"
    _order = "restaurant_id, sequence, id"

    food_id = fields.Integer(string="Dükkango Food ID", required=True, readonly=True, index=True)
    name = fields.Char(required=True, readonly=True)
    restaurant_id = fields.Many2one("dukkango.restaurant", required=True, readonly=True, ondelete="cascade", index=True)
    account_id = fields.Many2one(related="restaurant_id.account_id", store=True)
    company_id = fields.Many2one(related="restaurant_id.company_id", store=True)
    product_tmpl_id = fields.Many2one(
        "product.template", string="Product", required=True, readonly=True, ondelete="cascade", index=True
    )
    price = fields.Float(string="Price on Dükkango", digits="Product Price", readonly=True)
    category_name = fields.Char(string="Dükkango Category", readonly=True)
    sequence = fields.Integer(readonly=True)
    available = fields.Boolean(
        string="Available on Dükkango",
        default=True,
        readonly=True,
        help="Whether customers can order the dish on Dükkango; changes only when Dükkango confirms.",
    )
    modifiers = fields.Text(readonly=True, help="The modifier groups imported last (JSON).")
    last_error = fields.Char(readonly=True)
    passive_requested = fields.Boolean(
        readonly=True, help="To be taken off Dükkango after the commit that archived its product."
    )
    active = fields.Boolean(default=True, readonly=True)

    _sql_constraints = [
        ("food_unique", "UNIQUE(restaurant_id, food_id)", "A Dükkango dish is linked once per restaurant."),
    ]

    @api.depends("name", "restaurant_id")
    def _compute_display_name(self):
        for food in self:
            food.display_name = f"{food.name} ({food.restaurant_id.name})" if food.restaurant_id else food.name

    def _set_available(self, available):
        """Make the dishes orderable (or not) on Dükkango; the flag follows only a confirmation.

        A refusal or network error raises a UserError and changes nothing.
        """
        method = "set_food_active" if available else "set_food_passive"
        for food in self:
            food.account_id.sudo()._call_platform(method, food.food_id)
            food.sudo().write({"available": available, "last_error": False})

    def _check_manager(self):
        self.env.user._dukkango_check_manager(
            self.env._("Only Point of Sale managers change what is sold on Dükkango.")
        )

    def action_set_available(self):
        self._check_manager()
        self._set_available(True)
        return True

    def action_set_unavailable(self):
        self._check_manager()
        self._set_available(False)
        return True

    def _request_passive(self):
        """Take the dishes off Dükkango after the commit (their product leaves the POS)."""
        available = self.filtered("available")
        if available:
            available.write({"passive_requested": True})
            self.env.ref("pos_dukkango.ir_cron_dukkango_platform_changes")._trigger()

    def _make_passive_quietly(self):
        """Take the available dishes off Dükkango without stopping the caller on an error
        (the product is archived or removed from the POS anyway): errors are recorded."""
        for food in self.filtered("available"):
            try:
                food._set_available(False)
            except UserError as error:
                _logger.warning("Dükkango dish %s stays orderable on the platform: %s", food.food_id, error)
                food.sudo().last_error = str(error)[:200]
