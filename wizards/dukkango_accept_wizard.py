# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class DukkangoAcceptWizard(models.TransientModel):
    _name = "dukkango.accept.wizard"
    _description = "Accept Dükkango Orders"
    _inherit = ["dukkango.order.wizard.mixin"]

    preparing_time = fields.Integer(
        string="Preparation Time (min)", required=True, help="Sent to Dükkango and shown to the customer."
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        orders = self._default_pos_orders(values)
        if "preparing_time" in fields_list and not values.get("preparing_time"):
            values["preparing_time"] = orders[:1].config_id.dukkango_preparing_time or 30
        return values

    def action_confirm(self):
        self.ensure_one()
        self.pos_order_ids.action_dukkango_accept(self.preparing_time)
        return {"type": "ir.actions.act_window_close"}
