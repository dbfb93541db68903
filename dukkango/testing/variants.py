"""PHP-style variants of a generated order: the shapes a real Dükkango payload may take.

Nobody outside the platform has seen a real order's items (``dukkango-api.md`` §6.1), and
the platform mixes numbers and strings (``"discount": "157.5"``). :func:`php_variant`
rewrites a generated order (the simulator's canonical shape) into one of the shapes the
parser accepts, so that the demo, the soak and the benchmark go through the lenient
paths too. A variant is the same order: the same payment key, restaurant, status, items,
quantities and total. Only :data:`NULL_PRICE` changes what can be known: an item's price
is dropped, so the item is booked as an unmatched line and the adjustment keeps the total.
"""

import copy
from datetime import datetime, timezone
from decimal import Decimal

from ..validation import ISTANBUL, number_text

MONEY_STRINGS = "money as strings"
DECIMAL_COMMA = "decimal comma"
FLOAT_NOISE = "float noise"
ITEMS_KEYED = "items keyed by id"
OTHER_ITEM_KEY = "items under another key"
OPTIONS_KEYED = "options keyed by id"
QUANTITY_TEXT = "quantities as text"
ISO_DATE = "ISO 8601 date"
EPOCH_DATE = "epoch seconds"
ZERO_SCHEDULE = "0000-00-00 scheduled date"
NESTED_ADDRESS = "nested address values"
NULL_CUSTOMER = "null customer fields"
UNKNOWN_FIELDS = "unknown fields"
REMOVAL = "negative option price"
NULL_PRICE = "item without price"

#: (kind, probability in a variant order), in the order they apply: the money first (a
#: removal changes the total), then the shapes of the numbers, then the structure
KINDS = (
    (REMOVAL, 0.2),
    (NULL_PRICE, 0.05),
    (MONEY_STRINGS, 0.5),
    (DECIMAL_COMMA, 0.3),
    (FLOAT_NOISE, 0.3),
    (QUANTITY_TEXT, 0.4),
    (OPTIONS_KEYED, 0.3),
    (ITEMS_KEYED, 0.4),
    (OTHER_ITEM_KEY, 0.2),
    (ISO_DATE, 0.3),
    (EPOCH_DATE, 0.15),
    (ZERO_SCHEDULE, 0.3),
    (NESTED_ADDRESS, 0.4),
    (NULL_CUSTOMER, 0.2),
    (UNKNOWN_FIELDS, 0.5),
)
MONEY_KEYS = ("total", "discount", "courier_fee", "order_tip")


def php_variant(order, rng, kinds=None):
    """A copy of the generated ``order`` in PHP-style shapes; returns ``(order, kinds)``.

    ``kinds`` forces the variants to apply (else they are drawn with ``rng`` from :data:`KINDS`).
    """
    if kinds is None:
        kinds = [kind for kind, probability in KINDS if rng.random() < probability]
        kinds = kinds or [rng.choice([kind for kind, _p in KINDS if kind != NULL_PRICE])]
    data = copy.deepcopy(order)
    for kind in sorted(kinds, key=[kind for kind, _p in KINDS].index):
        _APPLY[kind](data, rng)
    return data, tuple(kinds)


def _items(data):
    for key in ("foods", "items", "products"):
        if data.get(key):
            return data[key] if isinstance(data[key], list) else list(data[key].values())
    return []


def _groups(item):
    groups = item.get("add_substract") or []
    return groups if isinstance(groups, list) else list(groups.values())


def _options(group):
    options = group.get("ilave_opsiyonlari") or []
    return options if isinstance(options, list) else list(options.values())


def _decimal(value):
    return Decimal(number_text(str(value)) if isinstance(value, str) else repr(value))


def _removal(data, rng):
    """A "without onions" option of −5 TL on an item that costs more; the total follows."""
    items = [item for item in _items(data) if _decimal(item["price"]) > 5]
    if not items:
        return
    item = rng.choice(items)
    groups = item.setdefault("add_substract", [])
    groups.append({"ilave_basligi": "Çıkarılacaklar", "ilave_opsiyonlari": [{"name": "Soğansız", "price": -5}]})
    total = _decimal(data["total"]) - 5 * _decimal(item["quantity"])
    data["total"] = _number(total)


def _null_price(data, rng):
    items = _items(data)
    if items:
        rng.choice(items)["price"] = None


def _number(amount):
    amount = Decimal(amount).quantize(Decimal("0.01"))
    return int(amount) if amount == amount.to_integral() else float(amount)


def _money_values(data):
    """``(holder, key)`` of every amount of the order."""
    places = [(data, key) for key in MONEY_KEYS if key in data]
    for item in _items(data):
        if item.get("price") is not None:
            places.append((item, "price"))
        places.extend((option, "price") for group in _groups(item) for option in _options(group))
    return places


def _money_strings(data, rng):
    for holder, key in _money_values(data):
        holder[key] = str(_number(_decimal(holder[key])))


def _decimal_comma(data, rng):
    """``"35,50"``, and ``"1.234,50"`` from a thousand lira."""
    for holder, key in _money_values(data):
        amount = _decimal(holder[key]).quantize(Decimal("0.01"))
        whole, cents = f"{abs(amount):,.2f}".replace(",", " ").split(".")
        sign = "-" if amount < 0 else ""
        holder[key] = f"{sign}{whole.replace(' ', '.')},{cents}"


def _float_noise(data, rng):
    """The total as a float a PHP sum gives: ``594.3100000000001``."""
    total = float(_decimal(data["total"]))
    data["total"] = total + rng.choice([1e-12, -1e-12, 3e-13]) * max(total, 1)


def _keyed(rows, rng):
    start = rng.randint(10, 900)
    return {str(start + index): row for index, row in enumerate(rows)}


def _items_keyed(data, rng):
    data["foods"] = _keyed(data["foods"], rng) if isinstance(data.get("foods"), list) else data.get("foods")


def _other_item_key(data, rng):
    if "foods" in data:
        data[rng.choice(["items", "products"])] = data.pop("foods")


def _options_keyed(data, rng):
    for item in _items(data):
        groups = item.get("add_substract")
        if isinstance(groups, list) and groups:
            for group in groups:
                if rng.random() < 0.5:
                    group["ilave_opsiyonlari"] = _keyed(group["ilave_opsiyonlari"], rng)
            item["add_substract"] = _keyed(groups, rng)


def _quantity_text(data, rng):
    for item in _items(data):
        quantity = item.pop("quantity", 1)
        key = rng.choice(["quantity", "quantity", "adet", "count"])
        item[key] = rng.choice([str(quantity), float(quantity)])
        if isinstance(item.get("food_id"), int):
            item["food_id"] = str(item["food_id"])


def _moment(data):
    return datetime.strptime(data["date"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=ISTANBUL)


def _iso_date(data, rng):
    moment = _moment(data)
    if rng.random() < 0.5:
        data["date"] = moment.isoformat()  # 2026-11-30T19:10:54+03:00
    else:
        data["date"] = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if data.get("scheduled_date"):
        scheduled = datetime.strptime(data["scheduled_date"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=ISTANBUL)
        data["scheduled_date"] = scheduled.isoformat()


def _epoch_date(data, rng):
    if ":" in str(data["date"]) and "T" not in str(data["date"]):
        seconds = int(_moment(data).timestamp())
        data["date"] = rng.choice([seconds, str(seconds)])


def _zero_schedule(data, rng):
    if not data.get("scheduled_date"):
        data["scheduled_date"] = rng.choice(["0000-00-00 00:00:00", None, False])


def _nested_address(data, rng):
    address = data.get("address")
    if isinstance(address, dict):
        address["coordinates"] = {"lat": round(rng.uniform(40.95, 41.1), 6), "lng": round(rng.uniform(28.8, 29.1), 6)}
        if str(address.get("floor", "")).isdigit():
            address["floor"] = int(address["floor"])
        address["district_id"] = rng.randint(1, 39)
        address["has_elevator"] = rng.random() < 0.5


def _null_customer(data, rng):
    customer = data.get("customer")
    if isinstance(customer, dict):
        customer[rng.choice(["phone", "name"])] = None
        customer["email"] = None


def _unknown_fields(data, rng):
    data["odeme_durumu"] = "onaylandı"
    data["kampanya"] = {"kod": rng.choice(["YAZ10", "HOSGELDIN"]), "oran": "10"} if rng.random() < 0.5 else []
    data["platform_version"] = "3.2.1"
    for item in _items(data):
        item["kdv_orani"] = rng.choice([1, 10, 20])
        item["menu_id"] = None


_APPLY = {
    MONEY_STRINGS: _money_strings,
    DECIMAL_COMMA: _decimal_comma,
    FLOAT_NOISE: _float_noise,
    ITEMS_KEYED: _items_keyed,
    OTHER_ITEM_KEY: _other_item_key,
    OPTIONS_KEYED: _options_keyed,
    QUANTITY_TEXT: _quantity_text,
    ISO_DATE: _iso_date,
    EPOCH_DATE: _epoch_date,
    ZERO_SCHEDULE: _zero_schedule,
    NESTED_ADDRESS: _nested_address,
    NULL_CUSTOMER: _null_customer,
    UNKNOWN_FIELDS: _unknown_fields,
    REMOVAL: _removal,
    NULL_PRICE: _null_price,
}
