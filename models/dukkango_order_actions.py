# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..dukkango.statuses import (
    STATUS_CANCELLED,
    STATUS_CONFIRMED,
    STATUS_DELIVERED,
    STATUS_IN_DELIVERY,
    STATUS_RECEIVED,
    status_advances,
)

_logger = logging.getLogger(__name__)

#: minutes to accept an order when its point of sale sets none
DEFAULT_ACCEPT_MINUTES = 8


class DukkangoOrder(models.Model):
    """The order's platform actions: accept, send on the way, complete and cancel on
    Dükkango, then record the status the platform confirmed and when (and by whom) it
    changed; and the times the till counts down to (acceptance deadline, scheduled
    preparation)."""

    _inherit = "dukkango.order"

    # ------------------------------------------------------------------
    # Platform actions
    # ------------------------------------------------------------------
    def _auto_accept(self, client):
        """Accept new orders of configs that accept automatically; local status moves on success."""
        for order in self.filtered(
            lambda o: o.state == "done"
            and o.status_id == STATUS_RECEIVED
            and not o.auto_accept_done
            and o.config_id.dukkango_auto_accept
        ):
            order.auto_accept_done = True
            minutes = order.config_id.dukkango_preparing_time
            try:
                client.accept_order(order.payment_key, minutes)
            except Exception as error:  # noqa: BLE001 - reported on the order, the batch goes on
                _logger.warning("Dükkango refused to accept order %s: %s", order.payment_key, error)
                order._flag(self.env._("Automatic acceptance failed: %(error)s", error=str(error)[:500]))
                continue
            order._set_local_status(STATUS_CONFIRMED)  # accepted by no person: accepted_by_id stays empty

    def _check_allowed(self, flag, action):
        # the row is ours until the commit: a poll cycle updating the order meanwhile makes
        # Odoo retry the whole request before anything was sent to Dükkango, not after
        self.env.cr.execute(
            "SELECT id FROM dukkango_order WHERE id IN %s FOR NO KEY UPDATE NOWAIT", (tuple(self.ids) or (0,),)
        )
        for order in self:
            if not order[flag]:
                raise UserError(
                    self.env._(
                        "%(order)s cannot be %(action)s in its current status (%(status)s).",
                        order=order.name,
                        action=action,
                        status=order.status_text or order.status_id,
                    )
                )

    def _platform_accept(self, preparing_time):
        if isinstance(preparing_time, bool) or not isinstance(preparing_time, int) or not 0 < preparing_time <= 600:
            raise UserError(self.env._("The preparation time must be a number of minutes from 1 to 600."))
        self._check_allowed("can_accept", self.env._("accepted"))
        for order in self:
            order.account_id._call_platform("accept_order", order.payment_key, preparing_time)
            order.sudo().write({"preparing_time": preparing_time, "accepted_by_id": self.env.uid})
            order._set_local_status(STATUS_CONFIRMED)

    def _platform_on_the_way(self):
        self._check_allowed("can_on_the_way", self.env._("sent on the way"))
        for order in self:
            order.account_id._call_platform("mark_on_the_way", order.payment_key)
            order._set_local_status(STATUS_IN_DELIVERY)

    def _platform_complete(self):
        self._check_allowed("can_complete", self.env._("completed"))
        for order in self:
            order.account_id._call_platform("complete_order", order.payment_key)
            order._set_local_status(STATUS_DELIVERED)

    def _platform_cancel(self, reason_code):
        self._check_allowed("can_cancel", self.env._("cancelled"))
        for order in self:
            # read before the call, never refreshed here: a retried request must not cancel twice
            reason = order._cancel_reason(reason_code)
            order.account_id._call_platform("cancel_order", order.payment_key, reason_code)
            order.sudo().write({"cancelled_by": "restaurant", "cancel_reason_id": reason.id})
            order._set_local_status(STATUS_CANCELLED)

    def _set_local_status(self, status_id):
        """Record a status the platform confirmed for an action of ours, and when."""
        self.ensure_one()
        order = self.sudo()
        if status_advances(order.status_id, status_id):
            order.write({"status_id": status_id, **order._prepare_status_time_vals(status_id, fields.Datetime.now())})
            order._apply_status()
            order._notify_pos()

    def _cancel_reason(self, code):
        """The ``dukkango.cancel.reason`` of ``code`` for this order's account, as stored (the
        till's list refreshed it); empty when unknown. A local search only: it runs before the
        irreversible cancel call and must neither call Dükkango nor write shared rows."""
        self.ensure_one()
        Reason = self.env["dukkango.cancel.reason"].sudo().with_context(active_test=False)
        return Reason.search([("account_id", "=", self.account_id.id), ("code", "=", code)], limit=1)

    def _prepare_status_time_vals(self, status_id, now):
        """When the status moved to ``status_id`` (by an action of ours, or seen by the poll at
        ``now``), for the times still empty: accepted (2 or 16), delivered (5), cancelled (6: by
        Dükkango unless the restaurant's cancel said otherwise). By the API docs (§7.3)
        get-current lists only active orders: 5 and 6 may never be seen. Works on an empty
        recordset (a new order)."""
        order = self.sudo()
        if status_id in (STATUS_CONFIRMED, STATUS_IN_DELIVERY) and not order.accepted_at:
            return {"accepted_at": now}
        if status_id == STATUS_DELIVERED and not order.delivered_at:
            return {"delivered_at": now}
        if status_id == STATUS_CANCELLED and not order.cancelled_at:
            return {"cancelled_at": now, "cancelled_by": order.cancelled_by or "platform"}
        return {}

    # ------------------------------------------------------------------
    # Kitchen tickets of scheduled orders
    # ------------------------------------------------------------------
    def _claim_kitchen(self):
        """Claim the kitchen ticket of these accepted orders for one till: the orders whose
        ticket no till sent yet are marked sent now and returned; the others are not. One
        UPDATE per order: two tills (or a retried request) never both get the same order."""
        claimed = self.browse()
        self.flush_recordset(["kitchen_sent_at"])
        for order in self.filtered(lambda o: o.status_id in (STATUS_CONFIRMED, STATUS_IN_DELIVERY)):
            self.env.cr.execute(
                "UPDATE dukkango_order SET kitchen_sent_at = now() AT TIME ZONE 'UTC' "
                "WHERE id = %s AND kitchen_sent_at IS NULL RETURNING id",
                (order.id,),
            )
            if self.env.cr.fetchone():
                claimed |= order
        self.invalidate_recordset(["kitchen_sent_at"])
        return claimed

    # ------------------------------------------------------------------
    # Times: acceptance deadline, scheduled orders
    # ------------------------------------------------------------------
    @api.depends(
        "date_order",
        "scheduled_date",
        "preparing_time",
        "config_id.dukkango_accept_minutes",
        "config_id.dukkango_preparing_time",
    )
    def _compute_accept_deadline(self):
        for order in self:
            order.prepare_at = order._dukkango_prepare_at()
            start = max(filter(None, (order.date_order, order.prepare_at)), default=False)
            minutes = order.config_id.dukkango_accept_minutes
            minutes = minutes if minutes > 0 else DEFAULT_ACCEPT_MINUTES
            order.accept_deadline = start and start + timedelta(minutes=minutes)

    def _dukkango_prepare_at(self):
        """For a scheduled order: the scheduled time minus the preparation time (the order's,
        or its point of sale's); False for an order to prepare now."""
        self.ensure_one()
        if not self.scheduled_date:
            return False
        minutes = self.preparing_time or self.config_id.dukkango_preparing_time or 0
        return self.scheduled_date - timedelta(minutes=minutes)

    @api.depends("scheduled_date")
    def _compute_is_scheduled(self):
        now = fields.Datetime.now()
        for order in self:
            order.is_scheduled = bool(order.scheduled_date and order.scheduled_date > now)

    def _search_is_scheduled(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search scheduled orders with Scheduled is set or is not set."))
        now = fields.Datetime.now()
        if (operator == "=") == value:
            return [("scheduled_date", ">", now)]
        return ["|", ("scheduled_date", "=", False), ("scheduled_date", "<=", now)]
