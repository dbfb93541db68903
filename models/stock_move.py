# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        """Every change of on-hand quantity done through stock moves (a POS order's picking, a
        receipt, an inventory adjustment) lets the dishes of storable products follow their stock
        on Dükkango, when the setting "Sold out when out of stock" is on."""
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        templates = moves.filtered(lambda move: move.state == "done").product_id.product_tmpl_id
        templates = templates.filtered("is_storable")
        if templates:
            self.env["dukkango.food"].sudo()._follow_stock(templates)
        return moves
