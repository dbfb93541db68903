#!/usr/bin/env python3
"""Benchmarks of the order pipeline on real Odoo 18 + PostgreSQL; prints a table and
writes it as JSON (.build/bench.json). ``make bench`` runs it on a fresh database:

    python tools/bench.py --db DB --addons-path PATH [--orders 100] [--backlog 1000]

Measured, in one Odoo process talking HTTP to the simulator on 127.0.0.1:

* an idle poll cycle: HTTP calls, SQL queries, table rows written;
* importing one order: SQL queries and milliseconds of our import, next to Odoo's own
  ``pos.order.sync_from_ui`` creating the same orders from the same dictionaries;
* a backlog (Odoo was down while orders piled up): time until all are imported and
  acknowledged.

Not measured yet: the latency from an order's creation on the platform to its pos.order
with a real server and its cron thread.
"""

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import RESTAURANT as REST
from odoo_process import ROOT, add_database_arguments, open_registry, setup_account, superuser_env

from dukkango.orders import parse_order
from dukkango.simulator import Simulator


def rows_written(cr):
    """Rows inserted, updated or deleted so far in the database's user tables."""
    time.sleep(1.5)  # other connections report their counts at most every second
    cr.execute("SELECT pg_stat_force_next_flush()")
    cr.commit()  # this connection's own counts are reported when its transaction ends
    cr.execute("SELECT pg_stat_clear_snapshot()")
    cr.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables")
    return cr.fetchone()[0]


def main():
    parser = argparse.ArgumentParser()
    add_database_arguments(parser)
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--backlog", type=int, default=1000)
    parser.add_argument("--json", default=str(ROOT / ".build" / "bench.json"))
    args = parser.parse_args()

    odoo, registry = open_registry(args)
    sim = Simulator(cooldown=0, seed=3).start()
    results = []

    def env_for(cr):
        return superuser_env(odoo, cr)

    with registry.cursor() as cr:
        env = env_for(cr)
        env["ir.config_parameter"].set_param("pos_dukkango.poll_cooldown", "0")
        account, pos_config = setup_account(env, "Bench", sim.base_url, sim.app_secret_key, sim.rest_secret_key)
        account_id = account.id
        account._poll_orders()  # warm up: login, caches

    # ---------------------------------------------------------------- idle poll cycle
    with registry.cursor() as cr:
        env = env_for(cr)
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
    results += [
        ("idle poll cycle: HTTP calls", calls, "1"),
        ("idle poll cycle: SQL queries", queries, "≤ 10"),
        ("idle poll cycle: rows written", written, "0"),
    ]

    # ---------------------------------------------------------------- import cost vs sync_from_ui
    n = args.orders
    for _ in range(n):
        sim.add_order(restaurant_id=REST, payment_method="Kredi Kartı")
    with registry.cursor() as cr:
        env = env_for(cr)
        account = env["dukkango.account"].browse(account_id)
        Order = env["dukkango.order"]
        # store and acknowledge only: the import is measured on its own below
        account.next_poll_at = False
        raw = account._get_client().get_current_orders()
        Order._store_batch(account, raw)
        cr.commit()
        start, queries_before = time.perf_counter(), cr.sql_log_count
        imported, _remaining = Order._import_pending(account, limit=n)
        ours_ms = (time.perf_counter() - start) * 1000 / max(1, imported)
        ours_q = (cr.sql_log_count - queries_before) / max(1, imported)
        cr.commit()
        # the same orders again, given to Odoo's own sync_from_ui from the same dictionaries
        session = env["pos.config"].browse(pos_config.id).current_session_id
        done = Order.search([("account_id", "=", account_id), ("state", "=", "done")], limit=n)
        vals_list = []
        for order in done:
            vals = order._prepare_pos_order_vals(parse_order(json.loads(order.sudo().payload)), session)
            vals["uuid"] = str(uuid.uuid4())
            vals["dukkango_order_id"] = False
            vals_list.append(vals)
        PosOrder = env["pos.order"].with_company(session.config_id.company_id)
        start, queries_before = time.perf_counter(), cr.sql_log_count
        for vals in vals_list:
            PosOrder.sync_from_ui([vals])
        base_ms = (time.perf_counter() - start) * 1000 / max(1, len(vals_list))
        base_q = (cr.sql_log_count - queries_before) / max(1, len(vals_list))
        cr.rollback()
    results += [
        (f"import of one order ({imported} orders): ms", f"{ours_ms:.1f}", ""),
        ("sync_from_ui of the same order: ms", f"{base_ms:.1f}", ""),
        ("ratio (ms)", f"{ours_ms / base_ms:.2f}×", "≤ 1.1×"),
        ("import of one order: SQL queries", f"{ours_q:.0f}", ""),
        ("sync_from_ui of the same order: SQL queries", f"{base_q:.0f}", ""),
        ("ratio (queries)", f"{ours_q / base_q:.2f}×", "≤ 1.1×"),
    ]

    # ---------------------------------------------------------------- backlog
    with registry.cursor() as cr:  # acknowledge what the import measure left, then start afresh
        env_for(cr)["dukkango.account"].browse(account_id)._acknowledge_orders(
            env_for(cr)["dukkango.account"].browse(account_id)._get_client()
        )
        cr.execute("DELETE FROM dukkango_order WHERE account_id = %s AND pos_order_id IS NULL", (account_id,))
        cr.execute("SELECT count(*) FROM dukkango_order WHERE account_id = %s", (account_id,))
        n = cr.fetchone()[0]
    sim.reset()
    for _ in range(args.backlog):
        sim.add_order(restaurant_id=REST)
    start = time.perf_counter()
    polls = 0
    while time.perf_counter() - start < 1800:
        with registry.cursor() as cr:
            env = env_for(cr)
            account = env["dukkango.account"].browse(account_id)
            account.next_poll_at = False
            account._poll_orders()
            polls += 1
            cr.execute(
                "SELECT count(*) FROM dukkango_order WHERE account_id = %s AND state = 'done' AND NOT ack_needed",
                (account_id,),
            )
            finished = cr.fetchone()[0]
        if finished >= args.backlog + n and all(r["acked_status"] == r["status_id"] for r in sim.orders.values()):
            break
    backlog_s = time.perf_counter() - start
    results.append(
        (
            f"backlog of {args.backlog} orders: seconds until all imported and acknowledged " f"({polls} polls)",
            f"{backlog_s:.1f}",
            "≤ 60",
        )
    )
    sim.stop()

    width = max(len(label) for label, *_ in results)
    print("\n" + "-" * (width + 24))
    print(f"{'measure':<{width}}  {'value':>10}  target")
    print("-" * (width + 24))
    for label, value, target in results:
        print(f"{label:<{width}}  {value!s:>10}  {target}")
    print("-" * (width + 24))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(
        json.dumps([{"measure": m, "value": str(v), "target": t} for m, v, t in results], ensure_ascii=False, indent=2)
    )
    print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
