# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    dukkango_food_id = fields.Integer(
        string="Dükkango Food ID",
        index="btree_not_null",
        copy=False,
        help="Id of this dish in the Dükkango menu (food_id): incoming order items with this id "
        "are booked on this product.",
    )
    dukkango_food_ids = fields.One2many("dukkango.food", "product_tmpl_id", string="Dükkango Menus")

    def write(self, vals):
        # a product archived or taken out of the POS cannot be sold on Dükkango either
        leaving = self.browse()
        if not self.env.context.get("dukkango_menu_import") and (
            vals.get("active") is False or vals.get("available_in_pos") is False
        ):
            leaving = self.filtered(lambda t: t.active and t.available_in_pos)
        res = super().write(vals)
        if leaving:
            leaving.sudo().dukkango_food_ids._request_passive()
        return res
