# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import logging
import threading
import time
from datetime import datetime, timedelta, timezone

from odoo import api, fields, models, modules, sql_db
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.base.models.ir_cron import ODOO_NOTIFY_FUNCTION

from ..dukkango.client import DEFAULT_BASE_URL, DukkangoClient
from ..dukkango.exceptions import (
    DukkangoAuthError,
    DukkangoConnectionError,
    DukkangoError,
    DukkangoNotFoundError,
    DukkangoProtocolError,
    DukkangoRateLimitError,
    DukkangoServerError,
    DukkangoTimeoutError,
)
from ..dukkango.statuses import STATUS_RECEIVED

_logger = logging.getLogger(__name__)

#: seconds between two get-current calls (the platform's cooldown); the system parameter
#: pos_dukkango.poll_cooldown overrides it (e.g. for a platform that allows more)
POLL_COOLDOWN = 30
#: acknowledgement retries after a failed attempt, waiting ACK_RETRY_DELAY × attempt
ACK_RETRIES = 3
ACK_RETRY_DELAY = 1.0
#: seconds a poll cycle goes on importing waiting orders, batch after batch, before it leaves
#: the rest to the next cycle (below the platform's 30 s cooldown, so imports never delay a poll,
#: and far below the time limit of a cron worker)
IMPORT_TIME_BUDGET = 20.0
#: seconds during which /foods/get-foods is not asked again (the platform's cooldown)
MENU_COOLDOWN = 30
#: seconds after the due time at which the cron thread is woken (so the poll is due then)
WAKE_MARGIN = 0.2
#: first key of the advisory lock that keeps two poll cycles of one account apart
POLL_LOCK_CLASS = 0x44_4B_47  # "DKG"
#: the pending wake-up timer of each database
_wake_timers = {}
_wake_lock = threading.Lock()


class DukkangoAccount(models.Model):
    _name = "dukkango.account"
    _description = "Dükkango Account"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    api_url = fields.Char(
        string="API URL",
        required=True,
        default=DEFAULT_BASE_URL,
        help="Root of the Dükkango Integrations API.",
    )
    app_secret_key = fields.Char(
        groups="base.group_system",
        copy=False,
        help="Application secret key issued by Dükkango to the integrator.",
    )
    rest_secret_key = fields.Char(
        string="Restaurant Secret Key",
        groups="base.group_system",
        copy=False,
        help="Restaurant secret key issued by Dükkango for this restaurant or chain.",
    )
    access_token = fields.Char(groups="base.group_system", copy=False, readonly=True)
    token_expiry = fields.Datetime(groups="base.group_system", copy=False, readonly=True)
    timeout = fields.Integer(
        string="Timeout (s)",
        default=30,
        help="Seconds to wait for Dükkango to answer one request.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        help="Gets an activity when orders wait for a session or need attention.",
    )
    config_ids = fields.One2many("pos.config", "dukkango_account_id", string="Points of Sale")
    restaurant_ids = fields.One2many("dukkango.restaurant", "account_id", string="Restaurants")
    next_poll_at = fields.Datetime(
        string="Next Poll", readonly=True, copy=False, help="Dükkango is not asked for orders before this time."
    )
    last_poll_at = fields.Datetime(string="Last Poll", readonly=True, copy=False)
    last_poll_error = fields.Char(readonly=True, copy=False)
    menu_payload = fields.Text(readonly=True, copy=False, help="The last answer of /foods/get-foods.")
    menu_fetched_at = fields.Datetime(string="Menu Read On", readonly=True, copy=False)

    _sql_constraints = [
        ("timeout_positive", "CHECK(timeout > 0)", "The timeout must be a positive number of seconds."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("api_url"):
                vals["api_url"] = vals["api_url"].strip().rstrip("/")
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("api_url"):
            vals["api_url"] = vals["api_url"].strip().rstrip("/")
        res = super().write(vals)
        if {"api_url", "app_secret_key", "rest_secret_key"} & set(vals):
            # a token belongs to one pair of keys on one server
            super(DukkangoAccount, self.sudo()).write({"access_token": False, "token_expiry": False})
        return res

    # ------------------------------------------------------------------
    # Client
    # ------------------------------------------------------------------
    def _get_client(self):
        """Return a :class:`DukkangoClient` for this account, seeded with the cached token."""
        self.ensure_one()
        account = self.sudo()
        if not account.app_secret_key or not account.rest_secret_key:
            raise UserError(
                self.env._(
                    "Enter the application and restaurant secret keys of the Dükkango account %(account)s first.",
                    account=self.display_name,
                )
            )
        expiry = account.token_expiry
        return DukkangoClient(
            account.api_url,
            account.app_secret_key,
            account.rest_secret_key,
            timeout=(min(10, account.timeout), account.timeout),
            token=account.access_token or None,
            token_expiry=expiry.replace(tzinfo=timezone.utc) if expiry else None,
            on_token=self._store_token,
            # retries of transient failures; no waiting between them inside tests
            backoff_factor=0 if modules.module.current_test else 0.5,
        )

    def _store_token(self, token, expiry):
        """Cache a fresh token so that other workers and later runs reuse it."""
        expiry_utc = expiry.astimezone(timezone.utc).replace(tzinfo=None)
        self.sudo().write({"access_token": token, "token_expiry": expiry_utc})

    def _error_message(self, error):
        """A translated sentence for the user about a client error."""
        _ = self.env._
        if isinstance(error, DukkangoAuthError):
            return _(
                "Dükkango refused the keys of account %(account)s (%(detail)s). "
                "Check the application and restaurant secret keys.",
                account=self.display_name,
                detail=error.message or error.error or error.http_status,
            )
        if isinstance(error, DukkangoTimeoutError):
            return _(
                "Dükkango did not answer within %(seconds)s seconds (%(url)s). Try again later.",
                seconds=self.timeout,
                url=self.api_url,
            )
        if isinstance(error, DukkangoConnectionError):
            return _(
                "Cannot reach Dükkango at %(url)s. Check the API URL and the server's internet connection.",
                url=self.api_url,
            )
        if isinstance(error, DukkangoRateLimitError):
            return _(
                "Dükkango asks to wait %(seconds)s seconds before the next request.",
                seconds=error.retry_after,
            )
        return _(
            "Dükkango answered with an error: %(error)s",
            error=" – ".join(str(part) for part in (error.error, error.message) if part) or str(error),
        )

    def _dukkango_routes(self):
        """{restaurant uuid: pos.config id} of this account."""
        self.ensure_one()
        configs = self.env["pos.config"].sudo().search([("dukkango_account_id", "=", self.id)])
        return {config.dukkango_restaurant_id: config.id for config in configs if config.dukkango_restaurant_id}

    # ------------------------------------------------------------------
    # Polling
    # ------------------------------------------------------------------
    @api.model
    def _cron_poll_orders(self):
        """Poll every due account, import what waits, and come back at the next due time."""
        accounts = self.search([("active", "=", True)])
        done = remaining = 0
        for account in accounts:
            try:
                stats = account._poll_orders()
            except Exception:
                if modules.module.current_test:
                    raise
                _logger.exception("Dükkango account %s: the poll cycle failed", account.id)
                # undo the failed cycle's unfinished work; what it committed stays, and the
                # orders it did not acknowledge come back at the next poll
                self.env.cr.rollback()
                continue
            done += stats["imported"] + (1 if stats["polled"] else 0)
            remaining += stats["remaining"]
        try:
            # the restaurants' open/closed state, every 5 minutes
            self.env["dukkango.restaurant"]._cron_refresh_platform_status()
        except Exception:
            # the state is only shown: never worth losing the poll for
            if modules.module.current_test:
                raise
            _logger.exception("Dükkango: restaurant status not refreshed")
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        next_poll = min((at for at in accounts.mapped("next_poll_at") if at), default=None)
        if next_poll:
            self.env.ref("pos_dukkango.ir_cron_dukkango_poll_orders")._trigger(at=next_poll)
            self._wake_cron_at(next_poll)

    def _wake_cron_at(self, when):
        """Wake the cron workers at ``when`` (naive UTC).

        Odoo's cron workers sleep a minute between rounds and a trigger in the future does
        not wake them, which would poll every 60 s instead of every 30 s. A timer sends the
        ``cron_trigger`` notification Odoo sends for a trigger that is due now.
        """
        if modules.module.current_test:
            return
        dbname = self.env.cr.dbname
        delay = max(0.0, (when - _utcnow()).total_seconds()) + WAKE_MARGIN

        def wake():
            with sql_db.db_connect("postgres").cursor() as cr:
                cr.execute(SQL("SELECT %s('cron_trigger', %s)", SQL.identifier(ODOO_NOTIFY_FUNCTION), dbname))

        timer = threading.Timer(delay, wake)
        timer.daemon = True
        with _wake_lock:
            previous = _wake_timers.get(dbname)
            if previous:
                previous.cancel()
            _wake_timers[dbname] = timer
        timer.start()

    def _poll_orders(self):
        """One poll cycle: fetch, store, commit, acknowledge, import.

        Polls only when ``next_poll_at`` is empty or past and no other worker is in a
        cycle of the same account. Returns a dict of counters.
        """
        self.ensure_one()
        stats = {"polled": False, "received": 0, "stored": 0, "errors": 0, "acked": 0, "imported": 0, "remaining": 0}
        # One cycle per account at a time, across workers and servers, for the whole cycle:
        # the cycle commits several times, which would release a lock of its own transaction,
        # so the lock is a transaction lock of a second connection, released when it closes
        # (or when the process dies). Two cycles at once would fight over the same rows.
        with self.env.registry.cursor() as lock_cr:
            lock_cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (POLL_LOCK_CLASS, self.id))
            if not lock_cr.fetchone()[0]:
                return stats
            return self._poll_orders_locked(stats)

    def _poll_orders_locked(self, stats):
        now = fields.Datetime.now()
        self.flush_recordset(["active", "next_poll_at"])
        # next_poll_at keeps the microseconds of the poll it follows: compare to the microsecond
        self.env.cr.execute(
            """SELECT id FROM dukkango_account
                WHERE id = %s AND active AND (next_poll_at IS NULL OR next_poll_at <= %s)
                  FOR UPDATE SKIP LOCKED""",
            (self.id, _utcnow()),
        )
        if not self.env.cr.fetchone():
            # not due: only go on with the orders an earlier cycle left to import (the cron
            # runs again at once when a cycle reports orders remaining)
            stats["imported"], stats["remaining"] = self._import_waiting_orders()
            return stats
        account = self.sudo()
        cooldown = timedelta(seconds=self._poll_cooldown())
        # the platform counts its cooldown from this very moment (kept to the microsecond)
        polled_at = _utcnow()
        try:
            client = account._get_client()
        except UserError as error:
            account.write({"next_poll_at": polled_at + cooldown, "last_poll_error": str(error)})
            self._dukkango_commit()
            return stats
        account.write({"next_poll_at": polled_at + cooldown, "last_poll_at": now})
        try:
            raw_orders = client.get_current_orders()
        except DukkangoRateLimitError as error:
            wait = max(cooldown, timedelta(seconds=error.retry_after))
            account.write({"next_poll_at": polled_at + wait, "last_poll_error": str(error)[:200]})
            self._dukkango_commit()
            return stats
        except DukkangoError as error:
            _logger.warning("Dükkango account %s: polling failed: %s", self.id, error)
            account.last_poll_error = str(error)[:200]
            self._dukkango_commit()
            return stats
        stats["polled"] = True
        stats.update(self.env["dukkango.order"].sudo()._store_batch(account, raw_orders))
        account.last_poll_error = False
        # the orders must be durable in Odoo before Dükkango is told they arrived
        self._dukkango_commit()
        stats["acked"] = account._acknowledge_orders(client)
        self._dukkango_commit()
        stats["imported"], stats["remaining"] = self._import_waiting_orders()
        self.env["dukkango.order"].sudo().search(
            [
                ("account_id", "=", account.id),
                ("state", "=", "done"),
                ("auto_accept_done", "=", False),
                ("status_id", "=", STATUS_RECEIVED),
            ]
        )._auto_accept(client)
        self._dukkango_commit()
        return stats

    def _import_waiting_orders(self):
        """Import the waiting orders batch after batch, each committed, until none is left
        or the cycle's import time is spent. Returns ``(imported, remaining)``."""
        self.ensure_one()
        Order = self.env["dukkango.order"].sudo()
        deadline = time.monotonic() + IMPORT_TIME_BUDGET
        imported = 0
        while True:
            done, remaining = Order._import_pending(self)
            imported += done
            # each imported batch is durable: a crash later in the cycle does not undo it
            self._dukkango_commit()
            if not remaining or time.monotonic() >= deadline:
                return imported, remaining

    @api.model
    def _poll_cooldown(self):
        value = self.env["ir.config_parameter"].sudo().get_param("pos_dukkango.poll_cooldown")
        try:
            return max(0.0, float(value)) if value else POLL_COOLDOWN
        except ValueError:
            return POLL_COOLDOWN

    def _dukkango_commit(self):
        """Make what was stored durable before the platform hears of it.

        Tests run inside one transaction that is rolled back at the end: there the
        work is only flushed, and the tests prove the ordering instead.
        """
        self.env.flush_all()
        if modules.module.current_test:
            return
        # The order must be durable before Dükkango hears it arrived: stored orders survive a
        # crash after the ack, and an order whose storing failed is never acknowledged.
        self.env.cr.commit()  # pylint: disable=invalid-commit

    def _acknowledge_orders(self, client):
        """Acknowledge every stored order whose last received status is not acknowledged yet.

        Failures that may pass (5xx, 429, a garbled answer) are retried in rounds, after
        ACK_RETRY_DELAY × round: one wait per round for all of them, not one per order.
        """
        self.ensure_one()
        orders = (
            self.env["dukkango.order"]
            .sudo()
            .search([("account_id", "=", self.id), ("ack_needed", "=", True), ("state", "!=", "error")], order="id")
        )
        delay = 0.01 if modules.module.current_test else ACK_RETRY_DELAY
        acked = 0
        errors = {}  # order → the last error of an order not acknowledged
        todo = list(orders)
        for attempt in range(ACK_RETRIES + 1):
            if attempt:
                time.sleep(delay * attempt)
            retry = []
            for order in todo:
                try:
                    client.acknowledge_order(order.payment_key)
                except (DukkangoServerError, DukkangoRateLimitError, DukkangoProtocolError) as exc:
                    errors[order] = exc  # may pass: tried again in the next round
                    retry.append(order)
                    continue
                except DukkangoConnectionError as exc:
                    # Dükkango is unreachable (the client already retried): the rest waits
                    # for the next poll
                    errors[order] = exc
                    retry = []
                    break
                except DukkangoError as exc:
                    errors[order] = exc  # refused or unknown: not worth another try now
                    continue
                errors.pop(order, None)
                order.write(
                    {
                        "acked_status_id": order.seen_status_id,
                        "ack_needed": False,
                        "acked_at": fields.Datetime.now(),
                        "ack_count": order.ack_count + 1,
                        "ack_failures": 0,
                        "last_ack_error": False,
                    }
                )
                acked += 1
            todo = retry
            if not todo:
                break
        for order, error in errors.items():
            if not order.ack_failures:
                _logger.warning(
                    "Dükkango order %s: acknowledgement failed (%s); the next poll tries again",
                    order.payment_key,
                    error,
                )
            values = {"ack_failures": order.ack_failures + 1, "last_ack_error": str(error)[:200]}
            if isinstance(error, DukkangoNotFoundError):
                values["ack_needed"] = False  # Dükkango no longer knows the order: nothing to stop repeating
            order.write(values)
        return acked

    def _get_menu(self):
        """The foods of ``/foods/get-foods``, read at most once per cooldown (30 s): a request
        within the cooldown, or refused with 429, gets the last answer."""
        self.ensure_one()
        account = self.sudo()
        now = fields.Datetime.now()
        fresh = account.menu_fetched_at and now - account.menu_fetched_at < timedelta(seconds=MENU_COOLDOWN)
        if not (fresh and account.menu_payload):
            try:
                foods = account._call_platform("get_foods")
            except UserError:
                if not account.menu_payload:
                    raise
                _logger.info("Dükkango account %s: the menu could not be read, using the last one", self.id)
            else:
                account.write({"menu_payload": json.dumps(foods, ensure_ascii=False), "menu_fetched_at": now})
        return json.loads(account.menu_payload)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _call_platform(self, method, *args):
        """Call one client method; a refusal or network error becomes a translated UserError."""
        self.ensure_one()
        client = self._get_client()
        try:
            return getattr(client, method)(*args)
        except DukkangoError as error:
            _logger.info("Dükkango account %s: %s refused: %s", self.id, method, error)
            raise UserError(self._error_message(error)) from None

    def action_fetch_orders(self):
        """Run one poll cycle now (when the platform's cooldown allows) and report it."""
        self.ensure_one()
        account = self.sudo()
        now = fields.Datetime.now()
        if account.next_poll_at and account.next_poll_at > now:
            wait = int((account.next_poll_at - now).total_seconds()) + 1
            return self._notification(
                self.env._("Dükkango allows one fetch every 30 seconds: try again in %(seconds)s s.", seconds=wait),
                "warning",
            )
        stats = self._poll_orders()
        if not stats["polled"]:
            message = account.last_poll_error or self.env._("Another worker is fetching orders right now.")
            return self._notification(message, "danger")
        return self._notification(
            self.env._(
                "%(received)s order(s) received, %(imported)s imported, %(errors)s with errors.",
                received=stats["received"],
                imported=stats["imported"],
                errors=stats["errors"],
            ),
            "success" if not stats["errors"] else "warning",
        )

    def _notification(self, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": self.env._("Dükkango"), "message": message, "type": kind, "sticky": False},
        }

    def action_test_connection(self):
        """Log in, list the restaurants, and tell the user what was found."""
        self.ensure_one()
        client = self._get_client()
        try:
            client.login()
            restaurants = client.get_restaurants()
        except DukkangoError as error:
            _logger.info("Dükkango connection test of account %s failed: %s", self.id, error)
            raise UserError(self._error_message(error)) from None
        self.env["dukkango.restaurant"]._sync(self, restaurants)
        # their open/closed state too, so that the points of sale show it at once
        self.sudo().restaurant_ids._refresh_platform_status()
        names = ", ".join(restaurant["name"] for restaurant in restaurants)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Connected to Dükkango"),
                "message": self.env._(
                    "%(count)s restaurant(s): %(names)s",
                    count=len(restaurants),
                    names=names or self.env._("none"),
                ),
                "type": "success",
                "sticky": False,
            },
        }


def _utcnow():
    """Naive UTC now with its microseconds (``fields.Datetime.now()`` drops them)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
