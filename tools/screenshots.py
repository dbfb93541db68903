#!/usr/bin/env python3
"""Take the README screenshots from a running demo (``make run``) with headless Chromium.

    python tools/screenshots.py [--url http://127.0.0.1:8069] [--db pos_dukkango_demo]

Needs Debian's ``chromium`` and the ``websocket-client`` package (both in the Odoo
virtualenv that ``make test`` builds). Writes PNG files to static/description/.
"""

import base64
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))

from odoo_process import DEMO_DB, ROOT, tool_parser

#: the POS ticket screen, filtered on Dükkango orders, with the first one selected
POS_SHOT = (
    "screenshot_pos_ticket_screen.png",
    "posmodel.showScreen('TicketScreen', {stateOverride: {filter: 'DUKKANGO'}})",
    "document.querySelector('.ticket-screen .order-row .dukkango-number').click()",
)
SHOTS = [
    # (file, path to open, CSS selector to scroll into view or None)
    ("screenshot_settings.png", "/odoo/action-point_of_sale.action_pos_configuration", "#pos_dukkango_section"),
    ("screenshot_pos_orders.png", "/odoo/action-point_of_sale.action_pos_pos_form", None),
    ("screenshot_sync_log.png", "/odoo/action-pos_dukkango.dukkango_order_action", None),
]


class Chrome:
    def __init__(self, port=9333, size="1440,1000"):
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
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={size}",
                "--lang=tr-TR",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as answer:
                    pages = [t for t in json.load(answer) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message.get("result", {})

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)


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


def prepare_pos(session, url):
    """Open a session of the demo's Dükkango point of sale with a few orders in it; its id."""
    linked = [("dukkango_account_id", "!=", False), ("dukkango_restaurant_id", "!=", False)]
    [config] = rpc(session, url, "pos.config", "search_read", linked, ["id"], limit=1)
    config_id = config["id"]
    [state] = rpc(session, url, "pos.config", "read", [config_id], ["current_session_state", "dukkango_account_id"])
    if not state["current_session_state"]:
        rpc(session, url, "pos.config", "open_ui", [config_id])
    [config] = rpc(session, url, "pos.config", "read", [config_id], ["current_session_id", "dukkango_restaurant_id"])
    session_id = config["current_session_id"][0]
    rpc(session, url, "pos.session", "set_opening_control", [session_id], 0, "")
    account_id = state["dukkango_account_id"][0]
    [account] = rpc(session, url, "dukkango.account", "read", [account_id], ["api_url"])
    [restaurant] = rpc(session, url, "dukkango.restaurant", "read", [config["dukkango_restaurant_id"][0]], ["uuid"])
    sim = account["api_url"].split("/api/")[0]
    requests.post(f"{sim}/_sim/orders", json={"count": 4, "restaurant_id": restaurant["uuid"]}, timeout=10)
    rpc(session, url, "dukkango.account", "write", [account_id], {"next_poll_at": False})
    rpc(session, url, "dukkango.account", "action_fetch_orders", [account_id])
    orders = rpc(
        session,
        url,
        "pos.order",
        "search_read",
        [("session_id", "=", session_id), ("dukkango_status", "=", "received")],
        ["id"],
        order="id desc",  # the orders just fetched (older ones may come from an earlier simulator)
        limit=4,
    )
    if len(orders) > 1:
        rpc(session, url, "pos.order", "action_dukkango_accept", [orders[0]["id"]], 25)
    return config_id


def shoot(chrome, filename, url, expressions=(), wait=6):
    """Open ``url``, run each JavaScript expression (3 s apart), and save the page as ``filename``."""
    chrome.call("Page.navigate", url=url)
    time.sleep(wait)
    # the web client's passing notices (e.g. "page out of date" after an update) are not the subject
    chrome.call("Runtime.evaluate", expression="document.querySelectorAll('.o_notification').forEach(n => n.remove())")
    for expression in expressions:
        chrome.call("Runtime.evaluate", expression=expression)
        time.sleep(3)
    png = chrome.call("Page.captureScreenshot", format="png")["data"]
    (ROOT / "static" / "description" / filename).write_bytes(base64.b64decode(png))
    print("wrote", filename)


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


def main():
    parser = tool_parser(__doc__, registry=False, db_default=DEMO_DB)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()
    session = requests.Session()
    answer = session.post(
        f"{args.url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": args.db, "login": args.login, "password": args.password}},
        timeout=30,
    )
    answer.raise_for_status()
    chrome = Chrome()
    try:
        chrome.call("Network.enable")
        chrome.call(
            "Network.setCookie", name="session_id", value=session.cookies["session_id"], domain="127.0.0.1", path="/"
        )
        for filename, path, selector in SHOTS:
            scroll = [f"document.querySelector('{selector}').scrollIntoView()"] if selector else []
            shoot(chrome, filename, args.url + path, scroll)
        config_id = prepare_pos(session, args.url)
        filename, show, select = POS_SHOT
        shoot(chrome, filename, f"{args.url}/pos/ui?config_id={config_id}", [show, select], wait=10)
        menu_shots(chrome, session, args.url, config_id)
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
