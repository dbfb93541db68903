# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..dukkango.orders import OrderParseError, parse_order
from ..dukkango.statuses import (
    STATUS_CANCELLED,
    STATUS_CONFIRMED,
    STATUS_DELIVERED,
    STATUS_IN_DELIVERY,
    STATUS_RECEIVED,
    STATUS_SELECTION,
    TERMINAL_STATUSES,
    status_key,
)
from .common import raise_if_concurrency

_logger = logging.getLogger(__name__)


class DukkangoOrder(models.Model):
    """The local record of one Dükkango order: what the platform sent, what was
    acknowledged, and the pos.order it became."""

    _name = "dukkango.order"
    _description = "Dükkango Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "first_seen_at desc, id desc"
    _rec_name = "name"

    name = fields.Char(compute="_compute_name", store=True)
    account_id = fields.Many2one("dukkango.account", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    config_id = fields.Many2one("pos.config", string="Point of Sale", index=True, readonly=True)
    payment_key = fields.Char(required=True, readonly=True)
    dukkango_id = fields.Integer(string="Dükkango Number", readonly=True)
    restaurant_uuid = fields.Char(string="Restaurant", index=True, readonly=True)
    restaurant_name = fields.Char(readonly=True)
    status_id = fields.Integer(string="Status ID", readonly=True, tracking=True)
    status_text = fields.Char(string="Platform Status", readonly=True)
    status = fields.Selection(STATUS_SELECTION, compute="_compute_status", store=True, index=True)
    seen_status_id = fields.Integer(
        string="Last Status Received", readonly=True, help="Status of the order in the last get-current answer."
    )
    acked_status_id = fields.Integer(
        string="Acknowledged Status", readonly=True, help="Status last acknowledged to Dükkango."
    )
    ack_needed = fields.Boolean(index=True, readonly=True)
    ack_count = fields.Integer(readonly=True)
    ack_failures = fields.Integer(readonly=True, help="Failed acknowledgements since the last successful one.")
    last_ack_error = fields.Char(readonly=True)
    acked_at = fields.Datetime(string="Acknowledged On", readonly=True)
    first_seen_at = fields.Datetime(string="First Seen", readonly=True)
    last_seen_at = fields.Datetime(string="Last Seen", readonly=True)
    seen_count = fields.Integer(string="Times Received", readonly=True)
    payload = fields.Text(
        readonly=True, groups="point_of_sale.group_pos_manager", help="The raw order, as received last."
    )
    pos_order_id = fields.Many2one("pos.order", string="POS Order", index="btree_not_null", readonly=True, copy=False)
    state = fields.Selection(
        [
            ("pending", "Waiting for import"),
            ("done", "Imported"),
            ("error", "Error"),
            ("cancelled", "Cancelled before import"),
        ],
        default="pending",
        required=True,
        index=True,
        readonly=True,
        tracking=True,
    )
    error_message = fields.Text(readonly=True)
    needs_attention = fields.Boolean(index=True, readonly=True)
    attention_reason = fields.Text(readonly=True)
    amount_total = fields.Monetary(readonly=True)
    # the split of amount_total read from the payload (Dükkango Analysis: dukkango_settlement_report.py)
    amount_items = fields.Monetary(string="Items (Gross)", compute="_compute_settlement", store=True)
    amount_discount = fields.Monetary(string="Discount", compute="_compute_settlement", store=True)
    amount_fee = fields.Monetary(string="Courier Fee", compute="_compute_settlement", store=True)
    amount_tip = fields.Monetary(string="Tip", compute="_compute_settlement", store=True)
    paid_online = fields.Boolean(
        compute="_compute_settlement",
        store=True,
        help="Paid on Dükkango: the payment method is one the account's list calls pre-paid, as that list "
        "was stored when the order's payload was last stored (not recomputed when the list changes).",
    )
    date_order = fields.Datetime(string="Ordered On", readonly=True)
    scheduled_date = fields.Datetime(readonly=True)
    customer_name = fields.Char(readonly=True)
    customer_phone = fields.Char(readonly=True)
    shipping_method = fields.Char(readonly=True)
    payment_method = fields.Char(readonly=True)
    courier_type = fields.Char(readonly=True)
    address = fields.Text(readonly=True)
    note = fields.Text(string="Customer Note", readonly=True)
    preparing_time = fields.Integer(string="Preparation Time (min)", readonly=True)
    can_accept = fields.Boolean(compute="_compute_allowed_actions")
    can_on_the_way = fields.Boolean(compute="_compute_allowed_actions")
    can_complete = fields.Boolean(compute="_compute_allowed_actions")
    can_cancel = fields.Boolean(compute="_compute_allowed_actions")
    attention = fields.Boolean(
        string="Needs a Person",
        compute="_compute_attention",
        store=True,
        index=True,
        help="Dükkango believes the order delivered but it is not in a till as it should be: "
        "an error, a restaurant no point of sale serves, or a flag (adjustment line, failed "
        "automatic acceptance, cancelled after payment).",
    )
    attention_handled = fields.Boolean(
        readonly=True, copy=False, help="A manager marked the order as handled: it no longer counts."
    )
    status_applied_id = fields.Integer(readonly=True, help="Last status applied to the POS order.")
    auto_accept_done = fields.Boolean(readonly=True)
    # what happened to the order, and when (Dükkango Analysis reads these)
    accepted_at = fields.Datetime(string="Accepted On", readonly=True, copy=False)
    accepted_by_id = fields.Many2one(
        "res.users",
        string="Accepted By",
        readonly=True,
        copy=False,
        help="Who accepted the order at a till or in the backend; empty when it was accepted "
        "automatically or on Dükkango's side.",
    )
    delivered_at = fields.Datetime(string="Delivered On", readonly=True, copy=False)
    cancelled_at = fields.Datetime(string="Cancelled On", readonly=True, copy=False)
    cancelled_by = fields.Selection([("restaurant", "Restaurant"), ("platform", "Dükkango")], readonly=True, copy=False)
    cancel_reason_id = fields.Many2one(
        "dukkango.cancel.reason", string="Cancellation Reason", readonly=True, copy=False, ondelete="set null"
    )
    kitchen_sent_at = fields.Datetime(
        string="Kitchen Ticket Sent On",
        readonly=True,
        copy=False,
        help="For a scheduled order: when a till claimed its kitchen ticket (printed once, by one till).",
    )
    accept_deadline = fields.Datetime(
        string="Accept Before",
        compute="_compute_accept_deadline",
        help="When the order must be accepted: its acceptance clock (the time it was placed on Dükkango, "
        "or for a scheduled order the time to start preparing it) plus the point of sale's deadline.",
    )
    prepare_at = fields.Datetime(
        string="Prepare From",
        compute="_compute_accept_deadline",
        help="For a scheduled order, when the kitchen starts: the scheduled time minus the preparation time.",
    )
    is_scheduled = fields.Boolean(
        string="Scheduled",
        compute="_compute_is_scheduled",
        search="_search_is_scheduled",
        help="The customer ordered for a later time.",
    )

    _sql_constraints = [
        ("payment_key_unique", "UNIQUE(account_id, payment_key)", "A Dükkango order is stored only once."),
    ]

    @api.depends("needs_attention", "state", "config_id", "attention_handled")
    def _compute_attention(self):
        for order in self:
            unrouted = order.state == "pending" and not order.config_id
            order.attention = not order.attention_handled and (
                order.needs_attention or order.state == "error" or unrouted
            )

    @api.depends("payload")
    def _compute_settlement(self):
        self.env["dukkango.settlement.report"]._compute_order_amounts(self)

    @api.depends("dukkango_id", "payment_key")
    def _compute_name(self):
        for order in self:
            order.name = f"Dükkango #{order.dukkango_id}" if order.dukkango_id else order.payment_key

    @api.depends("status_id", "shipping_method", "courier_type")
    def _compute_allowed_actions(self):
        for order in self:
            own_courier = order.shipping_method == "delivery" and order.courier_type == "restaurant"
            order.can_accept = order.status_id == STATUS_RECEIVED
            order.can_on_the_way = order.status_id == STATUS_CONFIRMED and own_courier
            order.can_complete = order.status_id == STATUS_IN_DELIVERY or (
                order.status_id == STATUS_CONFIRMED and not own_courier
            )
            order.can_cancel = bool(order.status_id) and order.status_id not in TERMINAL_STATUSES

    @api.depends("status_id")
    def _compute_status(self):
        for order in self:
            order.status = status_key(order.status_id) if order.status_id else False

    # ------------------------------------------------------------------
    # Waiting for a point of sale
    # ------------------------------------------------------------------
    @api.model
    def _route_pending(self, accounts):
        """Give waiting orders without a point of sale the config of their restaurant."""
        self.search([("account_id", "in", accounts.ids), ("state", "=", "pending"), ("config_id", "=", False)])._route()

    def _route(self):
        """Route these orders (pending, without a point of sale) to their restaurant's config."""
        for account in self.account_id:
            routes = account._dukkango_routes()
            for order in self.filtered(lambda o, a=account: o.account_id == a):
                if routes.get(order.restaurant_uuid):
                    order.config_id = routes[order.restaurant_uuid]

    def _close_cancelled(self):
        """Those of these orders Dükkango cancelled before they reached a till: never imported
        as sales. Returns the others."""
        cancelled = self.filtered(lambda order: order.status_id == STATUS_CANCELLED)
        if cancelled:
            cancelled.write({"state": "cancelled"})
            cancelled.activity_ids.unlink()
        return self - cancelled

    @api.model
    def _apply_pending_statuses(self, accounts):
        """Apply platform status changes to the pos.orders they concern, one savepoint each."""
        self.flush_model(["account_id", "pos_order_id", "status_id", "status_applied_id"])
        self.env.cr.execute(
            """SELECT id FROM dukkango_order
                WHERE account_id IN %s AND pos_order_id IS NOT NULL
                  AND status_applied_id IS DISTINCT FROM status_id
                ORDER BY id""",
            (tuple(accounts.ids) or (0,),),
        )
        changed = self.browse([row[0] for row in self.env.cr.fetchall()])
        for order in changed:
            try:
                with self.env.cr.savepoint():
                    order._apply_status()
            except Exception as error:  # noqa: BLE001 - one bad order must not stop the batch
                raise_if_concurrency(error)
                _logger.warning(
                    "Dükkango order %s: status %s not applied: %s", order.payment_key, order.status_id, error
                )
                order._flag(
                    self.env._(
                        "Status %(status)s could not be applied: %(error)s",
                        status=order.status_text or order.status_id,
                        error=str(error)[:500],
                    )
                )
                order.status_applied_id = order.status_id
        changed._notify_pos()

    def _notify_pos(self):
        """Tell the open POS tabs of each config which of its Dükkango orders are new or changed.

        The bus delivers the message after the commit; the POS then reads those orders.
        """
        by_config = {}
        for order in self.filtered("pos_order_id"):
            by_config.setdefault(order.config_id, []).append(order.pos_order_id.id)
        for config, pos_order_ids in by_config.items():
            if config:
                config._notify("DUKKANGO_ORDERS", {"pos_order_ids": pos_order_ids})

    def _notify_no_session(self):
        """Tell the account's responsible that orders wait for a session (once per order)."""
        if not self:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for order in self:
            if order.activity_ids or not activity_type:
                continue
            order.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Open a session of %(config)s", config=order.config_id.display_name),
                note=self.env._(
                    "Dükkango order %(order)s is waiting for an open session of %(config)s; "
                    "it is imported the moment one opens.",
                    order=order.name,
                    config=order.config_id.display_name,
                ),
                user_id=order.account_id.user_id.id or self.env.uid,
            )

    # ------------------------------------------------------------------
    # Following the platform's status
    # ------------------------------------------------------------------
    def _apply_status(self):
        """Bring each imported pos.order in line with the platform's latest status."""
        for order in self.filtered(lambda o: o.pos_order_id and o.status_applied_id != o.status_id):
            pos_order = order.pos_order_id.sudo()
            if order.status_id == STATUS_CANCELLED:
                if pos_order.state == "draft":
                    pos_order.action_pos_order_cancel()
                elif pos_order.state != "cancel":
                    order._flag(
                        self.env._(
                            "Dükkango cancelled this order after it was paid: refund %(pos_order)s at the till.",
                            pos_order=pos_order.name,
                        )
                    )
            elif order.status_id == STATUS_DELIVERED and pos_order.state == "cancel":
                order._flag(
                    self.env._(
                        "Dükkango reports this order delivered, but %(pos_order)s was cancelled at the till: "
                        "find out whether it was paid and book the sale.",
                        pos_order=pos_order.name,
                    )
                )
            elif order.status_id == STATUS_DELIVERED and pos_order.state == "draft":
                method = pos_order.config_id._dukkango_cash_method()
                if method and pos_order.session_id.state == "opened":
                    pos_order.add_payment(
                        {
                            "pos_order_id": pos_order.id,
                            "amount": pos_order.amount_total,
                            "payment_method_id": method.id,
                            "name": fields.Datetime.now(),
                        }
                    )
                    pos_order.action_pos_order_paid()
                    pos_order._create_order_picking()
            order.status_applied_id = order.status_id

    def _flag(self, reason):
        self.ensure_one()
        self.write({"needs_attention": True, "attention_reason": reason})
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        if activity_type:
            self.activity_schedule(
                activity_type_id=activity_type.id,
                summary=reason[:100],
                note=reason,
                user_id=self.account_id.user_id.id or self.env.uid,
            )

    def action_retry_import(self):
        """Import again orders that failed (or wait), now if their session is open."""
        self.env.user._dukkango_check_manager(self.env._("Only Point of Sale managers retry a Dükkango import."))
        retry = self.filtered(lambda o: o.state in ("error", "pending") and not o.pos_order_id)
        for order in retry.sudo():
            try:
                order.payload and parse_order(json.loads(order.payload))
            except (OrderParseError, ValueError) as error:
                raise UserError(
                    self.env._("%(order)s still cannot be used: %(error)s", order=order.name, error=error)
                ) from None
            order.write({"state": "pending", "error_message": False})
        if retry:
            self.env["dukkango.pos.import"]._import_pending(retry.account_id, configs=retry.config_id)
        return True

    def action_mark_handled(self):
        """A manager took care of the orders: they no longer count as needing a person."""
        self.env.user._dukkango_check_manager(
            self.env._("Only Point of Sale managers mark Dükkango orders as handled.")
        )
        self.write({"attention_handled": True})
        self.account_id._notify_attention()
        return True

    def action_open_pos_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "pos.order",
            "res_id": self.pos_order_id.id,
            "view_mode": "form",
            "target": "current",
        }
