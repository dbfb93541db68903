"""Real payloads (issue #14): lenient shapes, strict identity, errors a person can read.

Each shape the platform may send (a PHP application, Turkish field names, numbers as
strings) is one case of the parser and of the mapping: accepted, or degraded without
losing the order, and the mapped lines still add up to Dükkango's total.
"""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from dukkango.mapping import ADJUSTMENT, ITEM, UNMATCHED, map_order
from dukkango.orders import OrderParseError, parse_order
from dukkango.testing.examples import order
from dukkango.validation import ISTANBUL, number_text, parse_date, parse_money, parse_quantity

D = Decimal
AYRAN = {"name": "Ayran", "quantity": 1, "price": 35}


def draft_of(data):
    parsed = parse_order(data)
    draft = map_order(parsed)
    assert sum((line.amount for line in draft.lines), D(0)) == parsed.total
    return parsed, draft


def simple(**changes):
    """The documented order with one Ayran and no discount: total 35."""
    return order(**{"foods": [dict(AYRAN)], "total": 35, "discount": 0, **changes})


# ------------------------------------------------------------------ money
@pytest.mark.parametrize(
    "value, amount",
    [
        (14.899999999999999, "14.90"),  # float noise
        (0.1 + 0.2, "0.30"),
        ("14.899999999999999", "14.90"),
        ("35,50", "35.50"),  # decimal comma
        ("1.234,50", "1234.50"),  # Turkish thousands
        ("1.234.567", "1234567.00"),
        ("1,234.50", "1234.50"),  # English thousands
        ("1,234,567", "1234567.00"),
        (" 157.5 ", "157.50"),
        ("0", "0.00"),
        (675, "675.00"),
        ("-0", "0.00"),
    ],
)
def test_money_shapes(value, amount):
    assert parse_money(value, "total") == D(amount)
    assert str(parse_money(value, "total")) == amount


@pytest.mark.parametrize(
    "value, problem",
    [
        ("1.234", "ambiguous amount '1.234' (thousands or decimals?)"),
        ("1,234", "ambiguous amount '1,234' (thousands or decimals?)"),
        ("10.005", "ambiguous amount '10.005' (thousands or decimals?)"),
        (10.005, "amount 10.005 has more than 2 decimals (kuruş)"),
        ("14.8999", "amount 14.8999 has more than 2 decimals (kuruş)"),
        ("1.23,45", "not a number: '1.23,45'"),
        ("35,50 TL", "not a number: '35,50 TL'"),
        ("1e3", "not a number: '1e3'"),
    ],
)
def test_money_that_is_not_clear_is_refused(value, problem):
    with pytest.raises(OrderParseError) as info:
        parse_money(value, "total")
    assert info.value.problem == problem


def test_number_text():
    assert [number_text(t) for t in ("12", "1.234,5", "1,5", "1.2.3", "")] == ["12", "1234.5", "1.5", None, None]


@pytest.mark.parametrize(
    "value, quantity",
    [("2", "2"), (2.0, "2"), ("0,5", "0.5"), (0.30000000000000004, "0.3"), ("1.234", "1.234"), (" 3 ", "3")],
)
def test_quantity_shapes(value, quantity):
    assert parse_quantity(value, "quantity") == D(quantity)


def test_money_as_strings_everywhere():
    parsed = parse_order(
        order(
            foods=[{"name": "Adana Dürüm", "quantity": "2", "price": "185,00"}],
            total="1.234,50",
            discount="0",
            courier_fee="29,90",
            order_tip="0",
        )
    )
    assert parsed.total == D("1234.50") and parsed.courier_fee == D("29.90")
    assert parsed.items[0].subtotal == D("370.00")


def test_float_noise_in_the_total_is_the_kurus():
    parsed, draft = draft_of(order(foods=[{"name": "Tost", "price": 14.9}], total=14.899999999999999, discount=0))
    assert parsed.total == D("14.90") and parsed.identity_holds and not draft.needs_adjustment


# ------------------------------------------------------------------ dates
ISO_CASES = [
    ("2026-11-30 19:10:54", datetime(2026, 11, 30, 19, 10, 54, tzinfo=ISTANBUL)),
    ("2026-11-30T19:10:54+03:00", datetime(2026, 11, 30, 19, 10, 54, tzinfo=ISTANBUL)),
    ("2026-11-30T16:10:54Z", datetime(2026, 11, 30, 19, 10, 54, tzinfo=ISTANBUL)),
    ("2026-11-30T16:10:54.250000Z", datetime(2026, 11, 30, 19, 10, 54, 250000, tzinfo=ISTANBUL)),
    ("2026-11-30T17:10:54+0100", datetime(2026, 11, 30, 19, 10, 54, tzinfo=ISTANBUL)),
    ("2026-11-30T19:10:54", datetime(2026, 11, 30, 19, 10, 54, tzinfo=ISTANBUL)),  # no offset: Istanbul
    ("2026-11-30 19:10", datetime(2026, 11, 30, 19, 10, tzinfo=ISTANBUL)),
    (1796055054, datetime(2026, 11, 30, 16, 10, 54, tzinfo=timezone.utc)),  # epoch seconds
    ("1796055054", datetime(2026, 11, 30, 16, 10, 54, tzinfo=timezone.utc)),
    (1796055054.5, datetime(2026, 11, 30, 16, 10, 54, 500000, tzinfo=timezone.utc)),
]


@pytest.mark.parametrize("value, moment", ISO_CASES, ids=[str(case[0]) for case in ISO_CASES])
def test_date_shapes(value, moment):
    parsed = parse_order(order(date=value, scheduled_date=value))
    assert parsed.date == moment and parsed.scheduled_date == moment
    assert parsed.date.utcoffset() == timedelta(hours=3)  # shown in Istanbul time


@pytest.mark.parametrize("value", ["", None, False, "0000-00-00 00:00:00", "0000-00-00", " "])
def test_unset_scheduled_date(value):
    assert parse_order(order(scheduled_date=value)).scheduled_date is None


@pytest.mark.parametrize("value", ["0000-00-00 00:00:00", "", None, 12345, "16.01.2026 15:10", "2026-01-16"])
def test_an_order_needs_a_date(value):
    with pytest.raises(OrderParseError) as info:
        parse_order(order(date=value))
    assert info.value.field == "date"


def test_scheduled_note_row_is_in_istanbul_time():
    _parsed, draft = draft_of(order(scheduled_date="2026-11-30T16:30:00Z"))
    assert dict(draft.note_rows)["scheduled"] == "2026-11-30 19:30"


def test_parse_date_rejects_impossible_dates():
    with pytest.raises(OrderParseError):
        parse_date("2026-02-30T10:00:00+03:00", "date", True)
    with pytest.raises(OrderParseError):
        parse_date("2026-01-16T25:00:00", "date", True)


# ------------------------------------------------------------------ items and options
ITEM_ROW = {"food_id": 1, "name": "Beef Burrito", "quantity": 2, "price": 675}
KEYED = {"35": dict(ITEM_ROW), "36": {"name": "Ayran", "adet": "3", "price": "25"}}


@pytest.mark.parametrize("key", ["foods", "items", "products"])
@pytest.mark.parametrize(
    "shape",
    [[dict(ITEM_ROW), {"name": "Ayran", "adet": "3", "price": "25"}], KEYED],
    ids=["list", "keyed by id"],
)
def test_items_as_list_or_object_under_any_key(key, shape):
    data = order(foods=KeyError, total=1267.5)
    data[key] = shape
    parsed, draft = draft_of(data)
    assert [(i.name, i.quantity, i.subtotal) for i in parsed.items] == [
        ("Beef Burrito", 2, D("1350.00")),
        ("Ayran", 3, D("75.00")),
    ]
    assert parsed.identity_holds and [line.kind for line in draft.lines] == [ITEM, ITEM, "discount"]


def test_empty_item_keys_are_skipped_and_a_single_object_is_one_item():
    data = order(foods=[], items={}, products={"name": "Lahmacun", "qty": 4, "price": 95}, total=222.5)
    parsed = parse_order(data)
    assert [(i.name, i.quantity) for i in parsed.items] == [("Lahmacun", 4)]
    assert parse_order(order(foods='[{"name": "Ayran", "price": 25}]')).items[0].name == "Ayran"  # JSON text


def test_options_as_objects_keyed_by_id_flat_and_removals():
    burrito = dict(
        ITEM_ROW,
        quantity=1,
        add_substract={
            "7": {"ilave_basligi": "Sos Seçimi", "ilave_opsiyonlari": {"71": {"name": "Ballı Hardal", "price": "10"}}},
            "8": {"ilave_basligi": "Çıkarılacaklar", "ilave_opsiyonlari": [{"name": "Soğansız", "price": -5}]},
            "9": {"name": "Acılı", "price": None},  # a group that is one option
        },
    )
    data = order(foods=[burrito, dict(AYRAN, add_substract=[{"ilave_basligi": "Boy", "ilave_opsiyonlari": ["Küçük"]}])])
    data.update(total="715", discount=0)
    parsed, draft = draft_of(data)
    assert [(o.group, o.name, o.price) for o in parsed.items[0].options] == [
        ("Sos Seçimi", "Ballı Hardal", D("10.00")),
        ("Çıkarılacaklar", "Soğansız", D("-5.00")),
        ("", "Acılı", D("0.00")),
    ]
    assert parsed.items[0].subtotal == D("680.00") and parsed.items[1].options[0].name == "Küçük"
    assert parsed.identity_holds and not draft.needs_adjustment


def test_zero_price_item_and_garbage_food_id():
    parsed, draft = draft_of(simple(foods=[dict(AYRAN), {"name": "Su", "price": 0, "food_id": "yok"}]))
    assert parsed.items[1].price_known and parsed.items[1].food_id is None
    assert [line.kind for line in draft.lines] == [ITEM, ITEM] and not draft.needs_adjustment


# ------------------------------------------------------------------ an item without a price
@pytest.mark.parametrize("price", [None, KeyError, ""])
def test_item_without_price_is_unmatched_and_the_adjustment_keeps_the_total(price):
    adana = {"food_id": 1, "name": "Adana", "quantity": 2, "note": "acılı"}
    if price is not KeyError:
        adana["price"] = price
    parsed, draft = draft_of(order(foods=[dict(AYRAN), adana], total="405", discount=0, courier_fee=0))
    item = parsed.items[1]
    assert not item.price_known and item.price == 0 and item.subtotal == 0 and not parsed.identity_holds
    assert parsed.unpriced_items == (item,)
    kinds = [(line.kind, line.name, line.qty, line.amount) for line in draft.lines]
    assert kinds == [
        (ITEM, "Ayran", 1, D("35.00")),
        (UNMATCHED, "Adana", 2, D("0.00")),
        (ADJUSTMENT, "", 1, D("370.00")),
    ]
    assert draft.lines[1].note == "acılı" and draft.lines[1].food_id == 1
    assert draft.needs_adjustment and draft.unpriced_names == ("Adana",)


def test_free_item_without_price_still_needs_attention():
    _parsed, draft = draft_of(simple(foods=[dict(AYRAN), {"name": "Peçete"}]))
    assert [line.kind for line in draft.lines] == [ITEM, UNMATCHED]
    assert draft.needs_adjustment and draft.unpriced_names == ("Peçete",)


# ------------------------------------------------------------------ customer, address, unknown keys
def test_address_with_nested_values_numbers_and_flags():
    address = {
        "address": "Dershane Sokak No:5",
        "description": None,
        "apartment": "Gül Apt.",
        "floor": 3,
        "door": 4.0,
        "elevator": True,
        "coordinates": {"lat": 41.0522, "lng": 28.9871},
        "lat": 41.0522,
        "tags": ["kapıcı"],
    }
    parsed = parse_order(order(address=address))
    assert parsed.address == (
        ("address", "Dershane Sokak No:5"),
        ("apartment", "Gül Apt."),
        ("floor", "3"),
        ("door", "4"),
    )


@pytest.mark.parametrize(
    "value, pairs",
    [
        ("Dershane Sokak No:5, Şişli", (("address", "Dershane Sokak No:5, Şişli"),)),
        ('{"address": "Dershane Sokak", "floor": 2}', (("address", "Dershane Sokak"), ("floor", "2"))),
        ([], ()),
        (None, ()),
        (False, ()),
    ],
)
def test_address_as_text_or_json_or_nothing(value, pairs):
    assert parse_order(order(address=value)).address == pairs


@pytest.mark.parametrize(
    "customer, name, phone",
    [
        (None, "", ""),
        ([], "", ""),
        ({}, "", ""),
        ({"name": None, "phone": None}, "", ""),
        ({"name": "Kerim Test"}, "Kerim Test", ""),
        ({"name": "Kerim Test", "phone": 5335587642}, "Kerim Test", "+905335587642"),
        ({"ad_soyad": "Ayşe Yılmaz", "telefon": "0533 558 76 42"}, "Ayşe Yılmaz", "+905335587642"),
        ({"name": {"first": "Kerim"}, "phone": ["0533"]}, "", ""),
    ],
)
def test_customer_missing_null_or_spelled_otherwise(customer, name, phone):
    parsed, draft = draft_of(order(customer=customer))
    assert (parsed.customer.name, parsed.customer.phone_e164) == (name, phone)
    assert (draft.partner is None) is (not name and not phone)


def test_unknown_fields_anywhere_are_ignored():
    data = order(odeme_durumu="onaylandi", kampanya={"kod": "YAZ10"}, note=False, courier_type=None)
    data["foods"][0].update(kdv_orani=10, menu={"id": 3})
    data["foods"][0]["add_substract"][0].update(secim_turu="coklu", id=7)
    data["customer"].update(email="kerim@example.com", vip=True)
    parsed = parse_order(data)
    assert parsed.total == D("1417.50") and parsed.note == "" and parsed.courier_type == ""
    assert parse_order(order()).items == parsed.items


def test_texts_given_as_numbers():
    parsed = parse_order(order(payment_method="Nakit", status_text=1, restaurant_name=" Halaskargazi Şube "))
    assert parsed.status_text == "1" and parsed.restaurant_name == "Halaskargazi Şube" and parsed.is_cash


# ------------------------------------------------------------------ identity stays strict
@pytest.mark.parametrize(
    "changes, field",
    [
        ({"payment_key": "3e9caf87"}, "payment_key"),
        ({"restaurant_id": KeyError}, "restaurant_id"),
        ({"total": "bin"}, "total"),
        ({"total": None}, "total"),
        ({"id": None}, "id"),
        ({"status_id": "yeni"}, "status_id"),
    ],
)
def test_identity_is_strict(changes, field):
    with pytest.raises(OrderParseError) as info:
        parse_order(order(**changes))
    assert info.value.field == field


# ------------------------------------------------------------------ errors a person can read
def test_error_names_the_order_the_item_and_the_field():
    data = order(id=1234, foods=[{"name": "Adana", "quantity": "iki", "price": 185}])
    with pytest.raises(OrderParseError) as info:
        parse_order(data)
    error = info.value
    assert error.message == "Order #1234 (Halaskargazi Şube): item 'Adana' quantity is not a number ('iki')"
    assert (error.field, error.problem) == ("foods[0].quantity", "not a number: 'iki'")
    assert str(error) == f"{error.message} [foods[0].quantity: not a number: 'iki']"


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"foods": {"35": {"name": "Ayran", "price": 25, "add_substract": [{"ilave_opsiyonlari": [{"x": 1}]}]}}},
            "item 'Ayran' option 1 name is missing",
        ),
        (
            {
                "foods": [
                    dict(
                        AYRAN,
                        add_substract=[
                            {"ilave_basligi": "Boy", "ilave_opsiyonlari": [{"name": "Büyük", "price": "?"}]}
                        ],
                    )
                ]
            },
            "item 'Ayran' option 'Büyük' price is not a number ('?')",
        ),
        (
            {"foods": [dict(AYRAN, add_substract=[{"ilave_basligi": "Boy", "ilave_opsiyonlari": "Büyük"}])]},
            "item 'Ayran' option group 'Boy' option list is not a list ('Büyük')",
        ),
        ({"foods": [AYRAN, "Kola"]}, "item 2 is not an object (str)"),
        ({"courier_fee": -5}, "courier fee is negative (-5)"),
        ({"total": "1,234"}, "total is ambiguous ('1,234': thousands or decimals?)"),
        ({"status_id": 99999}, "status is unknown (99999)"),
        ({"scheduled_date": "yarın akşam"}, "scheduled date cannot be read ('yarın akşam')"),
        ({"customer": {"name": "K" * 300}}, "customer name is too long (300 characters, at most 256)"),
        ({"id": "on bir"}, "order number is not a whole number ('on bir')"),
    ],
)
def test_error_wording(changes, message):
    with pytest.raises(OrderParseError) as info:
        parse_order(order(**changes))
    prefix = "Order 3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e" if "id" in changes else "Order #1031"
    assert info.value.message == f"{prefix} (Halaskargazi Şube): {message}"


def test_error_without_an_order_is_technical():
    with pytest.raises(OrderParseError) as info:
        parse_order("sipariş")
    assert str(info.value) == "order: expected an object, got str"
    with pytest.raises(OrderParseError) as info:
        parse_order({"payment_key": "x", "restaurant_name": "Akat Şube"})
    assert info.value.message == "Order (Akat Şube): payment key is not a UUID ('x')"
