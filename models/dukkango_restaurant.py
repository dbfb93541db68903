# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..dukkango import schedule
from ..dukkango.exceptions import DukkangoError

_logger = logging.getLogger(__name__)

#: how often the open/closed state of a restaurant is read from Dükkango (the guide's 5 min)
STATUS_REFRESH = timedelta(minutes=5)
#: how far the opening hours are read around now (an opening interval never lasts longer)
SCHEDULE_WINDOW = timedelta(days=8)
PLATFORM_STATUSES = {"open": "open", "closed": "closed"}


class DukkangoRestaurant(models.Model):
    """A restaurant (branch) an account's keys give access to, from ``/restaurants/get``."""

    _name = "dukkango.restaurant"
    _description = "Dükkango Restaurant"
    _order = "name, id"

    name = fields.Char(required=True)
    uuid = fields.Char(string="UUID", required=True, index=True)
    account_id = fields.Many2one("dukkango.account", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    active = fields.Boolean(default=True)
    platform_status = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        string="Status on Dükkango",
        readonly=True,
        help="Whether the restaurant takes orders on Dükkango, as the platform last said.",
    )
    status_checked_at = fields.Datetime(string="Status Checked On", readonly=True)
    requested_status = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        readonly=True,
        help="A change to send to Dükkango after the commit that asked for it.",
    )
    requested_session_id = fields.Many2one("pos.session", readonly=True, help="The session that asked for it.")
    paused_until = fields.Datetime(
        readonly=True, copy=False, help="Busy mode: closed on Dükkango until then, then opened again."
    )
    schedule_applied = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        readonly=True,
        copy=False,
        help="The last state the opening hours or a pause asked for: Odoo acts when the wanted state changes, "
        "so a manager's close (or open) holds until the next start or end of the opening hours.",
    )
    schedule_checked_at = fields.Datetime(readonly=True, copy=False, help="When the schedule was last applied.")
    watchdog_closed = fields.Boolean(
        readonly=True, copy=False, help="Closed by the polling watchdog: opened again when polling is back."
    )

    _sql_constraints = [
        ("uuid_unique", "UNIQUE(account_id, uuid)", "A restaurant is listed once per Dükkango account."),
    ]

    @api.model
    def _sync(self, account, restaurants):
        """Mirror the platform's list: add new restaurants, rename, archive the ones gone."""
        existing = {r.uuid: r for r in self.with_context(active_test=False).search([("account_id", "=", account.id)])}
        seen = set()
        for row in restaurants:
            uuid = str(row["id"]).lower()
            seen.add(uuid)
            if uuid in existing:
                existing[uuid].write({"name": row["name"], "active": True})
            else:
                self.create({"account_id": account.id, "uuid": uuid, "name": row["name"]})
        for uuid, restaurant in existing.items():
            if uuid not in seen:
                restaurant.active = False

    def _refresh_platform_status(self):
        """Read the open/closed state of each restaurant from Dükkango; a failure keeps the last one."""
        for restaurant in self.sudo():
            try:
                status = restaurant.account_id._get_client().get_restaurant_status(restaurant.uuid)
            except DukkangoError as error:
                _logger.info("Dükkango restaurant %s: status not read: %s", restaurant.uuid, error)
                restaurant.status_checked_at = fields.Datetime.now()
                continue
            restaurant.write(
                {
                    "platform_status": PLATFORM_STATUSES.get(str(status).strip().lower(), False),
                    "status_checked_at": fields.Datetime.now(),
                }
            )

    @api.model
    def _cron_refresh_platform_status(self):
        """Refresh the restaurants served by a point of sale whose state is older than 5 minutes."""
        used = self.env["pos.config"].sudo().search([("dukkango_account_id", "!=", False)]).dukkango_restaurant_id
        limit = fields.Datetime.now() - STATUS_REFRESH
        used.filtered(lambda r: not r.status_checked_at or r.status_checked_at < limit)._refresh_platform_status()

    def _set_platform_status(self, opened):
        """Open or close the restaurants on Dükkango, then read back what the platform says.

        A refusal or network error raises a UserError and changes nothing.
        """
        for restaurant in self:
            method = "open_restaurant" if opened else "close_restaurant"
            restaurant.account_id.sudo()._call_platform(method, restaurant.uuid)
        self._refresh_platform_status()

    def _request_platform_status(self, opened, session=None):
        """Ask for the restaurants to be opened (or closed) on Dükkango after the commit."""
        status = "open" if opened else "closed"
        self.write({"requested_status": status, "requested_session_id": session.id if session else False})
        self.env.ref("pos_dukkango.ir_cron_dukkango_platform_changes")._trigger()

    @api.model
    def _cron_send_requested(self):
        """Send what sessions and archived products asked for: each change is committed
        as soon as the platform confirmed it (the platform cannot be rolled back)."""
        cycle = self.env["dukkango.poll.cycle"]
        for restaurant in self.sudo().search([("requested_status", "!=", False)]):
            opened, session = restaurant.requested_status == "open", restaurant.requested_session_id
            restaurant.write({"requested_status": False, "requested_session_id": False})
            try:
                restaurant._set_platform_status(opened)
            except UserError as error:
                restaurant._report_status_failure(opened, session, error)
            cycle._commit()
        foods = self.env["dukkango.food"].sudo().search([("passive_requested", "=", True)])
        if foods:
            foods.write({"passive_requested": False})
            foods._make_passive_quietly()
            cycle._commit()

    def _report_status_failure(self, opened, session, error):
        _logger.warning("Dükkango: %s could not be opened/closed on the platform: %s", self.name, error)
        message = self.env._(
            "Dükkango could not be told that the restaurant is %(state)s: %(error)s",
            state=self.env._("open") if opened else self.env._("closed"),
            error=str(error),
        )
        if session:
            session.message_post(body=message)
            user = session.user_id
            if user:
                self.env["bus.bus"]._sendone(
                    user.partner_id,
                    "simple_notification",
                    {"title": self.env._("Dükkango"), "message": message, "type": "danger", "sticky": True},
                )

    # ------------------------------------------------------------------
    # Busy mode and opening hours
    # ------------------------------------------------------------------
    def _dukkango_config(self):
        self.ensure_one()
        return self.env["pos.config"].sudo().search([("dukkango_restaurant_id", "=", self.id)], limit=1)

    def _schedule_inputs(self, now):
        """What the rules of :mod:`dukkango.schedule` need: the opening intervals around now
        (None without opening hours) and whether a session lets the restaurant open."""
        config = self._dukkango_config()
        if not config:
            return None, True
        intervals = config._dukkango_opening_intervals(now - SCHEDULE_WINDOW, now + SCHEDULE_WINDOW)
        session_open = not config.dukkango_store_follows_session or bool(config._dukkango_open_session())
        return intervals, session_open

    def _may_open(self, now=None):
        """Whether nothing wants the restaurant closed now: no pause, inside its opening hours
        (when it has some), a session open (when it follows the session)."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        intervals, session_open = self._schedule_inputs(now)
        return schedule.may_open(now, intervals, self.paused_until, session_open)

    def _pause(self, until, session=None):
        """Close on Dükkango now (after the commit) and open again at ``until``."""
        vals = {"paused_until": until, "schedule_applied": "closed", "watchdog_closed": False}
        self.write({**vals, "schedule_checked_at": fields.Datetime.now()})
        self._request_platform_status(False, session)
        self._arm_schedule(until)

    def _resume(self, now=None, session=None):
        """End a pause now: open again, unless the opening hours (or no session) want it closed."""
        now = now or fields.Datetime.now()
        for restaurant in self:
            intervals, session_open = restaurant._schedule_inputs(now)
            applied = schedule.schedule_state(now, intervals)
            restaurant.write({"paused_until": False, "schedule_applied": applied, "schedule_checked_at": now})
            if schedule.may_open(now, intervals, None, session_open):
                restaurant._request_platform_status(True, session)

    def _settle_schedule(self, now=None):
        """A manager opened or closed by hand: the pause ends and the opening hours act again
        only at their next start or end."""
        now = now or fields.Datetime.now()
        for restaurant in self:
            intervals, _session_open = restaurant._schedule_inputs(now)
            restaurant.write(
                {
                    "paused_until": False,
                    "watchdog_closed": False,
                    "schedule_applied": schedule.schedule_state(now, intervals),
                    "schedule_checked_at": now,
                }
            )

    def _arm_schedule(self, at):
        """Run the schedule's cron at ``at`` (a stored trigger: it survives a restart)."""
        cron = self.env.ref("pos_dukkango.ir_cron_dukkango_schedule").sudo()
        if not self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id), ("call_at", "=", at)]):
            cron._trigger(at=at)

    def _apply_schedule(self, now):
        """Ask Dükkango for what the pause and opening hours want now; return the next edge."""
        edges = []
        for restaurant in self:
            intervals, session_open = restaurant._schedule_inputs(now)
            request, applied = schedule.decide(
                now,
                intervals,
                paused_until=restaurant.paused_until,
                last_applied=restaurant.schedule_applied,
                session_open=session_open,
                blocked=restaurant.watchdog_closed,
                checked_at=restaurant.schedule_checked_at or None,
            )
            vals = {"schedule_applied": applied, "schedule_checked_at": now}
            if restaurant.paused_until and restaurant.paused_until <= now:
                vals["paused_until"] = False
            edges.append(schedule.next_edge(intervals, now, restaurant.paused_until))
            restaurant.write(vals)
            if request:
                restaurant._request_platform_status(request == schedule.OPEN)
        return min((edge for edge in edges if edge), default=None)

    @api.model
    def _cron_apply_schedule(self, now=None):
        """Open and close the restaurants per their opening hours and pauses (every few
        minutes, and triggered at the next start, end or end of pause)."""
        now = now or fields.Datetime.now()
        configs = self.env["pos.config"].sudo().search([("dukkango_restaurant_id", "!=", False)])
        restaurants = configs.filtered("dukkango_calendar_id").dukkango_restaurant_id | self.sudo().search(
            ["|", ("paused_until", "!=", False), ("schedule_applied", "!=", False)]
        )
        edge = restaurants._apply_schedule(now)
        if edge:
            self._arm_schedule(edge)

    def action_import_menu(self):
        """Open the preview of the menu import of this restaurant."""
        self.ensure_one()
        wizard = self.env["dukkango.menu.import.wizard"].create({"restaurant_id": self.id})
        wizard._load_preview()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import the Dükkango menu of %(restaurant)s", restaurant=self.name),
            "res_model": "dukkango.menu.import.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
