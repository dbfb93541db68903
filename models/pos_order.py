# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.osv import expression
from odoo.tools import float_compare, format_amount

from ..dukkango.statuses import OPEN_STATUS_KEYS, STATUS_CANCELLED

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
    "dukkango_date_order",
    "dukkango_accept_deadline",
    "dukkango_prepare_at",
    "dukkango_kitchen_sent_at",
    "dukkango_preparing_time",
    "dukkango_can_accept",
    "dukkango_can_on_the_way",
    "dukkango_can_complete",
    "dukkango_can_cancel",
)
#: line values the till may not change on a Dükkango order, with the precision they are compared at
DUKKANGO_LINE_PRECISIONS = {
    "qty": "Product Unit of Measure",
    "price_unit": "Product Price",
    "discount": "Discount",
}
#: what the till sends but the import decided: the line's price, taxes and name stay the imported ones
DUKKANGO_KEPT_LINE_FIELDS = (
    "product_id",
    *DUKKANGO_LINE_PRECISIONS,
    "price_subtotal",
    "price_subtotal_incl",
    "price_extra",
    "tax_ids",
    "attribute_value_ids",
    "full_product_name",
)
#: the order's totals the till computes: they stay Dükkango's
DUKKANGO_KEPT_ORDER_FIELDS = ("amount_total", "amount_tax", "pricelist_id")


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
    dukkango_date_order = fields.Datetime(related="dukkango_order_id.date_order", string="Placed on Dükkango")
    dukkango_accept_deadline = fields.Datetime(related="dukkango_order_id.accept_deadline", string="Accept Before")
    dukkango_prepare_at = fields.Datetime(related="dukkango_order_id.prepare_at", string="Prepare From")
    dukkango_kitchen_sent_at = fields.Datetime(
        related="dukkango_order_id.kitchen_sent_at", string="Kitchen Ticket Sent On"
    )
    dukkango_accepted_at = fields.Datetime(related="dukkango_order_id.accepted_at", string="Accepted On")
    dukkango_accepted_by_id = fields.Many2one(related="dukkango_order_id.accepted_by_id", string="Accepted By")
    dukkango_payload = fields.Text(
        related="dukkango_order_id.payload", string="Raw Payload", groups="point_of_sale.group_pos_manager"
    )
    dukkango_can_accept = fields.Boolean(related="dukkango_order_id.can_accept")
    dukkango_can_on_the_way = fields.Boolean(related="dukkango_order_id.can_on_the_way")
    dukkango_can_complete = fields.Boolean(related="dukkango_order_id.can_complete")
    dukkango_can_cancel = fields.Boolean(related="dukkango_order_id.can_cancel")
    dukkango_cancelled_delivered = fields.Boolean(
        string="Cancelled Here, Delivered on Dükkango",
        compute="_compute_dukkango_cancelled_delivered",
        store=True,
        help="The order was cancelled in Odoo, but Dükkango reports it delivered: "
        "find out whether it was paid and book the sale.",
    )

    _sql_constraints = [
        (
            "dukkango_order_unique",
            "UNIQUE(dukkango_order_id)",
            "A Dükkango order can be imported only once.",
        ),
    ]

    @api.depends("state", "dukkango_status")
    def _compute_dukkango_cancelled_delivered(self):
        for order in self:
            order.dukkango_cancelled_delivered = order.state == "cancel" and order.dukkango_status == "delivered"

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
            if existing_order and existing_order.dukkango_order_id:
                existing_order._dukkango_check_till_changes(order)
        return super()._process_order(order, existing_order)

    def _dukkango_check_till_changes(self, vals):
        """What the till sends for a Dükkango order: a payment, notes, the customer... but not
        other lines or prices. Adding or removing a line, or changing a line's product,
        quantity, unit price or discount, or the order's fiscal position, is refused; the
        totals and taxes the till computed are left out: they stay the imported ones, whose
        total is Dükkango's (``vals`` is changed in place)."""
        self.ensure_one()
        for command in vals.get("lines") or ():
            if command[0] != Command.UPDATE or command[1] not in self.lines.ids:
                self._dukkango_refuse_change()
            line_vals = command[2]
            if self._dukkango_line_changed(self.lines.browse(command[1]), line_vals):
                self._dukkango_refuse_change()
            for name in DUKKANGO_KEPT_LINE_FIELDS:
                line_vals.pop(name, None)
        if "fiscal_position_id" in vals and (vals["fiscal_position_id"] or False) != self.fiscal_position_id.id:
            self._dukkango_refuse_change()
        for name in DUKKANGO_KEPT_ORDER_FIELDS:
            vals.pop(name, None)

    def _dukkango_line_changed(self, line, values):
        if "product_id" in values and values["product_id"] != line.product_id.id:
            return True
        precision = self.env["decimal.precision"].precision_get
        return any(
            name in values and float_compare(values[name] or 0.0, line[name], precision_digits=precision(digits))
            for name, digits in DUKKANGO_LINE_PRECISIONS.items()
        )

    def _dukkango_refuse_change(self):
        raise UserError(
            self.env._(
                "%(order)s comes from Dükkango: its lines and prices cannot be changed at the till, its "
                "total is Dükkango's (%(total)s). Take the payment as it is, or cancel the order on Dükkango.",
                order=self.sudo().dukkango_order_id.display_name,
                total=format_amount(self.env, self.amount_total, self.currency_id),
            )
        )

    def action_pos_order_cancel(self):
        """The till's *Delete* (and Odoo's closing popup's *Cancel Orders*): never for an order
        Dükkango still holds; it is cancelled on Dükkango, with a reason, instead."""
        self._dukkango_check_removable()
        return super().action_pos_order_cancel()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dukkango(self):
        self._dukkango_check_removable()

    def _dukkango_check_removable(self):
        held = self.sudo().filtered(
            lambda order: order.state == "draft"
            and order.dukkango_order_id
            and order.dukkango_order_id.status_id != STATUS_CANCELLED
        )
        if held:
            raise UserError(
                self.env._(
                    "Dükkango orders cannot be deleted: %(orders)s. Cancel them on Dükkango instead "
                    "(Orders ▸ Dükkango ▸ Cancel, with a reason).",
                    orders=", ".join(held.dukkango_order_id.mapped("display_name")),
                )
            )

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

    def dukkango_claim_kitchen(self, session_id):
        """The till of session ``session_id`` asks to print the kitchen tickets of these
        scheduled orders now: returns the ids of the orders it may print, those no till (this
        one, another device, a retried request) claimed before. A cashier claims only orders of
        the open session the till runs."""
        session = self.env["pos.session"].browse(session_id).exists()
        foreign = self.filtered(lambda order: order.session_id != session or not order.dukkango_order_id)
        if not session or session.state != "opened" or foreign:
            raise AccessError(
                self.env._(
                    "Only the till of the open session of an order prints its kitchen ticket: %(orders)s.",
                    orders=", ".join((foreign or self).mapped("name")),
                )
            )
        session.check_access("read")
        return self.sudo().dukkango_order_id._claim_kitchen().pos_order_id.ids

    def _dukkango_wizard(self, model, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_pos_order_ids": self.ids},
        }
