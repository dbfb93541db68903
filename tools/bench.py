#!/usr/bin/env python3
"""Benchmarks of the order pipeline on real Odoo 18 + PostgreSQL, the platform (the simulator,
in this process) answering each request after a round trip: one table, a column per round
trip, also written as JSON (.build/bench.json). ``make bench`` runs it on a fresh database:

    python tools/bench.py --db DB --addons-path PATH [--column 0:0] [--column 80:20]

Without ``--column``: the one of ``LATENCY_MS`` and ``JITTER_MS`` when set, else both above.
readme/RELIABILITY.rst ("Benchmark") says how each figure is measured.
"""

import json
import logging
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import RESTAURANT as REST
from odoo_process import ROOT, OdooProcess, link_restaurant, odoo_options, setup_account, tool_parser

from dukkango.testing.simulator import DEFAULT_REST_KEY, DEFAULT_RESTAURANTS, Simulator

#: the fields of a new customer as the import creates it (``_prepare_partner_vals``), which
#: the till's path creates again from the customer the import's vals point to
PARTNER_FIELDS = ("name", "phone", "street", "street2", "city", "country_id", "comment", "company_id")
COOLDOWN = "pos_dukkango.poll_cooldown"
CRON = "pos_dukkango.ir_cron_dukkango_poll_orders"
#: where the account model keeps each process's HTTP sessions
SESSIONS = "odoo.addons.pos_dukkango.models.dukkango_account"


def rest_key(number):  # of account ``number``: 1 is the bench's, the others are for the accounts measure
    return DEFAULT_REST_KEY if number == 1 else f"bench-key-{number:02}"


def branch(number):  # the restaurant of account ``number``
    return REST if number == 1 else f"{number:08x}-0000-4000-8000-{number:012x}"


def rows_written(cr):
    """Rows inserted, updated or deleted so far in the database's user tables."""
    time.sleep(1.5)  # other connections report their counts at most every second
    cr.execute("SELECT pg_stat_force_next_flush()")
    cr.commit()  # this connection's own counts are reported when its transaction ends
    cr.execute("SELECT pg_stat_clear_snapshot()")
    cr.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables")
    return cr.fetchone()[0]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else float("nan")


def till_vals(env, account, session):
    """Store what get-current answers (not acknowledged); for each waiting order, the new customer's
    vals and the order's vals as the till would send them (another uuid, no Dükkango order)."""
    env["dukkango.order.intake"]._store_batch(account, account._get_client().get_current_orders())
    vals_list = []
    for order in env["dukkango.order"].search([("account_id", "=", account.id), ("state", "=", "pending")]):
        vals = env["dukkango.pos.import"]._prepare_pos_order_vals(order, session)
        vals.update(uuid=str(uuid.uuid4()), dukkango_order_id=False)
        partner = env["res.partner"].browse(vals["partner_id"])
        partner_vals = {name: partner._fields[name].convert_to_write(partner[name], partner) for name in PARTNER_FIELDS}
        vals_list.append((partner_vals if partner else None, vals))
    return vals_list


class Bench:
    def __init__(self, args):
        self.args = args
        self.process = OdooProcess(args)
        numbers = range(2, args.accounts + 1)
        restaurants = [*DEFAULT_RESTAURANTS, *({"id": branch(n), "name": f"Şube {n:02}"} for n in numbers)]
        accounts = {
            DEFAULT_REST_KEY: [r["id"] for r in DEFAULT_RESTAURANTS],
            **{rest_key(n): [branch(n)] for n in numbers},
        }
        self.sim = Simulator(cooldown=0, seed=3, restaurants=restaurants, accounts=accounts).start()
        self.table, self.column, self.paced_counts = {}, "", [0, 0]

    def add(self, label, value, target=""):
        row = self.table.setdefault(label, {"target": target, "values": {}})
        row["values"][self.column] = value

    def setup(self):
        """Account 1 (the bench's) and the others, each with its keys, restaurant and open POS."""
        sim = self.sim
        with self.process.env() as env:
            account, config = setup_account(env, "Bench", sim.base_url, sim.app_secret_key, DEFAULT_REST_KEY)
            self.account_id, self.config_id, self.accounts = account.id, config.id, {account.id: 1}
            for number in range(2, self.args.accounts + 1):
                keys = {"app_secret_key": sim.app_secret_key, "rest_secret_key": rest_key(number)}
                other = env["dukkango.account"].create({"name": f"Bench {number:02}", "api_url": sim.base_url, **keys})
                env["dukkango.restaurant"].create({"account_id": other.id, "uuid": branch(number), "name": "B"})
                config = env["pos.config"].create({"name": f"Bench {number:02} POS"})
                link_restaurant(config, other, branch(number))
                config.with_user(env.ref("base.user_admin")).open_ui()
                config.current_session_id.set_opening_control(0, None)
                self.accounts[other.id] = number

    def run_column(self, latency, jitter):
        self.column = f"{latency:g} ± {jitter:g} ms" if jitter else f"{latency:g} ms"
        self.sim.reset()
        self.sim.cooldown, self.sim.latency_ms, self.sim.jitter_ms = 0, latency, jitter
        self.paced_counts = [0, 0]
        started = time.monotonic()
        for _warm_up in range(2):  # no cooldown of our own; login, caches, what an earlier column left
            with self.process.env() as env:
                env["ir.config_parameter"].set_param(COOLDOWN, "0")
                env.cr.execute("UPDATE dukkango_account SET next_poll_at = NULL WHERE id = %s", (self.account_id,))
                env["dukkango.account"].browse(self.account_id)._poll_orders()
        for measure in self.args.only:
            getattr(self, f"measure_{measure}")()
        self.add("429 answers to our own pace (backlog, outage, latency, accounts)", self.paced_counts[1], "0")
        self.add("  get-current calls at the platform's 30 s cooldown in those runs", self.paced_counts[0])
        minutes = (time.monotonic() - started) / 60
        self.add(
            "minutes / machine load at the end (1-minute average, 2 cores)", f"{minutes:.1f} / {os.getloadavg()[0]:.1f}"
        )

    def measure_idle_poll(self):
        with self.process.env() as env:
            cr, account = env.cr, env["dukkango.account"].browse(self.account_id)
            cr.execute("UPDATE dukkango_account SET next_poll_at = NULL WHERE id = %s", (account.id,))
            requests_before, written_before = len(self.sim.request_log()), rows_written(cr)
            queries_before = cr.sql_log_count
            logging.getLogger("odoo.sql_db").setLevel(logging.DEBUG)  # its queries, in .build/bench.log
            account._poll_orders()
            logging.getLogger("odoo.sql_db").setLevel(logging.WARNING)
            queries = cr.sql_log_count - queries_before
            cr.commit()
            written = rows_written(cr) - written_before
        self.add("idle poll cycle: HTTP calls", len(self.sim.request_log()) - requests_before, "1")
        self.add("idle poll cycle: SQL queries", queries, "≤ 10")
        self.add("idle poll cycle: rows written", written, "≤ 1")

    def measure_connections(self):
        """Three idle polls of a process whose HTTP session of the account is new."""
        sys.modules[SESSIONS]._sessions.pop((self.args.db, self.account_id))[1].close()
        before, polls = self.sim.connections, 0
        while polls < 3:
            with self.process.env() as env:
                env.cr.execute("UPDATE dukkango_account SET next_poll_at = NULL WHERE id = %s", (self.account_id,))
                polls += env["dukkango.account"].browse(self.account_id)._poll_orders()["polled"]
        self.add("3 idle polls of a new process: TCP connections opened", self.sim.connections - before, "1")

    def measure_import(self):
        """Our import against Odoo's own path for the same orders at the till, in rounds whose
        first path alternates; Odoo's path is rolled back each round."""
        rounds = max(1, self.args.rounds)
        per_round = max(1, self.args.orders // rounds)
        totals = {"ours": [0.0, 0, 0], "odoo": [0.0, 0, 0]}  # seconds, queries, orders
        with self.process.env() as env:
            cr, account = env.cr, env["dukkango.account"].browse(self.account_id)
            session = env["pos.config"].browse(self.config_id).current_session_id
            PosOrder = env["pos.order"].with_company(session.config_id.company_id)
            for round_no in range(rounds + 1):
                for _ in range(per_round):
                    self.sim.add_order(restaurant_id=REST, payment_method="Kredi Kartı")
                vals_list = till_vals(env, account, session)
                cr.commit()

                def ours():
                    return env["dukkango.pos.import"]._import_pending(account, limit=per_round)[0]

                def odoo(vals_list=vals_list):  # the customer form creates the customer, then the order syncs
                    cr.execute("SAVEPOINT till")
                    for partner_vals, vals in vals_list:
                        partner = env["res.partner"].create(partner_vals).id if partner_vals else False
                        PosOrder.sync_from_ui([dict(vals, partner_id=partner)])
                    env.flush_all()
                    cr.execute("ROLLBACK TO SAVEPOINT till")
                    env.invalidate_all()
                    return len(vals_list)

                for name, path in (("ours", ours), ("odoo", odoo))[:: 1 if round_no % 2 else -1]:
                    start, queries_before = time.perf_counter(), cr.sql_log_count
                    count = path()
                    env.flush_all()
                    if round_no:  # round 0 only warms up
                        totals[name][0] += time.perf_counter() - start
                        totals[name][1] += cr.sql_log_count - queries_before
                        totals[name][2] += count
                    cr.commit()
        per_order = {name: (s * 1000 / max(1, n), q / max(1, n)) for name, (s, q, n) in totals.items()}
        (ms, queries), (base_ms, base_queries) = per_order["ours"], per_order["odoo"]
        self.add(f"import of one order ({rounds} rounds of {per_round} orders): ms", f"{ms:.1f}")
        self.add("Odoo's own path, res.partner.create + sync_from_ui: ms", f"{base_ms:.1f}")
        self.add("  ratio (ms)", f"{ms / base_ms:.2f}×", "≤ 1.1×")
        self.add("import of one order: SQL queries", f"{queries:.0f}")
        self.add("Odoo's own path, res.partner.create + sync_from_ui: SQL queries", f"{base_queries:.0f}")
        self.add("  ratio (queries)", f"{queries / base_queries:.2f}×", "≤ 1.1×")

    def paced(self, *account_ids):
        """The platform's 30 s cooldown on a reset simulator; these accounts due, the others inactive."""
        with self.process.env() as env:
            env["ir.config_parameter"].set_param(COOLDOWN, False)
            ids = list(account_ids or [self.account_id])
            env.cr.execute("UPDATE dukkango_account SET active = id = ANY(%s), next_poll_at = NULL", (ids,))
        self.sim.reset()
        self.sim.cooldown = 30

    def count_paced(self):
        log = self.sim.request_log()
        self.paced_counts[0] += sum(entry["endpoint"] == "get-current" for entry in log)
        self.paced_counts[1] += sum(entry.get("status") == 429 for entry in log)

    def add_orders(self, count, number=1):
        return [self.sim.add_order(restaurant_id=branch(number))["payment_key"] for _ in range(count)]

    def finished(self, keys):
        """All of ``keys`` imported as pos.orders and acknowledged for their status."""
        if any(self.sim.orders[key]["acked_status"] != self.sim.orders[key]["status_id"] for key in keys):
            return False
        with self.process.env() as env:
            env.cr.execute("SELECT count(pos_order_id) FROM dukkango_order WHERE payment_key = ANY(%s)", (keys,))
            return env.cr.fetchone()[0] == len(keys)

    def poll_loop(self, done, limit):
        """The account's cycles one after the other, as the cron runs them, until ``done()``:
        the seconds and the cycles, (seconds, stats)."""
        start, cycles = time.monotonic(), []
        while time.monotonic() - start < limit:
            began = time.monotonic()
            with self.process.env() as env:
                stats = env["dukkango.account"].browse(self.account_id)._poll_orders()
            cycles.append((time.monotonic() - began, stats))
            if done():
                break
            time.sleep(0.1)
        return time.monotonic() - start, cycles

    def measure_backlog(self):
        """Odoo was down while orders piled up: seconds until all are imported and acknowledged."""
        with self.process.env() as env:  # acknowledge what the import measure left, forget what it did not import
            account = env["dukkango.account"].browse(self.account_id)
            env["dukkango.poll.cycle"]._acknowledge(account, account._get_client())
            env.cr.execute("DELETE FROM dukkango_order WHERE account_id = %s AND pos_order_id IS NULL", (account.id,))
        self.paced()
        keys = self.add_orders(self.args.backlog)
        seconds, cycles = self.poll_loop(lambda: self.finished(keys), 600)
        polls = sum(stats["polled"] for _seconds, stats in cycles)
        self.add(f"backlog of {self.args.backlog} orders: s until imported and acknowledged", f"{seconds:.1f}", "≤ 60")
        self.add("  polls / longest poll cycle s", f"{polls} / {max(c[0] for c in cycles):.1f}")
        self.count_paced()

    def measure_outage(self):
        """Every acknowledgement answered 500 for a while, new orders arriving as it starts."""
        length = self.args.outage_seconds
        self.paced()
        keys = self.add_orders(self.args.outage_orders)
        self.sim.inject_fault("success", "500", count=None)
        ended = []
        timer = threading.Timer(length, lambda: (self.sim.clear_faults("success"), ended.append(time.monotonic())))
        timer.start()
        try:
            _seconds, cycles = self.poll_loop(lambda: ended and self.finished(keys), length + 180)
        finally:
            timer.cancel()
        first = next((stats for _seconds, stats in cycles if stats["polled"]), {"imported": 0})
        label = f"ack outage ({length:g} s, {len(keys)} orders)"
        self.add(f"{label}: imported in the first poll", f"{first['imported']}/{len(keys)}", f"{len(keys)}/{len(keys)}")
        self.add("  longest poll cycle s", f"{max(c[0] for c in cycles):.1f}", "≤ 25")
        after = f"{'' if self.finished(keys) else '> '}{time.monotonic() - ended[0] if ended else 0:.1f}"
        self.add("  s after its end until all acknowledged", after, "≤ 60")
        self.count_paced()

    # ------------------------------------------------------------------ a real odoo-bin
    def serve(self, account_ids, arrivals, until):
        """``odoo-bin`` with one cron thread, woken until it polls (it sleeps up to a minute when
        it starts); then ``arrivals`` ((seconds, account number)) appear on the platform until
        ``until(added, seconds)``. Returns {payment key: when added} and the seconds."""
        self.paced(*account_ids)
        command = [sys.executable, f"{self.args.odoo_src}/odoo-bin", *odoo_options(self.args, log_level="warn")]
        command += ["--no-http", "--max-cron-threads=1", "--log-handler=odoo.addons.base.models.ir_cron:INFO"]
        with open(ROOT / ".build" / "bench-server.log", "a") as log:
            server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        added = {}
        try:
            for _ in range(90):
                if self.sim.request_log("get-current"):
                    break
                with self.process.env() as env:
                    env.ref(CRON)._trigger()
                time.sleep(2)
            start = time.monotonic()
            while not until(added, time.monotonic() - start):
                while len(added) < len(arrivals) and arrivals[len(added)][0] <= time.monotonic() - start:
                    added[self.add_orders(1, arrivals[len(added)][1])[0]] = time.monotonic()
                time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(60)
        self.count_paced()
        return added, time.monotonic() - start

    def measure_latency(self):
        """Seconds from an order's appearance on the platform to its pos.order."""
        if not self.args.latency_orders:
            return
        duration = self.args.latency_minutes * 60
        rng = random.Random(11)
        arrivals = sorted((rng.uniform(0, duration), 1) for _ in range(self.args.latency_orders))
        seen = {}

        def until(added, elapsed):
            with self.process.env() as env:
                env.cr.execute(
                    "SELECT payment_key FROM dukkango_order WHERE payment_key = ANY(%s) AND pos_order_id IS NOT NULL",
                    ([key for key in added if key not in seen],),
                )
                for (key,) in env.cr.fetchall():
                    seen[key] = time.monotonic()
            return len(seen) == len(arrivals) or elapsed > duration + 120

        added, _seconds = self.serve([self.account_id], arrivals, until)
        latencies = [seen[key] - added[key] for key in seen]
        label = f"latency, order on the platform → pos.order ({len(arrivals)} orders over {duration / 60:g} min)"
        self.add(f"{label}: p50 s", f"{percentile(latencies, 0.50):.1f}", "≤ 16")
        self.add("  p95 s", f"{percentile(latencies, 0.95):.1f}")
        self.add("  p99 s", f"{percentile(latencies, 0.99):.1f}", "≤ 32")
        self.add("  mean s", f"{statistics.fmean(latencies or [0]):.1f}")
        self.add("  orders not imported in time", len(arrivals) - len(latencies), "0")

    def measure_accounts(self):
        """Accounts on one cron thread: the longest wait of one between two polls (or to the end)."""
        if self.args.accounts < 2:
            return
        duration = self.args.accounts_minutes * 60
        rng = random.Random(13)
        numbers = list(self.accounts.values())
        arrivals = sorted((rng.uniform(0, duration), rng.choice(numbers)) for _ in range(self.args.accounts_orders))
        _added, seconds = self.serve(list(self.accounts), arrivals, lambda _added, elapsed: elapsed > duration)
        end, polls = time.time(), {rest_key(n): [] for n in numbers}
        for entry in self.sim.request_log("get-current"):
            if entry.get("status") == 200:
                polls[entry["rest_key"]].append(entry["time"])
        gaps = [b - a for times in polls.values() for a, b in pairwise(times) if b > end - seconds]
        gaps += [end - times[-1] if times else seconds for times in polls.values()]
        label = f"{len(numbers)} accounts, one cron thread ({duration / 60:g} min, {len(arrivals)} orders)"
        self.add(f"{label}: longest gap between two polls of an account s", f"{max(gaps):.1f}", "≤ 35")
        never = sum(not times for times in polls.values())
        self.add("  polls / accounts never polled", f"{sum(map(len, polls.values()))} / {never}")


def report(bench, json_path):
    """Print the table (a column per round trip) and write it as JSON."""
    columns = list(dict.fromkeys(c for row in bench.table.values() for c in row["values"]))
    width = max(len(label) for label in bench.table)
    line = "-" * (width + 14 * len(columns) + 10)
    print(f"\n{line}\n{'measure':<{width}}" + "".join(f"  {c:>12}" for c in columns) + "  target\n" + line)
    for label, row in bench.table.items():
        values = "".join(f"  {row['values'].get(c, '')!s:>12}" for c in columns)
        print(f"{label:<{width}}{values}  {row['target']}")
    print(line)
    Path(json_path).parent.mkdir(parents=True, exist_ok=True)
    rows = [{"measure": m, "values": r["values"], "target": r["target"]} for m, r in bench.table.items()]
    Path(json_path).write_text(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    print(f"written to {json_path}")


MEASURES = ["idle_poll", "connections", "import", "backlog", "outage", "latency", "accounts"]


def column(text):
    return tuple(float(part or 0) for part in [*text.split(":"), "0"][:2])


def main():
    parser = tool_parser(__doc__)
    parser.add_argument("--column", type=column, action="append", metavar="MS:MS", help="round trip and jitter (ms)")
    # the import measure's orders and rounds (after a warm-up round), then each measure's size
    sizes = (("orders", 100), ("rounds", 5), ("backlog", 1000), ("outage-seconds", 120.0), ("outage-orders", 100))
    sizes += (("latency-orders", 100), ("latency-minutes", 3.0), ("accounts", 20), ("accounts-minutes", 2.5))
    for name, default in (*sizes, ("accounts-orders", 40)):
        parser.add_argument(f"--{name}", type=type(default), default=default)
    parser.add_argument("--only", type=lambda text: text.split(","), default=MEASURES, help=",".join(MEASURES))
    parser.add_argument("--json", default=str(ROOT / ".build" / "bench.json"))
    args = parser.parse_args()
    single = [os.environ.get(name, "") for name in ("LATENCY_MS", "JITTER_MS")]
    args.column = args.column or ([column(":".join(single))] if any(single) else [(0, 0), (80, 20)])
    bench = Bench(args)
    try:
        bench.setup()
        for latency, jitter in args.column:
            bench.run_column(latency, jitter)
    finally:
        bench.sim.stop()
    report(bench, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
