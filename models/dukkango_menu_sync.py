# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json

from odoo import api, fields, models


class DukkangoMenuSync(models.AbstractModel):
    """A restaurant's Dükkango menu as POS products: the plan of what an import would
    create, update and archive, and applying it. Dishes become product templates,
    categories POS categories, modifier groups attributes that create no variant."""

    _name = "dukkango.menu.sync"
    _description = "Dükkango Menu Import"

    @api.model
    def _plan(self, restaurant, foods):
        """What importing the menu ``foods`` (parsed; all restaurants) would change for ``restaurant``.

        A list of ``{"food", "link", "action", "changes"}`` where action is ``create``,
        ``update``, ``unchanged`` or ``archive`` (dishes gone from the menu).
        """
        mine = [food for food in foods if food.restaurant_id == restaurant.uuid]
        links = {
            link.food_id: link
            for link in self.env["dukkango.food"]
            .with_context(active_test=False)
            .search([("restaurant_id", "=", restaurant.id)])
        }
        plan = []
        for food in sorted(mine, key=lambda f: (f.category.sort if f.category else 0, f.sort, f.food_id)):
            link = links.get(food.food_id)
            changes = self._food_changes(food, link)
            action = "create" if not link else "update" if changes else "unchanged"
            plan.append({"food": food, "link": link, "action": action, "changes": changes})
        listed = {food.food_id for food in mine}
        for food_id, link in links.items():
            if link.active and food_id not in listed:
                changes = [self.env._("no longer on the Dükkango menu")]
                plan.append({"food": None, "link": link, "action": "archive", "changes": changes})
        return plan

    def _food_changes(self, food, link):
        """Human-readable differences between a dish on the menu and what was imported."""
        _ = self.env._
        if not link:
            return []
        changes = []
        if not link.active or not link.product_tmpl_id.active:
            changes.append(_("back on the menu"))
        if link.name != food.name:
            changes.append(_("name: %(old)s → %(new)s", old=link.name, new=food.name))
        if abs(link.price - float(food.price)) >= 0.005:
            changes.append(_("price: %(old).2f → %(new).2f", old=link.price, new=float(food.price)))
        category = food.category.name if food.category else False
        if (link.category_name or False) != category:
            changes.append(_("category: %(old)s → %(new)s", old=link.category_name or "-", new=category or "-"))
        if (link.product_tmpl_id.description_sale or "") != food.description:
            changes.append(_("description"))
        if json.loads(link.modifiers or "[]") != modifiers_of(food):
            changes.append(_("options"))
        return changes

    @api.model
    def _apply(self, restaurant, plan):
        """Create, update and archive the POS products as planned; returns the counts by action."""
        counts = {"create": 0, "update": 0, "unchanged": 0, "archive": 0}
        Template = self.env["product.template"].with_context(dukkango_menu_import=True)
        for step in plan:
            counts[step["action"]] += 1
            link, food = step["link"], step["food"]
            if step["action"] == "unchanged":
                continue
            if step["action"] == "archive":
                link.active = False
                template = link.product_tmpl_id.with_context(dukkango_menu_import=True)
                if not template.dukkango_food_ids.filtered("active"):
                    template.active = False  # archived, never deleted: past orders keep their product
                continue
            company = restaurant.company_id
            template = link.product_tmpl_id.with_context(dukkango_menu_import=True) if link else Template.browse()
            taxes = template.taxes_id if template else company.account_sale_tax_id
            vals = self._prepare_product_vals(food, taxes)
            if template:
                template.write({**vals, "active": True})
            else:
                template = Template.create(
                    {**vals, "company_id": company.id, "taxes_id": [fields.Command.set(taxes.ids)]}
                )
            self._sync_modifiers(template, food, json.loads(link.modifiers or "[]") if link else [])
            link_vals = {
                "name": food.name,
                "price": float(food.price),
                "category_name": food.category.name if food.category else False,
                "sequence": food.sort,
                "modifiers": json.dumps(modifiers_of(food), ensure_ascii=False),
                "active": True,
            }
            if link:
                link.write(link_vals)
            else:
                self.env["dukkango.food"].create(
                    {
                        **link_vals,
                        "restaurant_id": restaurant.id,
                        "food_id": food.food_id,
                        "product_tmpl_id": template.id,
                    }
                )
        return counts

    def _prepare_product_vals(self, food, taxes):
        return {
            "name": food.name,
            "list_price": self._untaxed_price(food.price, taxes),
            "description_sale": food.description or False,
            "available_in_pos": True,
            "sale_ok": True,
            "pos_categ_ids": [fields.Command.set(self._pos_category(food.category).ids)],
        }

    def _pos_category(self, category):
        if not category:
            return self.env["pos.category"]
        found = self.env["pos.category"].search([("name", "=", category.name)], limit=1)
        if found:
            if found.sequence != category.sort:
                found.sequence = category.sort
            return found
        return self.env["pos.category"].create({"name": category.name, "sequence": category.sort})

    @api.model
    def _untaxed_price(self, price, taxes):
        """The price before taxes whose price with ``taxes`` is the VAT-included ``price``."""
        taxes = taxes.filtered(lambda t: t.amount_type in ("percent", "division", "fixed"))
        if not taxes or all(tax.price_include for tax in taxes):
            return float(price)
        return taxes.with_context(force_price_include=True).compute_all(float(price))["total_excluded"]

    def _sync_modifiers(self, template, food, previous):
        """The dish's modifier groups as attributes that create no variant: one value per
        option, its VAT-included price as the value's extra price on this product."""
        Attribute = self.env["product.attribute"]
        Value = self.env["product.attribute.value"]
        taxes = template.taxes_id
        wanted = {}
        for group in food.groups:
            display_type = "multi" if group.multiple else "radio"
            attribute = Attribute.search(
                [
                    ("name", "=", group.title),
                    ("create_variant", "=", "no_variant"),
                    ("display_type", "=", display_type),
                ],
                limit=1,
            ) or Attribute.create({"name": group.title, "create_variant": "no_variant", "display_type": display_type})
            values = Value.browse()
            for option in group.options:
                values |= Value.search([("attribute_id", "=", attribute.id), ("name", "=", option.name)], limit=1) or (
                    Value.create({"attribute_id": attribute.id, "name": option.name})
                )
            wanted[attribute] = (values, {option.name: option.price for option in group.options})
        old_titles = {group["title"] for group in previous}
        for line in template.attribute_line_ids:
            if line.attribute_id not in wanted and line.attribute_id.name in old_titles:
                line.unlink()  # a group the platform no longer offers for this dish
        for attribute, (values, prices) in wanted.items():
            line = template.attribute_line_ids.filtered(lambda x, a=attribute: x.attribute_id == a)
            if line:
                if line.value_ids != values:
                    line.value_ids = [fields.Command.set(values.ids)]
            else:
                line = self.env["product.template.attribute.line"].create(
                    {
                        "product_tmpl_id": template.id,
                        "attribute_id": attribute.id,
                        "value_ids": [fields.Command.set(values.ids)],
                    }
                )
            for ptav in line.product_template_value_ids:
                extra = self._untaxed_price(prices.get(ptav.name, 0), taxes)
                if abs(ptav.price_extra - extra) >= 0.000001:
                    ptav.price_extra = extra


def modifiers_of(food):
    """The modifier groups of a parsed food as plain data (compared between imports)."""
    return [
        {
            "title": group.title,
            "multiple": group.multiple,
            "required": group.required,
            "options": [[option.name, str(option.price)] for option in group.options],
        }
        for group in food.groups
    ]
