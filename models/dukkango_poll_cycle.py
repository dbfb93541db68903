# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import copy
import logging
import math
import time
from datetime import timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..dukkango.acks import AckPump
from ..dukkango.exceptions import (
    DukkangoAuthError,
    DukkangoError,
    DukkangoNotFoundError,
    DukkangoRateLimitError,
)
from ..dukkango.statuses import STATUS_RECEIVED
from .common import request_timeout, utcnow, wake_cron_at

_logger = logging.getLogger(__name__)

#: seconds between two get-current calls (the platform's cooldown); the system parameter
#: pos_dukkango.poll_cooldown overrides it (e.g. for a platform that allows more)
POLL_COOLDOWN = 30
#: acknowledgement retries after a failed attempt, waiting ACK_RETRY_DELAY × attempt
ACK_RETRIES = 3
ACK_RETRY_DELAY = 1.0
#: seconds a poll cycle lasts at most, whatever the platform does (far below the time limit
#: of a cron worker, limit_time_real_cron, 120 s by default)
CYCLE_BUDGET = 25.0
#: seconds of the budget kept for what the cycle does after the acknowledgements
CYCLE_TAIL = 0.5
#: acknowledgements in flight at once
ACK_WORKERS = 4
#: orders imported per batch at most (each batch is committed)
IMPORT_BATCH = 100
#: the first batch of a cycle is small: it measures the pace at which this machine imports,
#: assumed ORDER_IMPORT_SECONDS an order until then; each next batch is cut to what fits
FIRST_IMPORT_BATCH = 10
ORDER_IMPORT_SECONDS = 0.05
#: seconds a poll cycle goes on importing waiting orders, batch after batch, before it leaves
#: the rest to the next cycle (below the platform's 30 s cooldown, so imports never delay a poll,
#: and far below the time limit of a cron worker)
IMPORT_TIME_BUDGET = 20.0
#: longest wait between two polls of an account whose keys are refused
AUTH_MAX_WAIT = timedelta(hours=1)
#: refusals in a row after which the account's responsible is told
AUTH_FAILURES_TO_TELL = 3
#: first key of the advisory lock that keeps two poll cycles of one account apart
POLL_LOCK_CLASS = 0x44_4B_47  # "DKG"


class DukkangoPollCycle(models.AbstractModel):
    """One poll cycle of an account: fetch, store, commit, acknowledge, import.

    The cycle commits several times: what is stored is durable before Dükkango hears it
    arrived, and every imported batch is durable on its own. ``_commit``, ``_sleep`` and
    ``_wake_cron_at`` are the seams tests replace (a test runs in one transaction that is
    rolled back, and must neither wait nor wake a cron thread).
    """

    _name = "dukkango.poll.cycle"
    _description = "Dükkango Poll Cycle"

    @api.model
    def _run(self, account):
        """Poll ``account`` when ``next_poll_at`` is empty or past and no other worker is in
        a cycle of the same account. Returns a dict of counters."""
        stats = {"polled": False, "received": 0, "stored": 0, "errors": 0, "acked": 0, "imported": 0, "remaining": 0}
        # One cycle per account at a time, across workers and servers, for the whole cycle:
        # the cycle commits several times, which would release a lock of its own transaction,
        # so the lock is a transaction lock of a second connection, released when it closes
        # (or when the process dies). Two cycles at once would fight over the same rows.
        with self.env.registry.cursor() as lock_cr:
            lock_cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (POLL_LOCK_CLASS, account.id))
            if not lock_cr.fetchone()[0]:
                return stats
            return self._run_locked(account.sudo(), stats)

    def _run_locked(self, account, stats):
        deadline = time.monotonic() + CYCLE_BUDGET
        if not self._claim_due(account):
            # not due: only go on with the orders an earlier cycle left to import (the cron
            # runs again at once when a cycle reports orders remaining)
            stats["imported"], stats["remaining"] = self._import_waiting(account, deadline)
            return stats
        cooldown = timedelta(seconds=self._poll_cooldown())
        polled_at = utcnow()
        try:
            client = account._get_client()
        except UserError as error:
            account.write({"next_poll_at": polled_at + cooldown, "last_poll_error": str(error)})
            self._commit()
            return stats
        account.write({"next_poll_at": polled_at + cooldown, "last_poll_at": fields.Datetime.now()})
        raw_orders = self._fetch(account, client, polled_at, cooldown, deadline)
        if raw_orders is None:
            return stats
        stats["polled"] = True
        # the platform counts its cooldown from when get-current reached it (after a login
        # or a handshake): from when it left, plus its round trip as a margin
        account.next_poll_at = self._next_poll_at(client, polled_at, cooldown)
        stats.update(self.env["dukkango.order.intake"]._store_batch(account, raw_orders))
        account.last_poll_error = False
        self.env["dukkango.watchdog"]._poll_succeeded(account)
        # the orders must be durable in Odoo before Dükkango is told they arrived
        self._commit()

        def import_waiting(record_acks):
            stats["imported"], stats["remaining"] = self._import_waiting(account, deadline, record_acks)

        # the imports run while the acknowledgements travel, before the retries: neither
        # waits for the other, and an acknowledgement outage never starves the imports
        stats["acked"] = self._acknowledge(account, client, deadline, meanwhile=import_waiting)
        self._auto_accept(account, client)
        if stats["received"] or stats["imported"]:
            # what needs a person changes with what arrives (a manager's actions tell it themselves)
            account._notify_attention()
        self._commit()
        return stats

    @api.model
    def _next_poll_at(self, client, polled_at, cooldown):
        if not client.last_sent_at:
            return polled_at + cooldown
        sent_at = client.last_sent_at.astimezone(timezone.utc).replace(tzinfo=None)
        return max(polled_at, sent_at) + cooldown + timedelta(seconds=client.last_round_trip or 0)

    def _claim_due(self, account):
        """Lock the account's row if its poll is due (another worker holding it skips it)."""
        account.flush_recordset(["active", "next_poll_at"])
        # next_poll_at keeps the microseconds of the poll it follows: compare to the microsecond
        self.env.cr.execute(
            """SELECT id FROM dukkango_account
                WHERE id = %s AND active AND (next_poll_at IS NULL OR next_poll_at <= %s)
                  FOR UPDATE SKIP LOCKED""",
            (account.id, utcnow()),
        )
        return bool(self.env.cr.fetchone())

    def _fetch(self, account, client, polled_at, cooldown, deadline):
        """The raw orders of get-current, or None when the platform could not be asked."""
        try:
            orders = client.get_current_orders(timeout=request_timeout(account.timeout, deadline))
        except DukkangoRateLimitError as error:
            wait = max(cooldown, timedelta(seconds=error.retry_after))
            account.write({"next_poll_at": polled_at + wait, "last_poll_error": account._error_message(error)})
        except DukkangoAuthError as error:
            self._refused_keys(account, error, polled_at, cooldown)
        except DukkangoError as error:
            _logger.warning("Dükkango account %s: polling failed: %s", account.id, error)
            account.last_poll_error = account._error_message(error)
        else:
            if account.auth_failures:
                account.auth_failures = 0
            return orders
        self._commit()
        return None

    def _refused_keys(self, account, error, polled_at, cooldown):
        """Wrong keys are not tried every 30 s forever: after each refusal the account waits
        twice as long (up to AUTH_MAX_WAIT), says so, and its responsible is told once."""
        failures = account.auth_failures + 1
        wait = min(cooldown * 2 ** (failures - 1), AUTH_MAX_WAIT) if failures > 1 else cooldown
        next_poll = polled_at + wait
        message = self.env._(
            "%(error)s Refused %(count)s time(s) in a row: the next try is at %(time)s (UTC).",
            error=account._error_message(error),
            count=failures,
            time=next_poll.strftime("%H:%M"),
        )
        _logger.warning("Dükkango account %s: keys refused %s time(s): %s", account.id, failures, error)
        account.write({"auth_failures": failures, "next_poll_at": next_poll, "last_poll_error": message})
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        if failures == AUTH_FAILURES_TO_TELL and activity_type:
            account.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Dükkango refuses the keys of %(account)s", account=account.name),
                note=message,
                user_id=account.user_id.id or self.env.uid,
            )

    @api.model
    def _poll_cooldown(self):
        value = self.env["ir.config_parameter"].sudo().get_param("pos_dukkango.poll_cooldown")
        try:
            return max(0.0, float(value)) if value else POLL_COOLDOWN
        except ValueError:
            return POLL_COOLDOWN

    # ------------------------------------------------------------------
    # Acknowledgements
    # ------------------------------------------------------------------
    def _acknowledge(self, account, client, deadline=None, meanwhile=None):
        """Acknowledge the stored orders whose last received status is not acknowledged yet.

        The acknowledgements travel in the background, up to ACK_WORKERS at once, while
        ``meanwhile(record)`` runs (the imports), which calls ``record()`` to commit the
        answers arrived so far. The failures that may pass (``error.retryable``) are tried
        again in later rounds, after ACK_RETRY_DELAY × round (one wait per round for all of
        them), as long as ``deadline`` (a ``time.monotonic()`` value) allows; the rest waits
        for the next poll. Returns the number of orders acknowledged.
        """
        orders = {
            order.payment_key: order
            for order in self.env["dukkango.order"]
            .sudo()
            .search([("account_id", "=", account.id), ("ack_needed", "=", True), ("state", "!=", "error")], order="id")
        }
        if not orders:
            if meanwhile:
                meanwhile(lambda: None)
            return 0
        # the rounds leave the cycle's last steps (failures, acceptance, attention) their time
        deadline = (deadline or time.monotonic() + CYCLE_BUDGET) - CYCLE_TAIL
        limit = account.timeout
        workers = self._workers_client(client)

        def send(key):  # in a worker of the pump: HTTP only
            workers.acknowledge_order(key, timeout=request_timeout(limit, deadline))

        pump = AckPump(send, ACK_WORKERS)
        acked, errors, retry = 0, {}, []  # errors: order → the last error of an order not acknowledged

        def record():
            nonlocal acked
            acked += self._record_answers(pump.answers(), orders, errors, retry)

        try:
            keys = list(orders)
            for attempt in range(ACK_RETRIES + 1):
                if attempt:
                    wait = ACK_RETRY_DELAY * attempt
                    if not keys or pump.unreachable or time.monotonic() + wait >= deadline:
                        break  # done, or the rest waits for the next poll
                    self._sleep(wait)
                pump.start(keys, deadline)
                if meanwhile:
                    meanwhile(record)
                    meanwhile = None
                pump.wait(deadline)
                record()
                keys, retry[:] = list(retry), []
        finally:
            # an acknowledgement still in flight is not waited for: not recorded here, it is
            # sent again at the next poll (acknowledging twice is harmless)
            pump.stop()
            if workers.token and workers.token != client.token and client.on_token:
                client.on_token(workers.token, workers.token_expiry)  # they logged in again (a 401)
        self._record_ack_failures(errors)
        return acked

    def _workers_client(self, client):
        """The client of the acknowledgement workers: a copy of ``client`` (keys, session,
        token: a login they would need is made first, here) that never stores a token
        itself. The workers must not write to the database, nor may an answer still on its
        way after the cycle: a token they get is stored by the cycle's thread."""
        client.ensure_token()
        workers = copy.copy(client)
        workers.on_token = None
        return workers

    def _record_answers(self, answers, orders, errors, retry):
        """Note the pump's ``answers``: commit the acknowledgements, keep the last error of
        the others, add to ``retry`` the keys worth another try. Returns the acknowledged."""
        succeeded = []
        for key, error in answers:
            order = orders[key]
            if error is None:
                errors.pop(order, None)
                succeeded.append(order)
                continue
            if not isinstance(error, DukkangoError):
                raise error
            errors[order] = error
            if error.retryable:
                retry.append(key)
        return self._record_acks(succeeded)

    def _record_acks(self, orders):
        """Record the acknowledgements of ``orders`` in one statement; returns their number."""
        if not orders:
            return 0
        Order = self.env["dukkango.order"]
        Order.flush_model(["seen_status_id"])
        self.env.cr.execute(
            """UPDATE dukkango_order
                  SET acked_status_id = seen_status_id, ack_needed = FALSE, acked_at = %s,
                      ack_count = COALESCE(ack_count, 0) + 1, ack_failures = 0, last_ack_error = NULL
                WHERE id IN %s""",
            (fields.Datetime.now(), tuple(order.id for order in orders)),
        )
        Order.browse([order.id for order in orders]).invalidate_recordset()
        # the bookkeeping of the acknowledgements is durable as it goes
        self._commit()
        return len(orders)

    def _record_ack_failures(self, errors):
        for order, error in errors.items():
            if not order.ack_failures:
                _logger.warning(
                    "Dükkango order %s: acknowledgement failed (%s); the next poll tries again",
                    order.payment_key,
                    error,
                )
            values = {"ack_failures": order.ack_failures + 1, "last_ack_error": str(error)[:200]}
            if isinstance(error, DukkangoNotFoundError):
                values["ack_needed"] = False  # Dükkango no longer knows the order: nothing to stop repeating
            order.write(values)

    # ------------------------------------------------------------------
    # Imports and acceptance
    # ------------------------------------------------------------------
    def _import_waiting(self, account, deadline=None, between_batches=None):
        """Import the waiting orders batch after batch, each committed, until none is left
        or the cycle's import time is spent; a batch is as large as the time left allows at
        the pace of the batch before; ``between_batches()`` runs after each. Returns
        ``(imported, remaining)``."""
        importer = self.env["dukkango.pos.import"]
        deadline = min(deadline or math.inf, time.monotonic() + IMPORT_TIME_BUDGET)
        imported, pace, largest = 0, ORDER_IMPORT_SECONDS, FIRST_IMPORT_BATCH
        while True:
            started = time.monotonic()
            limit = max(1, min(largest, int((deadline - started) / pace)))
            largest = IMPORT_BATCH  # the first batch, small, measured the pace
            done, remaining = importer._import_pending(account, limit=limit)
            imported += done
            # each imported batch is durable: a crash later in the cycle does not undo it
            self._commit()
            pace = (time.monotonic() - started) / done if done else pace
            if between_batches:
                between_batches()
            if not remaining or time.monotonic() + pace >= deadline:
                return imported, remaining

    def _auto_accept(self, account, client):
        self.env["dukkango.order"].sudo().search(
            [
                ("account_id", "=", account.id),
                ("state", "=", "done"),
                ("auto_accept_done", "=", False),
                ("status_id", "=", STATUS_RECEIVED),
                # only the orders of points of sale that accept automatically are read
                ("config_id.dukkango_auto_accept", "=", True),
            ]
        )._auto_accept(client)

    # ------------------------------------------------------------------
    # Seams: what tests replace
    # ------------------------------------------------------------------
    def _commit(self):
        """Make what the cycle did so far durable."""
        self.env.flush_all()
        # The orders must be durable before Dükkango hears they arrived: stored orders survive
        # a crash after the ack, and an order whose storing failed is never acknowledged.
        self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _recover(self, account, error):
        """After a cycle of ``account`` (or the cron's own work, without an account) failed
        for a reason outside any one order: undo its unfinished work, record the reason on
        the account and let the cron go on with the others. What the cycle committed stays,
        and the orders it did not acknowledge come back at the next poll, a cooldown later (the
        rollback undid the next poll's time: polling again at once would earn a 429)."""
        _logger.error("Dükkango account %s: the poll cycle failed", account.id, exc_info=error)
        # the failed transaction cannot be used any more: start a clean one
        self.env.cr.rollback()  # pylint: disable=invalid-commit
        if account:
            account.sudo().write(
                {
                    "last_poll_error": self.env._("The poll cycle failed: %(error)s", error=str(error)[:180]),
                    "next_poll_at": utcnow() + timedelta(seconds=self._poll_cooldown()),
                }
            )
            self._commit()

    def _sleep(self, seconds):
        """Wait between two rounds of acknowledgement retries."""
        time.sleep(seconds)

    @api.model
    def _wake_cron_at(self, when):
        """Wake the cron workers at ``when`` (naive UTC): see :func:`.common.wake_cron_at`."""
        wake_cron_at(self.env.cr.dbname, when)
