#!/usr/bin/env python3
"""Take the README screenshots from a running demo (``make run``) with headless Chromium.

    python tools/screenshots.py [--url http://127.0.0.1:8069] [--db pos_dukkango_demo]

Needs Debian's ``chromium`` and the ``websocket-client`` package (both in the Odoo
virtualenv that ``make test`` builds). Writes PNG files to static/description/.
"""

import argparse
import base64
import json
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parents[1]
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="pos_dukkango_demo")
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
            chrome.call("Page.navigate", url=args.url + path)
            time.sleep(6)
            # the web client's passing notices (e.g. "page out of date" after an update) are not the subject
            chrome.call(
                "Runtime.evaluate", expression="document.querySelectorAll('.o_notification').forEach(n => n.remove())"
            )
            if selector:
                chrome.call("Runtime.evaluate", expression=f"document.querySelector('{selector}').scrollIntoView()")
                time.sleep(1)
            png = chrome.call("Page.captureScreenshot", format="png")["data"]
            (ROOT / "static" / "description" / filename).write_bytes(base64.b64decode(png))
            print("wrote", filename)
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
