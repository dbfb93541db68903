"""What tools/crash_test.py, tools/soak.py and tools/bench.py share: the command-line
options of an Odoo database, an Odoo registry in a plain process (real commits, no test
mode), and a Dükkango account linked to a point of sale with an open session."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dukkango.testing.simulator import DEFAULT_RESTAURANTS  # noqa: E402

RESTAURANT = DEFAULT_RESTAURANTS[0]["id"]


def add_database_arguments(parser):
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--odoo-src", default=os.environ.get("ODOO_SRC", "/opt/odoo/18.0"))
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="5432")
    parser.add_argument("--db-user", default=os.environ.get("USER", "root"))


def open_registry(args, log_level="warn"):
    """Return ``(odoo, registry)`` for ``args.db``."""
    sys.path.insert(0, args.odoo_src)
    import odoo
    from odoo.tools import config

    config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--database={args.db}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            f"--log-level={log_level}",
        ]
    )
    odoo.netsvc.init_logger()
    return odoo, odoo.modules.registry.Registry(args.db)


def superuser_env(odoo, cr):
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def setup_account(env, name, sim_url, app_key, rest_key, **account_values):
    """A Dükkango account on the simulator, linked to a new point of sale with an open
    session (the company gets the generic chart of accounts when it has none)."""
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    account = env["dukkango.account"].create(
        {"name": name, "api_url": sim_url, "app_secret_key": app_key, "rest_secret_key": rest_key, **account_values}
    )
    config = env["pos.config"].create({"name": f"{name} POS"})
    config.write({"dukkango_account_id": account.id, "dukkango_restaurant_id": RESTAURANT})
    config.with_user(env.ref("base.user_admin")).open_ui()
    config.current_session_id.set_opening_control(0, None)
    return account, config
