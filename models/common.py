# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Small helpers the models share (no model here)."""

from datetime import timezone

import psycopg2

from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY


def utc_naive(value):
    """Naive UTC of an aware datetime, as Odoo stores it (False for none)."""
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value else False


def raise_if_concurrency(error):
    """A concurrent worker's update is no fault of the order: the cycle stops (its transaction
    is rolled back) and the order stays waiting for the next poll instead of being failed."""
    if isinstance(error, psycopg2.OperationalError) and error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY:
        raise error
