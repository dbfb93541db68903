# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.sql_db import TestCursor
from odoo.tests import new_test_user, tagged

from odoo.addons.bus.models.bus import dispatch, hashable
from odoo.addons.bus.websocket import WebsocketConnectionHandler

from ..models.pos_config import DEFAULT_PRODUCTS
from .common import REST_A, REST_B, DukkangoPosCase, DukkangoTillCase


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
class TestDukkangoPosUi(DukkangoTillCase):
    """The till's day as a plain cashier (``pos_user``: Point of Sale user only) and as a manager."""

    till_values = {"dukkango_preparing_time": 20}

    def add_order(self, number, name, phone, **overrides):
        """A one-dish order of restaurant A, picked up; the simulator makes up the rest (address…)."""
        adana = {"food_id": 9001, "name": "Adana Kebap", "quantity": 1, "price": 150.0, "note": "Acısız olsun"}
        values = {"id": number, "customer": {"name": name, "phone": phone}, "foods": [adana], "total": 150.0}
        values.update(discount="0", courier_fee=0, order_tip=0, scheduled_date="", shipping_method="pickup")
        values.update(courier_type="come_get", payment_method="Nakit")
        values.update(overrides)
        return self.sim.add_order(**{"restaurant_id": REST_A, **values})

    def store_calls(self):
        calls = [r["endpoint"] for r in self.sim.request_log()]
        return [call for call in calls if call in ("restaurant-open", "restaurant-close")]

    def test_cashier_day(self):
        """A cashier opens the register while orders wait: one imports, one cannot (its payment method
        is missing); the session opens anyway. They pay a cash order, cannot change or delete a
        Dükkango order (deleting offers to cancel it on Dükkango), and close the register."""
        online = self.main_pos_config.dukkango_online_payment_method_id
        self.main_pos_config.write(
            {"payment_method_ids": [Command.unlink(online.id)], "dukkango_store_follows_session": True}
        )
        services = self.env["pos.session"]._dukkango_service_products()
        services.write({"active": True})  # the tours' setup archives every product: they must not show anyway
        failing = self.add_order(4001, "Zeynep Arslan", "05321112233", payment_method="Kredi Kartı")
        cash = self.add_order(4002, "Mehmet Kaya", "05559876543", note="Zil çalışmıyor", courier_fee=10, total=160)
        cancelled = self.add_order(4003, "Ali Demir", "05337654321")
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.account.next_poll_at = False
        self.account._poll_orders()
        self.assertEqual(self.staged(cash).state, "pending", "no session is open yet")
        with live_bus():
            self.start_pos_tour("DukkangoCashierDayTour", login="pos_user")
        self.env.invalidate_all()

        # closed, the till reloaded on a new session, not opened yet
        self.assertEqual(self.main_pos_config.session_ids.mapped("state"), ["opening_control", "closed"])
        # the session asked (after its commits) to open, then to close the restaurant on Dükkango
        restaurant = self.main_pos_config.dukkango_restaurant_id
        self.assertEqual(restaurant.requested_status, "closed")
        self.env["dukkango.restaurant"]._cron_send_requested()
        self.assertEqual(self.store_calls(), ["restaurant-close"])
        self.assertEqual(self.staged(failing).state, "error")
        self.assertIn(online.name, self.staged(failing).error_message)
        paid = self.staged(cash).pos_order_id
        self.assertEqual((paid.state, paid.amount_total, paid.amount_paid), ("done", 160.0, 160.0))
        self.assertEqual(paid.tracking_number[-2:], "02", "the counter number ends like Dükkango's #4002")
        self.assertEqual(self.sim.orders[cash["payment_key"]]["preparing_time"], 25)
        self.assertEqual(self.sim.orders[cancelled["payment_key"]]["cancel_reason"], 4)
        self.assertEqual(self.staged(cancelled).pos_order_id.state, "cancel")

    def test_cashier_cannot_close_with_unpaid_orders(self):
        """The closing popup lists the unpaid cash order and refuses to close; accepted, on its way and
        delivered on Dükkango, the order is paid in cash and the register closes."""
        order = self.add_order(5001, "Elif Şahin", "05051234567", shipping_method="delivery", courier_type="restaurant")
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.main_pos_config.current_session_id.set_opening_control(0, None)
        self.account.next_poll_at = False
        self.account._poll_orders()
        self.start_pos_tour("DukkangoClosingTour", login="pos_user")
        self.env.invalidate_all()
        self.assertEqual(self.sim.order_status(order["payment_key"]), 5)
        self.assertEqual(self.staged(order).pos_order_id.state, "done")
        self.assertIn("closed", self.main_pos_config.session_ids.mapped("state"))

    def test_cashier_offline(self):
        """Offline, the till keeps working: a refused action says so, the timers and bus handlers fail
        quietly (no error, no unhandled promise); back online it reads what changed meanwhile."""
        order = self.add_order(6001, "Can Öztürk", "05441234567")
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.main_pos_config.current_session_id.set_opening_control(0, None)
        self.account.next_poll_at = False
        self.account._poll_orders()
        self.start_pos_tour("DukkangoOfflineTour", login="pos_user")
        self.assertEqual(self.sim.order_status(order["payment_key"]), 2, "accepted by another till meanwhile")
        self.assertEqual(self.sim.orders[order["payment_key"]]["preparing_time"], 30)

    def test_cashier_is_told_of_orders_needing_attention(self):
        """An order for a restaurant no till serves: the till of the account shows a banner."""
        self.add_order(7001, "Deniz Aydın", "05321112233", restaurant_id=REST_B)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.main_pos_config.current_session_id.set_opening_control(0, None)
        self.account.next_poll_at = False
        self.account._poll_orders()
        self.assertEqual(self.main_pos_config.dukkango_attention_count, 1)
        self.start_pos_tour("DukkangoAttentionTour", login="pos_user")

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
    """What the POS app loads and sends back for Dükkango orders, and what the server refuses a
    cashier (Point of Sale user only) at the till."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = new_test_user(
            cls.env,
            login="dukkango_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def cash_order(self):
        """``(session, pos.order, simulator order)``: a cash order imported into an open session."""
        session = self.open_session()
        order = self.sim.add_order(restaurant_id=REST_A, payment_method="Nakit")
        self.poll()
        return session, self.staged(order).pos_order_id, order

    def till_data(self, pos_order, **changes):
        """The order as the till sends it back to ``sync_from_ui``, with ``changes``."""
        data = pos_order.read(self.env["pos.order"]._load_pos_data_fields(self.config.id), load=False)[0]
        data.update(dukkango_order_id=False, lines=[], payment_ids=[])
        data.update(changes)
        return data

    def test_cashier_opens_the_session_while_an_order_fails(self):
        """An order that cannot be imported (its payment method is missing) is left aside with its
        error; the others come in and the cashier's session opens."""
        online = self.config.dukkango_online_payment_method_id
        self.config.payment_method_ids = [Command.unlink(online.id)]
        card = self.sim.add_order(restaurant_id=REST_A, payment_method="Kredi Kartı")
        cash = self.sim.add_order(restaurant_id=REST_A, payment_method="Nakit")
        self.poll()
        self.config.with_user(self.cashier).open_ui()
        session = self.config.current_session_id.with_user(self.cashier)
        session.set_opening_control(0, None)
        self.assertEqual(session.state, "opened")
        self.assertEqual(self.staged(card).state, "error")
        self.assertIn(online.name, self.staged(card).error_message)
        self.assertEqual(self.staged(cash).pos_order_id.session_id, session)

    def test_till_cannot_change_lines_or_prices(self):
        session, pos_order, _order = self.cash_order()
        line, total = pos_order.lines[0], pos_order.amount_total
        imported = pos_order.lines.read(["product_id", "qty", "price_unit", "price_subtotal_incl"])
        sync = self.env["pos.order"].with_user(self.cashier).sync_from_ui
        position = self.env["account.fiscal.position"].create({"name": "Elsewhere"})
        new_line = {key: line[key] for key in ("qty", "price_unit", "price_subtotal", "price_subtotal_incl")}
        new_line["product_id"] = line.product_id.id
        refused = {
            "a new line": {"lines": [Command.create(new_line)]},
            "a removed line": {"lines": [Command.delete(line.id)]},
            "a price": {"lines": [Command.update(line.id, {"price_unit": line.price_unit + 1})]},
            "a quantity": {"lines": [Command.update(line.id, {"qty": line.qty + 1})]},
            "a discount": {"lines": [Command.update(line.id, {"discount": 10})]},
            "the taxes": {"fiscal_position_id": position.id},
        }
        for change, values in refused.items():
            with self.subTest(change=change), self.assertRaises(UserError) as caught:
                sync([self.till_data(pos_order, **values)])
            self.assertIn("cannot be changed at the till", str(caught.exception))
        # the same values (a unit price the till rounded) and the till's own totals: Dükkango's stay
        same = Command.update(line.id, {"price_unit": round(line.price_unit, 2), "price_subtotal_incl": 1.0})
        sync([self.till_data(pos_order, lines=[same], amount_total=1.0, amount_tax=0.0, general_note="kapıda")])
        self.assertEqual((pos_order.amount_total, pos_order.general_note), (total, "kapıda"))
        self.assertEqual(pos_order.lines.read(["product_id", "qty", "price_unit", "price_subtotal_incl"]), imported)

    def test_till_cannot_delete_a_platform_order(self):
        """The ticket screen's Delete (action_pos_order_cancel) and unlink are refused; the order is
        cancelled when Dükkango cancels it."""
        _session, pos_order, order = self.cash_order()
        with self.assertRaises(UserError):
            pos_order.with_user(self.cashier).action_pos_order_cancel()
        with self.assertRaises(UserError):
            pos_order.unlink()
        self.assertEqual(pos_order.state, "draft")
        self.sim.set_status(order["payment_key"], 6)
        self.poll()
        self.assertEqual(pos_order.state, "cancel")

    def test_closing_refused_while_cash_orders_unpaid(self):
        session, pos_order, order = self.cash_order()
        cashier_session = session.with_user(self.cashier)
        unpaid = cashier_session.get_closing_control_data()["dukkango_unpaid"]
        self.assertEqual([row["id"] for row in unpaid["orders"]], pos_order.ids)
        result = cashier_session.close_session_from_ui()
        self.assertFalse(result["successful"])
        self.assertEqual(result["dukkango_order_ids"], pos_order.ids)
        for text in (pos_order.dukkango_order_id.name, order["customer"]["name"], "Complete", "Cancel"):
            self.assertIn(text, result["message"])
        with self.assertRaises(UserError):
            cashier_session.update_closing_control_state_session("")
        with self.assertRaises(UserError):
            session.action_pos_session_closing_control()
        self.assertEqual(session.state, "opened", "still taking Dükkango orders")
        # delivered on Dükkango, the order is paid in cash: nothing blocks the closing any more
        self.sim.set_status(order["payment_key"], 5)
        self.poll()
        self.assertEqual(pos_order.state, "paid")
        self.assertFalse(cashier_session._cannot_close_session())

    def test_cancelled_here_delivered_there_is_flagged(self):
        _session, pos_order, order = self.cash_order()
        pos_order.write({"state": "cancel"})  # as Odoo's closing popup did before this module refused it
        self.assertFalse(pos_order.dukkango_cancelled_delivered)
        self.sim.set_status(order["payment_key"], 5)
        self.poll()
        self.assertTrue(pos_order.dukkango_cancelled_delivered)
        self.assertEqual(pos_order.search([("dukkango_cancelled_delivered", "=", True)]), pos_order)

    def test_service_products_loaded_but_off_the_grid(self):
        session = self.open_session()
        special = session.with_user(self.cashier)._load_pos_data({})["data"][0]["_pos_special_products_ids"]
        for name in DEFAULT_PRODUCTS:
            with self.subTest(product=name):
                self.assertIn(self.config[name].id, special)
                self.assertTrue(self.config[name].available_in_pos, "loaded with the products")

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
