# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, timedelta

from odoo import fields
from odoo.tests import tagged

from .common import REST_A, DukkangoPosCase

T0 = datetime(2026, 12, 1, 12, 0)


@tagged("post_install", "-at_install")
class TestWatchdog(DukkangoPosCase):
    """No successful poll for 3 minutes while a till is open: an alarm; after 10, optionally closed."""

    def setUp(self):
        super().setUp()
        self.account.action_test_connection()
        self.restaurant = self.config.dukkango_restaurant_id
        self.session = self.open_session()
        self.session.start_at = T0 - timedelta(hours=1)
        self.account.last_success_at = T0

    def check(self, minutes):
        self.env["dukkango.watchdog"]._cron_check(now=T0 + timedelta(minutes=minutes))
        self.env["dukkango.restaurant"]._cron_send_requested()

    def outage_activities(self):
        outage = self.env.ref("pos_dukkango.mail_activity_type_polling_stopped")
        return self.account.activity_ids.filtered(lambda a: a.activity_type_id == outage)

    def store_calls(self):
        calls = [r["endpoint"] for r in self.sim.request_log()]
        return [call for call in calls if call in ("restaurant-open", "restaurant-close")]

    def test_a_successful_poll_is_recorded(self):
        self.account.last_success_at = False
        self.poll()
        self.assertTrue(self.account.last_success_at)
        self.assertAlmostEqual(self.account.last_success_at, fields.Datetime.now(), delta=timedelta(minutes=1))
        self.assertEqual(self.config.dukkango_busy_ui()["last_success_at"], str(self.account.last_success_at))

    def test_alarm_after_3_minutes_once_per_outage(self):
        self.check(2)
        self.assertFalse(self.account.outage_since)
        self.check(3)
        self.assertEqual(self.account.outage_since, T0)
        self.assertTrue(self.config.dukkango_busy_ui()["alarm"])
        activity = self.outage_activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.account.user_id)
        self.check(4)
        self.check(8)
        self.assertEqual(len(self.outage_activities()), 1, "one activity per outage")
        self.account.name = "Kadıköy şubesi"  # its summary named the account as it was
        # polling is back
        self.account.last_success_at = T0 + timedelta(minutes=9)
        self.check(9)
        self.assertFalse(self.account.outage_since)
        self.assertFalse(self.outage_activities(), "the activity is done")
        self.assertEqual(self.store_calls(), [], "the option is off: nothing closed")

    def test_no_alarm_without_an_open_session(self):
        self.session.action_pos_session_closing_control()
        self.check(30)
        self.assertFalse(self.account.outage_since)

    def test_a_session_just_opened_is_given_3_minutes(self):
        self.account.last_success_at = T0 - timedelta(days=2)
        self.session.start_at = T0
        self.check(2)
        self.assertFalse(self.account.outage_since)
        self.check(3)
        self.assertTrue(self.account.outage_since)

    def test_closed_after_10_minutes_and_opened_when_polling_is_back(self):
        self.config.dukkango_watchdog_close = True
        self.check(9)
        self.assertEqual(self.store_calls(), [])
        self.check(10)
        self.assertEqual(self.sim.restaurants[REST_A]["status"], "Closed")
        self.assertTrue(self.restaurant.watchdog_closed)
        self.check(11)
        self.assertEqual(self.store_calls(), ["restaurant-close"], "closed once")
        self.account.last_success_at = T0 + timedelta(minutes=12)
        self.check(12)
        self.assertEqual(self.sim.restaurants[REST_A]["status"], "Open")
        self.assertFalse(self.restaurant.watchdog_closed)

    def test_opens_only_what_it_closed(self):
        self.config.dukkango_watchdog_close = True
        self.config.action_dukkango_close_store()
        self.check(10)
        self.assertFalse(self.restaurant.watchdog_closed)
        self.account.last_success_at = T0 + timedelta(minutes=12)
        self.check(12)
        self.assertEqual(self.sim.restaurants[REST_A]["status"], "Closed", "the manager's close stays")
        self.assertEqual(self.store_calls(), ["restaurant-close"])

    def test_401_and_429_answers_are_counted_per_day(self):
        self.sim.inject_fault("get-current", "429")
        self.poll()
        self.assertEqual(self.account.count_429_today, 1)
        self.sim.inject_fault("get-current", "429")
        self.poll()
        self.assertEqual(self.account.count_429_today, 2)
        self.sim.accounts.clear()  # the keys are refused: 401 on login
        self.account.sudo().access_token = False
        self.poll()
        self.assertEqual(self.account.count_401_today, 1)
        self.assertEqual(self.account.count_day, fields.Date.context_today(self.account))
        # a new day: the cron starts again from zero
        self.account.count_day = fields.Date.context_today(self.account) - timedelta(days=1)
        self.env["dukkango.watchdog"]._cron_check()
        self.assertEqual((self.account.count_401_today, self.account.count_429_today), (0, 0))
