# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import threading
from datetime import timedelta
from unittest.mock import patch

import psycopg2
import psycopg2.errorcodes

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import dukkango_poll_cycle
from ..models.dukkango_poll_cycle import ACK_RETRIES, IMPORT_BATCH, POLL_LOCK_CLASS
from .common import AYRAN, ITEMS, REST_A, REST_B, DukkangoPosCase, order_data


@tagged("post_install", "-at_install")
class TestPollPipeline(DukkangoPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.adana = cls.env["product.product"].create(
            {
                "name": "Adana (menü adı)",
                "available_in_pos": True,
                "dukkango_food_id": 501,
                "list_price": 1,
                "taxes_id": [(5, 0, 0)],
            }
        )
        cls.ayran = cls.env["product.product"].create(
            {"name": "Ayran", "available_in_pos": True, "list_price": 1, "taxes_id": [(5, 0, 0)]}
        )

    def lines_by_product(self, pos_order):
        return {line.product_id: line for line in pos_order.lines}

    def assert_exact_total(self, pos_order, total):
        self.assertEqual(pos_order.currency_id.compare_amounts(pos_order.amount_total, total), 0)
        self.assertAlmostEqual(sum(pos_order.lines.mapped("price_subtotal_incl")), total, places=2)
        # Odoo's own recomputation from the lines and their taxes gives the same total
        pos_order._compute_prices()
        self.assertEqual(pos_order.currency_id.compare_amounts(pos_order.amount_total, total), 0)

    # ------------------------------------------------------------------ mapping
    def test_import_items_options_fee_tip_discount(self):
        session = self.open_session()
        order = self.sim.add_order(**order_data())
        stats = self.poll()
        self.assertEqual((stats["received"], stats["stored"], stats["acked"], stats["imported"]), (1, 1, 1, 1))
        staged = self.staged(order)
        self.assertEqual(staged.state, "done", staged.error_message)
        self.assertFalse(staged.needs_attention)
        pos_order = staged.pos_order_id
        self.assertEqual(pos_order.session_id, session)
        self.assertEqual(pos_order.dukkango_order_id, staged)
        self.assertEqual(pos_order.dukkango_status, "received")
        self.assertEqual(pos_order.pos_reference, f"Dükkango #{order['id']}")
        self.assertEqual(pos_order.state, "paid")
        self.assert_exact_total(pos_order, 594.31)
        lines = self.lines_by_product(pos_order)
        adana = lines[self.adana]
        self.assertEqual((adana.qty, adana.price_subtotal_incl), (2, 400.0))
        self.assertIn("Acı Seçimi: Acılı", adana.note)
        self.assertIn("Ekstralar: Ekstra Lavaş", adana.note)
        self.assertIn("soğansız", adana.note)
        self.assertEqual((lines[self.ayran].qty, lines[self.ayran].price_subtotal_incl), (3, 105.0))
        fallback = lines[self.config.dukkango_fallback_product_id]
        self.assertEqual((fallback.full_product_name, fallback.price_subtotal_incl), ("Tatlı Sürprizi", 99.9))
        self.assertEqual(lines[self.config.dukkango_discount_product_id].price_subtotal_incl, -60.49)
        self.assertEqual(lines[self.config.dukkango_fee_product_id].price_subtotal_incl, 29.9)
        self.assertEqual(lines[self.config.dukkango_tip_product_id].price_subtotal_incl, 20.0)
        self.assertEqual(len(pos_order.lines), 6)
        payment = pos_order.payment_ids
        self.assertEqual(payment.payment_method_id, self.config.dukkango_online_payment_method_id)
        self.assertAlmostEqual(payment.amount, 594.31)
        partner = pos_order.partner_id
        self.assertEqual((partner.name, partner.phone), ("Kerim Test", "+905335587642"))
        self.assertEqual(partner.street, "Dershane Sokak No:5")
        self.assertEqual(partner.street2, "Gül Apt., 3")
        self.assertEqual(partner.city, "Şişli, İstanbul")
        self.assertIn("Mavi kapı", partner.comment)
        for text in ("Zili çalmayın", "delivery", "restaurant", "Dershane Sokak No:5"):
            self.assertIn(text, pos_order.general_note)
        self.assertEqual(staged.amount_total, 594.31)
        self.assertEqual(staged.customer_phone, "+905335587642")

    def test_existing_partner_found_by_phone(self):
        partner = self.env["res.partner"].create({"name": "Kerim Bey", "phone": "+905335587642"})
        self.open_session()
        order = self.sim.add_order(**order_data())
        self.poll()
        self.assertEqual(self.staged(order).pos_order_id.partner_id, partner)

    def test_order_without_items_books_fallback_line(self):
        self.open_session()
        order = self.sim.add_order(**order_data(foods=None, total=1417.5, discount="157.5", courier_fee=0, order_tip=0))
        self.poll()
        pos_order = self.staged(order).pos_order_id
        self.assert_exact_total(pos_order, 1417.5)
        lines = self.lines_by_product(pos_order)
        self.assertAlmostEqual(lines[self.config.dukkango_fallback_product_id].price_subtotal_incl, 1575.0)
        self.assertAlmostEqual(lines[self.config.dukkango_discount_product_id].price_subtotal_incl, -157.5)

    def test_identity_mismatch_books_adjustment_and_flags(self):
        self.open_session()
        order = self.sim.add_order(**order_data(total=600.00))
        self.poll()
        staged = self.staged(order)
        self.assertTrue(staged.needs_attention)
        self.assertIn("adjustment", staged.attention_reason)
        pos_order = staged.pos_order_id
        self.assert_exact_total(pos_order, 600.0)
        adjustment = self.lines_by_product(pos_order)[self.config.dukkango_adjustment_product_id]
        self.assertAlmostEqual(adjustment.price_subtotal_incl, 5.69)

    def test_total_exact_with_tax_included_and_excluded_products(self):
        tax_excl = self.env["account.tax"].create({"name": "KDV %20 hariç", "amount": 20, "amount_type": "percent"})
        tax_incl = self.env["account.tax"].create(
            {"name": "KDV %10 dahil", "amount": 10, "amount_type": "percent", "price_include_override": "tax_included"}
        )
        self.adana.taxes_id = tax_excl
        self.ayran.taxes_id = tax_incl
        self.config.dukkango_fee_product_id.taxes_id = tax_excl
        self.config.dukkango_discount_product_id.taxes_id = tax_excl
        session = self.open_session()
        keys = []
        for discount, fee, tip, price in [
            ("60.49", 29.9, 20, 99.9),
            ("0.01", 17.7, 0, 99.99),
            ("33.33", 7.03, 1.01, 86.31),
        ]:
            foods = [dict(ITEMS[0]), dict(ITEMS[1]), dict(ITEMS[2], price=price)]
            items = 2 * 200 + 105 + price
            total = round(items - float(discount) + fee + tip, 2)
            keys.append(
                self.sim.add_order(
                    **order_data(foods=foods, total=total, discount=discount, courier_fee=fee, order_tip=tip)
                )["payment_key"]
            )
        self.poll()
        for key in keys:
            staged = self.DukkangoOrder.search([("payment_key", "=", key)])
            self.assertEqual(staged.state, "done", staged.error_message)
            pos_order = staged.pos_order_id
            self.assert_exact_total(pos_order, staged.amount_total)
            lines = self.lines_by_product(pos_order)
            # unit prices to the cent, as the till rounds them: 2 × 166.67 + 20 % is 400.01,
            # the kuruş goes to the rounding line and the total stays Dükkango's
            self.assertAlmostEqual(lines[self.adana].price_subtotal_incl, 400.0, delta=0.011)
            self.assertAlmostEqual(lines[self.adana].price_subtotal, 333.33, delta=0.011)
            self.assertAlmostEqual(lines[self.ayran].price_subtotal_incl, 105.0)
            self.assertAlmostEqual(lines[self.ayran].price_subtotal, 95.45)
            for line in pos_order.lines:
                self.assertEqual(round(line.price_unit, 2), line.price_unit, line.full_product_name)
            self.assertGreater(pos_order.amount_tax, 0)
        # the session closes and its journal entries balance, as for orders rung up at the till
        session.action_pos_session_closing_control()
        self.assertEqual(session.state, "closed")
        self.assertTrue(session.move_id)
        self.assertEqual(session.move_id.state, "posted")

    def test_discount_lowers_the_tax_base_of_each_rate(self):
        """Two KDV rates in one order: the discount is spread over the dishes' taxes (one
        line per rate, a Turkish accountant's way), not an untaxed line beside them."""
        kdv10 = self.env["account.tax"].create(
            {"name": "KDV %10", "amount": 10, "amount_type": "percent", "price_include_override": "tax_included"}
        )
        kdv20 = self.env["account.tax"].create(
            {"name": "KDV %20", "amount": 20, "amount_type": "percent", "price_include_override": "tax_included"}
        )
        self.adana.taxes_id = kdv10
        self.ayran.taxes_id = kdv20
        self.open_session()
        # 2 × 200 (KDV 10) + 3 × 35 (KDV 20) + 99.90 (no product: untaxed) = 604.90; − 60.49 → 544.41
        order = self.sim.add_order(**order_data(courier_fee=0, order_tip=0, total=544.41))
        self.poll()
        pos_order = self.staged(order).pos_order_id
        self.assert_exact_total(pos_order, 544.41)
        discount = pos_order.lines.filtered(lambda line: line.product_id == self.config.dukkango_discount_product_id)
        by_tax = {line.tax_ids: round(line.price_subtotal_incl, 2) for line in discount}
        # shares of 400 / 105 / 99.90 of 604.90, to the kuruş, adding up to the discount
        self.assertEqual(by_tax, {kdv10: -40.0, kdv20: -10.5, self.env["account.tax"]: -9.99})
        self.assertAlmostEqual(sum(discount.mapped("price_subtotal_incl")), -60.49, places=2)
        # the tax is that of the discounted bases: 360 at 10 %, 94.50 at 20 %
        self.assertAlmostEqual(pos_order.amount_tax, round(360 / 11, 2) + round(94.5 / 6, 2), delta=0.011)

    def test_cash_order_stays_draft_then_paid_when_delivered(self):
        session = self.open_session()
        order = self.sim.add_order(**order_data(payment_method="Nakit"))
        self.poll()
        staged = self.staged(order)
        pos_order = staged.pos_order_id
        self.assertEqual(pos_order.state, "draft")
        self.assertFalse(pos_order.payment_ids)
        self.assertEqual(pos_order.amount_total, 594.31)
        for status in (2, 16, 5):
            self.sim.set_status(order["payment_key"], status)
            self.poll()
        self.assertEqual(staged.status, "delivered")
        self.assertEqual(pos_order.state, "paid")
        self.assertEqual(pos_order.payment_ids.payment_method_id, session.config_id._dukkango_cash_method())
        self.assertAlmostEqual(pos_order.amount_paid, 594.31)

    # ------------------------------------------------------------------ idempotence and acks
    def test_same_order_in_five_polls_is_one_record_one_pos_order(self):
        self.open_session()
        order = self.sim.add_order(**order_data())
        key = order["payment_key"]
        for _poll in range(5):
            self.sim.forget_ack(key)  # the platform sends it again
            self.poll()
        staged = self.DukkangoOrder.search([("payment_key", "=", key)])
        self.assertEqual(len(staged), 1)
        self.assertEqual(staged.seen_count, 5)
        self.assertEqual(self.env["pos.order"].search_count([("dukkango_order_id", "=", staged.id)]), 1)
        self.assertEqual([a["status_id"] for a in self.sim.ack_log(key)], [1] * 5)

    def test_acks_once_per_status(self):
        self.open_session()
        key = self.sim.add_order(**order_data())["payment_key"]
        for _poll in range(3):
            self.poll()
        self.sim.set_status(key, 2)
        for _poll in range(3):
            self.poll()
        self.assertEqual([a["status_id"] for a in self.sim.ack_log(key)], [1, 2])
        self.assertEqual(len(self.sim.request_log("get-current")), 6)

    def test_ack_happens_after_the_order_is_stored_and_committed(self):
        self.open_session()
        events = []
        cycle_model = type(self.env["dukkango.poll.cycle"])
        original_commit = cycle_model._commit

        def commit(cycle):
            original_commit(cycle)
            self.env.cr.execute("SELECT payment_key, seen_status_id FROM dukkango_order")
            events.append(("commit", dict(self.env.cr.fetchall())))

        def on_ack(key, status):
            # runs in the simulator while the poll waits for the answer
            last_commit = next((stored for kind, stored in reversed(events) if kind == "commit"), {})
            events.append(("ack", key))
            return last_commit.get(key) == status

        self.sim.on_ack = on_ack
        keys = [self.sim.add_order(**order_data())["payment_key"] for _ in range(3)]
        with patch.object(cycle_model, "_commit", commit):
            self.poll()
        self.assertEqual([a["check"] for a in self.sim.ack_log()], [True, True, True])
        self.assertEqual(events[0][0], "commit")
        self.assertEqual({key for kind, key in events if kind == "ack"}, set(keys))

    def test_crash_between_commit_and_ack_neither_loses_nor_duplicates(self):
        self.open_session()
        key = self.sim.add_order(**order_data())["payment_key"]
        # a crash the simulator cannot produce: the worker dies right after the commit
        with patch.object(
            type(self.env["dukkango.poll.cycle"]), "_acknowledge", side_effect=RuntimeError("worker killed")
        ):
            try:  # not assertRaises: it would roll back what the poll committed
                self.poll()
            except RuntimeError:
                pass
            else:
                self.fail("the poll should have died")
        staged = self.DukkangoOrder.search([("payment_key", "=", key)])
        self.assertEqual((staged.state, staged.ack_needed, staged.acked_status_id), ("pending", True, 0))
        self.assertEqual(self.sim.ack_log(), [])
        self.poll()  # the order comes back: same record, acknowledged, imported once
        self.assertEqual(self.DukkangoOrder.search_count([("payment_key", "=", key)]), 1)
        self.assertEqual(staged.acked_status_id, 1)
        self.assertEqual(staged.seen_count, 2)
        self.assertEqual(self.env["pos.order"].search_count([("dukkango_order_id", "=", staged.id)]), 1)
        self.assertEqual(len(self.sim.ack_log(key)), 1)

    def test_ack_failures_are_retried(self):
        key = self.sim.add_order(**order_data())["payment_key"]
        # 500: not retried by the client, retried by the pipeline in its next rounds
        self.sim.inject_fault("success", "500", ACK_RETRIES)
        self.poll()
        self.assertEqual(len(self.sim.ack_log(key)), 1)
        self.assertEqual(len(self.sim.request_log("success")), ACK_RETRIES + 1)
        # 429: the same, after a short wait
        self.sim.set_status(key, 6)
        self.sim.inject_fault("success", "429", 2)
        self.poll()
        self.assertEqual([a["status_id"] for a in self.sim.ack_log(key)], [1, 6])
        self.assertEqual(len(self.sim.request_log("success")), ACK_RETRIES + 4)

    @patch.object(dukkango_poll_cycle, "ACK_WORKERS", 1)  # one at a time: the order is known
    def test_ack_retries_wait_once_per_round_not_per_order(self):
        keys = [self.sim.add_order(**order_data())["payment_key"] for _ in range(3)]
        # the first acknowledgement fails: the other orders are acknowledged first, then it
        # is tried again after one wait
        self.sim.inject_fault("success", "500", 1)
        stats = self.poll()
        self.assertEqual(stats["acked"], 3)
        self.assertEqual([ack["payment_key"] for ack in self.sim.ack_log()], keys[1:] + keys[:1])

    @patch.object(dukkango_poll_cycle, "ACK_WORKERS", 1)  # one at a time: the order is known
    def test_ack_stops_when_the_platform_is_unreachable(self):
        keys = [self.sim.add_order(**order_data())["payment_key"] for _ in range(3)]
        acks = []

        def drop_after_the_first_ack(endpoint):
            # from the second acknowledgement on, the connection closes without an answer
            if endpoint == "success":
                acks.append(endpoint)
                return "drop" if len(acks) > 1 else None
            return None

        self.sim.on_request = drop_after_the_first_ack
        stats = self.poll()
        self.assertEqual(stats["acked"], 1)
        staged = {key: self.DukkangoOrder.search([("payment_key", "=", key)]) for key in keys}
        self.assertEqual([staged[key].ack_needed for key in keys], [False, True, True])
        self.assertEqual([staged[key].ack_failures for key in keys], [0, 1, 0])
        self.assertEqual(len(acks), 1 + 4)  # the first, then the second with the client's 3 retries
        self.sim.on_request = None
        self.poll()
        self.assertEqual([staged[key].ack_needed for key in keys], [False, False, False])

    def test_ack_timeout_then_success(self):
        self.account.timeout = 1
        key = self.sim.add_order(**order_data())["payment_key"]
        self.sim.inject_fault("success", "timeout", 2)
        self.poll()
        staged = self.DukkangoOrder.search([("payment_key", "=", key)])
        self.assertEqual(staged.acked_status_id, 1)
        self.assertEqual(len(self.sim.ack_log(key)), 1)

    def test_ack_that_keeps_failing_is_tried_at_next_poll_and_logged_once(self):
        key = self.sim.add_order(**order_data())["payment_key"]
        staged = self.DukkangoOrder
        with self.assertLogs("odoo.addons.pos_dukkango.models.dukkango_poll_cycle", level="WARNING") as logs:
            for _poll in range(2):
                self.sim.inject_fault("success", "500", ACK_RETRIES + 1)  # every round of the poll
                self.poll()
        self.assertEqual(len([r for r in logs.records if "acknowledgement failed" in r.getMessage()]), 1)
        staged = self.DukkangoOrder.search([("payment_key", "=", key)])
        self.assertEqual((staged.acked_status_id, staged.ack_needed, staged.ack_failures), (0, True, 2))
        self.assertIn("500", staged.last_ack_error)
        self.poll()
        self.assertEqual((staged.acked_status_id, staged.ack_needed, staged.ack_failures), (1, False, 0))

    def test_ack_of_an_order_the_platform_forgot_is_not_retried(self):
        key = self.sim.add_order(**order_data())["payment_key"]
        self.sim.inject_fault("success", "500", ACK_RETRIES + 1)  # the first poll cannot acknowledge
        self.poll()
        del self.sim.orders[key]  # then the platform forgets the order
        requests = len(self.sim.request_log("success"))
        self.poll()
        staged = self.DukkangoOrder.search([("payment_key", "=", key)])
        self.assertEqual(len(self.sim.request_log("success")) - requests, 1)  # a 404 is final: no retry
        self.assertFalse(staged.ack_needed)
        self.assertIn("sipariş bulunamadı", staged.last_ack_error)

    # ------------------------------------------------------------------ status
    def test_status_progression_and_stale_status(self):
        self.open_session()
        order = self.sim.add_order(**order_data())
        key = order["payment_key"]
        self.poll()
        staged = self.staged(order)
        for status, expected in ((2, "confirmed"), (16, "in_delivery"), (5, "delivered")):
            self.sim.set_status(key, status)
            self.poll()
            self.assertEqual((staged.status, staged.pos_order_id.dukkango_status), (expected, expected))
        self.sim.set_status(key, 2)  # a stale status arrives late
        self.poll()
        self.assertEqual(staged.status_id, 5)
        self.assertEqual(staged.seen_status_id, 2)
        self.assertEqual([a["status_id"] for a in self.sim.ack_log(key)], [1, 2, 16, 5, 2])
        self.sim.set_status(key, 13, "Ödeme Bekliyor")  # unknown status after a final one: ignored
        self.poll()
        self.assertEqual(staged.status, "delivered")

    def test_platform_cancel_cancels_draft_and_flags_paid(self):
        self.open_session()
        cash = self.sim.add_order(**order_data(payment_method="Nakit"))
        card = self.sim.add_order(**order_data())
        self.poll()
        self.sim.set_status(cash["payment_key"], 6)
        self.sim.set_status(card["payment_key"], 6)
        self.poll()
        cash_staged, card_staged = self.staged(cash), self.staged(card)
        self.assertEqual(cash_staged.pos_order_id.state, "cancel")
        self.assertEqual(cash_staged.pos_order_id.dukkango_status, "cancelled")
        self.assertFalse(cash_staged.needs_attention)
        self.assertEqual(card_staged.pos_order_id.state, "paid")  # no silent money change
        self.assertTrue(card_staged.needs_attention)
        self.assertIn("refund", card_staged.attention_reason)
        self.assertTrue(card_staged.activity_ids)

    def test_auto_accept(self):
        self.config.write({"dukkango_auto_accept": True, "dukkango_preparing_time": 25})
        self.open_session()
        accepted = self.sim.add_order(**order_data())
        self.poll()
        staged = self.staged(accepted)
        self.assertEqual(self.sim.order_status(accepted["payment_key"]), 2)
        self.assertEqual(self.sim.orders[accepted["payment_key"]]["preparing_time"], 25)
        self.assertEqual(staged.status, "confirmed")
        self.poll()  # the echo of our own accept is acknowledged
        self.assertEqual([a["status_id"] for a in self.sim.ack_log(accepted["payment_key"])], [1, 2])
        refused = self.sim.add_order(**order_data())
        self.sim.inject_fault("accept", "500")
        self.poll()
        staged = self.staged(refused)
        self.assertEqual(staged.status, "received")  # unchanged: the platform did not confirm
        self.assertTrue(staged.needs_attention)

    # ------------------------------------------------------------------ sessions and routing
    def test_no_session_waits_then_imports_when_session_opens(self):
        order = self.sim.add_order(**order_data())
        self.poll()
        staged = self.staged(order)
        self.assertEqual((staged.state, staged.acked_status_id), ("pending", 1))
        self.assertFalse(staged.pos_order_id)
        self.assertEqual(staged.activity_ids.user_id, self.account.user_id)
        self.poll()  # still waiting, told only once
        self.assertEqual(len(staged.activity_ids), 1)
        session = self.open_session()
        self.assertEqual(staged.state, "done")
        self.assertEqual(staged.pos_order_id.session_id, session)
        self.assertFalse(staged.activity_ids)

    def test_never_imports_into_a_closing_session(self):
        session = self.open_session()
        session.write({"state": "closing_control"})
        order = self.sim.add_order(**order_data())
        self.poll()
        self.assertEqual(self.staged(order).state, "pending")

    def test_unparseable_order_is_stored_as_error_not_acked_and_batch_continues(self):
        self.open_session()
        bad = self.sim.add_order(**order_data(total="bin dört yüz"))
        keyless = self.sim.add_order(**order_data(payment_key="../../restaurants/status/close/" + REST_A))
        good = self.sim.add_order(**order_data())
        stats = self.poll()
        self.assertEqual((stats["errors"], stats["rejected"], stats["imported"]), (2, 1, 1))
        bad_staged = self.staged(bad)
        self.assertEqual(bad_staged.state, "error")
        self.assertIn("total", bad_staged.error_message)
        self.assertIn("bin dört yüz", bad_staged.sudo().payload)
        self.assertEqual(self.staged(good).state, "done")
        self.assertEqual({a["payment_key"] for a in self.sim.ack_log()}, {good["payment_key"]})
        self.assertFalse(self.staged(keyless))
        # only valid UUIDs ever reach a URL
        self.assertFalse([r for r in self.sim.request_log() if "restaurants/status" in r["path"]])
        # the platform fixes the order: it is imported and acknowledged
        self.sim.orders[bad["payment_key"]]["data"]["total"] = 594.31
        self.poll()
        self.assertEqual(bad_staged.state, "done")
        self.assertIn(bad["payment_key"], {a["payment_key"] for a in self.sim.ack_log()})

    def test_two_accounts_two_configs_routed_by_restaurant(self):
        self.sim.accounts = {"key-a": [REST_A], "key-b": [REST_B]}
        self.account.rest_secret_key = "key-a"
        account_b = self.account.copy(
            {"name": "B", "app_secret_key": self.sim.app_secret_key, "rest_secret_key": "key-b"}
        )
        config_b = self.env["pos.config"].create(
            {
                "name": "Akat",
                "payment_method_ids": [(6, 0, self.bank_pm1.ids)],
                "dukkango_account_id": account_b.id,
                "dukkango_restaurant_id": self.restaurant(REST_B, account_b).id,
            }
        )
        self.open_session()
        self.open_session(config_b)
        order_a = self.sim.add_order(**order_data(restaurant_id=REST_A))
        order_b = self.sim.add_order(**order_data(restaurant_id=REST_B))
        self.poll()
        self.poll(account_b)
        self.assertEqual(self.staged(order_a).pos_order_id.config_id, self.config)
        self.assertEqual(self.staged(order_b).pos_order_id.config_id, config_b)
        self.assertEqual(self.staged(order_b).account_id, account_b)

    def test_restaurant_without_config_is_acked_pending_then_imported_when_linked(self):
        self.open_session()
        order = self.sim.add_order(**order_data(restaurant_id=REST_B))
        self.poll()
        staged = self.staged(order)
        self.assertEqual((staged.state, staged.acked_status_id, staged.config_id.id), ("pending", 1, False))
        config_b = self.env["pos.config"].create({"name": "Akat", "payment_method_ids": [(6, 0, self.bank_pm1.ids)]})
        config_b.write({"dukkango_account_id": self.account.id, "dukkango_restaurant_id": self.restaurant(REST_B).id})
        self.assertEqual(staged.config_id, config_b)
        self.assertIn(config_b.dukkango_online_payment_method_id, config_b.payment_method_ids)
        self.open_session(config_b)
        self.assertEqual(staged.state, "done")
        self.assertEqual(staged.pos_order_id.config_id, config_b)

    @mute_logger("odoo.sql_db")
    def test_one_restaurant_feeds_one_config(self):
        with self.assertRaises(psycopg2.IntegrityError), self.cr.savepoint():
            self.env["pos.config"].create(
                {
                    "name": "Kopya",
                    "dukkango_account_id": self.account.id,
                    "dukkango_restaurant_id": self.restaurant(REST_A).id,
                }
            )

    def test_a_poll_imports_everything_waiting_batch_after_batch(self):
        self.open_session()
        for _ in range(IMPORT_BATCH + 20):
            self.sim.add_order(**order_data(foods=[AYRAN], discount=0, courier_fee=0, order_tip=0, total=35))
        with (  # time enough, however busy the machine
            patch.object(dukkango_poll_cycle, "CYCLE_BUDGET", 600),
            patch.object(dukkango_poll_cycle, "IMPORT_TIME_BUDGET", 600),
        ):
            stats = self.poll()
        self.assertEqual((stats["stored"], stats["imported"], stats["remaining"]), (120, 120, 0))
        self.assertEqual(self.env["pos.order"].search_count([("dukkango_order_id", "!=", False)]), 120)

    def test_import_again_finds_the_pos_order_it_made(self):
        """An order imported again (its record lost the link) finds the pos.order of its
        uuid instead of making a second one."""
        self.open_session()
        order = self.sim.add_order(**order_data())
        self.poll()
        staged = self.staged(order)
        pos_order = staged.pos_order_id
        self.assertEqual(pos_order.state, "paid")
        staged.write({"state": "pending", "pos_order_id": False})
        imported, _remaining = self.env["dukkango.pos.import"]._import_pending(self.account)
        self.assertEqual((imported, staged.state, staged.pos_order_id), (1, "done", pos_order))
        self.assertEqual(self.env["pos.order"].search_count([("dukkango_order_id", "=", staged.id)]), 1)

    def test_import_time_budget_leaves_the_rest_to_the_next_cycle(self):
        self.open_session()
        for _ in range(IMPORT_BATCH + 20):
            self.sim.add_order(**order_data(foods=[AYRAN], discount=0, courier_fee=0, order_tip=0, total=35))
        with patch.object(dukkango_poll_cycle, "IMPORT_TIME_BUDGET", 0):
            stats = self.poll()
        # no time left: a batch only as large as the time allows, but at least one order
        self.assertEqual((stats["acked"], stats["imported"], stats["remaining"]), (120, 1, 119))
        # the cron comes back at once (its progress says work remains): before the next
        # poll is due, that cycle imports the rest without asking Dükkango
        with (
            patch.object(dukkango_poll_cycle, "CYCLE_BUDGET", 600),
            patch.object(dukkango_poll_cycle, "IMPORT_TIME_BUDGET", 600),
        ):
            stats = self.account._poll_orders()
        self.assertEqual((stats["polled"], stats["imported"], stats["remaining"]), (False, 119, 0))
        self.assertEqual(len(self.sim.request_log("get-current")), 1)
        self.assertEqual(self.DukkangoOrder.search_count([("state", "=", "done")]), 120)

    # ------------------------------------------------------------------ polling rhythm
    def test_cooldown_respected(self):
        self.poll()
        self.assertEqual(len(self.sim.request_log("get-current")), 1)
        next_poll = self.account.next_poll_at
        self.assertAlmostEqual(next_poll, fields.Datetime.now() + timedelta(seconds=30), delta=timedelta(seconds=5))
        stats = self.account._poll_orders()  # too early: nothing is sent
        self.assertFalse(stats["polled"])
        self.assertEqual(len(self.sim.request_log("get-current")), 1)

    def test_rate_limit_waits_as_told(self):
        self.sim.cooldown = 100
        self.account._get_client().get_current_orders()  # somebody else just polled
        stats = self.poll()
        self.assertFalse(stats["polled"])
        wait = self.account.next_poll_at - fields.Datetime.now()
        self.assertGreater(wait, timedelta(seconds=90))

    def test_concurrent_polls_do_not_both_poll(self):
        # both workers need to see the account: commit it on a cursor of its own
        with self.registry.cursor() as cr:
            account_id = (
                api.Environment(cr, SUPERUSER_ID, {})["dukkango.account"]
                .create(
                    {
                        "name": "Paylaşılan",
                        "api_url": self.sim.base_url,
                        "timeout": 10,
                        "app_secret_key": self.sim.app_secret_key,
                        "rest_secret_key": self.sim.rest_secret_key,
                    }
                )
                .id
            )
        self.addCleanup(self._drop_committed_account, account_id)
        first_waits, second_done = threading.Event(), threading.Event()

        def hold_get_current(endpoint):
            if endpoint == "get-current" and not first_waits.is_set():
                first_waits.set()
                second_done.wait(10)

        # environments are made in this thread: the registry is locked while tests run
        first_cr = self.registry.cursor()
        first_env = api.Environment(first_cr, SUPERUSER_ID, {})
        first_results = []
        thread = threading.Thread(
            target=lambda: first_results.append(first_env["dukkango.account"].browse(account_id)._poll_orders())
        )
        self.sim.on_request = hold_get_current
        thread.start()
        try:
            self.assertTrue(first_waits.wait(10))  # the first worker is inside its poll
            with self.registry.cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '5s'")
                second = api.Environment(cr, SUPERUSER_ID, {})["dukkango.account"].browse(account_id)._poll_orders()
                cr.rollback()
        finally:
            second_done.set()
            thread.join(20)
            first_cr.rollback()
            first_cr.close()
        self.assertFalse(second["polled"])  # it found the account locked and went away
        self.assertTrue(first_results and first_results[0]["polled"])
        self.assertEqual(len(self.sim.request_log("get-current")), 1)

    def _drop_committed_account(self, account_id):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM dukkango_account WHERE id = %s", (account_id,))

    def test_cron_polls_and_triggers_itself_at_next_poll(self):
        cron = self.env.ref("pos_dukkango.ir_cron_dukkango_poll_orders")
        self.assertEqual(cron.code.strip(), "model._cron_poll_orders()")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "minutes"))
        self.open_session()
        order = self.sim.add_order(**order_data())
        self.account.next_poll_at = False
        self.env["dukkango.account"]._cron_poll_orders()
        self.assertEqual(self.staged(order).state, "done")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertIn(self.account.next_poll_at, triggers.mapped("call_at"))

    def test_concurrent_update_leaves_orders_waiting_not_failed(self):
        """A serialization failure (another worker updated the same rows) is not the order's
        fault: the cycle stops and the orders wait for the next poll, then import."""

        class SerializationFailure(psycopg2.OperationalError):
            pgcode = psycopg2.errorcodes.SERIALIZATION_FAILURE

        self.open_session()
        first, second = (self.sim.add_order(**order_data(foods=[ITEMS[1]], total=105, discount="0")) for _ in "ab")
        importer = type(self.env["dukkango.pos.import"])
        original = importer._import_order
        calls = []

        def import_order(self_, order, products=None):
            calls.append(order)
            if len(calls) == 2:
                raise SerializationFailure("could not serialize access due to concurrent update")
            return original(self_, order, products)

        raised = None
        with patch.object(importer, "_import_order", import_order):
            try:
                self.poll()
            except psycopg2.OperationalError as error:
                raised = error
        self.assertIsInstance(raised, SerializationFailure)
        self.assertEqual((self.staged(first).state, self.staged(second).state), ("pending", "pending"))
        self.poll()
        self.assertEqual((self.staged(first).state, self.staged(second).state), ("done", "done"))

    def test_one_cycle_per_account_at_a_time(self):
        """While another worker is in a cycle of the account (it holds the account's poll lock
        across its commits), a poll does nothing: two cycles would fight over the same rows."""
        self.sim.add_order(**order_data())
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", (POLL_LOCK_CLASS, self.account.id))
            self.assertFalse(self.poll()["polled"])
            self.assertEqual(self.sim.request_log("get-current"), [])
        self.assertTrue(self.poll()["polled"])
        self.assertEqual(len(self.sim.request_log("get-current")), 1)
