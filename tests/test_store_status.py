# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import REST_A, DukkangoPosCase


@tagged("post_install", "-at_install")
class TestStoreStatus(DukkangoPosCase):
    """The restaurant's open/closed state on Dükkango, shown and driven from Odoo."""

    def setUp(self):
        super().setUp()
        self.account.action_test_connection()  # lists the restaurants
        self.restaurant = self.config.dukkango_restaurant_id
        self.assertEqual(self.restaurant.uuid, REST_A)

    def platform_status(self):
        return self.sim.restaurants[REST_A]["status"]

    def store_calls(self):
        return [r for r in self.sim.request_log() if r["endpoint"] in ("restaurant-open", "restaurant-close")]

    def test_test_connection_reads_the_state(self):
        self.assertEqual(self.config.dukkango_store_status, "open", "read right after the restaurants are listed")

    def test_manager_closes_and_opens(self):
        self.config.action_dukkango_close_store()
        self.assertEqual(self.platform_status(), "Closed")
        self.assertEqual(self.config.dukkango_store_status, "closed")
        self.config.action_dukkango_open_store()
        self.assertEqual(self.platform_status(), "Open")
        self.assertEqual(self.config.dukkango_store_status, "open")

    def test_only_managers_open_and_close(self):
        cashier = new_test_user(self.env, "dukkango_cashier", groups="point_of_sale.group_pos_user")
        with self.assertRaises(AccessError):
            self.config.with_user(cashier).action_dukkango_close_store()
        self.assertEqual(self.store_calls(), [])

    def test_platform_error_changes_nothing(self):
        self.config.action_dukkango_refresh_store_status()
        self.assertEqual(self.config.dukkango_store_status, "open")
        self.sim.inject_fault("restaurant-close", "500", count=10)
        with self.assertRaises(UserError):
            self.config.action_dukkango_close_store()
        self.assertEqual(self.platform_status(), "Open")
        self.assertEqual(self.config.dukkango_store_status, "open")

    def send_requested(self):
        """What the cron does after the commit of the session's opening or closing."""
        self.env["dukkango.restaurant"]._cron_send_requested()

    def test_session_drives_the_store_when_enabled(self):
        self.config.dukkango_store_follows_session = True
        self.sim.restaurants[REST_A]["status"] = "Closed"
        cron = self.env.ref("pos_dukkango.ir_cron_dukkango_platform_changes")
        session = self.open_session()
        # not inside the session's transaction, which may still roll back: after its commit
        self.assertEqual(self.store_calls(), [])
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        self.send_requested()
        self.assertEqual(self.platform_status(), "Open")
        self.assertEqual(self.config.dukkango_store_status, "open")
        session.action_pos_session_closing_control()
        self.send_requested()
        self.assertEqual(self.platform_status(), "Closed")
        self.assertEqual(self.config.dukkango_store_status, "closed")
        self.assertEqual(len(self.store_calls()), 2, "one open, one close")

    def test_session_leaves_the_store_alone_when_disabled(self):
        self.sim.restaurants[REST_A]["status"] = "Closed"
        session = self.open_session()
        session.action_pos_session_closing_control()
        self.send_requested()
        self.assertEqual(self.store_calls(), [])
        self.assertEqual(self.platform_status(), "Closed")

    def test_session_opens_even_when_the_platform_fails(self):
        self.config.dukkango_store_follows_session = True
        self.sim.inject_fault("restaurant-open", "500", count=10)
        session = self.open_session()
        self.assertEqual(session.state, "opened")
        self.send_requested()
        self.assertTrue(any("could not be told" in message.body for message in session.message_ids))
        self.assertFalse(self.restaurant.requested_status)  # reported once, not retried forever

    def test_status_refreshed_every_five_minutes(self):
        self.config.action_dukkango_refresh_store_status()
        self.sim.restaurants[REST_A]["status"] = "Closed"  # closed on the platform's own panel
        self.env["dukkango.restaurant"]._cron_refresh_platform_status()
        self.assertEqual(self.config.dukkango_store_status, "open", "checked less than 5 minutes ago")
        self.restaurant.status_checked_at = fields.Datetime.now() - timedelta(minutes=6)
        self.account._cron_poll_orders()
        self.assertEqual(self.config.dukkango_store_status, "closed")
