# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta, timezone
from unittest.mock import patch

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..dukkango.validation import ISTANBUL
from .common import REST_A, DukkangoPosCase, DukkangoTillCase, order_data


def platform_date(moment):
    """A naive UTC datetime as the platform writes it: Istanbul local time."""
    return moment.replace(tzinfo=timezone.utc).astimezone(ISTANBUL).strftime("%Y-%m-%d %H:%M:%S")


@tagged("post_install", "-at_install")
class TestCountdown(DukkangoPosCase):
    """When an order must be accepted, and who accepted, delivered or cancelled it when."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = new_test_user(
            cls.env,
            login="kasiyer_countdown",
            groups="point_of_sale.group_pos_user",
            company_id=cls.env.company.id,
            company_ids=[Command.set(cls.env.company.ids)],
        )

    def import_order(self, **changes):
        order = self.sim.add_order(**order_data(**changes))
        self.poll()
        staged = self.staged(order)
        self.assertEqual(staged.state, "done", staged.error_message)
        return staged

    def test_deadline_default_eight_minutes_and_configurable(self):
        self.assertEqual(self.env["pos.config"].create({"name": "Yeni Kasa"}).dukkango_accept_minutes, 8)
        self.open_session()
        placed = fields.Datetime.now().replace(microsecond=0) - timedelta(minutes=3)
        staged = self.import_order(date=platform_date(placed))
        self.assertEqual(staged.date_order, placed, "the clock starts when Dükkango took the order")
        self.assertEqual(staged.accept_deadline, placed + timedelta(minutes=8))
        self.assertEqual(staged.pos_order_id.dukkango_accept_deadline, placed + timedelta(minutes=8))
        settings = self.env["res.config.settings"].create({"pos_config_id": self.config.id})
        settings.pos_dukkango_accept_minutes = 12
        settings.execute()
        self.assertEqual(self.config.dukkango_accept_minutes, 12)
        staged.invalidate_recordset(["accept_deadline"])
        self.assertEqual(staged.accept_deadline, placed + timedelta(minutes=12))

    def test_cashier_accept_records_when_and_who(self):
        self.open_session()
        pos_order = self.import_order().pos_order_id
        before = fields.Datetime.now().replace(microsecond=0)
        # what the till calls, as the cashier
        pos_order.with_user(self.cashier).action_dukkango_accept(25)
        after = fields.Datetime.now()
        staged = pos_order.dukkango_order_id
        self.assertEqual(staged.status, "confirmed")
        self.assertTrue(before <= staged.accepted_at <= after)
        self.assertEqual(staged.accepted_by_id, self.cashier)
        self.assertEqual(pos_order.with_user(self.cashier).dukkango_accepted_by_id, self.cashier)
        self.assertFalse(staged.delivered_at or staged.cancelled_at)
        accepted_at = staged.accepted_at
        staged.sudo().accepted_at = accepted_at - timedelta(minutes=30)  # as if accepted half an hour ago
        pos_order.with_user(self.cashier).action_dukkango_on_the_way()
        pos_order.with_user(self.cashier).action_dukkango_complete()
        self.assertTrue(before <= staged.delivered_at <= fields.Datetime.now())
        self.assertEqual(staged.accepted_at, accepted_at - timedelta(minutes=30), "kept when the order moves on")

    def test_refused_accept_records_nothing(self):
        self.open_session()
        staged = self.import_order()
        self.sim.inject_fault("accept", "500")
        with self.assertRaises(UserError):
            staged.pos_order_id.with_user(self.cashier).action_dukkango_accept(25)
        self.assertFalse(staged.accepted_at or staged.accepted_by_id)

    def test_cashier_cancel_records_reason_and_side(self):
        self.open_session()
        pos_order = self.import_order(payment_method="Nakit").pos_order_id
        # as the till does: the list of reasons first (read from Dükkango), then the cancel
        reasons = pos_order.with_user(self.cashier).dukkango_cancel_reasons()
        self.assertIn({"code": 4, "name": "Müşteri iptal etti"}, reasons)
        pos_order.with_user(self.cashier).action_dukkango_cancel(4)
        staged = pos_order.dukkango_order_id
        self.assertEqual(staged.status, "cancelled")
        self.assertEqual(staged.cancelled_by, "restaurant")
        self.assertEqual((staged.cancel_reason_id.code, staged.cancel_reason_id.name), (4, "Müşteri iptal etti"))
        self.assertTrue(staged.cancelled_at)
        self.assertFalse(staged.accepted_at)

    def test_platform_side_changes_are_recorded_without_a_person(self):
        self.open_session()
        accepted, cancelled = self.import_order(), self.import_order(payment_method="Nakit")
        self.sim.set_status(accepted.payment_key, 2)
        self.sim.set_status(cancelled.payment_key, 6)
        self.poll()
        self.assertEqual(accepted.status, "confirmed")
        self.assertTrue(accepted.accepted_at)
        self.assertFalse(accepted.accepted_by_id, "accepted on Dükkango's side: by no one of the restaurant")
        self.assertEqual((cancelled.status, cancelled.cancelled_by), ("cancelled", "platform"))
        self.assertTrue(cancelled.cancelled_at)
        self.assertFalse(cancelled.cancel_reason_id)

    def test_platform_acceptance_stamped_when_polled_not_when_imported(self):
        """Accepted on Dükkango while no session is open: the time is the poll's that saw it."""
        start = fields.Datetime.now().replace(microsecond=0)
        order = self.sim.add_order(**order_data())
        with patch.object(fields.Datetime, "now", lambda *args: start):
            self.poll()
        staged = self.staged(order)
        self.assertEqual((staged.state, staged.status), ("pending", "received"), "no session: it waits")
        self.sim.set_status(order["payment_key"], 2)
        with patch.object(fields.Datetime, "now", lambda *args: start + timedelta(minutes=2)):
            self.poll()
        self.assertEqual(staged.status, "confirmed")
        self.assertEqual(staged.accepted_at, start + timedelta(minutes=2))
        with patch.object(fields.Datetime, "now", lambda *args: start + timedelta(minutes=10)):
            self.open_session()
            self.poll()
        self.assertEqual(staged.state, "done", staged.error_message)
        self.assertEqual(staged.accepted_at, start + timedelta(minutes=2), "not the time of the import")
        self.assertFalse(staged.accepted_by_id)

    def test_order_first_seen_cancelled_is_stamped_with_the_poll_time(self):
        start = fields.Datetime.now().replace(microsecond=0) - timedelta(minutes=5)
        order = self.sim.add_order(**order_data(status_id=6))
        with patch.object(fields.Datetime, "now", lambda *args: start):
            self.poll()
        staged = self.staged(order)
        self.assertEqual((staged.cancelled_at, staged.cancelled_by), (start, "platform"))

    def test_unchanged_payload_is_not_written_again(self):
        self.open_session()
        staged = self.import_order()
        self.sim.forget_ack(staged.payment_key)  # listed again, as it was
        with patch.object(type(staged), "_compute_settlement", autospec=True) as compute:
            self.poll()
        self.assertEqual(staged.seen_count, 2, "listed again (not acknowledged in between)")
        compute.assert_not_called()

    def test_automatic_acceptance_is_recorded_without_a_person(self):
        self.config.dukkango_auto_accept = True
        self.open_session()
        before = fields.Datetime.now().replace(microsecond=0)
        staged = self.import_order()
        self.assertEqual(staged.status, "confirmed")
        self.assertTrue(before <= staged.accepted_at <= fields.Datetime.now())
        self.assertFalse(staged.accepted_by_id)


@tagged("post_install", "-at_install")
class TestScheduled(DukkangoPosCase):
    """Orders for a later time: listed under Scheduled, prepared at their time minus the preparation time."""

    def scheduled_filter_domain(self):
        arch = self.env.ref("pos_dukkango.dukkango_order_view_search").arch
        node = etree.fromstring(arch).xpath("//filter[@name='scheduled']")[0]
        return safe_eval(node.get("domain"))

    def test_scheduled_filter_and_preparation_start(self):
        self.config.dukkango_preparing_time = 40
        self.open_session()
        now = fields.Datetime.now().replace(microsecond=0)
        later = self.sim.add_order(**order_data(scheduled_date=platform_date(now + timedelta(hours=2))))
        past = self.sim.add_order(**order_data(scheduled_date=platform_date(now - timedelta(hours=1))))
        plain = self.sim.add_order(**order_data())
        self.poll()
        later, past, plain = self.staged(later), self.staged(past), self.staged(plain)
        listed = self.DukkangoOrder.search([*self.scheduled_filter_domain(), ("account_id", "=", self.account.id)])
        self.assertEqual(listed, later)
        self.assertEqual(
            self.DukkangoOrder.search([("id", "in", (later | past | plain).ids), ("is_scheduled", "!=", True)]),
            past | plain,
        )
        self.assertTrue(later.is_scheduled)
        self.assertFalse(past.is_scheduled or plain.is_scheduled)
        # not accepted yet: the point of sale's preparation time; the clock to accept starts then
        self.assertEqual(later.prepare_at, later.scheduled_date - timedelta(minutes=40))
        self.assertEqual(later.accept_deadline, later.prepare_at + timedelta(minutes=8))
        self.assertEqual(later.pos_order_id.dukkango_prepare_at, later.prepare_at)
        self.assertFalse(plain.prepare_at)
        # accepted with its own preparation time: the kitchen starts from it
        later.pos_order_id.action_dukkango_accept(25)
        self.assertEqual(later.prepare_at, later.scheduled_date - timedelta(minutes=25))
        views = self.DukkangoOrder.get_views([(False, "list")])
        self.assertIn('name="scheduled_date"', views["views"]["list"]["arch"], "the list shows the due time")

    def test_kitchen_ticket_claimed_once_by_the_till_of_its_session(self):
        cashier, other_cashier = (
            new_test_user(
                self.env,
                login=login,
                groups="point_of_sale.group_pos_user",
                company_id=self.env.company.id,
                company_ids=[Command.set(self.env.company.ids)],
            )
            for login in ("kasiyer_mutfak", "kasiyer_diger")
        )
        session = self.open_session()
        other_session = self.open_session(self.other_currency_config)
        now = fields.Datetime.now().replace(microsecond=0)
        order = self.sim.add_order(**order_data(scheduled_date=platform_date(now + timedelta(minutes=30))))
        self.poll()
        staged = self.staged(order)
        pos_order = staged.pos_order_id.with_user(cashier)
        self.assertEqual(pos_order.dukkango_claim_kitchen(session.id), [], "not accepted yet: nothing to cook")
        pos_order.action_dukkango_accept(40)
        self.assertFalse(staged.kitchen_sent_at)
        with self.assertRaises(AccessError, msg="a cashier of another point of sale"):
            staged.pos_order_id.with_user(other_cashier).dukkango_claim_kitchen(other_session.id)
        self.assertFalse(staged.kitchen_sent_at)
        # two tills of the session ask at once: one prints
        self.assertEqual(pos_order.dukkango_claim_kitchen(session.id), [staged.pos_order_id.id])
        self.assertTrue(staged.kitchen_sent_at)
        self.assertEqual(pos_order.dukkango_kitchen_sent_at, staged.kitchen_sent_at)
        self.assertEqual(pos_order.dukkango_claim_kitchen(session.id), [], "claimed already: never printed twice")


@tagged("post_install", "-at_install")
class TestDukkangoCountdownUi(DukkangoTillCase):
    """The countdown at the till of a plain cashier (Point of Sale user only)."""

    till_values = {"dukkango_preparing_time": 20}

    def add_order(self, number, minutes_ago, **overrides):
        adana = {"food_id": 9001, "name": "Adana Kebap", "quantity": 1, "price": 150.0}
        placed = fields.Datetime.now() - timedelta(minutes=minutes_ago)
        values = {"id": number, "customer": {"name": "Selin Koç", "phone": "05321112233"}, "foods": [adana]}
        values.update(total=150.0, discount="0", courier_fee=0, order_tip=0, scheduled_date="")
        values.update(shipping_method="pickup", courier_type="come_get", payment_method="Nakit")
        values.update(date=platform_date(placed), restaurant_id=REST_A, **overrides)
        return self.sim.add_order(**values)

    def test_cashier_sees_the_countdown(self):
        self.assertFalse(self.pos_user.has_group("point_of_sale.group_pos_manager"))
        self.add_order(8001, 2)
        self.add_order(8002, 20)
        later = platform_date(fields.Datetime.now() + timedelta(hours=3))
        self.add_order(8003, 1, scheduled_date=later)
        # accepted on Dükkango, due in 10 min: with 20 min to prepare, the kitchen should have started
        soon = platform_date(fields.Datetime.now() + timedelta(minutes=10))
        kitchen = self.add_order(8004, 5, scheduled_date=soon, status_id=2)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.main_pos_config.current_session_id.set_opening_control(0, None)
        self.account.next_poll_at = False
        self.account._poll_orders()
        self.start_pos_tour("DukkangoCountdownTour", login="pos_user")
        self.assertTrue(self.staged(kitchen).kitchen_sent_at, "claimed by the till")
