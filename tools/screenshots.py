#!/usr/bin/env python3
"""Take the README's screenshots from a running demo (``make run``) with headless Chromium.

    python tools/screenshots.py [--url http://127.0.0.1:8069] [--db pos_dukkango_demo] [--all]

Run it with the Odoo virtualenv's Python while ``make run`` serves Odoo (``--url`` with
the port it printed). Needs Debian's ``chromium`` and the ``websocket-client`` package
(in the Odoo virtualenv that ``make test`` builds). Writes PNG files to readme/images/.

By default, the quick start's shots (readme/QUICKSTART.rst), of the till exactly as
``make run`` leaves it (it changes nothing): the till with its Dükkango orders and the
restaurant's state in the top bar, the ticket screen filtered on Dükkango orders, and
the order panel of the first one. With ``--all``, also the backend's shots of the
other sections: settings, orders, synchronisation log, menu import and menu; these
test the connection again, import the menu again and take one dish off Dükkango.
With ``--rush``, also the rush's shot (readme/USAGE.rst, *During a rush*): the orders
already in the till are delivered on the simulator (the evening's earlier ones), orders
placed 12, 6, 3 and 1 minutes ago are put on it and fetched, Dükkango orders are paused
for 30 minutes, and the ticket screen is taken with the overdue order selected.
"""

import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import DEMO_DB, ROOT, tool_parser

IMAGES = ROOT / "readme" / "images"
#: the POS ticket screen, filtered on Dükkango orders, with the oldest one selected (its panel shows)
SHOW_TICKETS = "posmodel.showScreen('TicketScreen', {stateOverride: {filter: 'DUKKANGO'}})"
SELECT_OLDEST = "[...document.querySelectorAll('.ticket-screen .order-row .dukkango-number')].pop().click()"
#: the web client's passing notices (a new order's, "page out of date"...) are not the subject
HIDE_NOTICES = "document.querySelectorAll('.o_notification').forEach(n => n.remove())"
#: the rush's shot: the overdue order's row (its countdown is red), selected
OVERDUE_ROW = ".ticket-screen .order-row:has(.dukkango-countdown[data-phase=overdue])"
#: the rush's orders: (placed this many minutes ago, payment): overdue (paid at the till, so
#: its panel offers Load Order), in its last two minutes, waiting, just in
RUSH_ORDERS = ((12, "Nakit"), (6, "Kredi Kartı"), (3, "Kredi Kartı"), (1, "Banka Kartı"))
#: how long the rush's pause lasts (minutes)
RUSH_PAUSE = 30
#: backend shots of --all: (file, path to open, CSS selector to scroll into view or None)
BACKEND_SHOTS = [
    ("screenshot_settings.png", "/odoo/action-point_of_sale.action_pos_configuration", "#pos_dukkango_section"),
    ("screenshot_pos_orders.png", "/odoo/action-point_of_sale.action_pos_pos_form", None),
    ("screenshot_sync_log.png", "/odoo/action-pos_dukkango.dukkango_order_action", None),
]


class Chrome:
    def __init__(self, port=9333, size="1600,900"):
        self.profile = tempfile.mkdtemp(prefix="pos_dukkango_chrome_")
        self.proc = subprocess.Popen(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={size}",
                "--lang=tr-TR",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        pages = []
        for _ in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
                    pages = [t for t in json.load(answer) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        if not pages:
            self.proc.terminate()
            raise SystemExit("chromium did not start (is Debian's chromium installed?)")
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        width, height = (int(n) for n in size.split(","))
        # the page gets exactly this size (a headless window's own size leaves it less height)
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message.get("result", {})

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (None when it throws)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return None if "exceptionDetails" in result else result.get("result", {}).get("value")

    def run(self, expression):
        """Run a JavaScript statement in the page (its value is not sent back)."""
        self.evaluate(f"void ({expression})")

    def wait_for(self, expression, timeout=60):
        """Wait until ``expression`` is truthy in the page; True, or False on timeout."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"Boolean({expression})"):
                return True
            time.sleep(0.5)
        return False

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def rpc(session, url, model, method, *args, **kwargs):
    answer = session.post(
        f"{url}/web/dataset/call_kw/{model}/{method}",
        json={"jsonrpc": "2.0", "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs}},
        timeout=60,
    )
    answer.raise_for_status()
    payload = answer.json()
    if "error" in payload:
        raise RuntimeError(payload["error"]["data"]["message"])
    return payload.get("result")


class Shots:
    """Where the PNG files go (``--out``)."""

    out = IMAGES


def save(chrome, filename, clip=None):
    params = {"format": "png"}
    if clip:
        params["clip"] = {**clip, "scale": 1}
    png = chrome.call("Page.captureScreenshot", **params)["data"]
    Shots.out.mkdir(parents=True, exist_ok=True)
    (Shots.out / filename).write_bytes(base64.b64decode(png))
    print("wrote", Shots.out / filename)


def shoot(chrome, filename, url, expressions=(), wait=6):
    """Open ``url``, run each JavaScript expression (3 s apart), and save the page as ``filename``."""
    chrome.call("Page.navigate", url=url)
    chrome.wait_for("document.querySelector('.o_action_manager .o_view_controller')", 60)
    time.sleep(wait)
    chrome.run(HIDE_NOTICES)
    for expression in expressions:
        chrome.run(expression)
        time.sleep(3)
    save(chrome, filename)


def demo_config(session, url):
    """The id of the demo's point of sale linked to Dükkango, with an open session."""
    linked = [("dukkango_account_id", "!=", False), ("dukkango_restaurant_id", "!=", False)]
    configs = rpc(session, url, "pos.config", "search_read", linked, ["id", "current_session_state"], limit=1)
    if not configs or configs[0]["current_session_state"] != "opened":
        raise SystemExit("no point of sale serves a Dükkango restaurant with an open session: run `make run` first")
    return configs[0]["id"]


def element_clip(chrome, selector, margin=8):
    """The page area of the first element matching ``selector``, with a margin."""
    rect = chrome.evaluate(
        f"(() => {{ const r = document.querySelector({json.dumps(selector)})?.getBoundingClientRect();"
        " return r && {x: r.x, y: r.y, width: r.width, height: r.height}; })()"
    )
    if not rect:
        return None
    return {
        "x": max(0, rect["x"] - margin),
        "y": max(0, rect["y"] - margin),
        "width": rect["width"] + 2 * margin,
        "height": rect["height"] + 2 * margin,
    }


def quickstart_shots(chrome, url, config_id):
    """The till as ``make run`` leaves it: its top bar, its tickets, an order's panel."""
    chrome.call("Page.navigate", url=f"{url}/pos/ui?config_id={config_id}&from_backend=True")
    # the restaurant's state, or the pause that takes its place
    shown = "document.querySelector('.pos .dukkango-store-status, .pos .dukkango-paused')"
    if not chrome.wait_for(f"window.posmodel && {shown}", 90):
        raise SystemExit("the till did not show the restaurant's Dükkango state within 90 s")
    if not chrome.wait_for("posmodel.dukkangoOrders.length", 90):
        raise SystemExit("the till shows no Dükkango order (is the simulator of `make run` running?)")
    time.sleep(2)
    chrome.run(HIDE_NOTICES)
    save(chrome, "quickstart_till.png")
    chrome.run(SHOW_TICKETS)
    chrome.wait_for("document.querySelector('.ticket-screen .order-row .dukkango-number')", 30)
    chrome.run(SELECT_OLDEST)
    chrome.wait_for("document.querySelector('.dukkango-order-panel')", 30)
    time.sleep(2)
    chrome.run(HIDE_NOTICES)
    save(chrome, "quickstart_ticket_screen.png")
    clip = element_clip(chrome, ".dukkango-order-panel")
    if clip:
        save(chrome, "quickstart_order_panel.png", clip)


def menu_shots(chrome, session, url, config_id):
    """The menu import's preview, then the imported dishes with one taken off Dükkango."""
    [config] = rpc(session, url, "pos.config", "read", [config_id], ["dukkango_account_id"])
    rpc(session, url, "dukkango.account", "action_test_connection", [config["dukkango_account_id"][0]])
    shoot(
        chrome,
        "screenshot_menu_import.png",
        f"{url}/odoo/pos.config/{config_id}",
        ["document.querySelector('button[name=action_dukkango_import_menu]').click()"],
    )
    action = rpc(session, url, "pos.config", "action_dukkango_import_menu", [config_id])
    rpc(session, url, action["res_model"], "action_apply", [action["res_id"]])
    foods = rpc(session, url, "dukkango.food", "search_read", [("available", "=", True)], ["id"], limit=1)
    if foods:
        rpc(session, url, "dukkango.food", "action_set_unavailable", [foods[0]["id"]])
    shoot(chrome, "screenshot_menu_items.png", f"{url}/odoo/action-pos_dukkango.dukkango_food_action")


def rush_orders(session, url, config_id):
    """Set up a rush on the demo: the orders already in the till are delivered on Dükkango (the
    evening's earlier ones), RUSH_ORDERS come in and are fetched, and orders are paused."""
    [config] = rpc(session, url, "pos.config", "read", [config_id], ["dukkango_account_id"])
    [account] = rpc(session, url, "dukkango.account", "read", [config["dukkango_account_id"][0]], ["api_url"])
    control = account["api_url"].split("/api/")[0] + "/_sim/orders"
    earlier = rpc(
        session,
        url,
        "dukkango.order",
        "search_read",
        [("config_id", "=", config_id), ("status", "in", ["received", "confirmed", "in_delivery"])],
        ["payment_key"],
    )
    for order in earlier:  # status 5: delivered
        answer = requests.post(f"{control}/{order['payment_key']}/status", json={"status_id": 5}, timeout=10)
        answer.raise_for_status()
    numbers = []
    for minutes, payment in RUSH_ORDERS:
        placed = datetime.now(ZoneInfo("Europe/Istanbul")) - timedelta(minutes=minutes)
        body = {"date": placed.strftime("%Y-%m-%d %H:%M:%S"), "payment_method": payment, "scheduled_date": ""}
        answer = requests.post(control, json=body, timeout=10)
        answer.raise_for_status()
        numbers += [order["id"] for order in answer.json()["data"]]
    print(f"rush: {len(earlier)} earlier order(s) delivered; new:", ", ".join(f"#{n}" for n in numbers))
    imported = [("dukkango_id", "in", numbers), ("pos_order_id", "!=", False)]
    # the earlier ones delivered, and those paid in cash paid with the cash method (not open in a tab)
    ids = [order["id"] for order in earlier]
    delivered = ["&", ("id", "in", ids), "|", ("status", "!=", "delivered"), ("pos_order_id.state", "=", "draft")]
    deadline = time.time() + 150
    while rpc(session, url, "dukkango.order", "search_count", imported) < len(numbers) or rpc(
        session, url, "dukkango.order", "search_count", delivered
    ):
        if time.time() > deadline:
            raise SystemExit("the rush's orders were not fetched within 150 s (is the demo's cron running?)")
        time.sleep(3)
    rpc(session, url, "pos.config", "action_dukkango_pause", [config_id], RUSH_PAUSE)


def rush_shot(chrome, session, url, config_id):
    """The till during a rush: countdowns, an overdue order with its banner, a pause in the top bar."""
    rush_orders(session, url, config_id)
    chrome.call("Page.navigate", url=f"{url}/pos/ui?config_id={config_id}&from_backend=True")
    if not chrome.wait_for("window.posmodel && document.querySelector('.pos .dukkango-paused')", 90):
        raise SystemExit("the till did not show the pause within 90 s")
    chrome.run(SHOW_TICKETS)
    if not chrome.wait_for(f"document.querySelector({json.dumps(OVERDUE_ROW)})", 30):
        raise SystemExit("the ticket screen shows no overdue order")
    chrome.run(f"document.querySelector({json.dumps(OVERDUE_ROW)}).click()")
    chrome.wait_for("document.querySelector('.dukkango-order-panel')", 30)
    time.sleep(2)
    chrome.run(HIDE_NOTICES)
    time.sleep(1)
    save(chrome, "rush_till.png")


def main():
    parser = tool_parser(__doc__, registry=False, db_default=DEMO_DB)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--all", action="store_true", help="also the backend's shots (changes the demo a little)")
    parser.add_argument("--rush", action="store_true", help="also the rush's shot (delivers, adds orders, pauses)")
    parser.add_argument("--out", default=str(IMAGES), help="folder of the PNG files")
    parser.add_argument("--size", default="1600,900", help="the browser window: WIDTH,HEIGHT")
    args = parser.parse_args()
    Shots.out = Path(args.out).resolve()
    session = requests.Session()
    answer = session.post(
        f"{args.url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": args.db, "login": args.login, "password": args.password}},
        timeout=30,
    )
    answer.raise_for_status()
    if answer.json().get("error"):
        raise SystemExit(f"cannot log in to {args.url} (database {args.db}): {answer.json()['error']['message']}")
    config_id = demo_config(session, args.url)
    chrome = Chrome(size=args.size)
    try:
        chrome.call("Network.enable")
        host = args.url.split("//", 1)[1].split(":")[0].split("/")[0]
        chrome.call("Network.setCookie", name="session_id", value=session.cookies["session_id"], domain=host, path="/")
        quickstart_shots(chrome, args.url, config_id)
        if args.all:
            for filename, path, selector in BACKEND_SHOTS:
                scroll = [f"document.querySelector('{selector}').scrollIntoView()"] if selector else []
                shoot(chrome, filename, args.url + path, scroll)
            menu_shots(chrome, session, args.url, config_id)
        if args.rush:
            rush_shot(chrome, session, args.url, config_id)
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
