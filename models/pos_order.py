# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..dukkango.statuses import OPEN_STATUS_KEYS

#: the Dükkango fields of an order the till's screens use (not the raw payload)
DUKKANGO_POS_FIELDS = (
    "dukkango_order_id",
    "dukkango_status",
    "dukkango_number",
    "dukkango_shipping_method",
    "dukkango_payment_method",
    "dukkango_customer_name",
    "dukkango_customer_phone",
    "dukkango_address",
    "dukkango_note",
    "dukkango_scheduled_date",
    "dukkango_preparing_time",
    "dukkango_can_accept",
    "dukkango_can_on_the_way",
    "dukkango_can_complete",
    "dukkango_can_cancel",
)


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

    dukkango_number = fields.Integer(related="dukkango_order_id.dukkango_id", string="Dükkango Number")
    dukkango_shipping_method = fields.Char(related="dukkango_order_id.shipping_method", string="Shipping Method")
    dukkango_payment_method = fields.Char(related="dukkango_order_id.payment_method", string="Dükkango Payment")
    dukkango_courier_type = fields.Char(related="dukkango_order_id.courier_type", string="Courier Type")
    dukkango_customer_name = fields.Char(related="dukkango_order_id.customer_name", string="Dükkango Customer")
    dukkango_customer_phone = fields.Char(related="dukkango_order_id.customer_phone", string="Customer Phone")
    dukkango_address = fields.Text(related="dukkango_order_id.address", string="Delivery Address")
    dukkango_note = fields.Text(related="dukkango_order_id.note", string="Customer Note")
    dukkango_scheduled_date = fields.Datetime(related="dukkango_order_id.scheduled_date", string="Scheduled For")
    dukkango_preparing_time = fields.Integer(related="dukkango_order_id.preparing_time", string="Preparation Time")
    dukkango_payload = fields.Text(
        related="dukkango_order_id.payload", string="Raw Payload", groups="point_of_sale.group_pos_manager"
    )
    dukkango_can_accept = fields.Boolean(related="dukkango_order_id.can_accept")
    dukkango_can_on_the_way = fields.Boolean(related="dukkango_order_id.can_on_the_way")
    dukkango_can_complete = fields.Boolean(related="dukkango_order_id.can_complete")
    dukkango_can_cancel = fields.Boolean(related="dukkango_order_id.can_cancel")

    _sql_constraints = [
        (
            "dukkango_order_unique",
            "UNIQUE(dukkango_order_id)",
            "A Dükkango order can be imported only once.",
        ),
    ]

    @api.model
    def _load_pos_data_fields(self, config_id):
        """The till loads the Dükkango fields its screens use, and not the raw payload."""
        fields = super()._load_pos_data_fields(config_id)
        if not fields:
            # Odoo loads every field the user can read: all of them but the module's others
            readable = self.check_field_access_rights("read", None)
            fields = [name for name in readable if not name.startswith("dukkango_")]
        return [*fields, *(name for name in DUKKANGO_POS_FIELDS if name not in fields)]

    @api.model
    def _load_pos_data_domain(self, data):
        """The POS also loads the session's Dükkango orders still to be handled, paid ones included."""
        domain = super()._load_pos_data_domain(data)
        session_id = data["pos.session"]["data"][0]["id"]
        return expression.OR(
            [
                domain,
                [("session_id", "=", session_id), ("dukkango_status", "in", OPEN_STATUS_KEYS)],
            ]
        )

    @api.model
    def _process_order(self, order, existing_order):
        if not self.env.context.get("dukkango_import"):
            # the POS app knows no dukkango.order records and sends the link back empty:
            # only the import sets it, the till never changes it
            order.pop("dukkango_order_id", None)
        return super()._process_order(order, existing_order)

    def dukkango_cancel_reasons(self):
        """The reasons staff can give to cancel this order: ``[{"code", "name"}]``, fresh from Dükkango
        (the documented list when it cannot be read)."""
        self.ensure_one()
        reasons = self.env["dukkango.cancel.reason"]._refresh(self._dukkango_orders().account_id)
        return [{"code": reason.code, "name": reason.name} for reason in reasons]

    def _dukkango_orders(self):
        orders = self.dukkango_order_id
        if not orders or len(orders) != len(self):
            raise UserError(self.env._("Only orders that came from Dükkango can be handled on Dükkango."))
        return orders

    def action_dukkango_accept(self, preparing_time=None):
        """Accept on Dükkango with a preparation time (minutes); without one, ask for it."""
        orders = self._dukkango_orders()
        if preparing_time is None:
            return self._dukkango_wizard("dukkango.accept.wizard", self.env._("Accept on Dükkango"))
        orders._platform_accept(preparing_time)
        return True

    def action_dukkango_on_the_way(self):
        """Tell Dükkango the restaurant's courier left with the order."""
        self._dukkango_orders()._platform_on_the_way()
        return True

    def action_dukkango_complete(self):
        """Tell Dükkango the order was delivered (or picked up)."""
        self._dukkango_orders()._platform_complete()
        return True

    def action_dukkango_cancel(self, reason_id=None):
        """Cancel on Dükkango with a reason id of ``/orders/cancel-reasons``; without one, ask."""
        orders = self._dukkango_orders()
        if reason_id is None:
            return self._dukkango_wizard("dukkango.cancel.wizard", self.env._("Cancel on Dükkango"))
        orders._platform_cancel(reason_id)
        return True

    def _dukkango_wizard(self, model, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_pos_order_ids": self.ids},
        }
