#!/usr/bin/env python3
"""Crash safety: kill the Odoo process with SIGKILL at the worst moments, restart, poll.

Run by ``make test`` (tools/run-tests.sh) with the Odoo virtualenv's Python, on a
database where pos_dukkango is installed:

    python tools/crash_test.py --db DB --addons-path PATH [--db-host H --db-port P --db-user U]

The simulator runs in this process; every poll runs in a child process (a plain Odoo
process: its commits are real) that this process kills with SIGKILL:

1. after the orders are committed, when the first acknowledgement is about to be sent;
2. in the middle of the acknowledgements of a 20-order batch;
3. at random moments of polls of a 30-order batch with status changes.

After each crash the child is started again and polls until nothing is left; then every
order must be exactly once in ``dukkango.order`` and in ``pos.order``, acknowledged for
its final status. Prints ``crash-safety: N passed, N failed`` and exits 1 on a failure.
"""

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import RESTAURANT as REST
from odoo_process import OdooProcess, child_command, connect, read_child_account, tool_parser

from dukkango.testing.simulator import Simulator

#: acknowledgements in flight at once (models/dukkango_poll_cycle.py ACK_WORKERS)
ACK_WORKERS = 4


def child_setup(args):
    OdooProcess(args).setup_child_account(args, "Crash")


def child_poll(args):
    with OdooProcess(args).env() as env:
        account = env["dukkango.account"].browse(args.account)
        account.next_poll_at = False
        stats = account._poll_orders()
    print(stats, flush=True)


class Parent:
    def __init__(self, args):
        self.args = args
        self.sim = Simulator(cooldown=0, seed=11, timeout_delay=1).start()
        self.child = None
        self.passed = self.failed = 0

    def run_child(self, role, *extra, kill_after=None):
        command = child_command(__file__, role, self.args, self.sim, *extra)
        self.child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            out, _err = self.child.communicate(timeout=kill_after or 300)
        except subprocess.TimeoutExpired:
            self.kill()
            out, _err = self.child.communicate()
        return self.child.returncode, out

    def kill(self):
        if self.child and self.child.poll() is None:
            os.kill(self.child.pid, signal.SIGKILL)
            self.child.wait()

    def query(self, sql, params=()):
        cnx = connect(self.args)
        try:
            with cnx, cnx.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            cnx.close()

    def poll_until_quiet(self, account, rounds=6):
        for _ in range(rounds):
            code, _out = self.run_child("poll", "--account", str(account))
            assert code == 0, f"a clean poll failed with {code}"
            if not any(r["acked_status"] != r["status_id"] for r in self.platform_orders()):
                pending = self.query(
                    "SELECT count(*) FROM dukkango_order WHERE account_id = %s AND state <> 'done'", (account,)
                )[0][0]
                if not pending:
                    return

    def platform_orders(self):
        return [dict(r, payment_key=k) for k, r in self.sim.orders.items()]

    def check(self, name, account):
        """Every platform order exactly once, imported once, acknowledged for its final status."""
        problems = []
        for order in self.platform_orders():
            key = order["payment_key"]
            rows = self.query(
                "SELECT id, state, status_id FROM dukkango_order WHERE account_id = %s AND payment_key = %s",
                (account, key),
            )
            if len(rows) != 1:
                problems.append(f"{key}: {len(rows)} records")
                continue
            pos_orders = self.query("SELECT count(*) FROM pos_order WHERE dukkango_order_id = %s", (rows[0][0],))[0][0]
            if pos_orders != 1:
                problems.append(f"{key}: {pos_orders} pos.order")
            if rows[0][2] != order["status_id"]:
                problems.append(f"{key}: local status {rows[0][2]}, platform {order['status_id']}")
            if order["acked_status"] != order["status_id"]:
                problems.append(f"{key}: status {order['status_id']} not acknowledged")
        if problems:
            self.failed += 1
            print(f"FAIL {name}: " + "; ".join(problems[:10]), flush=True)
        else:
            self.passed += 1
            print(f"ok   {name}: {len(self.platform_orders())} orders exactly once, all acknowledged", flush=True)

    def add_orders(self, count):
        """Start afresh on the platform with ``count`` new orders; their payment keys."""
        self.sim.reset()
        return [self.sim.add_order(restaurant_id=REST)["payment_key"] for _ in range(count)]

    def poll_killed_at_ack(self, account, nth):
        """Poll in a child that is killed with SIGKILL as it sends its ``nth`` acknowledgement
        (the request is dropped: the platform never hears it)."""
        acks = []

        def die_at_nth_ack(endpoint):
            if endpoint != "success":
                return None
            acks.append(endpoint)
            if len(acks) < nth:
                return None
            self.sim.on_request = None
            self.kill()
            return "drop"

        self.sim.on_request = die_at_nth_ack
        code, _out = self.run_child("poll", "--account", str(account))
        assert code == -signal.SIGKILL, f"the child was not killed ({code})"

    def scenario_kill_before_first_ack(self, account):
        self.add_orders(5)
        self.poll_killed_at_ack(account, 1)
        stored = self.query("SELECT count(*) FROM dukkango_order WHERE account_id = %s", (account,))[0][0]
        assert stored == 5, f"{stored} orders were committed before the first ack, 5 expected"
        # the acknowledgements go out ACK_WORKERS at a time: those already on their way
        # when the first one killed the worker may have arrived
        assert len(self.sim.ack_log()) < ACK_WORKERS, f"{len(self.sim.ack_log())} acks recorded"
        self.poll_until_quiet(account)
        self.check("SIGKILL after commit, before the first ack", account)

    def scenario_kill_mid_ack_batch(self, account):
        self.add_orders(20)
        self.poll_killed_at_ack(account, 8)
        assert 7 <= len(self.sim.ack_log()) < 7 + ACK_WORKERS, len(self.sim.ack_log())
        self.poll_until_quiet(account)
        self.check("SIGKILL in the middle of a batch of acknowledgements", account)

    def scenario_random_kills(self, account):
        rng = random.Random(5)
        keys = self.add_orders(30)
        killed = 0
        for _round in range(6):
            for key in rng.sample(keys, 5):  # the platform moves some orders on
                status = self.sim.order_status(key)
                nxt = {1: 2, 2: 16, 16: 5}.get(status)
                if nxt:
                    self.sim.set_status(key, nxt)
            code, _out = self.run_child("poll", "--account", str(account), kill_after=rng.uniform(2.0, 6.0))
            killed += code == -signal.SIGKILL
        assert killed, "no poll was killed: the moments are too late"
        self.poll_until_quiet(account)
        self.check(f"SIGKILL at random moments ({killed} of 6 polls killed)", account)

    def main(self):
        code, out = self.run_child("setup")
        assert code == 0, f"setup failed ({code})"
        account = read_child_account(out.strip().splitlines()[-1])
        try:
            for scenario in (
                self.scenario_kill_before_first_ack,
                self.scenario_kill_mid_ack_batch,
                self.scenario_random_kills,
            ):
                try:
                    scenario(account)
                except AssertionError as error:
                    self.failed += 1
                    print(f"FAIL {scenario.__name__}: {error}", flush=True)
        finally:
            self.kill()
            self.sim.stop()
        print(f"crash-safety: {self.passed} passed, {self.failed} failed", flush=True)
        return 1 if self.failed or not self.passed else 0


def main():
    parser = tool_parser(__doc__, roles=("parent", "setup", "poll"), simulator=True)
    parser.add_argument("--account", type=int, help="set by the parent process")
    args = parser.parse_args()
    if args.role == "setup":
        return child_setup(args)
    if args.role == "poll":
        return child_poll(args)
    return Parent(args).main()


if __name__ == "__main__":
    sys.exit(main())
