"""Parse one ``/orders/get-current`` order into an immutable, typed :class:`Order`.

Conventions (``dukkango-api.md`` §14): money is VAT-included Turkish lira parsed
as :class:`~decimal.Decimal` from numbers or numeric strings; line items come
from the first of ``foods``/``items``/``products`` that holds a list; dates are
Europe/Istanbul local time; statuses progress 1 < 2 < 16 < 5, and 6 is terminal.

Any problem raises :class:`OrderParseError`, whose message names the field.
"""

import re
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
    optional_money,
    optional_text,
    parse_date,
    parse_int,
    parse_money,
    parse_quantity,
    required_text,
    required_uuid,
)

MAX_ITEMS = 500
MAX_OPTIONS = 100

ITEM_KEYS = ("foods", "items", "products")
QUANTITY_KEYS = ("quantity", "count", "qty", "adet")
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


@dataclass(frozen=True)
class Option:
    group: str
    name: str
    price: Decimal


@dataclass(frozen=True)
class Item:
    name: str
    quantity: Decimal
    price: Decimal  # unit price before options, VAT included
    options: tuple = ()
    note: str = ""
    food_id: int = None

    @property
    def unit_price(self):
        """Unit price with the options' prices, VAT included."""
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
    def identity_holds(self):
        return bool(self.items) and self.adjustment_amount == ZERO

    def address_text(self, separator="\n"):
        return separator.join(value for _key, value in self.address if value)


def parse_order(data):
    """Parse one raw get-current order (a dict) into an :class:`Order`."""
    if not isinstance(data, dict):
        raise OrderParseError("order", f"expected an object, got {type(data).__name__}")
    payment_key = required_uuid(data, "payment_key")
    restaurant_id = required_uuid(data, "restaurant_id")
    order_id = parse_int(data.get("id"), "id")
    status_id = parse_int(data.get("status_id"), "status_id")
    if status_id not in STATUSES and not (0 < status_id < 1000):
        raise OrderParseError("status_id", f"unknown status id {status_id}")
    customer = data.get("customer") if data.get("customer") is not None else {}
    if not isinstance(customer, dict):
        raise OrderParseError("customer", f"expected an object, got {type(customer).__name__}")
    return Order(
        id=order_id,
        payment_key=payment_key.lower(),
        status_id=status_id,
        status_text=optional_text(data, "status_text", MAX_NAME),
        shipping_method=optional_text(data, "shipping_method", MAX_NAME),
        payment_method=optional_text(data, "payment_method", MAX_NAME),
        note=optional_text(data, "note", MAX_TEXT),
        total=parse_money(data.get("total"), "total"),
        discount=optional_money(data, "discount"),
        courier_fee=optional_money(data, "courier_fee"),
        order_tip=optional_money(data, "order_tip"),
        date=parse_date(data.get("date"), "date", required=True),
        scheduled_date=parse_date(data.get("scheduled_date"), "scheduled_date", required=False),
        restaurant_id=restaurant_id.lower(),
        restaurant_name=optional_text(data, "restaurant_name", MAX_NAME),
        courier_type=optional_text(data, "courier_type", MAX_NAME),
        customer=Customer(
            name=optional_text(customer, "name", MAX_NAME, "customer.name"),
            phone=optional_text(customer, "phone", 64, "customer.phone"),
        ),
        address=_address(data.get("address")),
        items=_items(data),
    )


def _items(data):
    for key in ITEM_KEYS:
        if isinstance(data.get(key), list):
            rows = data[key]
            break
        if data.get(key) not in (None, "", {}):
            raise OrderParseError(key, f"expected a list, got {type(data[key]).__name__}")
    else:
        return ()
    if len(rows) > MAX_ITEMS:
        raise OrderParseError(key, f"{len(rows)} items, more than {MAX_ITEMS}")
    return tuple(_item(row, f"{key}[{index}]") for index, row in enumerate(rows))


def _item(row, where):
    if not isinstance(row, dict):
        raise OrderParseError(where, f"expected an object, got {type(row).__name__}")
    quantity = Decimal(1)
    for key in QUANTITY_KEYS:
        if key in row:
            quantity = parse_quantity(row[key], f"{where}.{key}")
            break
    food_id = row.get("food_id")
    if food_id is not None and food_id != "":
        food_id = parse_int(food_id, f"{where}.food_id")
    else:
        food_id = None
    return Item(
        name=required_text(row, "name", MAX_NAME, f"{where}.name"),
        quantity=quantity,
        price=parse_money(row.get("price", 0), f"{where}.price"),
        options=_options(row.get("add_substract"), f"{where}.add_substract"),
        note=optional_text(row, "note", MAX_TEXT, f"{where}.note"),
        food_id=food_id,
    )


def _options(groups, where):
    if groups in (None, "", {}):
        return ()
    if not isinstance(groups, list):
        raise OrderParseError(where, f"expected a list, got {type(groups).__name__}")
    options = []
    for gindex, group in enumerate(groups):
        gwhere = f"{where}[{gindex}]"
        if not isinstance(group, dict):
            raise OrderParseError(gwhere, f"expected an object, got {type(group).__name__}")
        title = optional_text(group, "ilave_basligi", MAX_NAME, f"{gwhere}.ilave_basligi")
        chosen = group.get("ilave_opsiyonlari") or []
        if not isinstance(chosen, list):
            raise OrderParseError(f"{gwhere}.ilave_opsiyonlari", "expected a list")
        for oindex, option in enumerate(chosen):
            owhere = f"{gwhere}.ilave_opsiyonlari[{oindex}]"
            if not isinstance(option, dict):
                raise OrderParseError(owhere, f"expected an object, got {type(option).__name__}")
            options.append(
                Option(
                    group=title,
                    name=required_text(option, "name", MAX_NAME, f"{owhere}.name"),
                    price=parse_money(option.get("price", 0), f"{owhere}.price"),
                )
            )
    if len(options) > MAX_OPTIONS:
        raise OrderParseError(where, f"{len(options)} options, more than {MAX_OPTIONS}")
    return tuple(options)


def _address(value):
    if value in (None, "", []):
        return ()
    if isinstance(value, str):
        return (("address", check_text(value, "address", MAX_TEXT)),)
    if not isinstance(value, dict):
        raise OrderParseError("address", f"expected an object, got {type(value).__name__}")
    pairs = []
    for key, item in value.items():
        if item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise OrderParseError(f"address.{key}", f"expected text, got {type(item).__name__}")
        pairs.append((str(key)[:64], check_text(str(item), f"address.{key}", MAX_TEXT)))
    return tuple(pairs)
