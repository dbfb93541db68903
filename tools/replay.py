#!/usr/bin/env python3
"""Replay stored Dükkango orders with today's parser and mapping.

    python tools/replay.py --db DB --addons-path PATH [--account ID ...] [--apply] [--all]

Run with the Odoo virtualenv's Python against any database where pos_dukkango is
installed, e.g. a copy of production the day the platform's real format is seen. It
re-parses the raw payload of every ``dukkango.order`` (states pending, done and error)
with the parser and the mapping of the code it runs, compares with what is stored (state,
total, error) and prints a table: how many orders end in each outcome, and one line per
order that is not unchanged (``--all``: every order).

    unchanged      parsed as before, with the stored total
    now imports    stored as an error, parses now (the import itself may still fail)
    still refused  stored as an error, refused again: today's reason
    total differs  parses, but Dükkango's total is not the stored one
    now refused    was parsed, today's parser refuses it (a regression to look at)

A dry run writes nothing. With ``--apply`` the orders that now parse (error, no POS
order yet) get their fields from the new parse, go back to pending and are imported as
the poll would (``dukkango.pos.import._import_pending``); the result is committed.
Exit code: 0, or 1 with ``--apply`` when an order could still not be imported.
"""

import json
import sys
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import OdooProcess, tool_parser

from dukkango.mapping import map_order
from dukkango.orders import OrderParseError, parse_order
from dukkango.validation import KURUS, parse_int, scalar_text

UNCHANGED, NOW_IMPORTS, STILL_REFUSED, TOTAL_DIFFERS, NOW_REFUSED = (
    "unchanged",
    "now imports",
    "still refused",
    "total differs",
    "now refused",
)
OUTCOMES = (UNCHANGED, NOW_IMPORTS, STILL_REFUSED, TOTAL_DIFFERS, NOW_REFUSED)
STATES = ("pending", "done", "error")


@dataclass
class Replayed:
    """What today's code makes of one stored order."""

    outcome: str
    reason: str = ""  # why it is refused (person-readable), or what differs
    number: str = ""  # "#1234", read leniently from the payload
    restaurant: str = ""  # the branch's name, read leniently from the payload
    total: Decimal = None  # Dükkango's total as parsed today
    attention: bool = False  # the mapped order needs attention (adjustment, item without price)
    parsed: object = None  # the orders.Order


def replay(payload, state, amount_total):
    """The :class:`Replayed` of one stored order: its raw ``payload`` (JSON text), its
    stored ``state`` and ``amount_total`` (a float, as Odoo stores it)."""
    refused = STILL_REFUSED if state == "error" else NOW_REFUSED
    try:
        data = json.loads(payload or "null")
    except ValueError as error:  # stored without being JSON (repr of an answer that was not)
        return Replayed(refused, f"the stored payload is not JSON ({error})")
    number, restaurant = _who(data)
    try:
        parsed = parse_order(data)
        draft = map_order(parsed)
    except OrderParseError as error:
        return Replayed(refused, error.message, number, restaurant)
    result = Replayed(UNCHANGED, "", number, restaurant, parsed.total, draft.needs_adjustment, parsed)
    if state == "error":
        result.outcome = NOW_IMPORTS
    else:
        stored = Decimal(str(amount_total or 0)).quantize(KURUS)
        if stored != parsed.total:
            result.outcome, result.reason = TOTAL_DIFFERS, f"stored {stored}, Dükkango's {parsed.total}"
    return result


def _who(data):
    """``("#1234", "Halaskargazi Şube")`` of a raw order, whatever else is wrong with it."""
    if not isinstance(data, dict):
        return "", ""
    try:
        number = f"#{parse_int(data.get('id'), 'id')}"
    except OrderParseError:
        number = ""
    return number, (scalar_text(data.get("restaurant_name")) or "").strip()


def _was(error_message):
    """The stored reason, without the sentence that introduces it."""
    reason = (error_message or "").split("cannot be used: ", 1)[-1].strip()
    return reason if len(reason) <= 70 else reason[:69] + "…"


def replay_all(orders):
    """``[(record, Replayed)]`` of ``dukkango.order`` records (sudo)."""
    return [(order, replay(order.payload, order.state, order.amount_total)) for order in orders]


def render(results, show_all=False, dry_run=True, accounts=0):
    """The printed table: counts per outcome, then one line per order worth a look."""
    counts = Counter(result.outcome for _order, result in results)
    lines = [
        f"Replayed {len(results)} stored orders of {accounts} account(s) with today's parser"
        + (" (dry run: nothing written)" if dry_run else ""),
        "",
        f"  {'outcome':<15}{'orders':>7}",
    ]
    lines += [f"  {outcome:<15}{counts[outcome]:>7}" for outcome in OUTCOMES]
    shown = [(order, result) for order, result in results if show_all or result.outcome != UNCHANGED]
    if shown:
        lines += ["", f"  {'order':<16}{'restaurant':<20}{'stored':<8}{'today':<15}detail"]
    for order, result in shown:
        name = result.number or (order.payment_key or "")[:13]
        restaurant = (result.restaurant or order.restaurant_name or "")[:19]
        detail = result.reason
        if result.outcome in (UNCHANGED, NOW_IMPORTS):
            detail = f"{result.total} TL" + (", needs attention" if result.attention else "")
        if result.outcome == NOW_IMPORTS and order.error_message:
            detail += f"; was: {_was(order.error_message)}"
        lines.append(f"  {name:<16}{restaurant:<20}{order.state:<8}{result.outcome:<15}{detail}")
    return "\n".join(lines)


def apply(env, results, accounts):
    """Put the orders that now parse back to pending with their new fields and import them;
    returns ``[(record, state, detail)]`` after the import (the POS order, or the error)."""
    Intake = env["dukkango.order.intake"]
    retried = env["dukkango.order"].sudo()
    for order, result in results:
        if result.outcome == NOW_IMPORTS and not order.pos_order_id:
            vals = Intake._prepare_order_vals(result.parsed, order.payload)
            order.write({**vals, "state": "pending", "error_message": False})
            retried |= order
    if retried:
        Import = env["dukkango.pos.import"]
        for _round in range(100):  # batch after batch, as a poll does
            imported, remaining = Import._import_pending(accounts)
            if not imported or not remaining:
                break
    return [
        (order, order.state, _pos_order(order.pos_order_id) if order.state == "done" else order.error_message or "")
        for order in retried
    ]


def _pos_order(pos_order):
    text = f"{pos_order.name} {pos_order.amount_total:.2f} TL"
    return text + (", needs attention" if pos_order.dukkango_order_id.needs_attention else "")


def main():
    parser = tool_parser(__doc__)
    parser.add_argument("--account", type=int, action="append", help="only this dukkango.account id (repeatable)")
    parser.add_argument("--apply", action="store_true", help="retry the orders that now parse (commits)")
    parser.add_argument("--all", action="store_true", help="one line per order, unchanged ones too")
    args = parser.parse_args()
    failed = False
    with OdooProcess(args).env() as env:
        Account = env["dukkango.account"].sudo().with_context(active_test=False)
        accounts = Account.browse(args.account) if args.account else Account.search([])
        orders = (
            env["dukkango.order"]
            .sudo()
            .search([("account_id", "in", accounts.ids), ("state", "in", STATES)], order="id")
        )
        results = replay_all(orders)
        print(render(results, show_all=args.all, dry_run=not args.apply, accounts=len(accounts)), flush=True)
        if args.apply:
            outcome = apply(env, results, accounts)
            print(f"\nApplied: {len(outcome)} order(s) retried", flush=True)
            for order, state, detail in outcome:
                print(f"  {order.name:<20}{state:<8}{detail[:200]}", flush=True)
                failed = failed or state == "error"
        else:
            env.cr.rollback()  # a dry run leaves the database as it found it
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
