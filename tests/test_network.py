# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The pipeline's mechanisms for a real network: one keep-alive session, bounded
concurrency, a time budget per cycle, a pace the platform never has to refuse.
(Figures at WAN latency are benchmarks: ``make bench``.)"""

import threading
import time
from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged

from ..models import dukkango_account, dukkango_poll_cycle
from ..models.common import utcnow
from ..models.dukkango_poll_cycle import ACK_WORKERS, DukkangoPollCycle
from .common import AYRAN, DukkangoPosCase, order_data

ONE_AYRAN = {"foods": [AYRAN], "discount": 0, "courier_fee": 0, "order_tip": 0, "total": 35}


@tagged("post_install", "-at_install")
class TestNetwork(DukkangoPosCase):
    def add_orders(self, count):
        return [self.sim.add_order(**order_data(**ONE_AYRAN)) for _ in range(count)]

    def test_one_keep_alive_session_per_account(self):
        dukkango_account._sessions.clear()  # other tests of the class used the account's session
        for _poll in range(3):
            self.poll()
        client = self.account._get_client()
        self.assertIs(client.session, self.account._get_client().session)
        pool = client.session.get_adapter(client.base_url + "/").poolmanager.connection_from_url(client.base_url)
        self.assertEqual(pool.num_connections, 1, "three polls, one connection")
        self.account.timeout = 7  # a changed setting gets a new session
        self.assertIsNot(client.session, self.account._get_client().session)

    def test_acknowledgements_go_out_a_few_at_a_time(self):
        self.open_session()
        self.add_orders(12)
        lock, in_flight, peak = threading.Lock(), [0], [0]

        def slow_ack(endpoint):
            if endpoint != "success":
                return None
            with lock:
                in_flight[0] += 1
                peak[0] = max(peak[0], in_flight[0])
            time.sleep(0.05)
            with lock:
                in_flight[0] -= 1
            return None

        self.sim.on_request = slow_ack
        stats = self.poll()
        self.assertEqual(stats["acked"], 12)
        self.assertGreater(peak[0], 1)
        self.assertLessEqual(peak[0], ACK_WORKERS)

    def test_a_token_the_acknowledgements_renew_is_stored_by_the_cycle(self):
        self.open_session()
        self.add_orders(3)
        stored_before = self.account.access_token
        expired = []

        def expire_at_the_first_ack(endpoint):
            if endpoint == "success" and not expired:
                expired.append(threading.current_thread())
                self.sim.expire_tokens()  # this acknowledgement gets a 401, its worker logs in again

        self.sim.on_request = expire_at_the_first_ack
        stored_in = []
        account_class = type(self.account)
        store_token = account_class._store_token

        def noted_store(account, token, expiry):
            stored_in.append(threading.current_thread())
            return store_token(account, token, expiry)

        # one worker: a single login again, whatever the order of the answers
        with (
            patch.object(account_class, "_store_token", noted_store),
            patch.object(dukkango_poll_cycle, "ACK_WORKERS", 1),
        ):
            self.assertEqual(self.poll()["acked"], 3)
        self.assertTrue(expired)
        self.assertNotEqual(self.account.access_token, stored_before)
        self.assertEqual(set(stored_in), {threading.current_thread()}, "stored by the cycle's thread only")
        # the stored token is the one the platform knows: the next poll needs no login
        self.sim.on_request = None
        logins = len(self.sim.request_log("login"))
        self.poll()
        self.assertEqual(len(self.sim.request_log("login")), logins)

    def test_an_ack_outage_never_makes_a_cycle_overrun_nor_starves_imports(self):
        self.open_session()
        orders = self.add_orders(20)
        self.sim.inject_fault("success", "500", 10_000)
        cycle = type(self.env["dukkango.poll.cycle"])
        with (
            patch.object(dukkango_poll_cycle, "CYCLE_BUDGET", 2.0),
            patch.object(dukkango_poll_cycle, "ACK_RETRY_DELAY", 0.4),
            patch.object(cycle, "_sleep", DukkangoPollCycle.__dict__["_sleep"]),  # real waits
        ):
            started = time.monotonic()
            stats = self.poll()
            elapsed = time.monotonic() - started
        self.assertLess(elapsed, 2.0 + 0.5)  # the cycle's own work after its deadline: none
        self.assertEqual((stats["imported"], stats["acked"]), (20, 0))
        self.assertTrue(all(self.staged(order).state == "done" for order in orders))
        self.sim.faults.clear()  # the outage ends: the next poll acknowledges them all
        self.assertEqual(self.poll()["acked"], 20)

    def test_acknowledgements_travel_while_the_orders_are_imported(self):
        self.open_session()
        orders = self.add_orders(40)
        imports, acks_started = [], []
        cycle = type(self.env["dukkango.poll.cycle"])
        import_waiting = cycle._import_waiting

        def timed_import(cycle_self, account, deadline=None, between_batches=None):
            began = time.monotonic()
            result = import_waiting(cycle_self, account, deadline, between_batches)
            imports.append((began, time.monotonic()))
            return result

        def slow_ack(endpoint):
            # each acknowledgement takes 0.25 s: 40 of them, 4 at a time, take 2.5 s
            if endpoint == "success":
                acks_started.append(time.monotonic())
                time.sleep(0.25)

        self.sim.on_request = slow_ack
        with (
            patch.object(dukkango_poll_cycle, "CYCLE_BUDGET", 4.0),
            patch.object(cycle, "_import_waiting", timed_import),
        ):
            started = time.monotonic()
            stats = self.poll()
            elapsed = time.monotonic() - started
        (import_began, import_ended), first_ack = imports[0], min(acks_started)
        self.assertLess(import_began - first_ack, 0.2, "the imports do not wait for the acknowledgements")
        self.assertTrue(any(import_began < at < import_ended for at in acks_started), "acks go on meanwhile")
        self.assertLess(elapsed, 4.0 + 0.5, "no cycle over the budget")
        self.assertEqual((stats["imported"], stats["acked"]), (40, 40))
        self.assertTrue(all(self.staged(order).state == "done" for order in orders))
        self.assertFalse(any(self.staged(order).ack_needed for order in orders))

    def test_an_ack_pass_stops_at_the_budget_and_the_next_poll_goes_on(self):
        self.open_session()
        self.add_orders(40)

        def slow_ack(endpoint):
            if endpoint == "success":
                time.sleep(0.25)

        self.sim.on_request = slow_ack
        with patch.object(dukkango_poll_cycle, "CYCLE_BUDGET", 1.5):
            started = time.monotonic()
            stats = self.poll()
            elapsed = time.monotonic() - started
        self.assertLess(elapsed, 1.5 + 0.5, "no cycle over the budget")
        self.assertGreater(stats["acked"], 0)
        self.assertLess(stats["acked"], 40, "1.5 s are not enough for 40 acknowledgements at 0.25 s, 4 at a time")
        self.sim.on_request = None
        self.assertEqual(self.poll()["acked"], 40 - stats["acked"], "the next poll acknowledges the rest")

    def test_next_poll_counts_from_when_get_current_left(self):
        def slow_get_current(endpoint):
            if endpoint == "get-current":
                time.sleep(0.4)

        self.account._get_client().ensure_token()  # a login first: its time does not count
        self.sim.on_request = slow_get_current
        self.account.next_poll_at = False
        before = utcnow()
        self.assertTrue(self.account._poll_orders()["polled"])
        cooldown = timedelta(seconds=self.env["dukkango.poll.cycle"]._poll_cooldown())
        # the answer took 0.4 s: the next poll waits the cooldown plus that margin
        self.assertGreaterEqual(self.account.next_poll_at, before + cooldown + timedelta(seconds=0.4))
