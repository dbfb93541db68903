# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
import logging

import psycopg2

from odoo import api, fields, models

from ..dukkango.orders import OrderParseError, parse_order
from ..dukkango.statuses import status_advances, status_key
from ..dukkango.validation import is_uuid, required_uuid
from .common import raise_if_concurrency, utc_naive

_logger = logging.getLogger(__name__)

#: the largest number an Integer field (PostgreSQL int4) holds
MAX_INT4 = 2**31 - 1
#: characters of raw order stored: far more than a restaurant order, far less than a poison one
MAX_PAYLOAD = 1_000_000


class DukkangoOrderIntake(models.AbstractModel):
    """Stores what get-current returned as ``dukkango.order`` records: the upsert by
    (account, payment_key), the status that never goes back, and the error records of
    orders that cannot be used (never acknowledged)."""

    _name = "dukkango.order.intake"
    _description = "Dükkango Order Intake"

    @api.model
    def _store_batch(self, account, raw_orders):
        """Upsert every order of one get-current answer; never raise for one bad order.

        Returns a dict of counters. Orders are keyed by (account, payment_key): a
        repeat updates the same record, a newer status moves it forward, an older
        one is only recorded as seen (so that it can be acknowledged).
        """
        counters = {"received": len(raw_orders), "stored": 0, "errors": 0, "rejected": 0}
        if not raw_orders:
            return counters
        Order = self.env["dukkango.order"].sudo()
        keys = [_payment_key(raw) for raw in raw_orders]
        known = {
            order.payment_key: order
            for order in Order.search([("account_id", "=", account.id), ("payment_key", "in", [k for k in keys if k])])
        }
        context = {"now": fields.Datetime.now(), "routes": account._dukkango_routes()}
        for raw, key in zip(raw_orders, keys, strict=True):
            existing = known.get(key, Order) if key else None
            try:
                # one savepoint per order: what the database refuses of one order (a number
                # too large, text it cannot store) fails that order alone
                with self.env.cr.savepoint():
                    known[key] = self._store_one(account, parse_order(raw), raw, existing, context)
                counters["stored"] += 1
                continue
            except Exception as error:  # noqa: BLE001 - a poison order must not stop the batch
                raise_if_concurrency(error)
                problem = error if isinstance(error, OrderParseError) else StorageProblem(error)
            counters["errors"] += 1
            if not self._store_failure(account, key, known, raw, problem, context["now"]):
                counters["rejected"] += 1
        return counters

    def _store_failure(self, account, key, known, raw, problem, now):
        """Keep an order that cannot be used as an error record; False when it has none (no
        usable payment key, or even its error record could not be stored)."""
        Order = self.env["dukkango.order"].sudo()
        try:
            with self.env.cr.savepoint():
                stored = self._store_error(account, key, known.get(key, Order) if key else None, raw, problem, now)
        except Exception as error:  # noqa: BLE001 - the error record itself failed: never stop the batch
            raise_if_concurrency(error)
            _logger.warning("Dükkango order %s: not even its error could be stored: %s", key, error)
            return False
        if key:
            known[key] = stored
        return bool(key)

    def _store_one(self, account, parsed, raw, existing, context):
        """Create or update the record of one parsed order; returns it."""
        if parsed.id > MAX_INT4:
            raise OrderParseError("id", f"order number {parsed.id} is too large to be stored")
        payload = json.dumps(raw, ensure_ascii=False, sort_keys=True)
        payload.encode("utf-8")  # a lone surrogate fails here, not as a database error
        if len(payload) > MAX_PAYLOAD:
            raise OrderParseError("order", f"{len(payload) // 1_000_000} MB, too large for a restaurant order")
        now = context["now"]
        if not existing:
            # a new order's creation is not logged in its chatter: first_seen_at says it
            return (
                self.env["dukkango.order"]
                .sudo()
                .with_context(mail_create_nolog=True)
                .create(
                    {
                        **self._prepare_order_vals(parsed, payload),
                        "account_id": account.id,
                        "config_id": context["routes"].get(parsed.restaurant_id, False),
                        "seen_status_id": parsed.status_id,
                        "ack_needed": True,
                        "first_seen_at": now,
                        "last_seen_at": now,
                        "seen_count": 1,
                        # first seen already accepted, delivered or cancelled: seen so now
                        **self.env["dukkango.order"]._prepare_status_time_vals(parsed.status_id, now),
                    }
                )
            )
        vals = {
            "last_seen_at": now,
            "seen_count": existing.seen_count + 1,
            "seen_status_id": parsed.status_id,
            # the platform repeats an order until it has our ack for its status
            "ack_needed": True,
        }
        advances = status_advances(existing.status_id, parsed.status_id)
        if advances:
            # when the platform's status moved, as this poll saw it (not when a till imports it)
            vals.update(existing._prepare_status_time_vals(parsed.status_id, now))
        if existing.state == "error" and not existing.pos_order_id:
            vals.update(self._prepare_order_vals(parsed, payload), state="pending", error_message=False)
        elif advances:
            vals.update(self._prepare_order_vals(parsed, payload))
        elif parsed.status_id != existing.status_id:
            _logger.info(
                "Dükkango order %s: status %s arrived after %s, not going back",
                existing.payment_key,
                parsed.status_id,
                existing.status_id,
            )
            self._note_unknown_status(existing, parsed)
        elif payload != existing.payload:
            # written only when it changed: the fields computed from it are not recomputed every poll
            vals["payload"] = payload
        if existing.state == "error" and existing.pos_order_id:
            vals.update(state="done", error_message=False)
        existing.write(vals)
        return existing

    def _note_unknown_status(self, existing, parsed):
        """An unknown status never replaces a known one: it is written in the chatter, once."""
        if status_key(parsed.status_id) == "other" and existing.seen_status_id != parsed.status_id:
            existing.message_post(
                body=self.env._(
                    "Dükkango reported a status this module does not know: %(status)s (%(text)s). "
                    "The order stays %(current)s.",
                    status=parsed.status_id,
                    text=parsed.status_text or "-",
                    current=existing.status_text or existing.status,
                )
            )

    @api.model
    def _prepare_order_vals(self, parsed, payload):
        return {
            "payment_key": parsed.payment_key,
            "dukkango_id": parsed.id,
            "restaurant_uuid": parsed.restaurant_id,
            "restaurant_name": parsed.restaurant_name,
            "status_id": parsed.status_id,
            "status_text": parsed.status_text,
            "payload": payload,
            "amount_total": float(parsed.total),
            "date_order": utc_naive(parsed.date),
            "scheduled_date": utc_naive(parsed.scheduled_date),
            "customer_name": parsed.customer.name,
            "address": parsed.address_text("\n") or False,
            "customer_phone": parsed.customer.phone_e164,
            "shipping_method": parsed.shipping_method,
            "payment_method": parsed.payment_method,
            "courier_type": parsed.courier_type,
            "note": parsed.note or False,
        }

    @api.model
    def _store_error(self, account, key, existing, raw, error, now):
        """Keep an order that cannot be used: with its reason, never acknowledged.

        Returns its record (none for an order without a usable payment_key).
        """
        Order = self.env["dukkango.order"].sudo()
        payload = safe_payload(raw)
        message = self.env._("Dükkango sent an order that cannot be used: %(error)s", error=safe_text(str(error)[:500]))
        if not key:
            _logger.warning("Dükkango account %s: order without a valid payment_key dropped: %s", account.id, error)
            return Order
        _logger.warning("Dükkango order %s cannot be used: %s", key, error)
        if existing:
            vals = {"last_seen_at": now, "seen_count": existing.seen_count + 1, "ack_needed": False}
            if existing.pos_order_id:
                vals.update(needs_attention=True, attention_reason=message)
            else:
                vals.update(state="error", error_message=message, payload=payload)
            existing.write(vals)
            return existing
        restaurant = raw.get("restaurant_id") if isinstance(raw.get("restaurant_id"), str) else ""
        number = raw.get("id")
        return Order.create(
            {
                "account_id": account.id,
                "payment_key": key,
                "dukkango_id": number if isinstance(number, int) and 0 <= number <= MAX_INT4 else 0,
                "restaurant_uuid": restaurant[:64] if is_uuid(restaurant) else False,
                "state": "error",
                "error_message": message,
                "payload": payload,
                "first_seen_at": now,
                "last_seen_at": now,
                "seen_count": 1,
            }
        )


class StorageProblem(ValueError):
    """What the database refused of an order, in words a person can act on."""

    def __init__(self, error):
        if isinstance(error, UnicodeError):
            text = "text that is not valid Unicode (a lone surrogate) cannot be stored"
        elif isinstance(error, psycopg2.DataError):
            text = f"the database refused a value: {str(error).splitlines()[0]}"
        else:
            text = f"{type(error).__name__}: {str(error)[:300]}"
        super().__init__(text)


def safe_text(text):
    """``text`` the database can store: a lone surrogate or a NUL written as its escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\u0000")


def safe_payload(raw):
    """The raw order as text the database can always store: escaped JSON (no NUL, no lone
    surrogate), cut at MAX_PAYLOAD characters."""
    try:
        text = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        text = repr(raw)
    text = safe_text(text)  # readable Turkish kept
    return text if len(text) <= MAX_PAYLOAD else text[:MAX_PAYLOAD] + " …[cut]"


def _payment_key(raw):
    """The lower-case payment_key of a raw order, read as the parser reads it, or None when
    it has no valid one."""
    try:
        return required_uuid(raw, "payment_key").lower() if isinstance(raw, dict) else None
    except OrderParseError:
        return None
