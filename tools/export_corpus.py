#!/usr/bin/env python3
"""Export a database's raw Dükkango orders as an anonymized corpus of JSON lines.

    python tools/export_corpus.py --db DB --addons-path PATH [--out FILE] [--account ID ...]
                                  [--state error ...] [--salt TEXT]

Run with the Odoo virtualenv's Python. Writes one line per stored ``dukkango.order``
(its last raw payload) to FILE (default: standard output), with the customer's names,
phones and e-mails, the address, the notes and the payment key replaced by stable fakes
(``dukkango/testing/corpus.py``: the same original gives the same fake within one export,
and a fake keeps the original's shape and length); the structure, amounts, quantities,
dates, statuses and dish names are kept. Each line carries ``"_expect": {"state": ...}``,
the state the order had in the database. The simulator serves such a file
(``python3 -m dukkango.testing.simulator --corpus FILE``) and ``tools/replay.py`` tells what
today's parser makes of it once it is loaded into a database.

The fakes are derived from a keyed hash: ``--salt`` (default: a random one per export, not
printed) keeps a phone number from being found again by trying all numbers.
"""

import json
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import OdooProcess, tool_parser

from dukkango.testing.corpus import DIRECTIVES, anonymize

STATES = ("pending", "done", "error", "cancelled")


def corpus_lines(orders, salt):
    """The anonymized JSON lines of ``dukkango.order`` records (sudo)."""
    for order in orders:
        try:
            payload = json.loads(order.payload or "null")
        except ValueError:
            payload = order.payload  # stored as text: an entry that was not JSON
        line = anonymize(payload, salt)
        expect = {"state": order.state}
        if isinstance(line, dict) and not any(key in line for key in DIRECTIVES):
            yield json.dumps({**line, "_expect": expect}, ensure_ascii=False)
        else:
            yield json.dumps({"_order": line, "_expect": expect}, ensure_ascii=False)


def main():
    parser = tool_parser(__doc__)
    parser.add_argument("--out", help="the file to write (default: standard output)")
    parser.add_argument("--account", type=int, action="append", help="only this dukkango.account id (repeatable)")
    parser.add_argument("--state", action="append", choices=STATES, help="only orders in this state (repeatable)")
    parser.add_argument("--salt", default=None, help="the secret of the fakes (default: random)")
    args = parser.parse_args()
    salt = args.salt or secrets.token_hex(16)
    with OdooProcess(args).env() as env:
        domain = [("state", "in", args.state or list(STATES))]
        if args.account:
            domain.append(("account_id", "in", args.account))
        orders = env["dukkango.order"].sudo().search(domain, order="id")
        out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
        try:
            count = 0
            for line in corpus_lines(orders, salt):
                out.write(line + "\n")
                count += 1
        finally:
            if args.out:
                out.close()
        env.cr.rollback()  # an export writes nothing
    print(f"{count} orders exported" + (f" to {args.out}" if args.out else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
