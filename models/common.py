# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Small helpers the models share (no model here)."""

import time
from datetime import datetime, timezone

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


def request_timeout(account, deadline):
    """Seconds one request of a cycle that must end at ``deadline`` (``time.monotonic()``)
    may wait for an answer: the client retries a timeout up to 3 times, so each try gets a
    quarter of what is left, and never more than the account's timeout."""
    return min(float(account.timeout), max(1.0, (deadline - time.monotonic()) / 4))


def utcnow():
    """Naive UTC now with its microseconds (``fields.Datetime.now()`` drops them)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
