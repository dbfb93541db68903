# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timezone

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..dukkango.client import DEFAULT_BASE_URL, DukkangoClient
from ..dukkango.exceptions import (
    DukkangoAuthError,
    DukkangoConnectionError,
    DukkangoError,
    DukkangoRateLimitError,
    DukkangoTimeoutError,
)

_logger = logging.getLogger(__name__)


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

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
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
