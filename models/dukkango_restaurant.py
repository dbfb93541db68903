# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


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
