# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import datetime, timedelta

from odoo import api, fields, models

from ..dukkango.exceptions import DukkangoAuthError, DukkangoRateLimitError

_logger = logging.getLogger(__name__)

#: no successful poll for this long while a session is open: the till's alarm and an activity
ALARM_AFTER = timedelta(minutes=3)
#: ... and this long: the restaurant is closed on Dükkango (points of sale that ask for it)
CLOSE_AFTER = timedelta(minutes=10)
#: the activity type of an outage (data/mail_activity_type_data.xml)
POLLING_STOPPED = "pos_dukkango.mail_activity_type_polling_stopped"


class DukkangoWatchdog(models.AbstractModel):
    """Watches that polling succeeds while tills are open (a minute's cron).

    The poll cycle reports each successful poll (``_poll_succeeded``); the account's error
    messages report the 401 and 429 answers (``_count_answer``). No poll succeeded for 3
    minutes while a session of the account is open: the tills show an alarm and the
    account's responsible gets an activity, once per outage. After 10 minutes the
    restaurants of the points of sale that ask for it are closed on Dükkango; they are
    opened again when polling is back (only those the watchdog closed).
    """

    _name = "dukkango.watchdog"
    _description = "Dükkango Polling Watchdog"

    @api.model
    def _poll_succeeded(self, account):
        """The poll cycle got Dükkango's orders: the watchdog is told at once during an outage."""
        account.sudo().last_success_at = fields.Datetime.now()
        if account.sudo().outage_since:
            self.env.ref("pos_dukkango.ir_cron_dukkango_watchdog").sudo()._trigger()

    @api.model
    def _count_answer(self, account, error):
        """Count the 401 (keys or token refused) and 429 (too many requests) answers of the day."""
        if isinstance(error, DukkangoRateLimitError):
            field = "count_429_today"
        elif isinstance(error, DukkangoAuthError) and error.http_status == 401:
            field = "count_401_today"
        else:
            return
        account, today = account.sudo(), fields.Date.context_today(account)
        counts = {"count_401_today": 0, "count_429_today": 0} if account.count_day != today else {}
        account.write({**counts, "count_day": today, field: counts.get(field, account[field]) + 1})

    @api.model
    def _age_text(self, at, now=None):
        """ "40 s ago", "5 min ago", "3 h ago" (since ``at``), or False."""
        if not at:
            return False
        seconds = max(0, int(((now or fields.Datetime.now()) - at).total_seconds()))
        if seconds < 60:
            return self.env._("%(count)s s ago", count=seconds)
        if seconds < 3600:
            return self.env._("%(count)s min ago", count=seconds // 60)
        if seconds < 2 * 86400:
            return self.env._("%(count)s h ago", count=seconds // 3600)
        return self.env._("%(count)s days ago", count=seconds // 86400)

    @api.model
    def _cron_check(self, now=None):
        """Raise or end the alarm of each account, close or reopen its restaurants."""
        now = now or fields.Datetime.now()
        Account = self.env["dukkango.account"].sudo()
        sessions = (
            self.env["pos.session"]
            .sudo()
            .search([("state", "=", "opened"), ("config_id.dukkango_account_id", "!=", False)])
        )
        watched = sessions.config_id.dukkango_account_id
        closed = self.env["dukkango.restaurant"].sudo().search([("watchdog_closed", "=", True)])
        today = fields.Date.context_today(self)
        stale = Account.search([("count_day", "!=", False), ("count_day", "!=", today)])
        stale.write({"count_401_today": 0, "count_429_today": 0, "count_day": False})
        for account in watched | Account.search([("outage_since", "!=", False)]) | closed.account_id:
            opened = sessions.filtered(lambda s, a=account: s.config_id.dukkango_account_id == a)
            self._check_account(account, opened, now)

    def _check_account(self, account, opened, now):
        """``opened``: the account's open sessions. Silence is counted from the last successful
        poll, or from the opening of the sessions when they opened later."""
        if opened:
            since = max([account.last_success_at or datetime.min, *filter(None, opened.mapped("start_at"))])
        else:
            since = now  # no till open: nothing to watch
        silent = now - since
        if silent >= ALARM_AFTER:
            self._raise_alarm(account, since)
        else:
            self._end_alarm(account, now)
        if silent >= CLOSE_AFTER:
            self._close_restaurants(opened.config_id)

    def _raise_alarm(self, account, since):
        if account.outage_since:
            return
        account.outage_since = since
        message = self.env._(
            "No Dükkango poll of %(account)s succeeded since %(time)s (UTC): new orders may not reach the tills. "
            "Last error: %(error)s",
            account=account.name,
            time=fields.Datetime.to_string(since) if since > datetime.min else "-",
            error=account.last_poll_error or "-",
        )
        _logger.warning("Dükkango watchdog: %s", message)
        activity_type = self.env.ref(POLLING_STOPPED, raise_if_not_found=False)
        if activity_type:
            account.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Dükkango polling stopped for %(account)s", account=account.name),
                note=message,
                user_id=account.user_id.id or self.env.uid,
            )
        for config in account.config_ids:
            config._notify("DUKKANGO_WATCHDOG", {"alarm": True})

    def _end_alarm(self, account, now):
        if account.outage_since:
            account.outage_since = False
            # by its type: the summary changes with the account's name and the language
            activity_type = self.env.ref(POLLING_STOPPED, raise_if_not_found=False)
            activities = account.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
            activities.action_feedback(feedback=self.env._("Polling works again."))
            for config in account.config_ids:
                config._notify("DUKKANGO_WATCHDOG", {"alarm": False})
        for restaurant in account.restaurant_ids.filtered("watchdog_closed"):
            restaurant.watchdog_closed = False
            if restaurant._may_open(now):
                restaurant._request_platform_status(True)

    def _close_restaurants(self, configs):
        """Close (once per outage) the restaurants of the points of sale that ask for it."""
        for config in configs.filtered(lambda c: c.dukkango_watchdog_close and c.dukkango_restaurant_id):
            restaurant = config.dukkango_restaurant_id
            if restaurant.watchdog_closed or restaurant.platform_status == "closed":
                continue  # closed already: the watchdog must not open what it did not close
            restaurant.watchdog_closed = True
            restaurant._request_platform_status(False, config.current_session_id)
