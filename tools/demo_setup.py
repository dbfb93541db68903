#!/usr/bin/env python3
"""Set up the demo database of ``make run`` (tools/run-demo.sh) as a Turkish restaurant
wired to the Dükkango simulator.

    python tools/demo_setup.py company --db DB --addons-path PATH
    python tools/demo_setup.py setup --db DB --addons-path PATH --sim-url URL [--orders 2]

``company`` (on a database with only ``base``, before the accounting is installed): the
main company becomes a restaurant in İstanbul, in Türkiye and in Turkish lira, so that
installing ``account`` loads Odoo's Turkish chart of accounts and taxes (``l10n_tr``).

``setup`` (after ``pos_dukkango`` and ``l10n_tr`` are installed; run again at every start):

* KDV: the company's default sales tax and the Dükkango products get the rates of a
  restaurant (see :func:`turkish_taxes`);
* the Dükkango account on the simulator; its connection is tested, so the restaurants
  are known and their open/closed state read;
* the demo's point of sale serves the simulator's first restaurant, and shows its menu:
  the menu is imported (dishes, categories, options), the till limited to it;
* the simulator serves that restaurant only (``--restaurant``; set again over its control
  interface when the point of sale serves another one);
* a session is opened, ``--orders`` new orders are put on the platform (one paid in cash,
  one by card online, ...) and fetched at once.

The simulator numbers the orders and keeps those not yet over across restarts itself
(``--first-order-id``, ``--state``: tools/run-demo.sh), and makes the new ones of the demo
(``--order-every``). It prints what it did, and last ``POS_CONFIG_ID=<id> RESTAURANT=<uuid>``.
"""

import json
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import DEMO_DB, RESTAURANT, OdooProcess, link_restaurant, tool_parser

from dukkango.testing.sim_menu import describe_order
from dukkango.testing.simulator import DEFAULT_APP_KEY, DEFAULT_REST_KEY

ACCOUNT_NAME = "Dükkango simülatörü"
#: the demo company: a kebab restaurant in Şişli, İstanbul
COMPANY = {
    "name": "Lezzet Sofrası Kebap",
    "street": "Halaskargazi Caddesi No: 212",
    "city": "İstanbul",
    "zip": "34371",
    "phone": "+90 212 555 10 34",
    "email": "siparis@lezzetsofrasi.example",
}
#: what a Turkish restaurant's accountant books (readme/QUICKSTART.rst): l10n_tr tax code
#: of each Dükkango product, None for no KDV
PRODUCT_TAXES = {
    "pos_dukkango.product_dukkango_fee": "tr_s_10",  # delivery: part of the meal's price (KDVK 24/c)
    "pos_dukkango.product_dukkango_discount": "tr_s_10",  # a discount lowers the meal's base (KDVK 25)
    "pos_dukkango.product_dukkango_item": "tr_s_10",  # an unknown dish is still food service
    "pos_dukkango.product_dukkango_tip": None,  # a tip is the staff's, not the price of the meal
    "pos_dukkango.product_dukkango_adjustment": None,  # kuruş of rounding
}
#: the rate of food and non-alcoholic drinks served by a restaurant (10 % since 10 July 2023)
FOOD_TAX = "tr_s_10"
#: the payment methods of the orders put on the platform at setup, in turn (the platform's names)
PAYMENTS = ("Nakit", "Kredi Kartı", "Banka Kartı")


# ------------------------------------------------------------------ company
def turkish_company(env):
    """The main company as a restaurant in İstanbul, in Turkish lira (before ``account``)."""
    company = env.ref("base.main_company")
    lira = env.ref("base.TRY")
    lira.active = True
    turkey = env.ref("base.tr")
    istanbul = env["res.country.state"].search([("country_id", "=", turkey.id), ("code", "=", "34")], limit=1)
    company.write({**COMPANY, "country_id": turkey.id, "state_id": istanbul.id, "currency_id": lira.id})
    env.ref("base.user_admin").write({"tz": "Europe/Istanbul"})
    return company


# ------------------------------------------------------------------ taxes
def turkish_taxes(env, company):
    """KDV as a restaurant books it: 10 % on dishes (the company's default sales tax, which
    the menu import gives new dishes), on delivery fees and discounts; none on tips and
    on the rounding adjustment. Returns {product name: tax name}. Needs l10n_tr's chart."""
    templates = env["account.chart.template"].with_company(company)
    food_tax = templates.ref(FOOD_TAX, raise_if_not_found=False)
    if not food_tax:
        raise SystemExit(f"the company {company.name} has no KDV 10 % tax ({FOOD_TAX}): is l10n_tr's chart loaded?")
    if company.account_sale_tax_id != food_tax:
        company.account_sale_tax_id = food_tax
    result = {}
    for xmlid, code in PRODUCT_TAXES.items():
        product = env.ref(xmlid, raise_if_not_found=False)
        if not product:
            continue
        tax = templates.ref(code) if code else env["account.tax"]
        if product.taxes_id.filtered(lambda t, c=company: t.company_id == c) != tax:
            others = product.taxes_id.filtered(lambda t, c=company: t.company_id != c)
            product.taxes_id = others | tax
        result[product.name] = tax.name or "no KDV"
    return result


# ------------------------------------------------------------------ simulator
def sim_call(sim_url, method, route, body=None):
    """Call the simulator's control interface (``/_sim/ROUTE``); the envelope's data."""
    root = sim_url.split("/api/")[0]
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{root}/_sim/{route}", data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)["data"]


def new_orders(sim_url, count):
    """Put ``count`` new orders on the simulator (for the restaurant it serves), paid in turn
    in cash, by card online and by debit card; the simulator numbers them."""
    orders = []
    for turn in range(count):
        orders += sim_call(sim_url, "POST", "orders", {"payment_method": PAYMENTS[turn % len(PAYMENTS)]})
    return orders


def serve_restaurant(sim_url, uuid):
    """Make the simulator serve ``uuid`` only; True when it served another restaurant."""
    if sim_call(sim_url, "GET", "restaurant")["restaurant_id"] == uuid.lower():
        return False
    sim_call(sim_url, "POST", "restaurant", {"restaurant_id": uuid})
    return True


# ------------------------------------------------------------------ Odoo
def demo_account(env, url, app_key, rest_key):
    """The simulator's account (found by its name: the simulator's port may change)."""
    Account = env["dukkango.account"].with_context(active_test=False)
    account = Account.search([("name", "=", ACCOUNT_NAME)], limit=1) or Account.search([("api_url", "=", url)], limit=1)
    values = {"active": True, "api_url": url, "app_secret_key": app_key, "rest_secret_key": rest_key}
    if account:
        account.write({key: value for key, value in values.items() if account[key] != value})
    else:
        account = Account.create({"name": ACCOUNT_NAME, **values})
    return account


def demo_config(env):
    return env.ref("point_of_sale.pos_config_main", raise_if_not_found=False) or env["pos.config"].search([], limit=1)


def import_menu(restaurant):
    """Import the restaurant's Dükkango menu, as the preview's "Import" button does; the counts."""
    wizard = restaurant.env["dukkango.menu.import.wizard"].create({"restaurant_id": restaurant.id})
    wizard._load_preview()
    counts = {
        "created": wizard.create_count,
        "updated": wizard.update_count,
        "unchanged": wizard.unchanged_count,
        "archived": wizard.archive_count,
    }
    wizard.action_apply()
    return counts


def show_menu_only(config, restaurant):
    """Limit the till to the categories of the restaurant's dishes (not while a session is open)."""
    categories = (
        restaurant.env["dukkango.food"]
        .search([("restaurant_id", "=", restaurant.id)])
        .mapped("product_tmpl_id.pos_categ_ids")
    )
    if config.current_session_id or not categories:
        return
    if not config.limit_categories or config.iface_available_categ_ids != categories:
        config.write({"limit_categories": True, "iface_available_categ_ids": [(6, 0, categories.ids)]})


def tidy_demo(env, config):
    """Only the restaurant in view: its name (stock's demo data renames the main company),
    the demo's other shops (clothes, bakery) archived, and the demo companies (stock's
    "My Company (Chicago)", l10n_tr's "TR Company") out of the users' companies."""
    company = config.company_id
    changed = {key: value for key, value in COMPANY.items() if company[key] != value}
    if changed:
        company.write(changed)
    others = env["pos.config"].search([("id", "!=", config.id)]).filtered(lambda c: not c.current_session_id)
    if others:
        others.active = False
    users = env.ref("base.user_admin") | (env.ref("base.user_demo", raise_if_not_found=False) or env["res.users"])
    for user in users:
        if user.company_id == company and user.company_ids != company:
            user.company_ids = [(6, 0, company.ids)]


def open_session(config):
    """The open session of ``config``, opened by the administrator (no opening-cash step)."""
    admin = config.env.ref("base.user_admin")
    if not config.current_session_id:
        config.with_user(admin).open_ui()
    session = config.current_session_id
    if session.state == "opening_control":
        session.with_user(admin).set_opening_control(0, "")
    return session


def setup(env, args, out):
    company = env.ref("base.main_company")
    if company.chart_template != "tr":
        raise SystemExit(f"the company {company.name} does not use Odoo's Turkish chart (l10n_tr): recreate the demo")
    taxes = turkish_taxes(env, company)
    out(
        f"KDV: dishes {company.account_sale_tax_id.name} (default sales tax); "
        + ", ".join(f"{name} {tax}" for name, tax in taxes.items())
    )
    account = demo_account(env, args.sim_url, args.app_key, args.rest_key)
    account.action_test_connection()
    restaurants = account.restaurant_ids
    out(
        f"Dükkango account {account.name!r} on {args.sim_url}: connection tested, restaurants: "
        + ", ".join(f"{r.name} ({r.platform_status or 'state unknown'})" for r in restaurants)
    )
    config = demo_config(env)
    if not config.dukkango_restaurant_id or config.dukkango_account_id != account:
        if config.current_session_id:
            raise SystemExit(f"close the session of {config.name} first: it cannot be linked during a session")
        link_restaurant(config, account, RESTAURANT)
    restaurant = config.dukkango_restaurant_id
    if config.name != restaurant.name and not config.current_session_id:
        config.name = restaurant.name
        if config.sequence_id:  # the receipts' numbers start with the point of sale's name
            config.sequence_id.prefix = f"{restaurant.name}/"
    counts = import_menu(restaurant)
    out(f"Menu of {restaurant.name}: " + ", ".join(f"{n} {action}" for action, n in counts.items() if n))
    show_menu_only(config, restaurant)
    tidy_demo(env, config)
    if serve_restaurant(args.sim_url, restaurant.uuid):
        out(f"The simulator now serves {restaurant.name} ({restaurant.uuid}) only")
    session = open_session(config)
    out(
        f"Point of sale {config.name} (id {config.id}): session {session.name} {session.state}, "
        f"store {restaurant.platform_status or 'state unknown'} on Dükkango"
    )
    env.cr.commit()
    for order in new_orders(args.sim_url, args.orders):
        out(f"New order on the simulator {describe_order(order)}")
    account.next_poll_at = False
    stats = account._poll_orders()
    out(f"Fetched: {stats['received']} order(s) received, {stats['imported']} imported, {stats['errors']} error(s)")
    return config, restaurant.uuid


def main():
    parser = tool_parser(__doc__, roles=("setup", "company"), simulator=True, db_default=DEMO_DB)
    parser.set_defaults(app_key=DEFAULT_APP_KEY, rest_key=DEFAULT_REST_KEY)
    parser.add_argument("--orders", type=int, default=2, help="new orders to put on the platform at setup")
    args = parser.parse_args()
    if args.role != "company" and not args.sim_url:
        parser.error("--sim-url is required")
    process = OdooProcess(args)
    with process.env() as env:
        if args.role == "company":
            company = turkish_company(env)
            print(f"Company {company.name}: {company.country_id.name}, {company.currency_id.name}")
            return 0
        config, restaurant = setup(env, args, lambda line: print(line, flush=True))
        print(f"POS_CONFIG_ID={config.id} RESTAURANT={restaurant}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
