# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import logging

from odoo import fields, models, tools

from ..dukkango.mapping import DOCUMENTED_PAYMENT_METHODS, map_order, payment_kinds
from ..dukkango.orders import parse_order
from ..dukkango.statuses import STATUS_CANCELLED

_logger = logging.getLogger(__name__)

#: the platform's days: a day's orders are those placed that day in Istanbul, like its payouts
SETTLEMENT_TZ = "Europe/Istanbul"

#: the view: cancelled orders counted, left out of the money; online + cash = net
SETTLEMENT_VIEW = """
    CREATE OR REPLACE VIEW dukkango_settlement_report AS (
        WITH o AS (
            SELECT id, date_order, first_seen_at, account_id, company_id, restaurant_uuid, restaurant_name,
                   state, paid_online, amount_items, amount_discount, amount_fee, amount_tip,
                   status_id IS DISTINCT FROM %(cancelled)s AS live,
                   amount_items - amount_discount + amount_fee + amount_tip AS net
              FROM dukkango_order
        )
        SELECT
            MIN(o.id) AS id,
            (COALESCE(o.date_order, o.first_seen_at) AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS date,
            o.account_id,
            o.company_id,
            co.currency_id,
            o.restaurant_uuid,
            MAX(o.restaurant_name) AS restaurant_name,
            COUNT(*) AS order_count,
            COUNT(*) FILTER (WHERE NOT o.live) AS cancelled_count,
            COUNT(*) FILTER (WHERE o.state = 'error') AS error_count,
            COALESCE(SUM(o.amount_items) FILTER (WHERE o.live), 0) AS amount_gross,
            COALESCE(SUM(o.amount_discount) FILTER (WHERE o.live), 0) AS amount_discount,
            COALESCE(SUM(o.amount_fee) FILTER (WHERE o.live), 0) AS amount_fee,
            COALESCE(SUM(o.amount_tip) FILTER (WHERE o.live), 0) AS amount_tip,
            COALESCE(SUM(o.net) FILTER (WHERE o.live), 0) AS amount_net,
            COALESCE(SUM(o.net) FILTER (WHERE o.live AND o.paid_online), 0) AS amount_online,
            COALESCE(SUM(o.net) FILTER (WHERE o.live AND NOT COALESCE(o.paid_online, FALSE)), 0) AS amount_cash
          FROM o
          LEFT JOIN res_company co ON co.id = o.company_id
         GROUP BY 2, o.account_id, o.company_id, co.currency_id, o.restaurant_uuid
    )
"""
SETTLEMENT_FIELDS = ("amount_items", "amount_discount", "amount_fee", "amount_tip", "paid_online")


def stored_payment_kinds(account):
    """``{name (casefolded): key}`` of the account's payment methods as last read from Dükkango
    (the documented list when none was read); never asks the platform."""
    methods = account.env["dukkango.payment.method"].sudo().search([("account_id", "=", account.id)])
    rows = [{"key": method.key, "name": method.name} for method in methods]
    return payment_kinds({"paymentMethod": rows or DOCUMENTED_PAYMENT_METHODS})


def settlement_amounts(order, kinds):
    """The split of a ``dukkango.order``'s total as the parser reads its raw payload:
    ``amount_items`` (gross: what the items come to, so that gross − discount + fee + tip is
    Dükkango's total; with an adjustment or a fallback line when the items do not add up),
    ``amount_discount``, ``amount_fee``, ``amount_tip``, and ``paid_online`` (paid with a
    method the platform's list calls pre-paid). Zeros for a payload that cannot be read:
    such an order is stored in error, and the compute runs on every order at an upgrade."""
    values = dict.fromkeys(SETTLEMENT_FIELDS, 0.0) | {"paid_online": False}
    try:
        parsed = parse_order(json.loads(order.payload))
        paid_online = map_order(parsed, kinds).paid_online
    except Exception as error:  # noqa: BLE001 - a broken payload leaves zeros, never stops a write
        _logger.debug("Dükkango order %s: no settlement figures (%s)", order.payment_key, error)
        return values
    currency = order.currency_id
    rounded = (lambda amount: currency.round(float(amount))) if currency else float
    return {
        "amount_items": rounded(parsed.total + parsed.discount - parsed.courier_fee - parsed.order_tip),
        "amount_discount": rounded(parsed.discount),
        "amount_fee": rounded(parsed.courier_fee),
        "amount_tip": rounded(parsed.order_tip),
        "paid_online": paid_online,
    }


class DukkangoSettlementReport(models.Model):
    """One row per day (Istanbul) × restaurant × Dükkango account: what the day's orders
    come to, to check against the platform's payouts. Cancelled orders are counted but
    left out of the money columns."""

    _name = "dukkango.settlement.report"
    _description = "Dükkango Daily Settlement"
    _auto = False
    _order = "date desc, restaurant_name"
    _rec_name = "date"

    date = fields.Date(string="Day", readonly=True, help="The day the orders were placed, in Istanbul time.")
    account_id = fields.Many2one("dukkango.account", string="Dükkango Account", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    restaurant_uuid = fields.Char(string="Restaurant UUID", readonly=True)
    restaurant_name = fields.Char(string="Restaurant", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True, help="Every order received, cancelled or not.")
    cancelled_count = fields.Integer(string="Cancelled", readonly=True)
    error_count = fields.Integer(
        string="In Error",
        readonly=True,
        help="Orders stored in error: those whose payload could not be read add nothing to the money "
        "columns, look at them before comparing with Dükkango's payout.",
    )
    amount_gross = fields.Monetary(string="Gross", readonly=True, help="The items, before the discount.")
    amount_discount = fields.Monetary(string="Discount", readonly=True)
    amount_fee = fields.Monetary(string="Courier Fee", readonly=True)
    amount_tip = fields.Monetary(string="Tip", readonly=True)
    amount_net = fields.Monetary(
        string="Net", readonly=True, help="Gross − discount + courier fee + tip: Dükkango's total of the orders."
    )
    amount_online = fields.Monetary(string="Paid Online", readonly=True, help="Paid on Dükkango.")
    amount_cash = fields.Monetary(
        string="Paid at the Door", readonly=True, help="Cash, or any method Dükkango does not call pre-paid."
    )

    def _compute_order_amounts(self, orders):
        """Set the settlement fields of ``dukkango.order`` records from their payloads
        (``dukkango.order._compute_settlement``)."""
        kinds = {}
        for order in orders:
            if order.account_id not in kinds:
                kinds[order.account_id] = stored_payment_kinds(order.account_id)
            order.update(settlement_amounts(order, kinds[order.account_id]))

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SETTLEMENT_VIEW, {"cancelled": STATUS_CANCELLED, "tz": SETTLEMENT_TZ})
