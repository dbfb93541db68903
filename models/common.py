# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Small helpers the models share (no model here)."""

import threading
import time
from datetime import datetime, timezone

import psycopg2

from odoo import sql_db
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import SQL

from odoo.addons.base.models.ir_cron import ODOO_NOTIFY_FUNCTION


def utc_naive(value):
    """Naive UTC of an aware datetime, as Odoo stores it (False for none)."""
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value else False


def raise_if_concurrency(error):
    """A concurrent worker's update is no fault of the order: the cycle stops (its transaction
    is rolled back) and the order stays waiting for the next poll instead of being failed."""
    if isinstance(error, psycopg2.OperationalError) and error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY:
        raise error


def request_timeout(limit, deadline):
    """Seconds one request of a cycle that must end at ``deadline`` (``time.monotonic()``)
    may wait for an answer: the client retries a timeout up to 3 times, so each try gets a
    quarter of what is left, and never more than ``limit`` (the account's timeout)."""
    return min(float(limit), max(1.0, (deadline - time.monotonic()) / 4))


def utcnow():
    """Naive UTC now with its microseconds (``fields.Datetime.now()`` drops them)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


#: seconds after the due time at which the cron thread is woken (so the poll is due then)
WAKE_MARGIN = 0.2
#: the pending wake-up timer of each database
_wake_timers = {}
_wake_lock = threading.Lock()


def wake_cron_at(dbname, when):
    """Wake the cron workers of ``dbname`` at ``when`` (naive UTC).

    Odoo's cron workers sleep a minute between rounds and a trigger in the future does
    not wake them, which would poll every 60 s instead of every 30 s. A timer sends the
    ``cron_trigger`` notification Odoo sends for a trigger that is due now.
    """
    delay = max(0.0, (when - utcnow()).total_seconds()) + WAKE_MARGIN

    def wake():
        with sql_db.db_connect("postgres").cursor() as cr:
            cr.execute(SQL("SELECT %s('cron_trigger', %s)", SQL.identifier(ODOO_NOTIFY_FUNCTION), dbname))

    timer = threading.Timer(delay, wake)
    timer.daemon = True
    with _wake_lock:
        previous = _wake_timers.get(dbname)
        if previous:
            previous.cancel()
        _wake_timers[dbname] = timer
    timer.start()
