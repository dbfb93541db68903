# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timedelta

from odoo import api, fields, models

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
