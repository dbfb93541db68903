# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class PosOrder(models.Model):
    _inherit = "pos.order"

    dukkango_order_id = fields.Many2one(
        "dukkango.order",
        string="Dükkango Order",
        index="btree_not_null",
        copy=False,
        readonly=True,
        ondelete="restrict",
    )
    dukkango_status = fields.Selection(
        string="Dükkango Status",
        related="dukkango_order_id.status",
        store=True,
    )

    _sql_constraints = [
        (
            "dukkango_order_unique",
            "UNIQUE(dukkango_order_id)",
            "A Dükkango order can be imported only once.",
        ),
    ]
