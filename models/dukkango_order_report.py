# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools

from ..dukkango.statuses import STATUS_CANCELLED, STATUS_SELECTION
from .dukkango_settlement_report import SETTLEMENT_TZ

#: one row per order received (an order in error without a date: when it was first seen).
#: The minutes run from the order's acceptance clock, as the till counts it down
#: (dukkango.order.prepare_at / accept_deadline): when it was placed on Dükkango, or for a
#: scheduled order the time to start preparing it (scheduled time minus the order's
#: preparation time, else its point of sale's), whichever is later; an order accepted or
#: delivered before its clock started counts 0 minutes. An unrouted order has no point of
#: sale: no preparation time, its clock starts at the scheduled time.
ANALYSIS_VIEW = """
    CREATE OR REPLACE VIEW dukkango_order_report AS (
        WITH o AS (
            SELECT o.*, GREATEST(
                       o.placed,
                       o.scheduled_date - MAKE_INTERVAL(
                           mins => COALESCE(NULLIF(o.preparing_time, 0), NULLIF(c.dukkango_preparing_time, 0), 0)
                       )
                   ) AS clock
              FROM (
                SELECT id, account_id, company_id, config_id, restaurant_uuid, restaurant_name, date_order,
                       scheduled_date, preparing_time, shipping_method, payment_method, courier_type, paid_online,
                       status, status_id, state, amount_total, accepted_by_id, accepted_at, delivered_at,
                       cancelled_by, cancel_reason_id, COALESCE(date_order, first_seen_at) AS placed
                  FROM dukkango_order
              ) o
              LEFT JOIN pos_config c ON c.id = o.config_id
        )
        SELECT
            o.id AS id,
            o.id AS order_id,
            o.account_id,
            o.company_id,
            co.currency_id,
            o.config_id,
            o.restaurant_uuid,
            o.restaurant_name,
            o.placed AS date,
            TO_CHAR(o.placed AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s, 'HH24') AS hour,
            o.scheduled_date IS NOT NULL AS is_scheduled,
            o.shipping_method,
            o.payment_method,
            o.courier_type,
            o.paid_online,
            o.status,
            o.state,
            1 AS order_count,
            o.status_id IS NOT DISTINCT FROM %(cancelled)s AS is_cancelled,
            CASE WHEN o.status_id IS DISTINCT FROM %(cancelled)s THEN o.amount_total ELSE 0 END AS amount_total,
            CASE WHEN o.status_id IS DISTINCT FROM %(cancelled)s THEN o.amount_total ELSE NULL END
                AS amount_average,
            o.accepted_by_id,
            -- GREATEST ignores NULLs: the CASE keeps an order not accepted (delivered) out of the average
            CASE WHEN o.accepted_at IS NOT NULL
                 THEN GREATEST(0, EXTRACT(EPOCH FROM o.accepted_at - o.clock) / 60.0) END AS accept_minutes,
            CASE WHEN o.delivered_at IS NOT NULL
                 THEN GREATEST(0, EXTRACT(EPOCH FROM o.delivered_at - o.clock) / 60.0) END AS delivery_minutes,
            o.cancelled_by,
            o.cancel_reason_id
          FROM o
          LEFT JOIN res_company co ON co.id = o.company_id
    )
"""

HOURS = [(f"{hour:02d}", f"{hour:02d}:00") for hour in range(24)]


class DukkangoOrderReport(models.Model):
    """Dükkango Analysis: the orders received, for graph and pivot views (POS managers)."""

    _name = "dukkango.order.report"
    _description = "Dükkango Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("dukkango.order", string="Order", readonly=True)
    account_id = fields.Many2one("dukkango.account", string="Dükkango Account", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    config_id = fields.Many2one("pos.config", string="Point of Sale", readonly=True)
    restaurant_uuid = fields.Char(string="Restaurant UUID", readonly=True)
    restaurant_name = fields.Char(string="Restaurant", readonly=True)
    date = fields.Datetime(string="Ordered On", readonly=True)
    hour = fields.Selection(HOURS, string="Hour of the Day", readonly=True, help="Istanbul time.")
    is_scheduled = fields.Boolean(
        string="Scheduled", readonly=True, help="The customer ordered for a later time (the order has a due time)."
    )
    shipping_method = fields.Char(readonly=True)
    payment_method = fields.Char(readonly=True)
    courier_type = fields.Char(string="Courier", readonly=True)
    paid_online = fields.Boolean(readonly=True)
    status = fields.Selection(STATUS_SELECTION, string="Dükkango Status", readonly=True)
    state = fields.Selection(
        [
            ("pending", "Waiting for import"),
            ("done", "Imported"),
            ("error", "Error"),
            ("cancelled", "Cancelled before import"),
        ],
        string="Import",
        readonly=True,
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    is_cancelled = fields.Boolean(string="Cancelled", readonly=True)
    amount_total = fields.Monetary(
        string="Amount", readonly=True, help="Dükkango's total of the order; 0 for a cancelled order."
    )
    amount_average = fields.Monetary(
        string="Average Amount", readonly=True, aggregator="avg", help="Of the orders not cancelled."
    )
    accepted_by_id = fields.Many2one("res.users", string="Accepted By", readonly=True)
    accept_minutes = fields.Float(
        string="Minutes to Accept",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From the time the order was placed on Dükkango (for a scheduled order: its time to start "
        "preparing, when later) to its acceptance (average); 0 when accepted before that time.",
    )
    delivery_minutes = fields.Float(
        string="Minutes to Deliver",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From the time the order was placed on Dükkango (for a scheduled order: its time to start "
        "preparing, when later) to its delivery (average).",
    )
    cancelled_by = fields.Selection([("restaurant", "Restaurant"), ("platform", "Dükkango")], readonly=True)
    cancel_reason_id = fields.Many2one("dukkango.cancel.reason", string="Cancellation Reason", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(ANALYSIS_VIEW, {"cancelled": STATUS_CANCELLED, "tz": SETTLEMENT_TZ})
