"""Parse one ``/orders/get-current`` order into an immutable, typed :class:`Order`.

Conventions (``dukkango-api.md`` §14): VAT-included lira as :class:`~decimal.Decimal`, items
under the first of ``foods``/``items``/``products``, Istanbul time, statuses 1 < 2 < 16 < 5, 6.

Lenient shapes, strict identity: an order is refused when it cannot be identified or booked
(no UUID ``payment_key``/``restaurant_id``, no number, status, ``total`` or date) or when a
value makes no sense (``"iki"`` as a quantity, a negative fee, 10 MB of text). Other shapes
are read or degrade: PHP arrays (lists or objects keyed by id), JSON texts, ``false``/``[]``
for nothing, an item without a price (``price_known=False``: an unmatched line and an
adjustment), nested address values and unknown keys (ignored, kept in the raw payload).
``str(error)`` of an :class:`OrderParseError` names the order, item and option as a person would.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .statuses import STATUSES, TERMINAL_STATUSES, status_key
from .validation import (
    ISTANBUL,
    KURUS,
    MAX_NAME,
    MAX_TEXT,
    ZERO,
    OrderParseError,
    check_text,
    is_uuid,
    lenient_text,
    normalize_phone,
    optional_money,
    parse_date,
    parse_int,
    parse_money,
    parse_quantity,
    required_text,
    required_uuid,
    scalar_text,
    short_repr,
)

MAX_ITEMS = 500
MAX_OPTIONS = 100

ITEM_KEYS = ("foods", "items", "products")
ITEM_NAME_KEYS = ("name", "food_name", "product_name")
QUANTITY_KEYS = ("quantity", "count", "qty", "adet", "miktar")
CUSTOMER_NAME_KEYS = ("name", "full_name", "ad_soyad")
CUSTOMER_PHONE_KEYS = ("phone", "telefon", "gsm")
MAX_JSON_TEXT = 1_000_000  # a JSON text where an object is expected: decoded up to this size
CASH_PAYMENT = "Nakit"

__all__ = [
    "ISTANBUL",
    "Customer",
    "Item",
    "Option",
    "Order",
    "OrderParseError",
    "normalize_phone",
    "parse_money",
    "parse_order",
]


@dataclass(frozen=True)
class Option:
    group: str
    name: str
    price: Decimal


@dataclass(frozen=True)
class Item:
    name: str
    quantity: Decimal
    price: Decimal  # unit price before options, VAT included (0 when not known)
    options: tuple = ()
    note: str = ""
    food_id: int = None
    price_known: bool = True  # False: the payload gave no price (missing or null)

    @property
    def unit_price(self):
        """Unit price with the options' prices, VAT included; 0 when the price is not known."""
        if not self.price_known:
            return ZERO.quantize(KURUS)
        return self.price + sum((option.price for option in self.options), ZERO)

    @property
    def subtotal(self):
        return (self.unit_price * self.quantity).quantize(KURUS)


@dataclass(frozen=True)
class Customer:
    name: str
    phone: str

    @property
    def phone_e164(self):
        return normalize_phone(self.phone)


@dataclass(frozen=True)
class Order:
    id: int
    payment_key: str
    status_id: int
    status_text: str
    shipping_method: str
    payment_method: str
    note: str
    total: Decimal
    discount: Decimal
    courier_fee: Decimal
    order_tip: Decimal
    date: datetime
    scheduled_date: datetime
    restaurant_id: str
    restaurant_name: str
    courier_type: str
    customer: Customer
    address: tuple  # ((key, value), ...) in the payload's key order
    items: tuple

    @property
    def status(self):
        return status_key(self.status_id)

    @property
    def is_cash(self):
        return self.payment_method.strip().casefold() == CASH_PAYMENT.casefold()

    @property
    def is_final(self):
        return self.status_id in TERMINAL_STATUSES

    @property
    def items_total(self):
        return sum((item.subtotal for item in self.items), ZERO)

    @property
    def computed_total(self):
        """``Σ items − discount + courier_fee + order_tip`` (§14.2)."""
        return self.items_total - self.discount + self.courier_fee + self.order_tip

    @property
    def fallback_amount(self):
        """Amount of the single fallback line of an order without items (else 0)."""
        if self.items:
            return ZERO
        return self.total + self.discount - self.courier_fee - self.order_tip

    @property
    def adjustment_amount(self):
        """Difference to book when items exist but the money identity does not hold."""
        if not self.items:
            return ZERO
        return self.total - self.computed_total

    @property
    def unpriced_items(self):
        """The items whose price the payload did not give (booked for 0, the adjustment carries them)."""
        return tuple(item for item in self.items if not item.price_known)

    @property
    def identity_holds(self):
        return bool(self.items) and not self.unpriced_items and self.adjustment_amount == ZERO

    def address_text(self, separator="\n"):
        return separator.join(value for _key, value in self.address if value)


def parse_order(data):
    """Parse one raw get-current order (a dict) into an :class:`Order`.

    On a problem the :class:`OrderParseError` names the order (:func:`order_label`).
    """
    if not isinstance(data, dict):
        raise _not_object("order", data)
    try:
        return _parse_order(data)
    except OrderParseError as error:
        error.order_label = order_label(data)
        raise


def order_label(data):
    """How a person names an order, read leniently: ``Order #1234 (Halaskargazi Şube)``."""
    try:
        label = f"Order #{parse_int(data.get('id'), 'id')}"
    except OrderParseError:
        key = data.get("payment_key")
        label = f"Order {key.strip().lower()}" if isinstance(key, str) and is_uuid(key.strip()) else "Order"
    name = scalar_text(data.get("restaurant_name"))
    return f"{label} ({_short(name.strip())})" if name and name.strip() else label


def _parse_order(data):
    payment_key = required_uuid(data, "payment_key")
    restaurant_id = required_uuid(data, "restaurant_id")
    order_id = parse_int(data.get("id"), "id")
    status_id = parse_int(data.get("status_id"), "status_id")
    if status_id not in STATUSES and not (0 < status_id < 1000):
        raise OrderParseError("status_id", f"unknown status id {status_id}", f"is unknown ({status_id})")
    return Order(
        id=order_id,
        payment_key=payment_key.lower(),
        status_id=status_id,
        status_text=lenient_text(data, "status_text", MAX_NAME),
        shipping_method=lenient_text(data, "shipping_method", MAX_NAME),
        payment_method=lenient_text(data, "payment_method", MAX_NAME),
        note=lenient_text(data, "note", MAX_TEXT),
        total=parse_money(data.get("total"), "total"),
        discount=optional_money(data, "discount"),
        courier_fee=optional_money(data, "courier_fee"),
        order_tip=optional_money(data, "order_tip"),
        date=parse_date(data.get("date"), "date", required=True),
        scheduled_date=parse_date(data.get("scheduled_date"), "scheduled_date", required=False),
        restaurant_id=restaurant_id.lower(),
        restaurant_name=lenient_text(data, "restaurant_name", MAX_NAME),
        courier_type=lenient_text(data, "courier_type", MAX_NAME),
        customer=_customer(data.get("customer")),
        address=_address(data.get("address")),
        items=_items(data),
    )


def _short(text, limit=40):
    """``text`` cut, control characters and lone surrogates escaped (for messages and logs)."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _not_object(where, value, what="an object"):
    shown = type(value).__name__
    return OrderParseError(where, f"expected {what}, got {shown}", f"is not {what} ({shown})")


def _empty(value):
    """Whether a value means "nothing": null, false, ``""``, ``[]``, ``{}`` (PHP's empty array)."""
    return value is None or value is False or (isinstance(value, (str, list, dict)) and not value)


def _decoded(value):
    """A JSON text that holds an object or a list (a payload encoded twice): its value."""
    if isinstance(value, str) and value[:1] in "[{" and value and len(value) <= MAX_JSON_TEXT:
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        return decoded if isinstance(decoded, (list, dict)) else value
    return value


def _rows(value, where):
    """``(path, position, row)`` of a list, of an object keyed by id (a PHP array) or of a
    single object (one whose values are not all objects)."""
    value = _decoded(value)
    if _empty(value):
        return []
    if isinstance(value, list):
        return [(f"{where}[{index}]", index + 1, row) for index, row in enumerate(value)]
    if isinstance(value, dict):
        if all(isinstance(row, dict) for row in value.values()):
            return [(f"{where}[{str(key)[:20]}]", n + 1, row) for n, (key, row) in enumerate(value.items())]
        return [(where, 1, value)]
    raise OrderParseError(where, f"expected a list, got {type(value).__name__}", f"is not a list ({short_repr(value)})")


def _items(data):
    """The items of the first of :data:`ITEM_KEYS` that holds something."""
    for key in ITEM_KEYS:
        if not _empty(data.get(key)):
            rows = _rows(data[key], key)
            break
    else:
        return ()
    if len(rows) > MAX_ITEMS:
        raise OrderParseError(key, f"{len(rows)} items, more than {MAX_ITEMS}", f"has more than {MAX_ITEMS} items")
    return tuple(_item(row, where, position) for where, position, row in rows)


def _item(row, where, position):
    label = f"item {position}"
    try:
        if not isinstance(row, dict):
            raise _not_object(where, row)
        name_key = next((key for key in ITEM_NAME_KEYS if not _empty(row.get(key))), "name")
        name = required_text(row, name_key, MAX_NAME, f"{where}.{name_key}")
        label = f"item '{_short(name)}'"
        quantity = Decimal(1)
        for key in QUANTITY_KEYS:
            if not _empty(row.get(key)):
                quantity = parse_quantity(row[key], f"{where}.{key}")
                break
        price_known = not _empty(row.get("price"))
        return Item(
            name=name,
            quantity=quantity,
            price=parse_money(row["price"], f"{where}.price") if price_known else ZERO.quantize(KURUS),
            options=_options(row.get("add_substract"), f"{where}.add_substract"),
            note=lenient_text(row, "note", MAX_TEXT, f"{where}.note"),
            food_id=_food_id(row.get("food_id")),
            price_known=price_known,
        )
    except OrderParseError as error:
        raise error.within(where, label) from None


def _food_id(value):
    """The menu id of an item, or ``None`` (an id that is not a positive integer is ignored:
    the item is then matched by its name)."""
    try:
        return parse_int(value, "food_id") or None
    except OrderParseError:
        return None


def _options(groups, where):
    """The chosen options: groups (``ilave_basligi``, ``ilave_opsiyonlari``) as a list or an
    object keyed by id; a group without ``ilave_opsiyonlari`` is itself one option."""
    options = []
    for gwhere, gposition, group in _rows(groups, where):
        title = lenient_text(group, "ilave_basligi", MAX_NAME) if isinstance(group, dict) else ""
        try:
            if isinstance(group, str) or (
                isinstance(group, dict) and "name" in group and "ilave_opsiyonlari" not in group
            ):
                options.append(_option(group, gwhere, gposition, ""))
            elif isinstance(group, dict):
                chosen = _rows(group.get("ilave_opsiyonlari"), f"{gwhere}.ilave_opsiyonlari")
                options.extend(_option(option, owhere, position, title) for owhere, position, option in chosen)
            else:
                raise _not_object(gwhere, group)
        except OrderParseError as error:
            if not any(path.startswith(gwhere + ".") for path, _label in error.context):
                error.within(gwhere, f"option group '{_short(title)}'" if title else f"option group {gposition}")
            raise
    if len(options) > MAX_OPTIONS:
        raise OrderParseError(
            where, f"{len(options)} options, more than {MAX_OPTIONS}", f"has more than {MAX_OPTIONS} options"
        )
    return tuple(options)


def _option(option, where, position, group):
    """One chosen option: an object with a name and a price (missing or null: 0; negative:
    a removal), or just a name."""
    label = f"option {position}"
    try:
        if isinstance(option, str):
            option = {"name": option}
        if not isinstance(option, dict):
            raise _not_object(where, option)
        name = required_text(option, "name", MAX_NAME, f"{where}.name")
        label = f"option '{_short(name)}'"
        price = option.get("price")
        price = ZERO.quantize(KURUS) if _empty(price) else parse_money(price, f"{where}.price", allow_negative=True)
        return Option(group=group, name=name, price=price)
    except OrderParseError as error:
        raise error.within(where, label) from None


def _customer(value):
    """The customer: an object (or nothing); names and phones under a few spellings."""
    value = _decoded(value)
    if _empty(value):
        return Customer(name="", phone="")
    if not isinstance(value, dict):
        raise _not_object("customer", value)
    return Customer(
        name=_first_text(value, CUSTOMER_NAME_KEYS, MAX_NAME), phone=_first_text(value, CUSTOMER_PHONE_KEYS, 64)
    )


def _first_text(data, keys, limit):
    """The first non-empty text under ``keys`` (one field, spelled several ways)."""
    return next(filter(None, (lenient_text(data, key, limit, f"customer.{key}") for key in keys)), "")


def _address(value):
    """``((key, text), ...)`` of an address given as a text or an object. Null, booleans,
    fractional numbers (coordinates) and nested values are left out of the text."""
    value = _decoded(value)
    if _empty(value):
        return ()
    if isinstance(value, str):
        return (("address", check_text(value.strip(), "address", MAX_TEXT)),)
    if not isinstance(value, dict):
        raise _not_object("address", value)
    pairs = []
    for key, item in value.items():
        text = scalar_text(item)
        if text is not None:
            pairs.append((str(key)[:64], check_text(text.strip(), f"address.{key}", MAX_TEXT)))
    return tuple(pairs)
