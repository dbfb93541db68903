# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0: link each point of sale to the dukkango.restaurant of the UUID it held
(created when Test connection never listed it), then drop the old column."""

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not column_exists(cr, "pos_config", "dukkango_restaurant_uuid_1_0"):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Restaurant = env["dukkango.restaurant"].with_context(active_test=False)
    cr.execute(
        """SELECT id, dukkango_account_id, lower(trim(dukkango_restaurant_uuid_1_0)) FROM pos_config
            WHERE dukkango_account_id IS NOT NULL AND coalesce(trim(dukkango_restaurant_uuid_1_0), '') != ''"""
    )
    for config_id, account_id, uuid in cr.fetchall():
        restaurant = Restaurant.search([("account_id", "=", account_id), ("uuid", "=", uuid)], limit=1)
        if not restaurant:
            restaurant = Restaurant.create({"account_id": account_id, "uuid": uuid, "name": uuid})
        cr.execute("UPDATE pos_config SET dukkango_restaurant_id = %s WHERE id = %s", (restaurant.id, config_id))
    cr.execute("ALTER TABLE pos_config DROP COLUMN dukkango_restaurant_uuid_1_0")
