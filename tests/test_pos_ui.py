# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from contextlib import contextmanager
from unittest.mock import patch

from odoo.sql_db import TestCursor
from odoo.tests import tagged

from odoo.addons.bus.models.bus import dispatch, hashable
from odoo.addons.bus.websocket import WebsocketConnectionHandler
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from .common import REST_A, DukkangoPosCase, SimulatorMixin


@contextmanager
def live_bus():
    """Let the POS open its websocket and get bus notifications when a request commits.

    Odoo refuses websockets under tests, and its test cursors drop the post-commit hook
    whose NOTIFY wakes the websockets in production; both are restored here, as
    ``bus.tests.common.WebsocketCase`` does.
    """
    original = TestCursor.commit

    def commit(cr):
        channels = list(cr.postcommit.data.get("bus.bus.channels", ()))
        original(cr)
        for channel in channels:
            for websocket in list(dispatch._channels_to_ws.get(hashable(channel), ())):
                websocket.trigger_notification_dispatching()

    with (
        patch.object(TestCursor, "commit", commit),
        patch.object(WebsocketConnectionHandler, "websocket_allowed", return_value=True),
    ):
        yield


@tagged("post_install", "-at_install")
class TestDukkangoPosUi(SimulatorMixin, TestPointOfSaleHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_simulator()
        cls.main_pos_config.write(
            {
                "dukkango_account_id": cls.account.id,
                "dukkango_restaurant_id": cls.restaurant(REST_A).id,
                "dukkango_preparing_time": 20,
            }
        )

    def add_order(self, number, name, phone, **overrides):
        """A one-dish order of restaurant A; the simulator makes up the rest (payment, address…)."""
        adana = {"food_id": 9001, "name": "Adana Kebap", "quantity": 1, "price": 150.0, "note": "Acısız olsun"}
        values = {"id": number, "customer": {"name": name, "phone": phone}, "foods": [adana], "total": 150.0}
        values.update(discount="0", courier_fee=0, order_tip=0, scheduled_date="", **overrides)
        return self.sim.add_order(restaurant_id=REST_A, **values)

    def test_live_orders_accept_and_cancel(self):
        """Orders imported while the POS is open show up without a reload; accept and cancel them."""
        accepted = self.add_order(2001, "Ayşe Yılmaz", "05321234567", payment_method="Kredi Kartı")
        cancelled = self.add_order(2002, "Ali Demir", "05337654321", payment_method="Kredi Kartı")
        self.main_pos_config.with_user(self.pos_user).open_ui()
        with live_bus():
            self.start_pos_tour("DukkangoLiveOrdersTour", login="pos_user")
        self.env.invalidate_all()

        record = self.sim.orders[accepted["payment_key"]]
        self.assertEqual(record["status_id"], 2)
        self.assertEqual(record["preparing_time"], 25)
        self.assertEqual(self.staged(accepted).status, "confirmed")
        self.assertEqual(self.staged(accepted).pos_order_id.dukkango_preparing_time, 25)
        record = self.sim.orders[cancelled["payment_key"]]
        self.assertEqual(record["cancel_reason"], 4)
        self.assertEqual(self.staged(cancelled).status, "cancelled")

    def test_cash_order_paid_at_the_till(self):
        """A cash order waits in the session; the cashier loads it, takes the cash, prints the receipt."""
        order = self.add_order(
            3001,
            "Mehmet Kaya",
            "05559876543",
            payment_method="Nakit",
            shipping_method="pickup",
            courier_type="come_get",
            note="Zil çalışmıyor",
        )
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.main_pos_config.current_session_id.set_opening_control(0, None)
        self.account.next_poll_at = False
        self.account._poll_orders()
        pos_order = self.staged(order).pos_order_id
        self.assertEqual(pos_order.state, "draft")
        self.assertEqual(pos_order.tracking_number[-2:], "01", "the counter number ends like Dükkango's #3001")

        self.start_pos_tour("DukkangoCashOrderTour", login="pos_user")
        self.env.invalidate_all()

        self.assertEqual(pos_order.state, "paid")
        self.assertEqual(pos_order.amount_total, 150.0)
        self.assertEqual(pos_order.payment_ids.payment_method_id.is_cash_count, True)
        self.assertEqual(pos_order.amount_paid, 150.0)
        self.assertEqual(pos_order.dukkango_order_id, self.staged(order))

    def test_manager_closes_the_restaurant_from_the_till(self):
        self.account.action_test_connection()
        self.main_pos_config.action_dukkango_refresh_store_status()
        self.assertEqual(self.main_pos_config.dukkango_store_status, "open")
        self.main_pos_config.with_user(self.pos_admin).open_ui()
        self.start_pos_tour("DukkangoStoreStatusTour", login="pos_admin")
        self.assertEqual(self.sim.restaurants[REST_A]["status"], "Closed")

    def test_manager_stops_selling_a_dish_from_the_till(self):
        self.account.action_test_connection()
        action = self.main_pos_config.action_dukkango_import_menu()
        self.env[action["res_model"]].browse(action["res_id"]).action_apply()
        self.main_pos_config.with_user(self.pos_admin).open_ui()
        self.start_pos_tour("DukkangoAvailabilityTour", login="pos_admin")
        ayran = next(f for f in self.sim.foods if f["restaurant_id"] == REST_A and f["name"] == "Ayran")
        self.assertFalse(ayran["active"])


@tagged("post_install", "-at_install")
class TestDukkangoPosData(DukkangoPosCase):
    """What the POS app loads and sends back for Dükkango orders."""

    def test_open_orders_loaded_paid_ones_included(self):
        session = self.open_session()
        prepaid = self.sim.add_order(restaurant_id=REST_A, payment_method="Kredi Kartı")
        cash = self.sim.add_order(restaurant_id=REST_A, payment_method="Nakit")
        done = self.sim.add_order(restaurant_id=REST_A, payment_method="Kredi Kartı", status_id=5)
        self.poll()
        orders = {key: self.staged(order).pos_order_id for key, order in (("p", prepaid), ("c", cash), ("d", done))}
        self.assertEqual(orders["p"].state, "paid")
        domain = self.env["pos.order"]._load_pos_data_domain({"pos.session": {"data": [{"id": session.id}]}})
        loaded = self.env["pos.order"].search(domain)
        self.assertIn(orders["p"], loaded)
        self.assertIn(orders["c"], loaded)
        self.assertNotIn(orders["d"], loaded, "a delivered, paid order has nothing left to do at the till")

    def test_till_cannot_unlink_the_platform_order(self):
        """The POS app sends ``dukkango_order_id: false`` when it saves an order; the link stays."""
        session = self.open_session()
        order = self.sim.add_order(restaurant_id=REST_A, payment_method="Nakit")
        self.poll()
        pos_order = self.staged(order).pos_order_id
        data = pos_order.read(self.env["pos.order"]._load_pos_data_fields(self.config.id), load=False)[0]
        data.update(dukkango_order_id=False, session_id=session.id, lines=[], payment_ids=[], general_note="merhaba")
        self.env["pos.order"].sync_from_ui([data])
        self.assertEqual(pos_order.general_note, "merhaba")
        self.assertEqual(pos_order.dukkango_order_id, self.staged(order))
