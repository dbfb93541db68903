#!/usr/bin/env python3
"""Wire the demo database of ``make run`` (tools/run-demo.sh) to the simulator.

    python tools/demo_setup.py [--db pos_dukkango_demo] --addons-path PATH --sim-url URL

Creates or reuses the Dükkango account whose API URL is ``--sim-url`` (with the
simulator's keys), and links the demo's main point of sale to it and to the
simulator's first restaurant, unless a session of that point of sale is open.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import DEMO_DB, OdooProcess, link_restaurant, tool_parser

from dukkango.testing.simulator import DEFAULT_APP_KEY, DEFAULT_REST_KEY


def wire_demo(env, url, app_key, rest_key):
    """The simulator's account, and the point of sale that receives its orders."""
    Account = env["dukkango.account"].with_context(active_test=False)
    account = Account.search([("api_url", "=", url)], limit=1) or Account.create(
        {"name": "Dükkango simülatörü", "api_url": url}
    )
    account.write({"active": True, "app_secret_key": app_key, "rest_secret_key": rest_key})
    config = env.ref("point_of_sale.pos_config_main", raise_if_not_found=False) or env["pos.config"].search([], limit=1)
    linked = config.dukkango_account_id == account and config.dukkango_restaurant_id
    if config and not linked and not config.current_session_id:
        link_restaurant(config, account)
    return account, config


def main():
    parser = tool_parser(__doc__, simulator=True, db_default=DEMO_DB)
    parser.set_defaults(app_key=DEFAULT_APP_KEY, rest_key=DEFAULT_REST_KEY)
    args = parser.parse_args()
    if not args.sim_url:
        parser.error("--sim-url is required")
    with OdooProcess(args).env() as env:
        account, config = wire_demo(env, args.sim_url, args.app_key, args.rest_key)
        served = config.dukkango_restaurant_id.name or "no restaurant"
        print(f"Dükkango account {account.id} points at {args.sim_url} - point of sale {config.name} serves {served}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
