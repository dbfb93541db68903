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

    def test_slow_acknowledgements_leave_the_imports_their_turn(self):
        self.open_session()
        orders = self.add_orders(40)
        imported_at, acks_started = [], []
        cycle = type(self.env["dukkango.poll.cycle"])
        import_waiting = cycle._import_waiting

        def timed_import(cycle_self, account, deadline=None):
            imported_at.append(time.monotonic())
            return import_waiting(cycle_self, account, deadline)

        def slow_ack(endpoint):
            # each acknowledgement takes 0.25 s: 40 of them, 4 at a time, take 2.5 s
            if endpoint == "success":
                acks_started.append(time.monotonic())
                time.sleep(0.25)

        self.sim.on_request = slow_ack
        with (
            patch.object(dukkango_poll_cycle, "CYCLE_BUDGET", 4.0),
            patch.object(dukkango_poll_cycle, "FIRST_ACK_ROUND", 0.5),
            patch.object(cycle, "_import_waiting", timed_import),
        ):
            started = time.monotonic()
            stats = self.poll()
            elapsed = time.monotonic() - started
        self.assertLess(imported_at[0] - acks_started[0], 0.5 + 0.3, "the imports come after the first round")
        self.assertLess(elapsed, 4.0 + 0.5, "no cycle over the budget")
        self.assertEqual(stats["imported"], 40)
        self.assertTrue(all(self.staged(order).state == "done" for order in orders))
        first_round = len([started for started in acks_started if started < imported_at[0]])
        self.assertLess(first_round, 40)
        # the retry rounds went on with the orders the first round did not get to
        self.assertGreater(stats["acked"], first_round)
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
