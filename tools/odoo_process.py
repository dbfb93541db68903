"""What the tools share: their command-line options, an Odoo registry in a plain process
(real commits, no test mode), the child processes of crash_test.py and soak.py, and a
Dükkango account linked to a point of sale with an open session.

The options of an Odoo database (``--db``, ``--addons-path``, ``--odoo-src``,
``--db-host``, ``--db-port``, ``--db-user``) are defined once, in DATABASE_OPTIONS: a
tool's parser comes from :func:`tool_parser`, the options Odoo itself takes from
:func:`odoo_options`, the same options again for a child process from
:func:`database_argv`.
"""

import argparse
import getpass
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dukkango.testing.simulator import DEFAULT_RESTAURANTS  # noqa: E402

#: uuid of the simulator restaurant the tools' points of sale serve
RESTAURANT = DEFAULT_RESTAURANTS[0]["id"]
#: the database of ``make run`` (tools/run-demo.sh), which tools/screenshots.py photographs
DEMO_DB = "pos_dukkango_demo"

#: (our option, Odoo's option or None, default): the options of an Odoo database; a
#: default None makes the option required
DATABASE_OPTIONS = (
    ("--db", "--database", None),
    ("--addons-path", "--addons-path", None),
    ("--odoo-src", None, os.environ.get("ODOO_SRC", "/opt/odoo/18.0")),
    ("--db-host", "--db_host", os.environ.get("PGHOST", "127.0.0.1")),
    ("--db-port", "--db_port", os.environ.get("PGPORT", "5432")),
    ("--db-user", "--db_user", getpass.getuser()),
)
#: (our option, the Simulator attribute, help): where the simulator is (a parent tells its child)
SIMULATOR_OPTIONS = (
    ("--sim-url", "base_url", "the simulator's API URL"),
    ("--app-key", "app_secret_key", "the simulator's app secret key"),
    ("--rest-key", "rest_secret_key", "the simulator's restaurant secret key"),
)


def _dest(option):
    return option.lstrip("-").replace("-", "_")


def tool_parser(doc, *, roles=(), simulator=False, registry=True, db_default=None):
    """The argument parser of a tool, with the options of an Odoo database.

    ``doc``: the tool's docstring (shown by ``--help``); ``roles``: the choices of a first
    positional ``role`` argument (the first one is the default), for a script that also
    runs as its own child process; ``simulator``: add --sim-url, --app-key and --rest-key
    (given to a child by :func:`child_command`); ``registry=False``: only ``--db``, for a
    tool that talks HTTP to a running server; ``db_default``: ``--db`` is then optional.
    """
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    if roles:
        parser.add_argument("role", nargs="?", default=roles[0], choices=roles)
    options = DATABASE_OPTIONS if registry else DATABASE_OPTIONS[:1]
    for option, _odoo_option, default in options:
        value = db_default if option == "--db" else default
        parser.add_argument(option, required=value is None, default=value)
    if simulator:
        for option, _attribute, help_text in SIMULATOR_OPTIONS:
            parser.add_argument(option, help=help_text)
    return parser


def odoo_options(args, log_level="warn"):
    """The command-line options of Odoo (``odoo-bin``, ``config.parse_config``) for ``args``."""
    options = [f"{odoo}={getattr(args, _dest(ours))}" for ours, odoo, _default in DATABASE_OPTIONS if odoo]
    return [*options, f"--log-level={log_level}"]


def database_argv(args):
    """The database options of ``args`` as a tool's command line takes them (for a child)."""
    return [item for option, _odoo, _default in DATABASE_OPTIONS for item in (option, getattr(args, _dest(option)))]


def child_command(script, role, args, sim, *extra):
    """The command that runs ``script`` again as ``role`` on the same database, on ``sim``."""
    connection = [item for option, attribute, _help in SIMULATOR_OPTIONS for item in (option, getattr(sim, attribute))]
    return [sys.executable, str(script), role, *database_argv(args), *connection, *extra]


def connect(args):
    """A psycopg2 connection to the database of ``args``, outside Odoo."""
    import psycopg2

    return psycopg2.connect(dbname=args.db, host=args.db_host, port=args.db_port, user=args.db_user)


class OdooProcess:
    """Odoo loaded in this process on the database of ``args``: real commits, no test mode."""

    def __init__(self, args, log_level="warn"):
        sys.path.insert(0, args.odoo_src)
        import odoo
        from odoo.tools import config

        config.parse_config(odoo_options(args, log_level))
        odoo.netsvc.init_logger()
        self.odoo = odoo
        self.registry = odoo.modules.registry.Registry(args.db)

    @contextmanager
    def env(self):
        """A superuser environment on a new cursor, committed when the block ends without an error."""
        with self.registry.cursor() as cr:
            yield self.odoo.api.Environment(cr, self.odoo.SUPERUSER_ID, {})

    def setup_child_account(self, args, name, **account_values):
        """Child side: the account of :func:`setup_account` on the simulator of ``args``
        (see :func:`child_command`), committed; prints ``{"account": id}`` and returns the id."""
        with self.env() as env:
            account, _config = setup_account(env, name, args.sim_url, args.app_key, args.rest_key, **account_values)
            account_id = account.id
        print(json.dumps({"account": account_id}), flush=True)
        return account_id


def read_child_account(line):
    """Parent side: the account id a child printed with :meth:`OdooProcess.setup_child_account`."""
    return json.loads(line)["account"]


def link_restaurant(config, account, uuid=RESTAURANT):
    """Link point of sale ``config`` to the simulator restaurant ``uuid`` of ``account``
    (one of DEFAULT_RESTAURANTS), listed for the account first when it is not yet, as
    ``account.action_test_connection()`` would. Returns the ``dukkango.restaurant``."""
    Restaurant = config.env["dukkango.restaurant"].with_context(active_test=False)
    record = Restaurant.search([("account_id", "=", account.id), ("uuid", "=", uuid.lower())], limit=1)
    if not record:
        name = next(row["name"] for row in DEFAULT_RESTAURANTS if row["id"] == uuid)
        record = Restaurant.create({"account_id": account.id, "uuid": uuid.lower(), "name": name})
    elif not record.active:
        record.active = True
    # a branch feeds one till: a till of an earlier run (another account) lets it go
    earlier = config.search([("id", "!=", config.id), ("dukkango_restaurant_id.uuid", "=", uuid.lower())])
    earlier.write({"dukkango_restaurant_id": False, "dukkango_account_id": False})
    config.write({"dukkango_account_id": account.id, "dukkango_restaurant_id": record.id})
    return record


def setup_account(env, name, sim_url, app_key, rest_key, poll_cooldown=None, **account_values):
    """A Dükkango account on the simulator, linked to a new point of sale with an open
    session (the company gets the generic chart of accounts when it has none). With
    ``poll_cooldown``, the seconds between two polls instead of the platform's 30."""
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    if poll_cooldown is not None:
        env["ir.config_parameter"].set_param("pos_dukkango.poll_cooldown", str(poll_cooldown))
    account = env["dukkango.account"].create(
        {"name": name, "api_url": sim_url, "app_secret_key": app_key, "rest_secret_key": rest_key, **account_values}
    )
    config = env["pos.config"].create({"name": f"{name} POS"})
    link_restaurant(config, account)
    config.with_user(env.ref("base.user_admin")).open_ui()
    config.current_session_id.set_opening_control(0, None)
    return account, config
