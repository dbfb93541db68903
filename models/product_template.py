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
