"""A local stand-in for the Dükkango Integrations API.

It serves the 16 documented endpoints under ``/api/integrations`` with the
documented envelope, Turkish error strings and HTTP codes, token login with a
configurable lifetime, the 30 s cooldown of ``get-current`` and ``get-foods``,
repeat-until-acknowledged per status, and the accept/ontheway/complete/cancel
transitions. It also generates realistic Turkish restaurant orders.

Where the public documentation is silent the simulator follows the project's
conventions (``dukkango-api.md`` §14) and these choices:

* An action that the order's status does not allow answers HTTP 409
  ``{"error": "geçersiz durum"}``; ``ontheway`` for anything but a delivery with
  courier type ``restaurant`` too.
* ``complete`` is allowed from 16, and from 2 when the restaurant does not
  deliver itself (pickup, platform courier).
* A final status (5 delivered, 6 cancelled) is reported by ``get-current`` until
  it is acknowledged, so the POS learns about cancellations by the platform.
* An acknowledgement covers the status the order last had in a ``get-current`` answer
  to that key (a status change after it makes the order come back), else its current
  status.

Real payloads may not look like the generated ones: with ``variants`` (``--variants P``)
a share of the generated orders come in PHP-style shapes (:mod:`.variants`), and a corpus
of raw orders as JSON lines (:mod:`.corpus`, ``--corpus FILE``) is served as it is.

A real platform is far away: with ``latency_ms`` and ``jitter_ms`` (``--latency MS``,
``--jitter MS``, ``POST /_sim/latency``) every API request takes that round trip, drawn
per request (uniform within ± the jitter, seeded), half before it is carried out and half
before its answer leaves; the first request of a new connection waits one more round trip
(the TCP handshake). The waits run in the request's own thread, outside the simulator's
lock, so requests in flight at once overlap as on a network. ``connections`` counts the
TCP connections accepted (``GET /_sim/stats``).

Its menu (:mod:`.sim_menu`) is a kebab restaurant's: categories, single and multiple
choice option groups, prices with kuruş; generated orders are drawn from it and their
total is exactly items + options − discount + fee + tip. Orders are numbered from 1031
(``first_order_id``, ``--first-order-id N``, ``POST /_sim/first-order-id``); with
``restaurant`` (``--restaurant UUID``, ``POST /_sim/restaurant``) it generates and serves
the orders of that restaurant only; with ``state_path`` (``--state FILE``) it keeps the
next number and the orders not over across restarts (:mod:`.sim_state`).

Tests drive it from Python (:class:`Simulator`) or over HTTP (``/_sim/...``).
Run it standalone with ``python3 -m dukkango.testing.simulator --port 8765``.
"""

import argparse
import copy
import json
import math
import random
import socket
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ..orders import ISTANBUL
from ..statuses import (
    STATUS_CANCELLED,
    STATUS_CONFIRMED,
    STATUS_DELIVERED,
    STATUS_IN_DELIVERY,
    STATUS_RECEIVED,
    TERMINAL_STATUSES,
)
from ..validation import is_uuid
from .corpus import read_corpus
from .sim_menu import build_menu, describe_order, draw_items
from .sim_state import read_state, restore_state, save_state, state_of
from .variants import php_variant

API_PREFIX = "/api/integrations"
CONTROL_PREFIX = "/_sim"
DEFAULT_APP_KEY = "sim-app-secret"
DEFAULT_REST_KEY = "sim-rest-secret"
#: the number of the first generated order, unless ``first_order_id`` says otherwise
FIRST_ORDER_ID = 1031

STATUS_TEXTS = {
    STATUS_RECEIVED: "Sipariş Geldi",
    STATUS_CONFIRMED: "Hazırlanıyor",
    STATUS_IN_DELIVERY: "Restoran Kuryeye Verildi",
    STATUS_DELIVERED: "Teslim Edildi",
    STATUS_CANCELLED: "İptal Edildi",
}
CANCEL_REASONS = [
    {"id": 1, "reason": "Ürün tükendi"},
    {"id": 2, "reason": "Adres bulunamıyor"},
    {"id": 3, "reason": "Yoğunluk nedeniyle"},
    {"id": 4, "reason": "Müşteri iptal etti"},
    {"id": 5, "reason": "Teknik sorun"},
    {"id": 6, "reason": "Çok uzak teslimat adresi"},
    {"id": 7, "reason": "Ödeme problemi"},
    {"id": 8, "reason": "Diğer"},
]
VARIABLES = {
    "paymentMethod": [
        {"key": "CASH", "name": "Nakit"},
        {"key": "CREDIT_CARD", "name": "Kredi Kartı"},
        {"key": "DEBIT_CARD", "name": "Banka Kartı"},
    ],
    "shippingMethod": [{"key": "delivery", "name": "Teslimat"}, {"key": "pickup", "name": "Gel Al"}],
}
FAULT_KINDS = ("500", "timeout", "429", "malformed", "refuse", "drop", "drop-after")
DEFAULT_RESTAURANTS = [
    {"id": "0ca1d2b1-a199-4960-8617-83a659d890c8", "name": "Halaskargazi Şube"},
    {"id": "8f2b9ce2-04de-4712-842d-a39f64596fdf", "name": "Akat Şube"},
]

_FIRST_NAMES = [
    "Ayşe",
    "Mehmet",
    "Zeynep",
    "Mustafa",
    "Elif",
    "Ahmet",
    "Fatma",
    "Emre",
    "Şule",
    "Çağrı",
    "Gökhan",
    "İrem",
]
_LAST_NAMES = [
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Öztürk",
    "Aydın",
    "Arslan",
    "Doğan",
    "Güneş",
]
_STREETS = [
    "Dershane Sokak",
    "Halaskargazi Caddesi",
    "Akat Mahallesi Zeytinoğlu Cd.",
    "Bağdat Caddesi",
    "Ihlamur Yolu",
]
_DISTRICTS = ["Şişli", "Beşiktaş", "Kadıköy", "Üsküdar"]
_NOTES = ["", "", "", "Zili çalmayın, kapıya bırakın.", "Çatal bıçak istemiyorum.", "Lütfen hızlı olsun!"]
_ITEM_NOTES = ["", "", "", "az pişmiş", "soğansız", "bol limonlu", "az acılı"]


def _money(value):
    """JSON number for an amount: int when whole, else float with 2 decimals at most."""
    value = Decimal(str(value)).quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral() else float(value)


def _order_number(value):
    """An order number the simulator may generate from: a positive integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"the first order id must be a positive integer, got {value!r}")
    return value


def _draw_discount(rng, items_total):
    """A campaign on 3 orders in 10: 10 or 15 % off, or 50 TL off a basket of 250 TL or more."""
    if rng.random() >= 0.3:
        return Decimal(0)
    kind = rng.choice(["0.10", "0.15", "50"])
    if kind != "50":
        return (items_total * Decimal(kind)).quantize(Decimal("0.01"))
    return Decimal(50) if items_total >= 250 else Decimal(0)


def _status_of(data):
    """The status id of an order as an integer (a corpus may give ``"1"``); 1 when unreadable."""
    try:
        return int(data.get("status_id", STATUS_RECEIVED))
    except (TypeError, ValueError):
        return STATUS_RECEIVED


def _is_uuid(value):
    try:
        return str(uuid.UUID(value)) == value.lower() and len(value) == 36
    except (ValueError, AttributeError, TypeError):
        return False


class _Error(Exception):
    def __init__(self, http_status, error, message=None):
        super().__init__(error)
        self.http_status = http_status
        self.error = error
        self.message = message


class Simulator:
    """In-process Dükkango server on 127.0.0.1.

    :param accounts: ``{rest_secret_key: [restaurant ids]}``; default one key for both
        default restaurants
    :param restaurants: list of ``{"id", "name"}``
    :param token_lifetime: token validity in seconds
    :param cooldown: seconds between two successful calls of a rate-limited endpoint
        (per key and endpoint); 0 disables the limit
    :param timeout_delay: how long a ``timeout`` fault keeps the request hanging
    :param on_ack: ``callable(payment_key, status_id)`` run at every acknowledgement
        before it is accepted; its return value is recorded as the ack's ``check``
    :param on_request: ``callable(endpoint)`` run when an API request arrives, before
        it is answered (tests use it to act while a client waits); when it returns
        ``"drop"`` the connection is closed and the request is not carried out

    :param latency_ms: the round trip of every API request, in milliseconds (0: none); also
        the attribute ``latency_ms``, which may change while the simulator runs
    :param jitter_ms: each request's round trip is drawn uniformly within ``latency_ms`` ±
        this (never below 0), with its own random generator of ``seed``; attribute ``jitter_ms``

    :param variants: the share (0 to 1) of generated orders that come in PHP-style shapes
        (:func:`.variants.php_variant`: amounts as strings or with a decimal comma, items
        keyed by id, ISO dates…), drawn with their own random generator so that the orders
        of a seed are the same whatever the share; ``variant_log`` records the shapes of
        each such order by payment key. 0 (the default): the canonical shape only.

    :param first_order_id: the number of the first generated order (:meth:`set_first_order_id`);
        a number an added order carries is never generated afterwards
    :param restaurant: a restaurant UUID: generate orders for it and serve only its orders
        (:meth:`serve_only`); attribute ``restaurant`` (None: every restaurant)
    :param state_path: keep the next number, the orders not over and the restaurants'
        open/closed state in this JSON file, read now and written after every change
        (:meth:`use_state`, :mod:`.sim_state`)

    Random faults: ``fault_rates`` (``{kind: probability}``, empty by default) makes every
    API request fail with each kind at that probability, drawn independently per request
    (after the faults queued with :meth:`inject_fault`); ``faults_served`` counts the
    random faults served, per kind.

    ``request_log()`` has one entry per API request: its ``method``, ``path``, ``endpoint``,
    ``time`` (when it reached the simulator, after the way there), ``rest_key`` (of its
    token, None without a valid one) and, once answered, its HTTP ``status``.
    """

    def __init__(
        self,
        *,
        host="127.0.0.1",
        port=0,
        app_secret_key=DEFAULT_APP_KEY,
        accounts=None,
        restaurants=None,
        token_lifetime=24 * 3600,
        cooldown=30,
        timeout_delay=2.0,
        seed=None,
        on_ack=None,
        on_request=None,
        variants=0.0,
        latency_ms=0.0,
        jitter_ms=0.0,
        first_order_id=FIRST_ORDER_ID,
        restaurant=None,
        state_path=None,
    ):
        self.host = host
        self.port = port
        self.app_secret_key = app_secret_key
        self.restaurants = {r["id"]: dict(r, status="Open") for r in (restaurants or DEFAULT_RESTAURANTS)}
        self.accounts = accounts or {DEFAULT_REST_KEY: list(self.restaurants)}
        self.token_lifetime = token_lifetime
        self.cooldown = cooldown
        self.timeout_delay = timeout_delay
        self.on_ack = on_ack
        self.on_request = on_request
        self.rng = random.Random(seed)
        self._fault_rng = random.Random(seed)
        self._variant_rng = random.Random(seed)
        self.variants = variants
        self.variant_log = {}
        self.fault_rates = {}
        self.faults_served = {}
        self.latency_ms = latency_ms
        self.jitter_ms = jitter_ms
        self._latency_rng = random.Random(seed)
        self._connections = 0
        self._lock = threading.RLock()
        self._server = None
        self._thread = None
        self._offset = 0.0
        self._next_id = _order_number(first_order_id)
        self.restaurant = None
        self.state_path = None
        self.reset()
        if restaurant:
            self.serve_only(restaurant)
        if state_path:
            self.use_state(state_path)

    # ------------------------------------------------------------ lifecycle
    def reset(self):
        """Forget orders, tokens, acks, faults, cooldowns and request log; rebuild the menu."""
        with self._lock:
            self.orders = {}
            self.raw_entries = []
            self.tokens = {}
            self.acks = []
            self.requests = []
            self.faults = {}
            self.outages = {}
            self._cooldowns = {}
            self.foods = self._build_menu()
            for restaurant in self.restaurants.values():
                restaurant["status"] = "Open"
            self._changed()

    def start(self):
        self._server = _Server((self.host, self.port), _make_handler(self), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="dukkango-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    @property
    def rest_secret_key(self):
        """The first configured restaurant key (the default account's)."""
        return next(iter(self.accounts))

    @property
    def connections(self):
        """TCP connections accepted since :meth:`start` (:meth:`reset` keeps the count)."""
        with self._lock:
            return self._connections

    def _count_connection(self):
        with self._lock:
            self._connections += 1

    def round_trip(self):
        """Seconds of one request's round trip: ``latency_ms`` ± ``jitter_ms``, never below 0."""
        with self._lock:
            latency, jitter = float(self.latency_ms or 0), float(self.jitter_ms or 0)
            if jitter:
                latency += self._latency_rng.uniform(-jitter, jitter)
        return max(0.0, latency) / 1000

    def stats(self):
        """What the simulator counted: connections, API requests and their answers by status."""
        with self._lock:
            answers = {}
            for entry in self.requests:
                if "status" in entry:
                    answers[str(entry["status"])] = answers.get(str(entry["status"]), 0) + 1
            return {
                "connections": self._connections,
                "requests": len(self.requests),
                "answers": answers,
                "latency_ms": self.latency_ms,
                "jitter_ms": self.jitter_ms,
                "faults_served": dict(self.faults_served),
            }

    def now(self):
        return time.time() + self._offset

    def advance(self, seconds):
        """Move the simulator's clock forward (cooldowns, token expiry)."""
        with self._lock:
            self._offset += seconds

    # ------------------------------------------------- numbers, restaurant, state
    @property
    def next_order_id(self):
        """The number the next generated order gets."""
        with self._lock:
            return self._next_id

    def set_first_order_id(self, number):
        """Number the next generated orders from ``number`` on (``--first-order-id``)."""
        number = _order_number(number)
        with self._lock:
            self._next_id = number
            self._changed()

    def serve_only(self, restaurant_id):
        """Generate orders for ``restaurant_id`` only and serve only its orders (``--restaurant``);
        None serves every restaurant again. A restaurant the simulator does not know is added
        (to every account). The orders of other restaurants are dropped."""
        if restaurant_id is None:
            with self._lock:
                self.restaurant = None
            return
        if not is_uuid(restaurant_id):
            raise ValueError(f"the restaurant must be a UUID, got {restaurant_id!r:.60}")
        restaurant_id = restaurant_id.lower()
        with self._lock:
            if restaurant_id not in self.restaurants:
                self._know_restaurant({"restaurant_id": restaurant_id, "restaurant_name": "Şube " + restaurant_id[:8]})
                self.foods += build_menu([restaurant_id], first_food_id=len(self.foods) + 1)
            self.restaurant = restaurant_id
            self.orders = {k: r for k, r in self.orders.items() if r["restaurant_id"] == restaurant_id}
            self._changed()

    def use_state(self, path):
        """Keep the state in ``path`` (``--state``): read what it holds (:mod:`.sim_state`: the
        next order number, when higher, the orders not over, the restaurants' open/closed
        state), then write it after every change. Returns the number of orders restored."""
        with self._lock:
            state = read_state(path)
            restored = restore_state(self, state) if state else 0
            self.state_path = path
            self._changed()
        return restored

    def state(self):
        """What the state file holds (:func:`.sim_state.state_of`)."""
        with self._lock:
            return copy.deepcopy(state_of(self))

    def _changed(self):
        """Write the state file after a change (with ``state_path``; call with the lock held)."""
        if self.state_path:
            save_state(self, self.state_path)

    # ------------------------------------------------------------- control
    def inject_fault(self, endpoint, kind, count=1):
        """Make the next ``count`` requests to ``endpoint`` (or ``"*"``) fail with ``kind``;
        with ``count=None``, every request until :meth:`clear_faults` (an outage; queued
        faults are served first).

        Kinds: ``500``, ``timeout`` (hang, then close with no answer), ``429``,
        ``malformed`` (200 with a body that is not JSON), ``refuse`` (200 with
        ``"status": false``), ``drop`` (close with no
        answer), ``drop-after`` (carry the request out, then close with no answer).
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {FAULT_KINDS}")
        with self._lock:
            if count is None:
                self.outages[endpoint] = kind
            else:
                self.faults.setdefault(endpoint, []).extend([kind] * int(count))

    def clear_faults(self, endpoint=None):
        """Drop the queued faults and the outage of ``endpoint``, or all of them."""
        with self._lock:
            for faults in (self.faults, self.outages):
                if endpoint is None:
                    faults.clear()
                else:
                    faults.pop(endpoint, None)

    def expire_tokens(self):
        """Invalidate every issued token (the next call gets a 401)."""
        with self._lock:
            self.tokens.clear()

    def add_order(self, order=None, **overrides):
        """Put an order on the platform; ``order`` defaults to a generated one."""
        branch = overrides.get("restaurant_id", order.get("restaurant_id") if isinstance(order, dict) else None)
        if self.restaurant and branch is not None and str(branch).strip().lower() != self.restaurant:
            raise ValueError(f"the simulator serves only the orders of restaurant {self.restaurant}")
        data = copy.deepcopy(order) if order is not None else self.generate_order(**overrides)
        if order is not None:
            data.update(overrides)
        with self._lock:
            key = data["payment_key"].strip().lower()
            record = self._record(data)
            if self.restaurant and record["restaurant_id"] != self.restaurant:
                raise ValueError(f"the simulator serves only the orders of restaurant {self.restaurant}")
            self.orders[key] = record
            if isinstance(data.get("id"), int) and not isinstance(data["id"], bool):
                self._next_id = max(self._next_id, data["id"] + 1)  # a number given is never generated again
            self._changed()
        return copy.deepcopy(data)

    def _record(self, data):
        """The simulator's record of an order of the platform (its payload ``data``)."""
        status = _status_of(data)
        return {
            "data": data,
            "restaurant_id": str(data.get("restaurant_id", "")).strip().lower(),
            "status_id": status,
            "acked_status": None,
            "history": [(status, self.now())],
            "preparing_time": None,
            "cancel_reason": None,
        }

    def add_raw(self, entry):
        """Add an entry that get-current returns verbatim in every answer (hostile input)."""
        with self._lock:
            self.raw_entries.append(copy.deepcopy(entry))

    def load_corpus(self, source, restaurant_id=None):
        """Serve the orders of a corpus of JSON lines (:func:`.corpus.read_corpus`: a path or
        lines); returns its :class:`.corpus.CorpusEntry` list.

        An entry with a UUID payment key and restaurant id becomes an order of the platform
        (get-current serves it in its raw shape, and acknowledgements and actions work); any
        other entry, and a payment key seen before, is served verbatim (:meth:`add_raw`). A
        whole answer (``_answer``) is queued for get-current. With ``restaurant_id``, the
        orders of other branches are moved to it (with its name); without, branches the
        simulator does not know are added to it (and to every account).
        """
        entries = read_corpus(source)
        seen = set()
        for entry in entries:
            if entry.answer is not None:
                body = entry.answer.get("body", "")
                body = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.inject_response("get-current", entry.answer.get("status", 200), body)
                continue
            data = entry.order
            key, branch = entry.payment_key, data.get("restaurant_id") if isinstance(data, dict) else None
            if not (key and is_uuid(key) and isinstance(branch, str) and is_uuid(branch.strip())) or key in seen:
                self.add_raw(data)
                continue
            seen.add(key)
            if restaurant_id and branch.strip().lower() != restaurant_id:
                data = dict(data, restaurant_id=restaurant_id, restaurant_name=self.restaurants[restaurant_id]["name"])
            self._know_restaurant(data)
            self.add_order(data)
        return entries

    def _know_restaurant(self, data):
        """Add the order's branch to the simulator and to every account if it is new."""
        branch = data["restaurant_id"].strip().lower()
        with self._lock:
            if branch not in self.restaurants:
                name = data.get("restaurant_name") if isinstance(data.get("restaurant_name"), str) else ""
                self.restaurants[branch] = {"id": branch, "name": name or branch[:8], "status": "Open"}
                self.accounts = {key: [*branches, branch] for key, branches in self.accounts.items()}

    def inject_response(self, endpoint, http_status, body, count=1):
        """Answer the next ``count`` requests to ``endpoint`` with this status and raw body."""
        with self._lock:
            for _ in range(int(count)):
                self.faults.setdefault(endpoint, []).append(("raw", int(http_status), bytes(body)))

    def forget_ack(self, payment_key):
        """Make an acknowledged order come back in get-current, as when an ack is lost."""
        with self._lock:
            self.orders[payment_key]["acked_status"] = None
            self._changed()

    def set_status(self, payment_key, status_id, status_text=None):
        """Change an order's status on the platform side (it reappears in get-current)."""
        with self._lock:
            self._set_status(self.orders[payment_key], status_id, status_text)

    def order_status(self, payment_key):
        with self._lock:
            return self.orders[payment_key]["status_id"]

    def ack_log(self, payment_key=None):
        with self._lock:
            return [dict(a) for a in self.acks if payment_key is None or a["payment_key"] == payment_key]

    def request_log(self, endpoint=None):
        with self._lock:
            return [dict(r) for r in self.requests if endpoint is None or r["endpoint"] == endpoint]

    def _set_status(self, record, status_id, status_text=None):
        record["status_id"] = status_id
        record["data"]["status_id"] = status_id
        record["data"]["status_text"] = status_text or STATUS_TEXTS.get(status_id, f"Durum {status_id}")
        record["acked_status"] = None
        record["history"].append((status_id, self.now()))
        self._changed()

    # ------------------------------------------------------------- orders
    def _build_menu(self):
        return build_menu(list(self.restaurants))

    def generate_order(self, restaurant_id=None, **overrides):
        """A realistic order whose money identity (§14.2) holds; ``overrides`` replace keys."""
        rng = self.rng
        with self._lock:
            restaurant_id = restaurant_id or self.restaurant or rng.choice(list(self.restaurants))
            order_id = overrides.get("id", self._next_id)
            if "id" not in overrides:
                self._next_id += 1
                self._changed()
        menu = [f for f in self.foods if f["restaurant_id"] == restaurant_id]
        items, items_total = draw_items(menu, rng, _ITEM_NOTES)
        shipping = rng.choice(["delivery", "delivery", "delivery", "pickup"])
        courier_type = rng.choice(["restaurant", "restaurant", "fuudy"]) if shipping == "delivery" else "come_get"
        courier_fee = Decimal(rng.choice(["0", "19.90", "29.90"])) if shipping == "delivery" else Decimal(0)
        tip = Decimal(rng.choice(["0", "0", "10", "20"]))
        discount = _draw_discount(rng, items_total)
        total = items_total - discount + courier_fee + tip
        now = datetime.fromtimestamp(self.now(), ISTANBUL)
        scheduled = ""
        if rng.random() < 0.1:
            scheduled = (now + timedelta(hours=rng.randint(1, 4))).strftime("%Y-%m-%d %H:%M:%S")
        order = {
            "id": order_id,
            "status_id": STATUS_RECEIVED,
            "status_text": STATUS_TEXTS[STATUS_RECEIVED],
            "shipping_method": shipping,
            "payment_key": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "payment_method": rng.choice(["Nakit", "Kredi Kartı", "Kredi Kartı", "Banka Kartı"]),
            "note": rng.choice(_NOTES),
            "total": _money(total),
            "date": now.strftime("%Y-%m-%d %H:%M:%S"),
            "restaurant_id": restaurant_id,
            "restaurant_name": self.restaurants[restaurant_id]["name"],
            "courier_type": courier_type,
            "discount": str(_money(discount)),
            "courier_fee": _money(courier_fee),
            "scheduled_date": scheduled,
            "order_tip": _money(tip),
            "customer": {
                "name": f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
                "phone": "05" + "".join(str(rng.randint(0, 9)) for _ in range(9)),
            },
            "address": {
                "address": f"{rng.choice(_STREETS)} No:{rng.randint(1, 120)}",
                "description": rng.choice(["", "Eczanenin üstü", "Mavi kapı"]),
                "apartment": f"{rng.choice(['Gül', 'Lale', 'Papatya'])} Apt.",
                "floor": str(rng.randint(1, 8)),
                "door": str(rng.randint(1, 20)),
                "district": rng.choice(_DISTRICTS),
                "city": "İstanbul",
            },
            "foods": items,
        }
        if self.variants and self._variant_rng.random() < self.variants:
            order, kinds = php_variant(order, self._variant_rng)
            self.variant_log[order["payment_key"]] = kinds
        order.update(overrides)
        return order

    # ----------------------------------------------------------- API logic
    def _authenticate(self, headers):
        token = headers.get("Access-Token")
        session = self.tokens.get(token) if token else None
        if not session or session["expires"] <= self.now():
            raise _Error(401, "yetkisiz erişim", "Token expired or invalid")
        return session

    def _rate_limit(self, rest_key, endpoint):
        if not self.cooldown:
            return
        last = self._cooldowns.get((rest_key, endpoint))
        now = self.now()
        if last is not None and now - last < self.cooldown:
            wait = math.ceil(self.cooldown - (now - last))
            raise _Error(429, "çok fazla istek", f"Çok fazla istek. Lütfen {wait} saniye bekleyin.")
        self._cooldowns[(rest_key, endpoint)] = now

    def _order_for(self, session, payment_key):
        if not _is_uuid(payment_key):
            raise _Error(403, "URL hatalı", "Invalid UUID")
        record = self.orders.get(payment_key.lower())
        if not record or record["restaurant_id"] not in session["restaurants"]:
            raise _Error(404, "sipariş bulunamadı", "Order not found")
        return record

    def _restaurant_for(self, session, rest_id):
        if not _is_uuid(rest_id):
            raise _Error(403, "URL hatalı", "Invalid UUID")
        if rest_id.lower() not in session["restaurants"]:
            raise _Error(404, "restoran bulunamadı", "Restaurant not found")
        return self.restaurants[rest_id.lower()]

    def _food_for(self, session, food_id):
        if not food_id.isdigit():
            raise _Error(403, "URL hatalı", "Invalid food id")
        for food in self.foods:
            if food["food_id"] == int(food_id) and food["restaurant_id"] in session["restaurants"]:
                return food
        raise _Error(404, "ürün bulunamadı", "Food not found")

    @staticmethod
    def _refuse_transition(record, action):
        raise _Error(
            409,
            "geçersiz durum",
            f"Order in status {record['status_id']} cannot be {action}",
        )

    def handle_api(self, endpoint, method, parts, query, body, headers):
        """Carry out one API request; return the envelope's ``data`` or raise ``_Error``."""
        if endpoint == "login":
            if not isinstance(body, dict) or not body.get("app_secret_key") or not body.get("rest_secret_key"):
                raise _Error(400, "eksik alan", "app_secret_key and rest_secret_key are required")
            rest_key = body["rest_secret_key"]
            if body["app_secret_key"] != self.app_secret_key or rest_key not in self.accounts:
                raise _Error(401, "yetkisiz erişim", "Invalid credentials")
            token = uuid.uuid4().hex + uuid.uuid4().hex
            expires = self.now() + self.token_lifetime
            self.tokens[token] = {
                "rest_key": rest_key,
                "restaurants": set(self.accounts[rest_key]),
                "expires": expires,
            }
            expiration = datetime.fromtimestamp(expires, ISTANBUL).strftime("%Y-%m-%d %H:%M:%S")
            return {"access_token": token, "expiration_date": expiration}
        session = self._authenticate(headers)
        if endpoint == "restaurants":
            return [
                {"id": r["id"], "name": r["name"]}
                for r in self.restaurants.values()
                if r["id"] in session["restaurants"]
            ]
        if endpoint.startswith("restaurant-"):
            restaurant = self._restaurant_for(session, parts[-1])
            if endpoint == "restaurant-status":
                return restaurant["status"]
            restaurant["status"] = "Open" if endpoint == "restaurant-open" else "Closed"
            self._changed()
            return "OK"
        if endpoint == "get-foods":
            self._rate_limit(session["rest_key"], endpoint)
            return [
                {k: v for k, v in food.items() if k != "active"}
                for food in self.foods
                if food["restaurant_id"] in session["restaurants"]
            ]
        if endpoint in ("food-active", "food-passive"):
            self._food_for(session, parts[-1])["active"] = endpoint == "food-active"
            return "OK"
        if endpoint == "variables":
            return copy.deepcopy(VARIABLES)
        if endpoint == "cancel-reasons":
            return copy.deepcopy(CANCEL_REASONS)
        if endpoint == "get-current":
            status_filter = query.get("status_id", [None])[0]
            if status_filter is not None and not status_filter.isdigit():
                raise _Error(422, "eksik alan", "status_id must be an integer")
            self._rate_limit(session["rest_key"], endpoint)
            result = []
            for record in self.orders.values():
                status = record["status_id"]
                if record["restaurant_id"] not in session["restaurants"]:
                    continue
                if record["acked_status"] == status or (self.restaurant and record["restaurant_id"] != self.restaurant):
                    continue
                if status_filter is not None and status != int(status_filter):
                    continue
                record["served_status"] = (session["rest_key"], status)
                result.append(copy.deepcopy(record["data"]))
            return result + copy.deepcopy(self.raw_entries)
        record = self._order_for(session, parts[-1])
        status = record["status_id"]
        if endpoint == "success":
            served = record.get("served_status")
            if served and served[0] == session["rest_key"]:
                status = served[1]
            check = self.on_ack(record["data"]["payment_key"], status) if self.on_ack else None
            self.acks.append(
                {
                    "payment_key": record["data"]["payment_key"],
                    "status_id": status,
                    "time": time.time(),
                    "check": check,
                }
            )
            record["acked_status"] = status
            self._changed()
            return "OK"
        if endpoint == "accept":
            preparing_time = body.get("preparing_time") if isinstance(body, dict) else None
            if isinstance(preparing_time, bool) or not isinstance(preparing_time, int) or preparing_time <= 0:
                raise _Error(400, "eksik alan", "preparing_time is required")
            if status != STATUS_RECEIVED:
                self._refuse_transition(record, "accepted")
            record["preparing_time"] = preparing_time
            self._set_status(record, STATUS_CONFIRMED)
            return "OK"
        if endpoint == "ontheway":
            data = record["data"]
            if status != STATUS_CONFIRMED:
                self._refuse_transition(record, "sent on the way")
            if data.get("courier_type") != "restaurant" or data.get("shipping_method") != "delivery":
                raise _Error(409, "geçersiz durum", "Only restaurant-courier deliveries can be sent on the way")
            self._set_status(record, STATUS_IN_DELIVERY)
            return "OK"
        if endpoint == "complete":
            data = record["data"]
            own_courier = data.get("courier_type") == "restaurant" and data.get("shipping_method") == "delivery"
            if not (status == STATUS_IN_DELIVERY or (status == STATUS_CONFIRMED and not own_courier)):
                self._refuse_transition(record, "completed")
            self._set_status(record, STATUS_DELIVERED)
            return "OK"
        if endpoint == "cancel":
            reason_id = body.get("reason_id") if isinstance(body, dict) else None
            if reason_id is None:
                raise _Error(400, "eksik alan", "reason_id is required")
            if isinstance(reason_id, bool) or reason_id not in {r["id"] for r in CANCEL_REASONS}:
                raise _Error(422, "eksik alan", "reason_id must be one of /orders/cancel-reasons")
            if status in TERMINAL_STATUSES:
                self._refuse_transition(record, "cancelled")
            record["cancel_reason"] = reason_id
            self._set_status(record, STATUS_CANCELLED)
            return "OK"
        raise _Error(404, "URL hatalı", "Unknown endpoint")  # pragma: no cover

    def handle_control(self, method, parts, body):
        """``/_sim/...`` control interface for tests and demos driven over HTTP."""
        body = body if isinstance(body, dict) else {}
        route = "/".join(parts)
        if method == "POST" and route == "orders":
            count = int(body.pop("count", 1))
            order = body.pop("order", None)
            return [self.add_order(order, **body) for _ in range(count)]
        if method == "GET" and route == "orders":
            with self._lock:
                return [
                    {
                        "payment_key": k,
                        "status_id": r["status_id"],
                        "acked_status": r["acked_status"],
                        "id": r["data"].get("id"),
                        "restaurant_id": r["restaurant_id"],
                    }
                    for k, r in self.orders.items()
                ]
        if method == "POST" and len(parts) == 3 and parts[0] == "orders" and parts[2] == "status":
            self.set_status(parts[1], int(body["status_id"]), body.get("status_text"))
            return "OK"
        if method == "POST" and route == "faults":
            count = body.get("count", 1)
            self.inject_fault(body.get("endpoint", "*"), str(body.get("kind")), None if count is None else int(count))
            return "OK"
        if method == "POST" and route == "faults/clear":
            self.clear_faults(body.get("endpoint"))
            return "OK"
        if method == "GET" and route == "acks":
            return self.ack_log()
        if method == "POST" and route == "advance":
            self.advance(float(body.get("seconds", 0)))
            return "OK"
        if method == "POST" and route == "reset":
            self.reset()
            return "OK"
        if route == "latency" and method in ("GET", "POST"):
            if method == "POST":
                latency, jitter = float(body.get("latency_ms", 0)), float(body.get("jitter_ms", 0))
                if latency < 0 or jitter < 0:
                    raise ValueError("latency_ms and jitter_ms cannot be negative")
                with self._lock:
                    self.latency_ms, self.jitter_ms = latency, jitter
            return {"latency_ms": self.latency_ms, "jitter_ms": self.jitter_ms}
        if method == "GET" and route == "stats":
            return self.stats()
        if route == "first-order-id" and method in ("GET", "POST"):
            if method == "POST":
                self.set_first_order_id(body.get("first_order_id"))
            return {"first_order_id": self.next_order_id}
        if route == "restaurant" and method in ("GET", "POST"):
            if method == "POST":
                self.serve_only(body.get("restaurant_id"))
            return {"restaurant_id": self.restaurant}
        if method == "GET" and route == "state":
            return self.state()
        raise _Error(404, "bulunamadı", f"no control route {method} {route}")

    def take_fault(self, endpoint):
        with self._lock:
            for key in (endpoint, "*"):
                queue = self.faults.get(key)
                if queue:
                    return queue.pop(0)
            for key in (endpoint, "*"):
                if key in self.outages:
                    return self.outages[key]
            draw = self._fault_rng.random()
            for kind, rate in self.fault_rates.items():
                if draw < rate:
                    self.faults_served[kind] = self.faults_served.get(kind, 0) + 1
                    return kind
                draw -= rate
        return None


# (method, path prefix after /api/integrations, number of path parameters, endpoint name)
_ROUTES = [
    ("POST", "/auth/login", 0, "login"),
    ("GET", "/restaurants/get", 0, "restaurants"),
    ("GET", "/restaurants/status/get", 1, "restaurant-status"),
    ("PUT", "/restaurants/status/open", 1, "restaurant-open"),
    ("PUT", "/restaurants/status/close", 1, "restaurant-close"),
    ("GET", "/foods/get-foods", 0, "get-foods"),
    ("PUT", "/foods/status-active", 1, "food-active"),
    ("PUT", "/foods/status-passive", 1, "food-passive"),
    ("GET", "/orders/get-current", 0, "get-current"),
    ("PUT", "/orders/success", 1, "success"),
    ("PUT", "/orders/accept", 1, "accept"),
    ("PUT", "/orders/ontheway", 1, "ontheway"),
    ("PUT", "/orders/complete", 1, "complete"),
    ("PUT", "/orders/cancel", 1, "cancel"),
    ("GET", "/orders/variables", 0, "variables"),
    ("GET", "/orders/cancel-reasons", 0, "cancel-reasons"),
]


class _Server(ThreadingHTTPServer):
    """The simulator's HTTP server: counts the TCP connections it accepts."""

    daemon_threads = True

    def __init__(self, address, handler, sim):
        self.sim = sim
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        self.sim._count_connection()
        super().process_request(request, client_address)

    def handle_error(self, request, client_address):
        """A client that goes away (its timeout, a dropped connection) is no error of ours."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _json_bytes(payload):
    """UTF-8 JSON; text UTF-8 cannot carry (a lone surrogate) escaped, as PHP's json_encode does."""
    try:
        return json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(payload).encode()


def _route(method, path):
    for r_method, prefix, n_params, name in _ROUTES:
        if (path == prefix and n_params == 0) or (path.startswith(prefix + "/") and n_params == 1):
            params = [] if n_params == 0 else [path[len(prefix) + 1 :]]
            if n_params and (not params[0] or "/" in params[0]):
                return None, None, params
            return (name if method == r_method else "method"), r_method, params
    return None, None, []


def _make_handler(sim):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "DukkangoSimulator/1.0"
        # headers and body leave in separate writes: without TCP_NODELAY the body waits for
        # the client's delayed ACK (40 ms per request), which a real web server does not do
        disable_nagle_algorithm = True

        def log_message(self, format, *args):
            pass

        def setup(self):
            super().setup()
            self._fresh_connection = True  # no request served on it yet
            self._answer_delay = 0.0  # the way back of the request being served
            self._logged = None  # its request log entry

        def _travel(self, handshake):
            """An API request's way there (after the TCP handshake, a round trip, on a new
            connection); its way back is waited in :meth:`_send` or :meth:`_drop`. Outside
            the simulator's lock: requests in flight at once overlap."""
            round_trip = sim.round_trip()
            there = round_trip / 2 + (round_trip if handshake else 0.0)
            self._answer_delay = round_trip / 2
            if there:
                time.sleep(there)

        def _way_back(self):
            delay, self._answer_delay = self._answer_delay, 0.0
            if delay:
                time.sleep(delay)

        def _send(self, status, payload, raw=None):
            body = raw if raw is not None else _json_bytes(payload)
            self._way_back()
            if self._logged is not None:
                with sim._lock:
                    self._logged["status"] = status
                self._logged = None
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _drop(self):
            self._way_back()
            self._logged = None
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def _body(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if not raw:
                return None
            try:
                return json.loads(raw)
            except ValueError:
                return {"__malformed__": True}

        def _dispatch(self, method):
            url = urlsplit(self.path)
            path = url.path.rstrip("/") or "/"
            body = self._body()
            fresh, self._fresh_connection = self._fresh_connection, False
            if path.startswith(CONTROL_PREFIX + "/"):
                parts = path[len(CONTROL_PREFIX) + 1 :].split("/")
                try:
                    self._send(200, {"status": True, "data": sim.handle_control(method, parts, body)})
                except (_Error, KeyError, ValueError) as exc:
                    self._send(
                        getattr(exc, "http_status", 400),
                        {"status": False, "error": "hata", "message": str(exc)},
                    )
                return
            endpoint, _expected, params = (None, None, [])
            if path.startswith(API_PREFIX + "/"):
                endpoint, _expected, params = _route(method, path[len(API_PREFIX) :])
            self._travel(handshake=fresh)
            token = self.headers.get("Access-Token")
            with sim._lock:
                session = sim.tokens.get(token) if token else None
                self._logged = {
                    "method": method,
                    "path": path,
                    "endpoint": endpoint,
                    "time": time.time(),
                    "rest_key": session["rest_key"] if session else None,
                }
                sim.requests.append(self._logged)
            if sim.on_request and endpoint and sim.on_request(endpoint) == "drop":
                self._drop()  # the hook decided the request never arrives
                return
            if endpoint is None:
                if params:  # a path parameter that is empty or holds a slash
                    self._send(403, {"status": False, "error": "URL hatalı", "message": "Invalid URL"})
                else:
                    self._send(404, {"status": False, "error": "URL hatalı", "message": "Unknown endpoint"})
                return
            if endpoint == "method":
                self._send(405, {"status": False, "error": "URL hatalı", "message": "Method not allowed"})
                return
            fault = sim.take_fault(endpoint)
            if isinstance(fault, tuple):  # inject_response
                self._send(fault[1], None, raw=fault[2])
                return
            if fault == "500":
                self._send(500, {"status": False, "error": "Internal server error"})
                return
            if fault == "429":
                self._send(
                    429,
                    {
                        "status": False,
                        "error": "çok fazla istek",
                        "message": "Çok fazla istek. Lütfen 30 saniye bekleyin.",
                    },
                )
                return
            if fault == "malformed":
                self._send(200, None, raw=b'{"status": true, "data": [ <html>Bad Gateway</html>')
                return
            if fault == "refuse":
                self._send(200, {"status": False, "error": "eksik alan", "message": "Request refused"})
                return
            if fault in ("drop", "timeout"):
                if fault == "timeout":
                    time.sleep(sim.timeout_delay)
                self._drop()
                return
            if isinstance(body, dict) and body.get("__malformed__"):
                self._send(422, {"status": False, "error": "eksik alan", "message": "Malformed JSON body"})
                return
            try:
                with sim._lock:
                    data = sim.handle_api(endpoint, method, params, parse_qs(url.query), body, self.headers)
            except _Error as exc:
                payload = {"status": False, "error": exc.error}
                if exc.message:
                    payload["message"] = exc.message
                self._send(exc.http_status, payload)
                return
            if fault == "drop-after":
                self._drop()
                return
            self._send(200, {"status": True, "data": data})

        def do_GET(self):
            self._dispatch("GET")

        def do_POST(self):
            self._dispatch("POST")

        def do_PUT(self):
            self._dispatch("PUT")

    return Handler


def _parser():
    parser = argparse.ArgumentParser(description="Local Dükkango API simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cooldown", type=float, default=30, help="get-current/get-foods cooldown (s)")
    parser.add_argument("--token-lifetime", type=int, default=24 * 3600, help="token lifetime (s)")
    parser.add_argument("--orders", type=int, default=3, help="orders to create at start")
    parser.add_argument("--order-every", type=float, default=0, help="create a new order every N seconds (0: never)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--first-order-id",
        type=int,
        metavar="N",
        help=f"number the generated orders from N on (default {FIRST_ORDER_ID}; with --state, the saved "
        "number when it is higher)",
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        help="keep the last order number, the orders not delivered/cancelled or not acknowledged and the "
        "restaurants' open/closed state in FILE: read at start, written after every change",
    )
    parser.add_argument(
        "--restaurant",
        metavar="UUID",
        help="generate orders for this restaurant only, and serve only its orders (added when unknown)",
    )
    parser.add_argument("--latency", type=float, default=0, metavar="MS", help="round trip of every API request (ms)")
    parser.add_argument(
        "--jitter", type=float, default=0, metavar="MS", help="each round trip drawn within the latency ± this (ms)"
    )
    parser.add_argument(
        "--variants",
        type=float,
        default=0.2,
        metavar="P",
        help="share of generated orders in PHP-style shapes (strings, decimal comma, keyed items…); default 0.2",
    )
    parser.add_argument("--corpus", metavar="FILE", help="serve the orders of this JSON lines corpus")
    parser.add_argument(
        "--corpus-restaurant",
        metavar="UUID",
        help="move the corpus's orders to this restaurant (default: --restaurant, else add the corpus's branches)",
    )
    parser.add_argument(
        "--fault-rate",
        action="append",
        default=[],
        metavar="KIND=P",
        help="make every API request fail with KIND at probability P (repeatable), e.g. 500=0.05",
    )
    return parser


def _check_args(parser, args):
    """The options' values checked; returns the fault rates."""
    fault_rates = {}
    for item in args.fault_rate:
        kind, _sep, rate = item.partition("=")
        try:
            fault_rates[kind] = float(rate)
        except ValueError:
            parser.error(f"--fault-rate {item!r}: expected KIND=P, e.g. 500=0.05")
        if kind not in FAULT_KINDS or not 0 <= fault_rates[kind] <= 1:
            parser.error(f"--fault-rate {item!r}: KIND is one of {', '.join(FAULT_KINDS)}, P between 0 and 1")
    if not 0 <= args.variants <= 1:
        parser.error("--variants P: P between 0 and 1")
    if args.latency < 0 or args.jitter < 0:
        parser.error("--latency and --jitter cannot be negative")
    if args.first_order_id is not None and args.first_order_id < 1:
        parser.error("--first-order-id N: N is a positive integer")
    if args.restaurant and not is_uuid(args.restaurant):
        parser.error(f"--restaurant {args.restaurant}: not a UUID")
    return fault_rates


def _banner(sim, args, restored, entries):
    lines = [
        f"Dükkango simulator listening on {sim.base_url}",
        f"  app_secret_key:  {sim.app_secret_key}",
        f"  rest_secret_key: {sim.rest_secret_key}",
    ]
    if args.latency or args.jitter:
        lines.append(f"  latency:         {args.latency:g} ± {args.jitter:g} ms per request")
    for restaurant in sim.restaurants.values():
        only = "  (its orders only)" if restaurant["id"] == sim.restaurant else ""
        lines.append(f"  restaurant:      {restaurant['id']}  {restaurant['name']}{only}")
    lines.append(f"  control:         http://{sim.host}:{sim.port}{CONTROL_PREFIX}/orders (POST to add an order)")
    if args.corpus:
        lines.append(f"  corpus:          {len(entries)} entries from {args.corpus}")
    if args.state:
        lines.append(f"  state:           {args.state} ({restored} order(s) restored)")
    lines.append(f"  next order:      #{sim.next_order_id}")
    for line in lines:
        print(line, flush=True)


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    fault_rates = _check_args(parser, args)
    sim = Simulator(
        host=args.host,
        port=args.port,
        cooldown=args.cooldown,
        token_lifetime=args.token_lifetime,
        seed=args.seed,
        variants=args.variants,
        latency_ms=args.latency,
        jitter_ms=args.jitter,
        first_order_id=args.first_order_id or FIRST_ORDER_ID,
        restaurant=args.restaurant,
    )
    sim.fault_rates = fault_rates
    entries = []
    if args.corpus:
        restaurant = (args.corpus_restaurant or args.restaurant or "").lower() or None
        if restaurant and restaurant not in sim.restaurants:
            parser.error(f"--corpus-restaurant {args.corpus_restaurant}: not a restaurant of the simulator")
        if restaurant and sim.restaurant and restaurant != sim.restaurant:
            parser.error("--corpus-restaurant: the simulator serves only --restaurant's orders")
        entries = sim.load_corpus(args.corpus, restaurant_id=restaurant)
    restored = 0
    if args.state:
        try:
            restored = sim.use_state(args.state)
        except (OSError, ValueError) as error:
            parser.error(f"--state {args.state}: {error}")
    sim.start()
    for _ in range(args.orders):
        sim.add_order()
    _banner(sim, args, restored, entries)
    try:
        while True:
            time.sleep(args.order_every or 3600)
            if args.order_every:
                print(f"  new order {describe_order(sim.add_order())}", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
