# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class DukkangoCancelWizard(models.TransientModel):
    _name = "dukkango.cancel.wizard"
    _description = "Cancel Dükkango Orders"
    _inherit = ["dukkango.order.wizard.mixin"]

    account_id = fields.Many2one("dukkango.account", compute="_compute_account_id")
    reason_id = fields.Many2one(
        "dukkango.cancel.reason", string="Reason", required=True, domain="[('account_id', '=', account_id)]"
    )

    @api.depends("pos_order_ids")
    def _compute_account_id(self):
        for wizard in self:
            wizard.account_id = wizard.pos_order_ids.dukkango_order_id.account_id[:1]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        orders = self._default_pos_orders(values)
        accounts = orders.dukkango_order_id.account_id
        if len(accounts) > 1:
            raise UserError(self.env._("Cancel the orders of one Dükkango account at a time."))
        if accounts:
            # reasons rarely change, but are read fresh when staff cancel (documented list as fallback)
            self.env["dukkango.cancel.reason"]._refresh(accounts)
        return values

    def action_confirm(self):
        self.ensure_one()
        self.pos_order_ids.action_dukkango_cancel(self.reason_id.code)
        return {"type": "ir.actions.act_window_close"}
