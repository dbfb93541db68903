#!/usr/bin/env python3
"""Benchmarks of the order pipeline on real Odoo 18 + PostgreSQL; prints a table and
writes it as JSON (.build/bench.json). ``make bench`` runs it on a fresh database:

    python tools/bench.py --db DB --addons-path PATH [--orders 100] [--rounds 5] [--backlog 1000]

Measured, in one Odoo process talking HTTP to the simulator on 127.0.0.1:

* an idle poll cycle: HTTP calls, SQL queries, table rows written;
* importing one order: SQL queries and milliseconds of our import (new customer
  included), next to Odoo's own path for the same orders at the till: ``res.partner.create``
  for the new customer, then ``pos.order.sync_from_ui`` from the same dictionaries;
* a backlog (Odoo was down while orders piled up): time until all are imported and
  acknowledged, polling at the platform's 30 s cooldown;
* latency: a real Odoo server (``odoo-bin`` with one cron thread, the platform's 30 s
  cooldown on the simulator) while orders appear on the simulator at random moments:
  seconds from an order's appearance to its pos.order in the open session.
"""

import json
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import RESTAURANT as REST
from odoo_process import ROOT, OdooProcess, odoo_options, setup_account, tool_parser

from dukkango.testing.simulator import Simulator

#: the fields of a new customer as the import creates it (``_prepare_partner_vals``), which
#: the till's path creates again from the customer the import's vals point to
PARTNER_FIELDS = ("name", "phone", "street", "street2", "city", "country_id", "comment", "company_id")


class RolledBack(Exception):
    """Raised to roll a savepoint back."""


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
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure_idle_poll(process, sim, account_id):
    """An idle poll cycle: HTTP calls, SQL queries, table rows written."""
    with process.env() as env:
        cr = env.cr
        account = env["dukkango.account"].browse(account_id)
        account.next_poll_at = False
        env.flush_all()
        cr.commit()
        requests_before = len(sim.request_log())
        written_before = rows_written(cr)
        queries_before = cr.sql_log_count
        account._poll_orders()
        queries = cr.sql_log_count - queries_before
        cr.commit()
        written = rows_written(cr) - written_before
        calls = len(sim.request_log()) - requests_before
    return [
        ("idle poll cycle: HTTP calls", calls, "1"),
        ("idle poll cycle: SQL queries", queries, "≤ 10"),
        ("idle poll cycle: rows written", written, "0"),
    ]


def till_vals(env, account_id, session):
    """Store what get-current answers (without acknowledging it: the import is measured on
    its own); for each waiting order, the new customer's vals and the order's vals as the
    till would send them (another uuid, no link to a Dükkango order)."""
    account = env["dukkango.account"].browse(account_id)
    env["dukkango.order.intake"]._store_batch(account, account._get_client().get_current_orders())
    PosImport = env["dukkango.pos.import"]
    vals_list = []
    for order in env["dukkango.order"].search([("account_id", "=", account_id), ("state", "=", "pending")]):
        vals = PosImport._prepare_pos_order_vals(order, session)
        vals.update(uuid=str(uuid.uuid4()), dukkango_order_id=False)
        partner = env["res.partner"].browse(vals["partner_id"])
        fields = partner._fields
        partner_vals = {name: fields[name].convert_to_write(partner[name], partner) for name in PARTNER_FIELDS}
        vals_list.append((partner_vals if partner else None, vals))
    return vals_list


def till_partner(env, partner_vals):
    """The till's customer form: creates the new customer (none for an anonymous order)."""
    return env["res.partner"].create(partner_vals).id if partner_vals else False


def measure_import(process, sim, account_id, pos_config_id, args):
    """The import of one order against Odoo's own path for the same orders at the till.

    Both paths take the same orders, in rounds, after a warm-up round that is not counted;
    which path goes first alternates (the machine's speed drifts, and the second path of a
    round finds warmer caches). Odoo's path is rolled back after each round, so that both
    find the same customers and the same session."""
    rounds = max(1, args.rounds)
    per_round = max(1, args.orders // rounds)
    totals = {"ours": [0.0, 0, 0], "odoo": [0.0, 0, 0]}  # seconds, queries, orders
    with process.env() as env:
        cr = env.cr
        account = env["dukkango.account"].browse(account_id)
        session = env["pos.config"].browse(pos_config_id).current_session_id
        PosOrder = env["pos.order"].with_company(session.config_id.company_id)
        for round_no in range(rounds + 1):
            for _ in range(per_round):
                sim.add_order(restaurant_id=REST, payment_method="Kredi Kartı")
            vals_list = till_vals(env, account_id, session)
            cr.commit()

            def import_ours():
                return env["dukkango.pos.import"]._import_pending(account, limit=per_round)[0]

            def sync_like_the_till(vals_list=vals_list):
                # the till: the customer form creates the new customer, then the order is synced
                try:
                    with cr.savepoint():
                        for partner_vals, vals in vals_list:
                            PosOrder.sync_from_ui([dict(vals, partner_id=till_partner(env, partner_vals))])
                        env.flush_all()
                        raise RolledBack
                except RolledBack:
                    env.invalidate_all()
                return len(vals_list)

            paths = {"ours": import_ours, "odoo": sync_like_the_till}
            for name in ("ours", "odoo") if round_no % 2 else ("odoo", "ours"):
                start, queries_before = time.perf_counter(), cr.sql_log_count
                count = paths[name]()
                env.flush_all()
                if round_no:  # round 0 only warms up
                    totals[name][0] += time.perf_counter() - start
                    totals[name][1] += cr.sql_log_count - queries_before
                    totals[name][2] += count
                cr.commit()
    return import_rows(totals, rounds)


def import_rows(totals, rounds):
    imported = totals["ours"][2]
    ours_ms, ours_q = (totals["ours"][0] * 1000 / max(1, imported), totals["ours"][1] / max(1, imported))
    base_ms = totals["odoo"][0] * 1000 / max(1, totals["odoo"][2])
    base_q = totals["odoo"][1] / max(1, totals["odoo"][2])
    return [
        (f"import of one order ({imported} orders, {rounds} rounds): ms", f"{ours_ms:.1f}", ""),
        ("Odoo's own path, res.partner.create + sync_from_ui: ms", f"{base_ms:.1f}", ""),
        ("ratio (ms)", f"{ours_ms / base_ms:.2f}×", "≤ 1.1×"),
        ("import of one order: SQL queries", f"{ours_q:.0f}", ""),
        ("Odoo's own path, res.partner.create + sync_from_ui: SQL queries", f"{base_q:.0f}", ""),
        ("ratio (queries)", f"{ours_q / base_q:.2f}×", "≤ 1.1×"),
    ]


def measure_backlog(process, sim, account_id, backlog):
    """Odoo was down while ``backlog`` orders piled up: seconds until all are imported and
    acknowledged, polling at the platform's 30 s cooldown."""
    with process.env() as env:  # acknowledge what the import measure left, then start afresh
        cr = env.cr
        account = env["dukkango.account"].browse(account_id)
        env["dukkango.poll.cycle"]._acknowledge(account, account._get_client())
        cr.execute("DELETE FROM dukkango_order WHERE account_id = %s AND pos_order_id IS NULL", (account_id,))
        cr.execute("SELECT count(*) FROM dukkango_order WHERE account_id = %s", (account_id,))
        n = cr.fetchone()[0]
        # from here on the platform's own cooldown: a poll every 30 s at most
        env["ir.config_parameter"].set_param("pos_dukkango.poll_cooldown", False)
        cr.execute("UPDATE dukkango_account SET next_poll_at = NULL WHERE id = %s", (account_id,))
    sim.reset()
    sim.cooldown = 30
    for _ in range(backlog):
        sim.add_order(restaurant_id=REST)
    start = time.perf_counter()
    polls = 0
    while time.perf_counter() - start < 1800:
        with process.env() as env:
            # as the cron does: a cycle polls only when the account is due
            polls += env["dukkango.account"].browse(account_id)._poll_orders()["polled"]
            env.cr.execute(
                "SELECT count(*) FROM dukkango_order WHERE account_id = %s AND state = 'done' AND NOT ack_needed",
                (account_id,),
            )
            finished = env.cr.fetchone()[0]
        if finished >= backlog + n and all(r["acked_status"] == r["status_id"] for r in sim.orders.values()):
            break
        time.sleep(0.1)
    label = f"backlog of {backlog} orders: seconds until all imported and acknowledged"
    return [(f"{label} ({polls} poll{'s' if polls != 1 else ''})", f"{time.perf_counter() - start:.1f}", "≤ 60")]


def start_server(args, process, account_id):
    """``odoo-bin`` serving the database with one cron thread, polling at the platform's 30 s."""
    with process.env() as env:
        env.cr.execute("DELETE FROM ir_config_parameter WHERE key = 'pos_dukkango.poll_cooldown'")  # the default 30 s
        env.cr.execute(
            "UPDATE dukkango_account SET next_poll_at = NULL, last_poll_at = NULL WHERE id = %s", (account_id,)
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        f"{args.odoo_src}/odoo-bin",
        *odoo_options(args, log_level="warn"),
        f"--db-filter=^{args.db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--max-cron-threads=1",
        "--log-handler=odoo.addons.base.models.ir_cron:INFO",
    ]
    with open(ROOT / ".build" / "bench-server.log", "w") as log:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)


def wait_for_first_poll(process, account_id, timeout=150):
    """Steady state: wait for the server's first poll (its cron thread's first round)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with process.env() as env:
            env.cr.execute("SELECT last_poll_at IS NOT NULL FROM dukkango_account WHERE id = %s", (account_id,))
            if env.cr.fetchone()[0]:
                return
        time.sleep(0.5)


def measure_latency(args, process, sim, account_id):
    """Orders appear on the simulator at random moments while a real Odoo server runs its
    cron; seconds from each order's appearance to its pos.order."""
    sim.reset()
    sim.cooldown = 30
    server = start_server(args, process, account_id)
    rng = random.Random(11)
    duration = args.latency_minutes * 60
    arrivals = sorted(rng.uniform(0, duration) for _ in range(args.latency_orders))
    added, seen = {}, {}
    try:
        wait_for_first_poll(process, account_id)
        start = time.monotonic()
        while len(seen) < len(arrivals) and time.monotonic() - start < duration + 180:
            now = time.monotonic() - start
            while len(added) < len(arrivals) and arrivals[len(added)] <= now:
                order = sim.add_order(restaurant_id=REST, payment_method="Kredi Kartı")
                added[order["payment_key"]] = time.monotonic()
            with process.env() as env:
                env.cr.execute(
                    "SELECT payment_key FROM dukkango_order WHERE account_id = %s AND pos_order_id IS NOT NULL",
                    (account_id,),
                )
                for (key,) in env.cr.fetchall():
                    if key in added and key not in seen:
                        seen[key] = time.monotonic()
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(30)
    latencies = [seen[key] - added[key] for key in seen]
    missing = len(arrivals) - len(latencies)
    label = f"latency, order on the platform → pos.order ({len(latencies)} orders over {args.latency_minutes:g} min)"
    rows = [
        (f"{label}: p50 s", f"{percentile(latencies, 0.50):.1f}", "≤ 16"),
        (f"{label}: p95 s", f"{percentile(latencies, 0.95):.1f}", ""),
        (f"{label}: p99 s", f"{percentile(latencies, 0.99):.1f}", "≤ 32"),
        (f"{label}: mean s", f"{statistics.mean(latencies):.1f}", ""),
    ]
    if missing:
        rows.append(("latency: orders not imported in time", missing, "0"))
    return rows


def report(results, json_path):
    """Print the table and write it as JSON."""
    width = max(len(label) for label, *_ in results)
    print("\n" + "-" * (width + 24))
    print(f"{'measure':<{width}}  {'value':>10}  target")
    print("-" * (width + 24))
    for label, value, target in results:
        print(f"{label:<{width}}  {value!s:>10}  {target}")
    print("-" * (width + 24))
    Path(json_path).parent.mkdir(parents=True, exist_ok=True)
    Path(json_path).write_text(
        json.dumps([{"measure": m, "value": str(v), "target": t} for m, v, t in results], ensure_ascii=False, indent=2)
    )
    print(f"written to {json_path}")


def main():
    parser = tool_parser(__doc__)
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the import measure (after a warm-up)")
    parser.add_argument("--backlog", type=int, default=1000)
    parser.add_argument("--latency-orders", type=int, default=100)
    parser.add_argument("--latency-minutes", type=float, default=5)
    parser.add_argument("--json", default=str(ROOT / ".build" / "bench.json"))
    args = parser.parse_args()

    process = OdooProcess(args)
    sim = Simulator(cooldown=0, seed=3).start()
    try:
        with process.env() as env:
            keys = (sim.base_url, sim.app_secret_key, sim.rest_secret_key)
            account, pos_config = setup_account(env, "Bench", *keys, poll_cooldown=0)
            account_id, pos_config_id = account.id, pos_config.id
            account._poll_orders()  # warm up: login, caches
        results = measure_idle_poll(process, sim, account_id)
        results += measure_import(process, sim, account_id, pos_config_id, args)
        results += measure_backlog(process, sim, account_id, args.backlog)
        if args.latency_orders:
            results += measure_latency(args, process, sim, account_id)
    finally:
        sim.stop()
    report(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
