# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import REST_A, DukkangoPosCase, DukkangoTillCase

#: a Tuesday, 09:00 in İstanbul (UTC+3)
T0 = datetime(2026, 12, 1, 6, 0)


class BusyCase(DukkangoPosCase):
    def setUp(self):
        super().setUp()
        self.account.action_test_connection()
        self.restaurant = self.config.dukkango_restaurant_id
        self.cron = self.env.ref("pos_dukkango.ir_cron_dukkango_schedule")
        self.assertEqual(self.platform_status(), "Open")

    def platform_status(self):
        return self.sim.restaurants[REST_A]["status"]

    def store_calls(self):
        calls = [r["endpoint"] for r in self.sim.request_log()]
        return [call for call in calls if call in ("restaurant-open", "restaurant-close")]

    def run_schedule(self, now):
        """The schedule's cron at ``now``, then the cron that sends what it asked for."""
        self.env["dukkango.restaurant"]._cron_apply_schedule(now=now)
        self.env["dukkango.restaurant"]._cron_send_requested()

    def pause(self, minutes, now=T0):
        with freeze_time(now):
            until = self.config.action_dukkango_pause(minutes)
        self.env["dukkango.restaurant"]._cron_send_requested()
        return until


@tagged("post_install", "-at_install")
class TestBusyMode(BusyCase):
    """Pause orders for 15/30/60 minutes: closed on Dükkango now, opened again on time."""

    def test_pause_closes_now_and_the_cron_opens_again_on_time(self):
        until = self.pause(15)
        self.assertEqual(until, "2026-12-01 06:15:00")
        self.assertEqual(self.platform_status(), "Closed")
        self.assertEqual(self.config.dukkango_store_status, "closed")
        self.assertEqual(self.restaurant.paused_until, T0 + timedelta(minutes=15))
        # the reopening is a stored trigger of the schedule's cron at the end of the pause
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        self.assertIn(T0 + timedelta(minutes=15), triggers.mapped("call_at"))
        self.run_schedule(T0 + timedelta(minutes=14, seconds=59))
        self.assertEqual(self.platform_status(), "Closed", "not before the end of the pause")
        self.run_schedule(T0 + timedelta(minutes=15))
        self.assertEqual(self.platform_status(), "Open")
        self.assertFalse(self.restaurant.paused_until)
        self.assertEqual(self.store_calls(), ["restaurant-close", "restaurant-open"])
        self.run_schedule(T0 + timedelta(minutes=20))
        self.assertEqual(self.store_calls(), ["restaurant-close", "restaurant-open"], "opened once")

    def test_pause_survives_a_restart(self):
        """The pause is stored: a cron run after a restart (its trigger lost) still opens."""
        self.pause(30)
        self.env.flush_all()
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()
        self.env.invalidate_all()
        self.env.cr.execute("SELECT paused_until FROM dukkango_restaurant WHERE id = %s", [self.restaurant.id])
        self.assertEqual(self.env.cr.fetchone()[0], T0 + timedelta(minutes=30))
        # the server was down at 06:30; the periodic run at 06:35 catches up
        self.run_schedule(T0 + timedelta(minutes=35))
        self.assertEqual(self.platform_status(), "Open")
        self.assertFalse(self.restaurant.paused_until)

    def test_resume_now(self):
        self.pause(60)
        with freeze_time(T0 + timedelta(minutes=5)):
            self.config.action_dukkango_resume()
        self.env["dukkango.restaurant"]._cron_send_requested()
        self.assertEqual(self.platform_status(), "Open")
        self.assertFalse(self.restaurant.paused_until)
        self.run_schedule(T0 + timedelta(minutes=60))
        self.assertEqual(self.store_calls(), ["restaurant-close", "restaurant-open"])

    def test_a_manual_close_during_a_pause_ends_it_and_holds(self):
        self.pause(15)
        with freeze_time(T0 + timedelta(minutes=5)):
            self.config.action_dukkango_close_store()
        self.assertFalse(self.restaurant.paused_until)
        self.run_schedule(T0 + timedelta(minutes=15))
        self.assertEqual(self.platform_status(), "Closed", "the manager's close holds")

    def test_only_15_30_or_60_minutes(self):
        for minutes in (0, 20, -15, "15", None):
            with self.assertRaises(UserError):
                self.config.action_dukkango_pause(minutes)
        self.assertFalse(self.restaurant.paused_until)
        self.assertEqual(self.store_calls(), [])

    def test_cashiers_neither_pause_nor_resume(self):
        cashier = new_test_user(self.env, "dukkango_busy_cashier", groups="point_of_sale.group_pos_user")
        with self.assertRaises(AccessError):
            self.config.with_user(cashier).action_dukkango_pause(15)
        self.pause(15)
        with self.assertRaises(AccessError):
            self.config.with_user(cashier).action_dukkango_resume()
        self.assertEqual(self.restaurant.paused_until, T0 + timedelta(minutes=15))

    def test_the_till_reads_the_pause(self):
        self.pause(15)
        state = self.config.dukkango_busy_ui()
        self.assertEqual(state["paused_until"], "2026-12-01 06:15:00")
        self.assertEqual(state["status"], "closed")


@tagged("post_install", "-at_install")
class TestOpeningHours(BusyCase):
    """Opening hours: 10:00-14:00 every day in İstanbul (07:00-11:00 UTC)."""

    def setUp(self):
        super().setUp()
        self.calendar = self.daily_hours("Öğle servisi", 10, 14)

    def test_next_opening(self):
        self.assertFalse(self.config._dukkango_next_opening(T0), "no opening hours")
        self.config.dukkango_calendar_id = self.calendar
        self.assertEqual(self.config._dukkango_next_opening(T0), datetime(2026, 12, 1, 7, 0))
        self.assertEqual(self.config._dukkango_next_opening(datetime(2026, 12, 1, 7, 0)), datetime(2026, 12, 1, 7, 0))
        # inside opening hours: the next day's opening
        self.assertEqual(self.config._dukkango_next_opening(datetime(2026, 12, 1, 8, 0)), datetime(2026, 12, 2, 7, 0))

    def test_opened_and_closed_by_the_hours(self):
        self.config.dukkango_calendar_id = self.calendar
        self.run_schedule(T0)
        self.assertEqual(self.platform_status(), "Closed", "before 10:00")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        self.assertIn(datetime(2026, 12, 1, 7, 0), triggers.mapped("call_at"), "the cron comes back at the opening")
        self.run_schedule(datetime(2026, 12, 1, 7, 0))
        self.assertEqual(self.platform_status(), "Open")
        self.run_schedule(datetime(2026, 12, 1, 11, 0))
        self.assertEqual(self.platform_status(), "Closed")
        self.assertEqual(self.store_calls(), ["restaurant-close", "restaurant-open", "restaurant-close"])

    def test_a_managers_close_holds_until_the_end_of_the_hours(self):
        self.config.dukkango_calendar_id = self.calendar
        self.run_schedule(datetime(2026, 12, 1, 7, 0))
        self.assertEqual(self.platform_status(), "Open")
        with freeze_time(datetime(2026, 12, 1, 8, 0)):
            self.config.action_dukkango_close_store()
        self.run_schedule(datetime(2026, 12, 1, 9, 0))
        self.run_schedule(datetime(2026, 12, 1, 10, 55))
        self.assertEqual(self.platform_status(), "Closed", "not opened again before 14:00")
        # the server is down at 14:00 (no run at the end of the hours): the next day's opening still opens
        self.run_schedule(datetime(2026, 12, 2, 7, 0))
        self.assertEqual(self.platform_status(), "Open", "the next day's opening")

    def test_a_pause_ending_after_closing_time_stays_closed(self):
        self.config.dukkango_calendar_id = self.calendar
        self.run_schedule(datetime(2026, 12, 1, 10, 30))
        with freeze_time(datetime(2026, 12, 1, 10, 50)):
            self.config.action_dukkango_pause(30)
        self.run_schedule(datetime(2026, 12, 1, 11, 20))
        self.assertEqual(self.platform_status(), "Closed")
        self.run_schedule(datetime(2026, 12, 2, 7, 0))
        self.assertEqual(self.platform_status(), "Open")

    def test_the_session_does_not_open_outside_the_hours(self):
        self.config.write({"dukkango_calendar_id": self.calendar.id, "dukkango_store_follows_session": True})
        self.sim.restaurants[REST_A]["status"] = "Closed"
        with freeze_time(T0):
            self.open_session()
        self.env["dukkango.restaurant"]._cron_send_requested()
        self.assertEqual(self.store_calls(), [], "09:00 in İstanbul: the hours open it at 10:00")
        self.run_schedule(datetime(2026, 12, 1, 7, 0))
        self.assertEqual(self.platform_status(), "Open")

    def test_cashiers_do_not_change_the_hours(self):
        cashier = new_test_user(self.env, "dukkango_hours_cashier", groups="point_of_sale.group_pos_user")
        with self.assertRaises(AccessError):
            self.config.with_user(cashier).dukkango_calendar_id = self.calendar


@tagged("post_install", "-at_install")
class TestBusyTour(DukkangoTillCase):
    """The pause at the till: a manager pauses and resumes; a cashier sees it and cannot."""

    def setUp(self):
        super().setUp()
        self.account.action_test_connection()
        self.account.last_success_at = fields.Datetime.now()
        self.restaurant = self.main_pos_config.dukkango_restaurant_id
        self.cron = self.env.ref("pos_dukkango.ir_cron_dukkango_schedule")

    def test_manager_pauses_and_resumes_at_the_till(self):
        self.main_pos_config.with_user(self.pos_admin).open_ui()
        self.start_pos_tour("DukkangoBusyManagerTour", login="pos_admin")
        self.env.invalidate_all()
        self.assertFalse(self.restaurant.paused_until, "resumed")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])
        self.assertTrue(triggers, "the pause armed its end")
        self.assertEqual(self.restaurant.requested_status, "open", "opened again after the commit")

    def test_cashier_sees_the_pause_and_cannot_end_it(self):
        self.main_pos_config.action_dukkango_pause(30)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("DukkangoBusyCashierTour", login="pos_user")
        with self.assertRaises(AccessError):
            self.main_pos_config.with_user(self.pos_user).action_dukkango_resume()
        with self.assertRaises(AccessError):
            self.main_pos_config.with_user(self.pos_user).action_dukkango_pause(15)
        self.assertTrue(self.restaurant.paused_until)

    def test_cashier_is_told_when_polls_never_succeeded(self):
        """A till opened on an account whose keys never worked: the watchdog's alarm, and
        what to do, without a time to count from."""
        self.account.write({"last_success_at": False, "outage_since": fields.Datetime.now()})
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("DukkangoWatchdogCashierTour", login="pos_user")
