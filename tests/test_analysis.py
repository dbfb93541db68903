# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import uuid
from datetime import date, timedelta, timezone

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..dukkango.validation import ISTANBUL
from .common import REST_A, REST_B, DukkangoPosCase, order_data

# Istanbul times (UTC+3): the second day starts at 21:00 UTC of the first
DAY_1 = "2026-11-30 19:10:54"  # 16:10:54 UTC
DAY_2 = "2026-12-01 00:30:00"  # 2026-11-30 21:30 UTC: the 1st of December in Istanbul
VIEW_KINDS = ("graph", "pivot", "list", "search")


def platform_date(moment):
    """A naive UTC datetime as the platform writes it: Istanbul local time."""
    return moment.replace(tzinfo=timezone.utc).astimezone(ISTANBUL).strftime("%Y-%m-%d %H:%M:%S")


@tagged("post_install", "-at_install")
class TestAnalysis(DukkangoPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = [Command.set(cls.env.company.ids)]
        cls.cashier = new_test_user(
            cls.env,
            login="analiz_kasiyer",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.env.company.id,
            company_ids=company,
        )
        cls.cashier_2 = new_test_user(
            cls.env,
            login="analiz_kasiyer2",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.env.company.id,
            company_ids=company,
        )
        cls.manager = new_test_user(
            cls.env,
            login="analiz_mudur",
            groups="base.group_user,base.group_allow_export,point_of_sale.group_pos_manager",
            company_id=cls.env.company.id,
            company_ids=company,
        )

    def receive(self, *orders):
        """Put the orders on the simulator, poll once, return their ``dukkango.order`` records."""
        # an order to prepare now unless the test says otherwise (the simulator draws some scheduled)
        added = [self.sim.add_order(**({"scheduled_date": ""} | data)) for data in orders]
        self.poll()
        return [self.staged(order) for order in added]

    def receive_known_orders(self):
        """Day 1 in restaurant A: a card order, a cash order and a cancelled one (594.31 each);
        restaurant B: a card order; day 2 in restaurant A: a cash order without items (100)."""
        return self.receive(
            order_data(date=DAY_1),
            order_data(date=DAY_1, payment_method="Nakit", shipping_method="pickup", courier_type="come_get"),
            order_data(date=DAY_1, status_id=6, status_text="İptal"),
            order_data(date=DAY_1, restaurant_id=REST_B),
            order_data(
                date=DAY_2, payment_method="Nakit", foods=None, total=100, discount=0, courier_fee=0, order_tip=0
            ),
        )

    def report(self, orders):
        """The analysis rows of ``dukkango.order`` records, by order."""
        self.env.flush_all()  # the report reads the table
        rows = self.env["dukkango.order.report"].search([("order_id", "in", [order.id for order in orders])])
        return {row.order_id: row for row in rows}

    def settlement(self):
        self.env.flush_all()  # the report reads the table
        rows = self.env["dukkango.settlement.report"].search([("account_id", "=", self.account.id)])
        return {(row.date, row.restaurant_uuid): row for row in rows}

    # ------------------------------------------------------------------ the split of an order
    def test_order_split_from_the_payload(self):
        card, cash, cancelled, _b, no_items = self.receive_known_orders()
        self.assertEqual(card.state, "pending", card.error_message)  # no session: stored, not imported
        self.assertEqual(
            (card.amount_items, card.amount_discount, card.amount_fee, card.amount_tip, card.paid_online),
            (604.90, 60.49, 29.90, 20.0, True),
        )
        self.assertFalse(cash.paid_online)
        self.assertEqual(cancelled.state, "cancelled")
        self.assertEqual(cancelled.amount_items, 604.90)  # the order's own figures are kept
        # without items, the fallback line is the gross: the split still adds up to the total
        self.assertEqual((no_items.amount_items, no_items.amount_discount, no_items.amount_total), (100.0, 0.0, 100.0))

    def test_broken_payload_leaves_zeros(self):
        raw = self.sim.generate_order(restaurant_id=REST_A, total="bin", payment_key=str(uuid.uuid4()))
        self.sim.add_raw(raw)
        self.poll()
        broken = self.env["dukkango.order"].search([("payment_key", "=", raw["payment_key"])])
        self.assertEqual(broken.state, "error")
        self.assertEqual((broken.amount_items, broken.amount_tip, broken.paid_online), (0.0, 0.0, False))
        rows = self.env["dukkango.settlement.report"].search([("account_id", "=", self.account.id)])
        self.assertEqual((sum(rows.mapped("error_count")), sum(rows.mapped("amount_net"))), (1, 0.0))
        # no date and no point of sale: counted when it was first seen
        self.assertFalse(broken.date_order or broken.config_id)
        row = self.report(broken)[broken]
        self.assertEqual((row.date, row.order_count, row.config_id.id), (broken.first_seen_at, 1, False))
        self.assertEqual(rows.date, (broken.first_seen_at + timedelta(hours=3)).date())

    # ------------------------------------------------------------------ the daily settlement
    def test_daily_settlement_ties_out(self):
        orders = self.receive_known_orders()
        rows = self.settlement()
        day_1, day_2 = date(2026, 11, 30), date(2026, 12, 1)
        self.assertEqual(set(rows), {(day_1, REST_A), (day_1, REST_B), (day_2, REST_A)})
        a1 = rows[day_1, REST_A]
        self.assertEqual((a1.order_count, a1.cancelled_count, a1.error_count), (3, 1, 0))
        self.assertEqual(
            (a1.amount_gross, a1.amount_discount, a1.amount_fee, a1.amount_tip),
            (1209.80, 120.98, 59.80, 40.0),
        )
        self.assertEqual((a1.amount_net, a1.amount_online, a1.amount_cash), (1188.62, 594.31, 594.31))
        b1 = rows[day_1, REST_B]
        self.assertEqual((b1.order_count, b1.amount_net, b1.amount_online, b1.amount_cash), (1, 594.31, 594.31, 0.0))
        a2 = rows[day_2, REST_A]  # 00:30 in Istanbul is the next day, though still the 30th in UTC
        self.assertEqual((a2.order_count, a2.amount_gross, a2.amount_net, a2.amount_cash), (1, 100.0, 100.0, 100.0))
        currency = self.env.company.currency_id
        for (day, restaurant), row in rows.items():
            live = [
                order
                for order in orders
                if order.restaurant_uuid == restaurant
                and order.status != "cancelled"
                and (order.date_order + timedelta(hours=3)).date() == day
            ]
            parts = row.amount_gross - row.amount_discount + row.amount_fee + row.amount_tip
            for figure in (parts, row.amount_online + row.amount_cash, sum(order.amount_total for order in live)):
                self.assertTrue(currency.is_zero(figure - row.amount_net), f"{day} {restaurant}: {figure}")

    def test_settlement_grouped_by_month(self):
        self.receive_known_orders()
        groups = self.env["dukkango.settlement.report"].read_group(
            [("account_id", "=", self.account.id)],
            ["order_count:sum", "cancelled_count:sum", "amount_net:sum", "amount_online:sum", "amount_cash:sum"],
            ["date:month"],
        )
        figures = {g["date:month"]: (g["order_count"], g["cancelled_count"], g["amount_net"]) for g in groups}
        self.assertEqual(set(figures), {"November 2026", "December 2026"})
        self.assertEqual(figures["November 2026"][:2], (4, 1))
        self.assertAlmostEqual(figures["November 2026"][2], 1782.93)
        self.assertEqual(figures["December 2026"], (1, 0, 100.0))

    # ------------------------------------------------------------------ the analysis
    def test_analysis_per_day_hour_restaurant_and_method(self):
        self.receive_known_orders()
        Report = self.env["dukkango.order.report"].with_context(tz="Europe/Istanbul")  # days and hours of Istanbul
        domain = [("account_id", "=", self.account.id)]

        def grouped(groupby, live=True):
            where = domain + ([("is_cancelled", "=", False)] if live else [])
            groups = Report.read_group(where, ["order_count:sum", "amount_total:sum"], [groupby], lazy=False)
            return {g[groupby]: (g["order_count"], round(g["amount_total"], 2)) for g in groups}

        self.assertEqual(grouped("hour"), {"19": (3, 1782.93), "00": (1, 100.0)})
        self.assertEqual(grouped("date:day"), {"30 Nov 2026": (3, 1782.93), "01 Dec 2026": (1, 100.0)})
        self.assertEqual(grouped("payment_method"), {"Kredi Kartı": (2, 1188.62), "Nakit": (2, 694.31)})
        self.assertEqual(grouped("shipping_method"), {"delivery": (3, 1288.62), "pickup": (1, 594.31)})
        restaurants = grouped("restaurant_uuid", live=False)
        self.assertEqual(restaurants, {REST_A: (4, 1288.62), REST_B: (1, 594.31)})  # cancelled: counted, no amount

    def test_minutes_to_accept_and_deliver_per_cashier(self):
        """Exact minutes from times written by hand (the real paths stamp the current time: see below)."""
        self.config.dukkango_preparing_time = 40
        card, cash, _cancelled, other, _day_2 = self.receive_known_orders()
        # placed at 19:10:54 (Istanbul); due at 21:10:54: prepared from 20:30:54, the point of sale's 40 minutes
        later, early, unrouted = self.receive(
            order_data(date=DAY_1, scheduled_date="2026-11-30 21:10:54"),
            order_data(date=DAY_1, scheduled_date="2026-11-30 22:10:54"),  # its own 30 minutes: from 21:40:54
            order_data(date=DAY_1, scheduled_date="2026-11-30 20:10:54", restaurant_id=REST_B),  # no preparation time
        )
        self.assertEqual((later.config_id, unrouted.config_id.id), (self.config, False))
        early.preparing_time = 30
        for order, by, accept, deliver in (
            (card, self.cashier, 5, 35),
            (cash, self.cashier, 10, 45),
            (early, self.cashier, 2, 190),  # accepted before its time to prepare: 0 minutes; delivered 40 after it
            (other, self.cashier_2, 3, None),
            (later, self.cashier_2, 85, 120),  # 5 and 40 minutes from 20:30:54
            (unrouted, self.cashier_2, 61, None),  # 1 minute from its due time
        ):
            start = order.date_order
            order.write(
                {
                    "accepted_by_id": by.id,
                    "accepted_at": start + timedelta(minutes=accept),
                    "delivered_at": deliver and start + timedelta(minutes=deliver),
                }
            )
        Report = self.env["dukkango.order.report"]
        self.assertEqual(self.report([early])[early].accept_minutes, 0.0)  # flushed: the report reads the table
        groups = Report.read_group(
            [("account_id", "=", self.account.id), ("accepted_by_id", "!=", False)],
            ["accept_minutes:avg", "delivery_minutes:avg"],
            ["accepted_by_id"],
        )
        figures = {g["accepted_by_id"][0]: (g["accept_minutes"], g["delivery_minutes"]) for g in groups}
        self.assertEqual(figures, {self.cashier.id: (5.0, 40.0), self.cashier_2.id: (3.0, 40.0)})
        groups = Report.read_group(
            [("account_id", "=", self.account.id)], ["order_count:sum", "accept_minutes:avg"], ["is_scheduled"]
        )
        figures = {g["is_scheduled"]: (g["order_count"], g["accept_minutes"]) for g in groups}
        self.assertEqual(figures, {True: (3, 2.0), False: (5, 6.0)})

    def test_minutes_through_the_till_and_the_backend(self):
        """A cashier accepts at the till, a manager in the backend: by whom, and minutes from the clock."""
        self.config.dukkango_preparing_time = 40
        self.open_session()
        now = fields.Datetime.now().replace(microsecond=0)
        due_soon, due_later = timedelta(minutes=10), timedelta(hours=3)
        late, early, plain = self.receive(
            # placed an hour ago, due in 10 minutes: to prepare (and accept) from 30 minutes ago
            order_data(date=platform_date(now - timedelta(hours=1)), scheduled_date=platform_date(now + due_soon)),
            # due in 3 hours, accepted at once, before its time to prepare
            order_data(date=platform_date(now - timedelta(minutes=5)), scheduled_date=platform_date(now + due_later)),
            order_data(date=platform_date(now - timedelta(minutes=12))),
        )
        self.assertEqual([order.state for order in (late, early, plain)], ["done"] * 3, late.error_message)
        late.pos_order_id.with_user(self.cashier).action_dukkango_accept(40)
        early.pos_order_id.with_user(self.cashier).action_dukkango_accept(25)
        Wizard = self.env["dukkango.accept.wizard"].with_user(self.manager)
        wizard = Wizard.with_context(default_pos_order_ids=plain.pos_order_id.ids).create({})
        self.assertEqual(wizard.preparing_time, 40)  # the point of sale's
        wizard.action_confirm()
        elapsed = (fields.Datetime.now() - now).total_seconds() / 60 + 0.1  # the test's own time
        rows = self.report([late, early, plain])
        self.assertEqual(
            [(rows[order].accepted_by_id, rows[order].is_scheduled) for order in (late, early, plain)],
            [(self.cashier, True), (self.cashier, True), (self.manager, False)],
        )
        self.assertAlmostEqual(rows[late].accept_minutes, 30, delta=elapsed)  # not 60, from the time it was placed
        self.assertEqual(rows[early].accept_minutes, 0.0)
        self.assertAlmostEqual(rows[plain].accept_minutes, 12, delta=elapsed)

    def test_cancellations_by_reason_and_side(self):
        """Cancelled at the till (cashier), in the backend (manager) and by Dükkango, as the paths record it."""
        self.open_session()
        cash = {"date": DAY_1, "payment_method": "Nakit"}
        at_till, in_backend, by_platform, arrived_cancelled, accepted = self.receive(
            order_data(**cash),
            order_data(**cash),
            order_data(**cash),
            order_data(**cash, status_id=6, status_text="İptal"),
            order_data(date=DAY_1),
        )
        reasons = self.env["dukkango.cancel.reason"]._refresh(self.account)
        busy, customer = reasons.filtered(lambda r: r.code == 3), reasons.filtered(lambda r: r.code == 4)
        at_till.pos_order_id.with_user(self.cashier).action_dukkango_cancel(customer.code)
        Wizard = self.env["dukkango.cancel.wizard"].with_user(self.manager)
        wizard = Wizard.with_context(default_pos_order_ids=in_backend.pos_order_id.ids).create({"reason_id": busy.id})
        wizard.action_confirm()
        accepted.pos_order_id.with_user(self.cashier_2).action_dukkango_accept(20)
        self.sim.set_status(by_platform.payment_key, 6)
        self.poll()
        cancelled = (at_till, in_backend, by_platform, arrived_cancelled)
        self.assertEqual([order.status for order in cancelled], ["cancelled"] * 4)
        rows = self.report([*cancelled, accepted])
        self.assertEqual(
            [(rows[order].cancelled_by, rows[order].cancel_reason_id) for order in cancelled],
            [("restaurant", customer), ("restaurant", busy), ("platform", reasons[:0]), ("platform", reasons[:0])],
        )
        self.assertEqual((rows[accepted].accepted_by_id, rows[accepted].is_cancelled), (self.cashier_2, False))
        groups = self.env["dukkango.order.report"].read_group(
            [("account_id", "=", self.account.id), ("is_cancelled", "=", True)],
            ["order_count:sum"],
            ["cancelled_by", "cancel_reason_id"],
            lazy=False,
        )
        figures = {(g["cancelled_by"], (g["cancel_reason_id"] or [False])[0]): g["order_count"] for g in groups}
        self.assertEqual(figures, {("restaurant", customer.id): 1, ("restaurant", busy.id): 1, ("platform", False): 2})
        # the settlement counts the cancellations and leaves their money out
        a1 = self.settlement()[date(2026, 11, 30), REST_A]
        self.assertEqual((a1.order_count, a1.cancelled_count, a1.amount_net, a1.amount_cash), (5, 4, 594.31, 0.0))

    def test_reports_follow_the_companies_of_the_user(self):
        self.receive(order_data(date=DAY_1))
        other_company = self.env["res.company"].create({"name": "Analiz İkinci Şirket"})
        other_account = self.env["dukkango.account"].create({"name": "İkinci Hesap", "company_id": other_company.id})
        placed = fields.Datetime.to_datetime("2026-11-30 16:10:54")
        self.env["dukkango.order"].sudo().create(  # as the poll cycle stores orders
            {
                "account_id": other_account.id,
                "payment_key": str(uuid.uuid4()),
                "restaurant_uuid": REST_B,
                "date_order": placed,
                "first_seen_at": placed,
                "amount_total": 50.0,
            }
        )
        both = self.env.company | other_company
        manager_of_both = new_test_user(
            self.env,
            login="analiz_iki_sirket",
            groups="base.group_user,point_of_sale.group_pos_manager",
            company_id=self.env.company.id,
            company_ids=[Command.set(both.ids)],
        )
        self.env.flush_all()  # the reports read the tables
        for model in ("dukkango.order.report", "dukkango.settlement.report"):
            Report = self.env[model]
            self.assertEqual(Report.sudo().search([("company_id", "in", both.ids)]).company_id, both)
            self.assertEqual(Report.with_user(self.manager).search([]).company_id, self.env.company)
            self.assertFalse(Report.with_user(self.manager).search([("company_id", "=", other_company.id)]))
            for allowed in (both, other_company):
                rows = Report.with_user(manager_of_both).with_context(allowed_company_ids=allowed.ids).search([])
                self.assertEqual(rows.company_id, allowed, model)

    # ------------------------------------------------------------------ rights and menus
    def test_managers_only(self):
        self.receive_known_orders()
        for model in ("dukkango.order.report", "dukkango.settlement.report"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.cashier).search([])
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.cashier).read_group([], ["order_count:sum"], [])
            self.assertTrue(self.env[model].with_user(self.manager).search([("account_id", "=", self.account.id)]))
            views = self.env[model].with_user(self.manager).get_views([(False, kind) for kind in VIEW_KINDS])
            self.assertEqual(set(views["views"]), set(VIEW_KINDS))
        menus = (
            self.env.ref("pos_dukkango.dukkango_order_report_menu"),
            self.env.ref("pos_dukkango.dukkango_settlement_report_menu"),
        )
        for menu in menus:
            self.assertEqual(menu.parent_id, self.env.ref("point_of_sale.menu_point_rep"))
            self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids())
            self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.cashier)._visible_menu_ids())

    def test_settlement_list_exports(self):
        self.receive_known_orders()
        rows = (
            self.env["dukkango.settlement.report"]
            .with_user(self.manager)
            .search([("account_id", "=", self.account.id)], order="date, restaurant_uuid")
        )
        exported = rows.export_data(["date", "restaurant_name", "order_count", "amount_net", "amount_cash"])["datas"]
        self.assertEqual(
            [(row[0], row[2]) for row in exported],
            [(date(2026, 11, 30), 3), (date(2026, 11, 30), 1), (date(2026, 12, 1), 1)],
        )
        self.assertAlmostEqual(sum(row[3] for row in exported), 1882.93)
