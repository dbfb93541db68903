# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A real restaurant's day: poison orders, statuses, keys, rights, people told."""

from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..dukkango.testing.simulator import Simulator
from ..models.common import utcnow
from ..models.dukkango_poll_cycle import DukkangoPollCycle
from .common import AYRAN, REST_A, REST_B, DukkangoPosCase, order_data

ONE_AYRAN = {"foods": [AYRAN], "discount": 0, "courier_fee": 0, "order_tip": 0, "total": 35}


@tagged("post_install", "-at_install")
class TestHardening(DukkangoPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        users = {"login": None, "company_id": company.id, "company_ids": [Command.set(company.ids)]}
        cls.cashier = new_test_user(cls.env, **{**users, "login": "dk_kasiyer"}, groups="point_of_sale.group_pos_user")
        cls.manager = new_test_user(cls.env, **{**users, "login": "dk_mudur"}, groups="point_of_sale.group_pos_manager")
        cls.admin = new_test_user(
            cls.env, **{**users, "login": "dk_admin"}, groups="base.group_system,point_of_sale.group_pos_manager"
        )

    # ------------------------------------------------------------------ poison orders
    def test_poison_orders_become_errors_and_the_rest_of_the_answer_goes_through(self):
        self.open_session()
        poisons = {
            "64-bit number": order_data(id=2**40, **ONE_AYRAN),
            "lone surrogate": order_data(note="Zil \ud800 bozuk", **ONE_AYRAN),
            "NUL in the note": order_data(note="a\x00b", **ONE_AYRAN),
            "10 MB string": order_data(ek_bilgi="x" * 10_000_000, **ONE_AYRAN),
        }
        for data in poisons.values():
            self.sim.add_raw(self.sim.generate_order(**data))
        good = [self.sim.add_order(**order_data(**ONE_AYRAN)) for _ in range(3)]
        stats = self.poll()
        self.assertEqual((stats["stored"], stats["errors"], stats["imported"]), (3, 4, 3))
        errors = self.DukkangoOrder.search([("state", "=", "error")])
        self.assertEqual(len(errors), 4)
        for error in errors.sudo():
            self.assertTrue(error.error_message)
            self.assertTrue(error.payload)
            self.assertLessEqual(len(error.payload), 1_000_010)
            self.assertFalse(error.acked_status_id)
        self.assertIn("too large", "\n".join(errors.mapped("error_message")))
        acked = {ack["payment_key"] for ack in self.sim.ack_log()}
        self.assertEqual(acked, {order["payment_key"] for order in good})
        self.assertTrue(all(self.staged(order).state == "done" for order in good))

    def test_an_unreadable_order_with_unstorable_text_still_lets_the_rest_through(self):
        self.open_session()
        poison = order_data(**{**ONE_AYRAN, "restaurant_name": "Şube\x00", "total": "yok"})
        self.sim.add_raw(self.sim.generate_order(**poison))
        good = self.sim.add_order(**order_data(**ONE_AYRAN))
        stats = self.poll()
        self.assertEqual((stats["errors"], stats["imported"]), (1, 1))
        self.assertEqual(self.staged(good).state, "done")

    def test_a_payment_key_with_spaces_keeps_its_later_statuses(self):
        self.open_session()
        order = self.sim.add_order(**order_data(**ONE_AYRAN))
        self.poll()
        key = order["payment_key"]
        self.sim.orders[key]["data"]["payment_key"] = f"  {key.upper()} "
        self.sim.set_status(key, 6)
        self.poll()
        self.assertEqual(self.DukkangoOrder.search_count([("payment_key", "=", key)]), 1)
        self.assertEqual(self.staged(order).status, "cancelled")

    def test_a_till_serves_a_restaurant_of_its_own_account_once(self):
        other = self.account.copy({"name": "Zincir"})
        with self.assertRaises(ValidationError):  # a restaurant of another account
            self.config.dukkango_account_id = other
        twin = self.env["dukkango.restaurant"].create({"account_id": other.id, "uuid": REST_A, "name": "Aynı şube"})
        till = self.env["pos.config"].create({"name": "İkinci kasa"})
        with self.assertRaises(ValidationError):  # the same branch reached by a second key
            till.write({"dukkango_account_id": other.id, "dukkango_restaurant_id": twin.id})

    def test_a_failed_cycle_is_recorded_on_the_account_and_the_others_go_on(self):
        account_b = self.account.copy({"name": "B", "app_secret_key": self.sim.app_secret_key})
        account_b.rest_secret_key = self.sim.rest_secret_key
        original_run = DukkangoPollCycle._run

        def run(cycle, account):
            if account == self.account:
                raise RuntimeError("disk full")
            return original_run(cycle, account)

        cycle = type(self.env["dukkango.poll.cycle"])
        with (
            patch.object(cycle, "_run", run),
            # the real recovery (tests/common.py makes a failed cycle fail the test), but a
            # test's transaction cannot be rolled back
            patch.object(cycle, "_recover", DukkangoPollCycle.__dict__["_recover"]),
            patch.object(self.env.cr, "rollback", lambda: None),
            mute_logger("odoo.addons.pos_dukkango.models.dukkango_poll_cycle"),
        ):
            before = utcnow()
            self.env["dukkango.account"]._cron_poll_orders()
        self.assertIn("disk full", self.account.last_poll_error)
        self.assertTrue(account_b.last_poll_at)
        # the failed account is not polled again before a cooldown (the platform would say 429)
        cooldown = timedelta(seconds=self.env["dukkango.poll.cycle"]._poll_cooldown())
        self.assertGreaterEqual(self.account.next_poll_at, before + cooldown)

    # ------------------------------------------------------------------ statuses
    def test_unknown_status_never_moves_a_known_one_back(self):
        self.open_session()
        order = self.sim.add_order(**order_data())
        self.poll()
        staged = self.staged(order)
        self.sim.set_status(order["payment_key"], 2)
        self.poll()
        self.sim.set_status(order["payment_key"], 77, "Kuryeye atanıyor")
        self.poll()
        self.assertEqual((staged.status_id, staged.status, staged.seen_status_id), (2, "confirmed", 77))
        self.assertTrue(any("Kuryeye atanıyor" in message.body for message in staged.message_ids))
        self.sim.set_status(order["payment_key"], 1)
        self.poll()
        self.assertEqual(staged.status, "confirmed")
        self.assertEqual([a["status_id"] for a in self.sim.ack_log(order["payment_key"])], [1, 2, 77, 1])

    def test_order_first_seen_cancelled_is_acknowledged_not_sold(self):
        self.open_session()
        order = self.sim.add_order(**order_data(status_id=6))
        self.poll()
        staged = self.staged(order)
        self.assertEqual((staged.state, staged.acked_status_id, staged.pos_order_id.id), ("cancelled", 6, False))

    def test_a_cash_order_imported_again_finds_its_draft(self):
        self.open_session()
        order = self.sim.add_order(**order_data(payment_method="Nakit"))
        self.poll()
        staged = self.staged(order)
        draft = staged.pos_order_id
        self.assertEqual(draft.state, "draft")
        staged.write({"state": "pending", "pos_order_id": False})
        imported, _remaining = self.env["dukkango.pos.import"]._import_pending(self.account)
        self.assertEqual((imported, staged.pos_order_id, draft.state), (1, draft, "draft"))
        self.assertAlmostEqual(draft.amount_total, 594.31, places=2)
        self.assertEqual(self.env["pos.order"].search_count([("dukkango_order_id", "=", staged.id)]), 1)

    def test_no_import_into_a_closing_session(self):
        session = self.open_session()
        order = self.sim.add_order(**order_data())
        session.action_pos_session_closing_control()
        self.poll()
        self.assertEqual(self.staged(order).state, "pending")

    # ------------------------------------------------------------------ keys
    def test_only_administrators_point_the_keys_elsewhere(self):
        other = Simulator(cooldown=0, seed=3).start()
        self.addCleanup(other.stop)
        account = self.account.with_user(self.admin)
        manager_account = self.account.with_user(self.manager)
        with self.assertRaisesRegex(AccessError, "Only administrators"):
            manager_account.write({"api_url": other.base_url})
        with self.assertRaises(AccessError):
            self.env["dukkango.account"].with_user(self.manager).create(
                {"name": "Kötü", "api_url": other.base_url, "company_id": self.env.company.id}
            )
        self.poll()
        self.assertEqual(other.request_log(), [], "the other server received nothing, no key")
        with self.assertRaisesRegex(ValidationError, "https://"):
            account.write({"api_url": "http://dukkango.example.com/api"})
        account.write({"api_url": other.base_url})  # loopback, by an administrator: the simulator
        self.assertEqual(self.account.api_url, other.base_url)

    def test_refused_keys_wait_longer_and_tell_the_responsible(self):
        self.account.sudo().rest_secret_key = "yanlış"
        waits = []
        for _poll in range(4):
            self.account.next_poll_at = False
            before = self.env["dukkango.poll.cycle"]._poll_cooldown()
            self.account._poll_orders()
            waits.append((self.account.next_poll_at - self.account.last_poll_at).total_seconds())
            self.assertGreater(waits[-1], before - 2)
        self.assertEqual(self.account.auth_failures, 4)
        self.assertGreater(waits[3], waits[1] * 1.5)
        self.assertIn("Refused 4 time(s)", self.account.last_poll_error)
        self.assertEqual(len(self.account.activity_ids), 1)
        self.account.sudo().rest_secret_key = self.sim.rest_secret_key  # new keys: tried at once
        self.assertEqual((self.account.auth_failures, self.account.next_poll_at), (0, False))
        self.assertTrue(self.account._poll_orders()["polled"])

    # ------------------------------------------------------------------ rights
    def test_manager_only_actions_are_refused_to_a_cashier_on_the_server(self):
        self.open_session()
        order = self.sim.add_order(**order_data(restaurant_id=REST_B))
        self.poll()
        staged = self.staged(order).with_user(self.cashier)
        config = self.config.with_user(self.cashier)
        for action in (
            self.account.with_user(self.cashier).action_fetch_orders,
            self.account.with_user(self.cashier).action_test_connection,
            staged.action_retry_import,
            staged.action_mark_handled,
            config.action_dukkango_open_store,
            config.action_dukkango_close_store,
        ):
            with self.assertRaises(AccessError, msg=action.__name__):
                action()
        self.assertTrue(self.account.with_user(self.manager).action_test_connection())

    def test_a_manager_cannot_link_a_till_to_another_companys_account(self):
        company_b = self.setup_other_company(name="Şube B Ltd.")["company"]
        manager_b = new_test_user(
            self.env,
            login="dk_mudur_b",
            groups="point_of_sale.group_pos_manager",
            company_id=company_b.id,
            company_ids=[Command.set((company_b | self.env.company).ids)],
        )
        till_b = self.env["pos.config"].with_company(company_b).create({"name": "Kasa B"})
        with self.assertRaises(UserError):
            till_b.with_user(manager_b).with_company(company_b).write({"dukkango_account_id": self.account.id})

    # ------------------------------------------------------------------ nobody uninformed
    def test_orders_no_till_serves_reach_a_person(self):
        self.open_session()
        for _ in range(2):
            self.sim.add_order(**order_data(restaurant_id=REST_B))
        self.poll()
        self.poll()  # the next polls update the same activity, never a second one
        self.assertEqual(self.account.attention_count, 2)
        activity = self.account.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.account.user_id)
        self.assertIn("2 Dükkango", activity.summary)
        self.assertEqual(self.config.dukkango_attention_count, 2)
        self.assertEqual(self.config.with_user(self.cashier).dukkango_attention_ui(), 2)
        action = self.config.action_dukkango_attention()
        orders = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(len(orders), 2)
        orders.with_user(self.manager).action_mark_handled()
        self.assertEqual(self.account.attention_count, 0)
        self.assertFalse(self.account.activity_ids)
