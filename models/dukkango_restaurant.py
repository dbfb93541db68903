# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..dukkango.exceptions import DukkangoError

_logger = logging.getLogger(__name__)

#: how often the open/closed state of a restaurant is read from Dükkango (the guide's 5 min)
STATUS_REFRESH = timedelta(minutes=5)
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
        self.write({"requested_status": "open" if opened else "closed", "requested_session_id": session.id or False})
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
