#!/usr/bin/env python3
"""Fault soak: the real poll pipeline against the simulator under random faults.

    python tools/soak.py --db DB --addons-path PATH [--orders 10000] [--minutes 30]
        [--variants 0.2] [--latency MS] [--jitter MS]

(``make soak`` runs it on a fresh database with the defaults; ``make test`` runs a small
one.) The simulator runs in this process and creates the orders over the run, a share of
them (``--variants``) in PHP-style shapes, every request taking the round trip of
``--latency`` ± ``--jitter`` (default: ``LATENCY_MS`` and ``JITTER_MS``, else 0); one Odoo
process (a child, real commits) runs two pollers on the same account, each in its own
thread with its own cursor. Every request to every endpoint fails at random, each at the
rates of FAULT_RATES (HTTP 500, timeouts, dropped connections, 429, malformed bodies;
none in the final quiet period that drains the rest), and the child also dies between the
commit and the acknowledgement of some polls (an injected crash: the poll raises, the
next one goes on). At every acknowledgement the simulator checks through its own
database connection that the order's row is already committed with that status.

Prints one table and exits 0 only when duplicates, lost orders, early acknowledgements
and money mismatches are all 0.
"""

import json
import math
import os
import random
import subprocess
import sys
import threading
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import RESTAURANT as REST
from odoo_process import OdooProcess, child_command, connect, read_child_account, tool_parser

from dukkango.testing.simulator import Simulator
from dukkango.validation import number_text

FAULT_RATES = {"500": 0.03, "timeout": 0.005, "drop": 0.02, "429": 0.02, "malformed": 0.01}
CRASH_RATE = 0.05  # polls that die between the commit and the acknowledgements


def platform_total(value):
    """The total of an order as the platform sent it, to the kuruş (a variant may send
    ``"1.234,50"`` or ``594.3100000000001``)."""
    text = number_text(value) if isinstance(value, str) else repr(value)
    return Decimal(text).quantize(Decimal("0.01"), ROUND_HALF_UP)


def inject_ack_crashes(registry, seed):
    """Make ``dukkango.poll.cycle._acknowledge`` raise in CRASH_RATE of the poll cycles: an
    injected crash between the commit of the orders and their acknowledgements."""
    PollCycle = registry["dukkango.poll.cycle"]
    original_ack = PollCycle._acknowledge
    rng = random.Random(seed)

    def crashing_ack(self, account, client, *args, **kwargs):
        if rng.random() < CRASH_RATE:
            raise RuntimeError("injected crash before the acknowledgements")
        return original_ack(self, account, client, *args, **kwargs)

    PollCycle._acknowledge = crashing_ack


def child(args):
    """Set up an account and an open session, then run two pollers until told to stop."""
    process = OdooProcess(args, log_level="error")
    account_id = process.setup_child_account(args, "Soak", poll_cooldown=0.2, timeout=2)
    inject_ack_crashes(process.registry, args.seed)
    stop = Path(args.stop_file)
    counters = {"polls": 0, "crashes": 0, "errors": 0}

    def poller():
        while not stop.exists():
            with process.env() as env:
                try:
                    stats = env["dukkango.account"].browse(account_id)._poll_orders()
                    env.cr.commit()
                    counters["polls"] += stats["polled"]
                except RuntimeError:
                    env.cr.rollback()
                    counters["crashes"] += 1
                except Exception as error:  # noqa: BLE001 - counted and shown in the table
                    env.cr.rollback()
                    counters["errors"] += 1
                    print(f"poll failed: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
            time.sleep(0.05)

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(counters), flush=True)


class Soak:
    def __init__(self, args):
        self.args = args
        self.sim = Simulator(
            cooldown=0,
            seed=args.seed,
            timeout_delay=2.5,
            variants=args.variants,
            latency_ms=args.latency,
            jitter_ms=args.jitter,
        ).start()
        self.early_acks = []
        self.account = None
        self.lock = threading.Lock()
        self.cnx = connect(args)
        self.cnx.autocommit = True
        self.sim.on_ack = self.check_committed

    def check_committed(self, key, status):
        """Run at each acknowledgement: is the order committed, with this status, already?"""
        with self.lock, self.cnx.cursor() as cur:
            cur.execute(
                "SELECT seen_status_id FROM dukkango_order WHERE account_id = %s AND payment_key = %s",
                (self.account, key),
            )
            row = cur.fetchone()
        if not row or row[0] != status:
            self.early_acks.append((key, status, row))
            return False
        return True

    def query(self, sql, params=()):
        with self.lock, self.cnx.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def run(self):
        args = self.args
        rng = random.Random(args.seed)
        stop_file = Path(f"/tmp/pos_dukkango_soak_{os.getpid()}.stop")
        stop_file.unlink(missing_ok=True)
        extra = ("--seed", str(args.seed), "--stop-file", str(stop_file))
        command = child_command(__file__, "child", args, self.sim, *extra)
        started = time.time()
        self.sim.fault_rates = dict(FAULT_RATES)
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        account = self.account = read_child_account(proc.stdout.readline())
        deadline = started + args.minutes * 60
        created = 0
        per_tick = max(1, math.ceil(args.orders / (args.minutes * 120)))  # a tick every 0.5 s
        while created < args.orders and time.time() < deadline and proc.poll() is None:
            for _ in range(min(per_tick, args.orders - created)):
                self.sim.add_order(restaurant_id=REST, payment_method=rng.choice(["Kredi Kartı", "Nakit"]))
                created += 1
            for key in rng.sample(list(self.sim.orders), min(3, len(self.sim.orders))):
                nxt = {1: 2, 2: 16, 16: 5}.get(self.sim.order_status(key))
                if nxt and rng.random() < 0.5:
                    self.sim.set_status(key, nxt if rng.random() < 0.95 else 6)
            time.sleep(0.5)
        # quiet period: no new faults, let the pollers drain everything
        self.sim.fault_rates = {}
        quiet_deadline = time.time() + max(120, args.orders * 0.05)
        while time.time() < quiet_deadline and proc.poll() is None:
            unacked = [k for k, r in self.sim.orders.items() if r["acked_status"] != r["status_id"]]
            pending = self.query(
                "SELECT count(*) FROM dukkango_order WHERE account_id = %s AND state NOT IN ('done', 'cancelled')",
                (account,),
            )[0][0]
            if not unacked and not pending:
                break
            time.sleep(1)
        stop_file.touch()
        out, _err = proc.communicate(timeout=120)
        stop_file.unlink(missing_ok=True)
        lines = out.strip().splitlines()
        if proc.returncode or not lines:
            print(f"the polling Odoo process failed ({proc.returncode})", file=sys.stderr)
            print("soak: 0 passed, 1 failed", flush=True)
            return 1
        child_counters = json.loads(lines[-1])
        return self.report(account, created, child_counters, time.time() - started)

    def report(self, account, created, child_counters, seconds):
        rows = self.query(
            """SELECT d.payment_key, count(DISTINCT d.id), count(p.id), max(p.amount_total), max(d.status_id),
                      max(d.state), max(d.error_message)
                 FROM dukkango_order d LEFT JOIN pos_order p ON p.dukkango_order_id = d.id
                WHERE d.account_id = %s GROUP BY d.payment_key""",
            (account,),
        )
        by_key = {r[0]: r for r in rows}
        records = sum(r[1] for r in rows)
        pos_orders = sum(r[2] for r in rows)
        duplicates = sum(max(0, r[1] - 1) + max(0, r[2] - 1) for r in rows)
        # an order the platform cancelled before it reached a till is rightly not a sale
        lost = [k for k in self.sim.orders if k not in by_key or (by_key[k][2] == 0 and by_key[k][5] != "cancelled")]
        cancelled = sum(row[2] == 0 and row[5] == "cancelled" for row in rows)
        for key in lost:
            state, error = by_key[key][5:7] if key in by_key else ("not stored", "")
            print(f"lost: {key} {state} {self.sim.variant_log.get(key, '')} {error or ''}", file=sys.stderr)
        unacked = [k for k, r in self.sim.orders.items() if r["acked_status"] != r["status_id"]]
        mismatches = [
            k
            for k, r in self.sim.orders.items()
            if k in by_key
            and by_key[k][3] is not None
            and Decimal(str(by_key[k][3])).quantize(Decimal("0.01")) != platform_total(r["data"]["total"])
        ]
        table = [
            ("orders created on the platform", created),
            ("dukkango.order records", records),
            ("pos.order records", pos_orders),
            ("get-current calls", len(self.sim.request_log("get-current"))),
            ("acknowledgements", len(self.sim.acks)),
            (
                "polls completed / injected crashes / aborted by a concurrent update (retried)",
                f"{child_counters['polls']} / {child_counters['crashes']} / {child_counters['errors']}",
            ),
            ("fault chance per request, every endpoint", ", ".join(f"{k} {v:.1%}" for k, v in FAULT_RATES.items())),
            ("faults served", ", ".join(f"{k} {self.sim.faults_served.get(k, 0)}" for k in FAULT_RATES)),
            ("crash rate between commit and ack", f"{CRASH_RATE:.0%}"),
            ("orders in PHP-style shapes (share asked)", f"{len(self.sim.variant_log)} ({self.args.variants:.0%})"),
            ("round trip of every request", f"{self.args.latency:g} ± {self.args.jitter:g} ms"),
            ("duplicates", duplicates),
            ("cancelled by the platform before they reached a till (no sale)", cancelled),
            ("lost orders", len(lost)),
            ("acks before the order was committed", len(self.early_acks)),
            ("orders left unacknowledged", len(unacked)),
            ("money mismatches (pos.order vs platform total)", len(mismatches)),
            ("seconds", f"{seconds:.0f}"),
            ("seed", self.args.seed),
        ]
        width = max(len(label) for label, _value in table)
        print("\n" + "-" * (width + 14))
        for label, value in table:
            print(f"{label:<{width}}  {value}")
        print("-" * (width + 14))
        ok = not duplicates and not lost and not self.early_acks and not mismatches and not unacked
        print(f"soak: {1 if ok else 0} passed, {0 if ok else 1} failed", flush=True)
        return 0 if ok else 1


def main():
    parser = tool_parser(__doc__, roles=("parent", "child"), simulator=True)
    parser.add_argument("--orders", type=int, default=10000)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a new one each run)")
    parser.add_argument("--variants", type=float, default=0.2, help="share of orders in PHP-style shapes")
    for option, variable in (("--latency", "LATENCY_MS"), ("--jitter", "JITTER_MS")):
        parser.add_argument(option, type=float, default=float(os.environ.get(variable) or 0), metavar="MS")
    parser.add_argument("--stop-file", help="set by the parent process")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1_000_000)
    if args.role == "child":
        return child(args)
    soak = Soak(args)
    try:
        return soak.run()
    finally:
        soak.sim.stop()


if __name__ == "__main__":
    sys.exit(main())
