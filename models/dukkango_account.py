# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import logging
import threading
from datetime import timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..dukkango.api_url import check_api_url
from ..dukkango.client import DEFAULT_BASE_URL, DukkangoClient
from ..dukkango.exceptions import (
    DukkangoAuthError,
    DukkangoConnectionError,
    DukkangoError,
    DukkangoRateLimitError,
    DukkangoTimeoutError,
)

_logger = logging.getLogger(__name__)

#: seconds during which /foods/get-foods is not asked again (the platform's cooldown)
MENU_COOLDOWN = 30
#: urllib3 backoff factor between the client's retries of a transient failure
CLIENT_BACKOFF = 0.5
#: (database, account id) -> (fingerprint, the account's HTTP session in this process)
_sessions = {}
_sessions_lock = threading.Lock()


class DukkangoAccount(models.Model):
    _name = "dukkango.account"
    _description = "Dükkango Account"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    payment_method_ids = fields.One2many("dukkango.payment.method", "account_id", string="Payment Methods")
    next_poll_at = fields.Datetime(
        string="Next Poll", readonly=True, copy=False, help="Dükkango is not asked for orders before this time."
    )
    last_poll_at = fields.Datetime(string="Last Poll", readonly=True, copy=False)
    last_poll_error = fields.Char(readonly=True, copy=False)
    last_success_at = fields.Datetime(string="Last Successful Poll", readonly=True, copy=False)
    outage_since = fields.Datetime(
        readonly=True, copy=False, help="Set by the watchdog: no poll succeeded for 3 minutes while a till was open."
    )
    count_401_today = fields.Integer(string="401 Answers Today", readonly=True, copy=False)
    count_429_today = fields.Integer(string="429 Answers Today", readonly=True, copy=False)
    count_day = fields.Date(readonly=True, copy=False, help="The day the 401 and 429 answers are counted for.")
    auth_failures = fields.Integer(
        string="Key Refusals", readonly=True, copy=False, help="Logins Dükkango refused in a row."
    )
    attention_count = fields.Integer(
        string="Orders Needing a Person",
        readonly=True,
        copy=False,
        help="Orders Dükkango believes delivered that are not in a till as they should be.",
    )
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
                if vals["api_url"] != DEFAULT_BASE_URL:
                    self._check_url_change()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("api_url"):
            vals["api_url"] = vals["api_url"].strip().rstrip("/")
        if "api_url" in vals and any(account.api_url != vals["api_url"] for account in self):
            self._check_url_change()
        res = super().write(vals)
        if {"api_url", "app_secret_key", "rest_secret_key"} & set(vals):
            # a token belongs to one pair of keys on one server; new keys are tried at once
            super(DukkangoAccount, self.sudo()).write({"access_token": False, "token_expiry": False})
            refused = self.sudo().filtered("auth_failures")
            if refused:
                super(DukkangoAccount, refused).write({"auth_failures": 0, "next_poll_at": False})
        return res

    def _check_url_change(self):
        """The keys go to the API URL at the next login: only administrators may point it
        elsewhere (a POS manager could otherwise send them to a server of their own)."""
        if not self.env.is_system():
            raise AccessError(self.env._("Only administrators change the API URL of a Dükkango account."))

    @api.constrains("api_url")
    def _check_api_url(self):
        for account in self:
            try:
                check_api_url(account.api_url)
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "The API URL of a Dükkango account must start with https:// "
                        "(http:// only on this machine, for the simulator): %(url)s",
                        url=account.api_url,
                    )
                ) from None

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
        timeout = (min(10, account.timeout), account.timeout)
        return DukkangoClient(
            account.api_url,
            account.app_secret_key,
            account.rest_secret_key,
            timeout=timeout,
            token=account.access_token or None,
            token_expiry=expiry.replace(tzinfo=timezone.utc) if expiry else None,
            on_token=self._store_token,
            session=account._http_session(timeout),
        )

    def _http_session(self, timeout):
        """The keep-alive HTTP session of this account in this process, reused by every
        client of the account (one TLS handshake, not one per poll); a new one when the
        URL or the timeout changed."""
        key = (self.env.cr.dbname, self.id)
        fingerprint = (self.api_url, timeout, CLIENT_BACKOFF)
        with _sessions_lock:
            known = _sessions.get(key)
            if known and known[0] == fingerprint:
                return known[1]
            if known:
                known[1].close()
            session = DukkangoClient.new_session(self.api_url, timeout, backoff_factor=CLIENT_BACKOFF)
            _sessions[key] = (fingerprint, session)
            return session

    def _store_token(self, token, expiry):
        """Cache a fresh token so that other workers and later runs reuse it."""
        expiry_utc = expiry.astimezone(timezone.utc).replace(tzinfo=None)
        self.sudo().write({"access_token": token, "token_expiry": expiry_utc})

    def _error_message(self, error):
        """A translated sentence for the user about a client error (every error the platform
        gave goes through it, so the watchdog counts the 401 and 429 answers here)."""
        self.env["dukkango.watchdog"]._count_answer(self, error)
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
        return {config.dukkango_restaurant_id.uuid: config.id for config in configs if config.dukkango_restaurant_id}

    # ------------------------------------------------------------------
    # Polling
    # ------------------------------------------------------------------
    @api.model
    def _cron_poll_orders(self):
        """Poll every due account, import what waits, and come back at the next due time."""
        cycle = self.env["dukkango.poll.cycle"]
        accounts = self.search([("active", "=", True)])
        done = remaining = 0
        for account in accounts:
            try:
                stats = account._poll_orders()
            except Exception as error:  # noqa: BLE001 - one account's failure never stops the others
                cycle._recover(account, error)
                continue
            done += stats["imported"] + (1 if stats["polled"] else 0)
            remaining += stats["remaining"]
        try:
            # the restaurants' open/closed state, every 5 minutes
            self.env["dukkango.restaurant"]._cron_refresh_platform_status()
        except Exception as error:  # noqa: BLE001 - the state is only shown: never worth losing the poll for
            cycle._recover(self.browse(), error)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        next_poll = min((at for at in accounts.mapped("next_poll_at") if at), default=None)
        if next_poll:
            self.env.ref("pos_dukkango.ir_cron_dukkango_poll_orders")._trigger(at=next_poll)
            cycle._wake_cron_at(next_poll)

    def _poll_orders(self):
        """One poll cycle: fetch, store, commit, acknowledge, import.

        Polls only when ``next_poll_at`` is empty or past and no other worker is in a
        cycle of the same account. Returns a dict of counters.
        """
        self.ensure_one()
        return self.env["dukkango.poll.cycle"]._run(self)

    def _notify_attention(self):
        """Keep one activity per account, for its responsible, saying how many orders need a
        person (updated when the number changes, done when it reaches zero)."""
        Order = self.env["dukkango.order"].sudo()
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for account in self.sudo():
            count = Order.search_count([("account_id", "=", account.id), ("attention", "=", True)])
            if count == account.attention_count:
                continue
            account.attention_count = count
            for config in account.config_ids:
                config._notify("DUKKANGO_ATTENTION", {})  # the tills read their banner again
            activity = account.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)[:1]
            if not count:
                activity.action_feedback(feedback=self.env._("No Dükkango order needs attention any more."))
                continue
            summary = self.env._("%(count)s Dükkango order(s) need attention", count=count)
            note = self.env._(
                "Dükkango believes these orders were delivered to Odoo, but they are not in a till as they "
                "should be. Open the account's orders with the filter Needs attention."
            )
            if activity:
                activity.write({"summary": summary, "note": note})
            elif activity_type:
                account.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=summary,
                    note=note,
                    user_id=account.user_id.id or self.env.uid,
                )

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

    def _check_manager(self):
        self.env.user._dukkango_check_manager(
            self.env._("Only Point of Sale managers fetch Dükkango orders and test the connection.")
        )

    def action_fetch_orders(self):
        """Run one poll cycle now (when the platform's cooldown allows) and report it."""
        self.ensure_one()
        self._check_manager()
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

    @api.model
    def _notification(self, message, kind="success", title=None, next_action=None):
        """The client action that shows ``message`` as a notification (then ``next_action``)."""
        params = {"title": title or self.env._("Dükkango"), "message": message, "type": kind, "sticky": False}
        if next_action:
            params["next"] = next_action
        return {"type": "ir.actions.client", "tag": "display_notification", "params": params}

    def action_test_connection(self):
        """Log in, list the restaurants, and tell the user what was found."""
        self.ensure_one()
        self._check_manager()
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
        return self._notification(
            self.env._("%(count)s restaurant(s): %(names)s", count=len(restaurants), names=names or self.env._("none")),
            title=self.env._("Connected to Dükkango"),
        )
