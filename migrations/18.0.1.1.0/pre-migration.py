# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0: a point of sale's restaurant becomes a relation to dukkango.restaurant
(it was its UUID in pos_config.dukkango_restaurant_id), and the restaurant UUID of a
stored order is named restaurant_uuid (it was restaurant_id)."""

from odoo.tools.sql import column_exists, rename_column


def migrate(cr, version):
    cr.execute(
        """SELECT data_type FROM information_schema.columns
            WHERE table_name = 'pos_config' AND column_name = 'dukkango_restaurant_id'"""
    )
    row = cr.fetchone()
    if row and row[0] == "character varying":
        cr.execute("ALTER TABLE pos_config DROP CONSTRAINT IF EXISTS pos_config_dukkango_restaurant_unique")
        rename_column(cr, "pos_config", "dukkango_restaurant_id", "dukkango_restaurant_uuid_1_0")
    if column_exists(cr, "dukkango_order", "restaurant_id") and not column_exists(
        cr, "dukkango_order", "restaurant_uuid"
    ):
        rename_column(cr, "dukkango_order", "restaurant_id", "restaurant_uuid")
