"""Checks and conversions of platform values, shared by the client and the parsers.

Two families live here. The ``validate_*`` functions check the arguments of a client
call and raise :class:`ValueError`. The ``parse_*`` and ``*_text`` functions read one
field of a platform payload and raise :class:`OrderParseError`, whose message names the
field. Money is VAT-included Turkish lira as :class:`~decimal.Decimal`; platform dates
are Europe/Istanbul local time.

The payload readers are lenient about the *shape* of a value and strict about its
*meaning* (README, *Replaying stored orders*): an amount may be a number or a string, with a
decimal comma (``"35,50"``) or Turkish thousands (``"1.234,50"``), and float noise
(``14.899999999999999``) is rounded to the kuruş; but a value that is not a number, or
an amount with a real third decimal, is refused with the field's name.
"""

import math
import re
import uuid
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

try:
    from zoneinfo import ZoneInfo

    ISTANBUL = ZoneInfo("Europe/Istanbul")
except (ImportError, KeyError, OSError):  # pragma: no cover - no tz database: Turkey is UTC+3 all year
    ISTANBUL = timezone(timedelta(hours=3), "Europe/Istanbul")

ZERO = Decimal("0")
KURUS = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000")  # 10 million TRY: anything above is not a restaurant order
MAX_QUANTITY = Decimal("10000")
QUANTITY_STEP = Decimal("0.001")
#: how far from a kuruş (or a thousandth of a quantity) a value may be and still be float noise
NOISE = Decimal("0.000001")
MAX_NAME = 256
MAX_TEXT = 4000
PLATFORM_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_PLAIN_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")  # 35.5, 1.234 (a decimal point)
_COMMA_DECIMAL_RE = re.compile(r"^[+-]?\d+,\d+$")  # 35,50
_DOT_GROUPS_RE = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234,50 and 1.234.567
_COMMA_GROUPS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,234.50 and 1,234,567
_AMBIGUOUS_RE = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")  # 1.234 / 1,234: thousands or decimals?
_DATE_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
_ZERO_DATE_RE = re.compile(r"^0000-00-00([T ]00:00(:00)?)?$")
_EPOCH_DIGITS = range(9, 12)  # epoch seconds between 1973 and 5138
_DATE_PROBLEM = "expected 'YYYY-MM-DD HH:MM:SS', ISO 8601 or epoch seconds, got {}"


class OrderParseError(ValueError):
    """A payload that cannot be used; ``field`` names where the problem is.

    ``problem`` says what is wrong in the payload's terms (``field: problem`` is
    :attr:`technical`); ``says`` says it as a person would, after the field's name
    (``is not a number ('iki')``). The order parser adds where it happened: the order
    (:attr:`order_label`) and the item or option (:meth:`within`). Then :attr:`message` is
    ``Order #1234 (Halaskargazi Şube): item 'Adana' quantity is not a number ('iki')`` and
    ``str(error)`` is that message followed by the technical text in brackets; without
    that context ``str(error)`` is the technical text alone.
    """

    def __init__(self, field, problem, says=None):
        self.field = field
        self.problem = problem
        self.says = says or f"is not valid ({problem})"
        self.order_label = ""
        self.context = []  # (path, label): the item or option at path, as a person names it
        super().__init__(field, problem)

    @property
    def technical(self):
        return f"{self.field}: {self.problem}"

    def within(self, path, label):
        """Record that the error happened inside the item or option at ``path``; returns ``self``."""
        if path not in dict(self.context):
            self.context.append((path, label))
        return self

    @property
    def subject(self):
        """The field as a person names it: ``item 'Adana' quantity``, ``customer name``."""
        words, start = [], 0
        for path, label in sorted(self.context, key=lambda pair: len(pair[0])):
            if self.field == path or self.field.startswith((path + ".", path + "[")):
                words.extend([label] if label else [])
                start = len(path)
        rest = self.field[start:]
        if rest == "id":
            return "order number"
        for part in re.split(r"\.|\[[^\]]*\]", rest):
            word = _FIELD_WORDS.get(part, part.replace("_", " "))
            if word and (not words or words[-1] != word):
                words.append(word)
        return " ".join(words) or "order"

    @property
    def message(self):
        """The error as a person would say it (with the order when the parser knew it)."""
        sentence = f"{self.subject} {self.says}"
        return f"{self.order_label}: {sentence}" if self.order_label else sentence

    def __str__(self):
        if not self.order_label and not self.context:
            return self.technical
        return f"{self.message} [{self.technical}]"


#: the payload's words a person would not say (the others: "_" read as a space)
_FIELD_WORDS = {"status_id": "status", "order_tip": "tip", "add_substract": "options", "ilave_basligi": "title"}
_FIELD_WORDS["ilave_opsiyonlari"] = "option list"
_FIELD_WORDS.update(dict.fromkeys(("foods", "items", "products"), "item list"))
_FIELD_WORDS.update(dict.fromkeys(("count", "qty", "adet", "miktar"), "quantity"))


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
def normalize_phone(phone):
    """E.164 form of a Turkish phone: ``05335587642`` → ``+905335587642``.

    Returns ``""`` for an empty value and the digits with ``+`` for a number that
    already has a country code; other shapes are returned stripped, unchanged.
    """
    raw = (phone or "").strip()
    digits = re.sub(r"[\s\-().]", "", raw)
    if not digits:
        return ""
    if digits.startswith("+") and digits[1:].isdigit():
        return digits
    if digits.startswith("00") and digits[2:].isdigit():
        return "+" + digits[2:]
    if not digits.isdigit():
        return raw
    if len(digits) == 11 and digits.startswith("0"):
        return "+90" + digits[1:]
    if len(digits) == 10 and digits.startswith("5"):
        return "+90" + digits
    if len(digits) == 12 and digits.startswith("90"):
        return "+" + digits
    return raw


def number_text(text):
    """The plain decimal text (``1234.50``) of a numeric string, or ``None``.

    Accepted: ``35.5``; a decimal comma ``35,50``; dot thousands with a decimal comma
    ``1.234,50`` or several dot groups ``1.234.567``; comma thousands with a decimal point
    ``1,234.50`` or several comma groups ``1,234,567``. A single separator followed by
    three digits (``1.234``, ``1,234``) is read as a decimal separator: an amount then has
    three decimals and is refused as ambiguous.
    """
    text = text.strip()
    if _PLAIN_NUMBER_RE.match(text):
        return text
    if _COMMA_DECIMAL_RE.match(text):
        return text.replace(",", ".")
    if _DOT_GROUPS_RE.match(text) and ("," in text or text.count(".") > 1):
        return text.replace(".", "").replace(",", ".")
    if _COMMA_GROUPS_RE.match(text) and ("." in text or text.count(",") > 1):
        return text.replace(",", "")
    return None


def _number(value, field, what):
    """Decimal of a JSON number or a numeric string (:func:`number_text`)."""
    if value is None:
        raise OrderParseError(field, f"expected {what}, got None", says="is missing")
    if isinstance(value, float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise OrderParseError(field, f"{what.split()[-1]} is not finite ({value})", "is not a number")
        return Decimal(repr(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        text = number_text(value) if len(value) <= 32 else None
        if text is None:
            raise OrderParseError(field, f"not a number: {short_repr(value)}", f"is not a number ({short_repr(value)})")
        return Decimal(text)
    shown = short_repr(value) if isinstance(value, bool) else type(value).__name__
    raise OrderParseError(field, f"expected {what}, got {shown}", f"is not a number ({shown})")


def parse_money(value, field, allow_negative=False):
    """Decimal of a platform amount (:func:`number_text`), to the kuruş.

    Float noise (within :data:`NOISE` of a kuruş) is rounded half up; a real third decimal
    is refused.
    """
    amount = _number(value, field, "an amount")
    if amount < 0 and not allow_negative:
        raise OrderParseError(field, f"negative amount {amount}", f"is negative ({amount})")
    if abs(amount) > MAX_AMOUNT:
        raise OrderParseError(field, f"amount {amount} is implausibly large", f"is implausibly large ({amount})")
    rounded = amount.quantize(KURUS, ROUND_HALF_UP)
    if abs(amount - rounded) > NOISE:
        if isinstance(value, str) and _AMBIGUOUS_RE.match(value.strip()):
            raise OrderParseError(
                field,
                f"ambiguous amount {short_repr(value)} (thousands or decimals?)",
                f"is ambiguous ({short_repr(value)}: thousands or decimals?)",
            )
        raise OrderParseError(
            field, f"amount {amount} has more than 2 decimals (kuruş)", f"has more than 2 decimals ({amount})"
        )
    return rounded if rounded else ZERO.quantize(KURUS)  # no "-0.00"


def optional_money(data, key, field=None):
    """``data[key]`` as an amount (:func:`parse_money`); 0.00 when missing, null, empty or false."""
    value = data.get(key)
    if value is None or value is False or value == "":
        return ZERO.quantize(KURUS)
    return parse_money(value, field or key)


def parse_quantity(value, field):
    """Decimal of a positive quantity with at most 3 decimals (float noise rounded);
    integral ones have none."""
    number = _number(value, field, "a quantity")
    if number <= 0:
        raise OrderParseError(field, f"quantity must be positive, got {number}", f"must be more than 0 ({number})")
    if number > MAX_QUANTITY:
        raise OrderParseError(field, f"quantity {number} is implausibly large", f"is implausibly large ({number})")
    rounded = number.quantize(QUANTITY_STEP, ROUND_HALF_UP)
    if abs(number - rounded) > NOISE:
        raise OrderParseError(
            field, f"quantity {number} has more than 3 decimals", f"has more than 3 decimals ({number})"
        )
    number = number if number == rounded else rounded
    return number.quantize(Decimal(1)) if number == number.to_integral() else number


def parse_int(value, field):
    """A non-negative 64-bit integer from an int, an integral float or a string of digits."""
    if isinstance(value, bool) or value is None:
        says = "is missing" if value is None else f"is not a whole number ({value})"
        raise OrderParseError(field, f"expected an integer, got {short_repr(value)}", says)
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 19:
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or value < 0 or value > 2**63 - 1:
        raise OrderParseError(
            field,
            f"expected a non-negative integer, got {short_repr(value)}",
            f"is not a whole number ({short_repr(value)})",
        )
    return value


def parse_date(value, field, required):
    """Aware datetime (Istanbul) of a platform date; ``None`` when unset and not ``required``.

    Accepted: ``YYYY-MM-DD HH:MM[:SS]`` in Istanbul time; ISO 8601 with ``T``, with or without
    fractions, with an offset or ``Z`` (without: Istanbul); epoch seconds (a number, or a
    string of 9 to 11 digits). Unset: null, false, ``""`` and ``0000-00-00 00:00:00``.
    """
    text = value.strip() if isinstance(value, str) else None
    if value is None or value is False or text == "" or (text and _ZERO_DATE_RE.match(text)):
        if required:
            raise OrderParseError(field, "missing", "is missing")
        return None
    if text and text.isdigit() and len(text) in _EPOCH_DIGITS:
        value = int(text)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value) and len(str(int(abs(value)))) in _EPOCH_DIGITS and value > 0:
            return datetime.fromtimestamp(value, ISTANBUL)
    match = _DATE_RE.match(text) if text and len(text) <= 40 else None
    if match:
        try:
            return _date_of(match)
        except ValueError:
            pass
    raise OrderParseError(field, _DATE_PROBLEM.format(short_repr(value)), f"cannot be read ({short_repr(value)})")


def _date_of(match):
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro)
    if not offset:
        return moment.replace(tzinfo=ISTANBUL)
    if offset.upper() == "Z":
        zone = timezone.utc
    else:
        digits = offset[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        zone = timezone(-delta if offset[0] == "-" else delta)
    return moment.replace(tzinfo=zone).astimezone(ISTANBUL)


def check_text(value, field, limit):
    """Return ``value`` if it has at most ``limit`` characters and no NUL."""
    if len(value) > limit:
        raise OrderParseError(
            field,
            f"text of {len(value)} characters, more than {limit}",
            f"is too long ({len(value)} characters, at most {limit})",
        )
    if "\x00" in value:
        raise OrderParseError(field, "text contains a NUL character", "contains a NUL character")
    return value


def scalar_text(value):
    """Text of a scalar platform value: a string, an integer, an integral float; else ``None``
    (null, booleans, fractional numbers, objects and lists are not text)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        return str(int(value)) if math.isfinite(value) and value.is_integer() else None
    return str(value)


def required_text(data, key, limit, field=None):
    """``data[key]`` stripped: a non-empty string of at most ``limit`` characters."""
    field = field or key
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        if value in (None, ""):
            raise OrderParseError(field, "missing", "is missing")
        raise OrderParseError(field, f"expected text, got {short_repr(value)}", f"is not text ({short_repr(value)})")
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
        raise OrderParseError(field, f"expected text, got {type(value).__name__}", "is not text")
    return check_text(value.strip(), field, limit)


def lenient_text(data, key, limit, field=None):
    """``data[key]`` stripped, as :func:`scalar_text` reads it; ``""`` for anything else
    (missing, null, false, an object). Too long or with a NUL: refused."""
    text = scalar_text(data.get(key))
    return check_text(text.strip(), field or key, limit) if text else ""


def required_uuid(data, key, field=None):
    """``data[key]`` stripped, which must be a UUID string (case kept)."""
    field = field or key
    value = required_text(data, key, MAX_NAME, field)
    if not is_uuid(value):
        raise OrderParseError(field, f"not a UUID: {short_repr(value)}", f"is not a UUID ({short_repr(value)})")
    return value
