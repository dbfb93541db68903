"""Checks and conversions of platform values, shared by the client and the parsers.

Two families live here. The ``validate_*`` functions check the arguments of a client
call and raise :class:`ValueError`. The ``parse_*`` and ``*_text`` functions read one
field of a platform payload and raise :class:`OrderParseError`, whose message names the
field. Money is VAT-included Turkish lira as :class:`~decimal.Decimal`; platform dates
are ``YYYY-MM-DD HH:MM:SS`` in Europe/Istanbul local time.
"""

import math
import re
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

try:
    from zoneinfo import ZoneInfo

    ISTANBUL = ZoneInfo("Europe/Istanbul")
except (ImportError, KeyError, OSError):  # pragma: no cover - no tz database: Turkey is UTC+3 all year
    ISTANBUL = timezone(timedelta(hours=3), "Europe/Istanbul")

ZERO = Decimal("0")
KURUS = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000")  # 10 million TRY: anything above is not a restaurant order
MAX_QUANTITY = Decimal("10000")
MAX_NAME = 256
MAX_TEXT = 4000
PLATFORM_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_NUMERIC_RE = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$")
_DATE_PROBLEM = "expected 'YYYY-MM-DD HH:MM:SS', got {}"


class OrderParseError(ValueError):
    """A payload that cannot be used; ``field`` names where the problem is."""

    def __init__(self, field, problem):
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


def short_repr(value):
    """``repr`` of a value, cut to 60 characters, for error messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------- client arguments
def is_uuid(value):
    """Whether ``value`` is a string in the canonical UUID shape (either case)."""
    return isinstance(value, str) and bool(UUID_RE.match(value))


def validate_uuid(value, name):
    """Return ``value`` if it is a canonical UUID string, else raise ``ValueError``."""
    if not is_uuid(value):
        raise ValueError(f"{name} must be a UUID, got {value!r:.60}")
    uuid.UUID(value)
    return value


def validate_int(value, name, minimum=1, maximum=None):
    """Return ``value`` as int if it is an integer (or a string of digits) in range."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, str) and value.isdigit() and value.isascii():
        value = int(value)
    if not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r:.60}")
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be between {minimum} and {maximum or '∞'}, got {value}")
    return value


def parse_platform_datetime(value):
    """Parse ``YYYY-MM-DD HH:MM:SS`` (Turkish local time) into an aware datetime."""
    return datetime.strptime(value, PLATFORM_DATETIME_FORMAT).replace(tzinfo=ISTANBUL)


# ---------------------------------------------------------------- payload fields
def parse_money(value, field, allow_negative=False):
    """Decimal of a platform amount: int, float or numeric string, at most 2 decimals."""
    if isinstance(value, bool) or value is None:
        raise OrderParseError(field, f"expected an amount, got {short_repr(value)}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise OrderParseError(field, f"amount is not finite ({value})")
        value = repr(value)
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        if len(value) > 32 or not _NUMERIC_RE.match(value):
            raise OrderParseError(field, f"not a number: {short_repr(value)}")
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the regex admits only numbers
            raise OrderParseError(field, f"not a number: {short_repr(value)}") from None
    else:
        raise OrderParseError(field, f"expected an amount, got {type(value).__name__}")
    if not amount.is_finite():
        raise OrderParseError(field, "amount is not finite")
    if amount < 0 and not allow_negative:
        raise OrderParseError(field, f"negative amount {amount}")
    if abs(amount) > MAX_AMOUNT:
        raise OrderParseError(field, f"amount {amount} is implausibly large")
    if amount != amount.quantize(KURUS):
        raise OrderParseError(field, f"amount {amount} has more than 2 decimals (kuruş)")
    return amount.quantize(KURUS)


def optional_money(data, key, field=None):
    """``data[key]`` as an amount (:func:`parse_money`); 0.00 when missing or empty."""
    value = data.get(key)
    if value in (None, ""):
        return ZERO.quantize(KURUS)
    return parse_money(value, field or key)


def parse_quantity(value, field):
    """Decimal of a positive quantity with at most 3 decimals; integral ones have none."""
    if isinstance(value, float) and math.isfinite(value):
        value = repr(value)
    if isinstance(value, str) and len(value) <= 32 and _NUMERIC_RE.match(value):
        value = Decimal(value.strip())
    elif isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise OrderParseError(field, f"expected a quantity, got {short_repr(value)}")
    if value <= 0:
        raise OrderParseError(field, f"quantity must be positive, got {value}")
    if value > MAX_QUANTITY:
        raise OrderParseError(field, f"quantity {value} is implausibly large")
    if value != value.quantize(Decimal("0.001")):
        raise OrderParseError(field, f"quantity {value} has more than 3 decimals")
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def parse_int(value, field):
    """A non-negative 64-bit integer from an int, an integral float or a string of digits."""
    if isinstance(value, bool) or value is None:
        raise OrderParseError(field, f"expected an integer, got {short_repr(value)}")
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 19:
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or value < 0 or value > 2**63 - 1:
        raise OrderParseError(field, f"expected a non-negative integer, got {short_repr(value)}")
    return value


def parse_date(value, field, required):
    """Aware datetime of a platform date; ``None`` when empty and not ``required``."""
    if value in (None, ""):
        if required:
            raise OrderParseError(field, "missing")
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise OrderParseError(field, _DATE_PROBLEM.format(short_repr(value)))
    try:
        return parse_platform_datetime(value.strip())
    except ValueError:
        raise OrderParseError(field, _DATE_PROBLEM.format(short_repr(value))) from None


def check_text(value, field, limit):
    """Return ``value`` if it has at most ``limit`` characters and no NUL."""
    if len(value) > limit:
        raise OrderParseError(field, f"text of {len(value)} characters, more than {limit}")
    if "\x00" in value:
        raise OrderParseError(field, "text contains a NUL character")
    return value


def required_text(data, key, limit, field=None):
    """``data[key]`` stripped: a non-empty string of at most ``limit`` characters."""
    field = field or key
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise OrderParseError(field, "missing" if value in (None, "") else f"expected text, got {short_repr(value)}")
    return check_text(value.strip(), field, limit)


def optional_text(data, key, limit, field=None):
    """``data[key]`` stripped (numbers as text); ``""`` when missing."""
    field = field or key
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise OrderParseError(field, f"expected text, got {type(value).__name__}")
    return check_text(value.strip(), field, limit)


def required_uuid(data, key, field=None):
    """``data[key]`` stripped, which must be a UUID string (case kept)."""
    field = field or key
    value = required_text(data, key, MAX_NAME, field)
    if not is_uuid(value):
        raise OrderParseError(field, f"not a UUID: {short_repr(value)}")
    return value
