"""HTTP client for the Dükkango Integrations API.

One :class:`DukkangoClient` per pair of keys, over a ``requests.Session`` that may be
shared. It logs in lazily, caches the token, logs in again when less than an hour is
left and once after a 401. Transient failures (connection errors, timeouts, 5xx) are
retried with backoff by urllib3, only for the calls safe to repeat (the GETs, and the
acknowledgement when no answer came). A redirect is never followed. The only code that talks HTTP.
"""

import logging
import re
import threading
import time
from datetime import datetime, timedelta, timezone

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from .answers import expect_list_of_dicts
from .api_url import check_api_url
from .exceptions import (
    DukkangoAuthError,
    DukkangoConnectionError,
    DukkangoError,
    DukkangoNotFoundError,
    DukkangoProtocolError,
    DukkangoRateLimitError,
    DukkangoRedirectError,
    DukkangoServerError,
    DukkangoTimeoutError,
    DukkangoValidationError,
)
from .validation import parse_platform_datetime, validate_int, validate_uuid

_logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://www.xn--dkkango-n2a.com/api/integrations"
DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds
DEFAULT_RATE_LIMIT_WAIT = 30
TOKEN_REFRESH_MARGIN = timedelta(hours=1)
TOKEN_DEFAULT_LIFETIME = timedelta(hours=24)

_SECONDS_RE = re.compile(r"(\d+)\s*(?:saniye|second|sec|s\b)", re.IGNORECASE)


class _TimeoutAdapter(HTTPAdapter):
    """HTTPAdapter that applies the client's (connect, read) timeout itself.

    The timeout is set here rather than passed to ``Session.request`` so that it
    always applies, whatever wraps ``Session.send``.
    """

    def __init__(self, timeout, **kwargs):
        self._timeout = timeout
        super().__init__(**kwargs)

    def send(self, request, timeout=None, **kwargs):
        return super().send(request, timeout=timeout or self._timeout, **kwargs)


class DukkangoClient:
    """Client for one Dükkango integration account (one pair of keys).

    :param base_url: API root, e.g. ``https://www.xn--dkkango-n2a.com/api/integrations``
    :param timeout: ``(connect, read)`` timeout in seconds
    :param retries: retries of transient failures for repeatable calls
    :param backoff_factor: urllib3 backoff factor between those retries
    :param session: a session of :meth:`new_session` (else a new one)
    :param token, token_expiry: a cached token (and its aware expiry) to start with
    :param on_token: ``callable(token, expiry)`` called after every login
    :param clock: ``callable()`` returning the current aware datetime (tests)
    """

    def __init__(
        self,
        base_url,
        app_secret_key,
        rest_secret_key,
        *,
        timeout=DEFAULT_TIMEOUT,
        retries=3,
        backoff_factor=0.5,
        token=None,
        token_expiry=None,
        on_token=None,
        clock=None,
        session=None,
    ):
        base_url = check_api_url(base_url)
        if not app_secret_key or not rest_secret_key:
            raise ValueError("app_secret_key and rest_secret_key are required")
        self.base_url = base_url.rstrip("/")
        self._app_secret_key = app_secret_key
        self._rest_secret_key = rest_secret_key
        self._token = token or None
        self._token_expiry = token_expiry if token else None
        self.on_token = on_token
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._lock = threading.RLock()
        #: a session of :meth:`new_session` shared across clients keeps its connections alive
        self.session = session or self.new_session(base_url, timeout, retries, backoff_factor)
        #: when the last request left (aware UTC) and how long its answer took (seconds)
        self.last_sent_at = self.last_round_trip = None

    @staticmethod
    def new_session(base_url, timeout=DEFAULT_TIMEOUT, retries=3, backoff_factor=0.5):
        """A ``requests.Session`` for the API at ``base_url``: (connect, read) timeouts and
        retries with backoff of transient failures, for the calls safe to repeat only.

        It pools keep-alive connections: share it between the clients of one account (one
        TLS handshake, not one per poll); it is safe to use from several threads.
        """
        base_url = check_api_url(base_url)
        session = requests.Session()
        session.headers.update({"Accept": "application/json", "User-Agent": "pos_dukkango/18.0"})

        def retry(methods, statuses=(500, 502, 503, 504)):
            return Retry(
                total=retries,
                connect=retries,
                read=retries,
                status=retries,
                other=0,
                backoff_factor=backoff_factor,
                status_forcelist=statuses,
                allowed_methods=frozenset(methods),
                raise_on_status=False,
                respect_retry_after_header=False,
            )

        # Only connection failures (nothing sent) are retried for non-idempotent calls.
        api = _TimeoutAdapter(timeout, max_retries=retry({"GET"}))
        # An acknowledgement is sent again when no answer came; an error answer is not retried
        # here: the poll cycle retries it in rounds, within its time budget.
        acks = _TimeoutAdapter(timeout, max_retries=retry({"PUT"}, statuses=()))
        acks.poolmanager = api.poolmanager  # one pool of keep-alive connections for both
        session.mount(base_url + "/", api)
        session.mount(base_url + "/orders/success/", acks)
        return session

    def __repr__(self):
        return f"<DukkangoClient {self.base_url}>"

    # ------------------------------------------------------------------ token
    @property
    def token(self):
        return self._token

    @property
    def token_expiry(self):
        return self._token_expiry

    def _token_is_fresh(self):
        return bool(self._token) and (
            self._token_expiry is None or self._token_expiry - self._clock() > TOKEN_REFRESH_MARGIN
        )

    def login(self):
        """Log in with the keys; return ``(token, aware expiry)``."""
        with self._lock:
            data = self._call(
                "POST",
                "/auth/login",
                json={"app_secret_key": self._app_secret_key, "rest_secret_key": self._rest_secret_key},
                auth=False,
            )
            if not isinstance(data, dict) or not isinstance(data.get("access_token"), str) or not data["access_token"]:
                raise DukkangoProtocolError("login answer has no access_token")
            try:
                expiry = parse_platform_datetime(data.get("expiration_date") or "")
            except (TypeError, ValueError):
                expiry = self._clock() + TOKEN_DEFAULT_LIFETIME
            self._token, self._token_expiry = data["access_token"], expiry
            _logger.debug("Dükkango login to %s succeeded, token valid until %s", self.base_url, expiry)
            if self.on_token:
                self.on_token(self._token, expiry)
            return self._token, expiry

    def ensure_token(self):
        """Log in now unless the cached token is fresh; returns the token."""
        with self._lock:
            if not self._token_is_fresh():
                self.login()
            return self._token

    # ------------------------------------------------------------- transport
    def _scrub(self, text):
        text = str(text or "")
        for secret in (self._app_secret_key, self._rest_secret_key, self._token):
            if secret:
                text = text.replace(secret, "***")
        return text[:500]

    def _call(self, method, path, *, json=None, params=None, auth=True, timeout=None):
        """Send one request and return the envelope's ``data``; raise typed errors."""
        for attempt in (1, 2):
            headers = {}
            if auth:
                headers["Access-Token"] = self.ensure_token()
            sent = time.monotonic()
            self.last_sent_at = datetime.now(timezone.utc)
            try:
                options = {"json": json, "params": params, "headers": headers, "timeout": timeout}
                response = self.session.request(method, self.base_url + path, allow_redirects=False, **options)
            except requests.exceptions.RequestException as exc:
                if not _is_timeout(exc):
                    raise DukkangoConnectionError(
                        f"Cannot reach Dükkango ({method} {path}): {type(exc).__name__}"
                    ) from _clean(exc)
                raise DukkangoTimeoutError(f"Dükkango did not answer in time ({method} {path})") from _clean(exc)
            self.last_round_trip = time.monotonic() - sent
            try:
                return self._parse_response(response, method, path)
            except DukkangoAuthError as exc:
                if auth and attempt == 1 and exc.http_status == 401:
                    _logger.info("Dükkango answered 401 to %s %s, logging in again", method, path)
                    with self._lock:
                        self._token = None
                    continue
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _parse_response(self, response, method, path):
        status = response.status_code
        if 300 <= status < 400:
            # never followed: the keys and the token would go wherever the answer points
            location = self._scrub(response.headers.get("Location", ""))[:200] or "?"
            raise DukkangoRedirectError(
                f"Dükkango answered {method} {path} with a redirect to {location}, which is not followed",
                http_status=status,
                location=location,
            )
        try:
            body = response.json()
        except ValueError:
            body = None
        where = f"{method} {path}"
        if not isinstance(body, dict) or not isinstance(body.get("status"), bool):
            if 200 <= status < 300:
                raise DukkangoProtocolError(
                    f"Dükkango sent an answer that is not the documented JSON envelope ({where})",
                    http_status=status,
                )
            self._raise_error(status, "", self._scrub(response.text[:200]), response, where)
        if 200 <= status < 300 and body["status"] is True:
            if "data" not in body:
                raise DukkangoProtocolError(f"Dükkango answer has no data ({where})", http_status=status)
            return body["data"]
        error = self._scrub(body.get("error") if isinstance(body.get("error"), str) else "")
        message = self._scrub(body.get("message") if isinstance(body.get("message"), str) else "")
        self._raise_error(status, error, message, response, where)

    def _raise_error(self, status, error, message, response, where):
        text = (
            f"Dükkango refused {where}: HTTP {status}"
            + (f" {error}" if error else "")
            + (f" ({message})" if message else "")
        )
        kwargs = {"http_status": status, "error": error, "detail": message}
        lowered = error.lower()
        if status == 429 or lowered == "çok fazla istek":
            raise DukkangoRateLimitError(text, retry_after=_retry_after(response, message), **kwargs)
        if status in (401, 403) or lowered == "yetkisiz erişim":
            raise DukkangoAuthError(text, **kwargs)
        if status == 404 or lowered.endswith("bulunamadı"):
            raise DukkangoNotFoundError(text, **kwargs)
        if status >= 500:
            raise DukkangoServerError(text, **kwargs)
        if 400 <= status < 500 or (200 <= status < 300):
            raise DukkangoValidationError(text, **kwargs)
        raise DukkangoProtocolError(text, **kwargs)

    # ----------------------------------------------------------- endpoints
    def get_restaurants(self):
        """``GET /restaurants/get`` → list of ``{"id": uuid, "name": str}``."""
        data = self._call("GET", "/restaurants/get")
        return expect_list_of_dicts(data, "restaurants/get", ("id", "name"))

    def get_restaurant_status(self, rest_id):
        """``GET /restaurants/status/get/{rest_id}`` → ``"Open"`` or ``"Closed"``."""
        path = "/restaurants/status/get/" + validate_uuid(rest_id, "rest_id")
        data = self._call("GET", path)
        if not isinstance(data, str):
            raise DukkangoProtocolError("restaurant status is not a string")
        return data

    def open_restaurant(self, rest_id):
        """``PUT /restaurants/status/open/{rest_id}``."""
        return self._call("PUT", "/restaurants/status/open/" + validate_uuid(rest_id, "rest_id"))

    def close_restaurant(self, rest_id):
        """``PUT /restaurants/status/close/{rest_id}``."""
        return self._call("PUT", "/restaurants/status/close/" + validate_uuid(rest_id, "rest_id"))

    def get_foods(self):
        """``GET /foods/get-foods`` (30 s cooldown) → list of food dicts."""
        data = self._call("GET", "/foods/get-foods")
        return expect_list_of_dicts(data, "foods/get-foods", ("food_id", "name"))

    def set_food_active(self, food_id):
        """``PUT /foods/status-active/{food_id}``."""
        return self._call("PUT", f"/foods/status-active/{validate_int(food_id, 'food_id')}")

    def set_food_passive(self, food_id):
        """``PUT /foods/status-passive/{food_id}``."""
        return self._call("PUT", f"/foods/status-passive/{validate_int(food_id, 'food_id')}")

    def get_current_orders(self, status_id=None, timeout=None):
        """``GET /orders/get-current`` (30 s cooldown) → list of raw order dicts.

        Orders are returned as received; parse each with :func:`dukkango.orders.parse_order`.
        """
        params = None
        if status_id is not None:
            params = {"status_id": validate_int(status_id, "status_id")}
        data = self._call("GET", "/orders/get-current", params=params, timeout=timeout)
        if not isinstance(data, list):
            raise DukkangoProtocolError("orders/get-current: data is not a list")
        return data

    def acknowledge_order(self, payment_key, timeout=None):
        """``PUT /orders/success/{payment_key}``: stop the order repeating for its status."""
        path = "/orders/success/" + validate_uuid(payment_key, "payment_key")
        return self._call("PUT", path, timeout=timeout)

    def accept_order(self, payment_key, preparing_time):
        """``PUT /orders/accept/{payment_key}`` with the preparation time in minutes (1 → 2)."""
        path = "/orders/accept/" + validate_uuid(payment_key, "payment_key")
        minutes = validate_int(preparing_time, "preparing_time", 1, 600)
        return self._call("PUT", path, json={"preparing_time": minutes})

    def mark_on_the_way(self, payment_key):
        """``PUT /orders/ontheway/{payment_key}`` (2 → 16, restaurant courier only)."""
        return self._call("PUT", "/orders/ontheway/" + validate_uuid(payment_key, "payment_key"))

    def complete_order(self, payment_key):
        """``PUT /orders/complete/{payment_key}`` (→ 5)."""
        return self._call("PUT", "/orders/complete/" + validate_uuid(payment_key, "payment_key"))

    def cancel_order(self, payment_key, reason_id):
        """``PUT /orders/cancel/{payment_key}`` with a reason id of ``/orders/cancel-reasons``."""
        path = "/orders/cancel/" + validate_uuid(payment_key, "payment_key")
        return self._call("PUT", path, json={"reason_id": validate_int(reason_id, "reason_id")})

    def get_variables(self):
        """``GET /orders/variables`` → ``{"paymentMethod": [...], "shippingMethod": [...]}``."""
        data = self._call("GET", "/orders/variables")
        if not isinstance(data, dict):
            raise DukkangoProtocolError("orders/variables: data is not an object")
        for key in ("paymentMethod", "shippingMethod"):
            expect_list_of_dicts(data.get(key), f"orders/variables {key}", ("key", "name"))
        return data

    def get_cancel_reasons(self):
        """``GET /orders/cancel-reasons`` → list of ``{"id": int, "reason": str}``."""
        data = self._call("GET", "/orders/cancel-reasons")
        return expect_list_of_dicts(data, "orders/cancel-reasons", ("id", "reason"))


def _is_timeout(exc):
    """True for a timeout, also when urllib3 gave up retrying after timeouts."""
    if isinstance(exc, requests.exceptions.Timeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    # urllib3 1.x makes "connection refused" (NewConnectionError) a ConnectTimeoutError
    return isinstance(reason, (ReadTimeoutError, ConnectTimeoutError)) and not isinstance(reason, NewConnectionError)


def _clean(exc):
    """Drop the request (and its headers) from a requests exception before chaining it."""
    if isinstance(exc, requests.exceptions.RequestException):
        exc.request = None
    return exc


def _retry_after(response, message):
    header = response.headers.get("Retry-After", "") if response is not None else ""
    if header.strip().isdigit():
        return max(1, int(header.strip()))
    match = _SECONDS_RE.search(message or "")
    if match:
        return max(1, int(match.group(1)))
    return DEFAULT_RATE_LIMIT_WAIT


__all__ = [
    "DEFAULT_BASE_URL",
    "DukkangoClient",
    "DukkangoError",
    "check_api_url",
    "parse_platform_datetime",
    "validate_int",
    "validate_uuid",
]
