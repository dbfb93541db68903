"""dukkango.orders: typed, exact parsing of get-current orders."""

import dataclasses
from datetime import datetime
from decimal import Decimal

import pytest

from dukkango.orders import (
    ISTANBUL,
    OrderParseError,
    normalize_phone,
    parse_money,
    parse_order,
)
from dukkango.statuses import status_advances, status_key
from dukkango.testing.examples import order


def test_documented_example_parses_exactly():
    parsed = parse_order(order())
    assert parsed.id == 1031
    assert parsed.payment_key == "3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e"
    assert parsed.status == "received" and parsed.status_text == "Sipariş Geldi"
    assert parsed.total == Decimal("1417.50") and parsed.discount == Decimal("157.50")
    assert parsed.courier_fee == parsed.order_tip == Decimal("0")
    assert parsed.date == datetime(2026, 1, 16, 15, 10, 54, tzinfo=ISTANBUL)
    assert parsed.date.utcoffset().total_seconds() == 3 * 3600
    assert parsed.scheduled_date is None
    assert parsed.customer.name == "Kerim Test" and parsed.customer.phone_e164 == "+905335587642"
    assert parsed.address == (
        ("address", "Dershane Sokak"),
        ("description", ""),
        ("apartment", "Gül Apt. D:4"),
    )
    assert parsed.address_text(", ") == "Dershane Sokak, Gül Apt. D:4"
    burrito, ayran = parsed.items
    assert burrito.food_id == 1 and burrito.quantity == 2 and burrito.note == "az acılı"
    assert [(o.group, o.name, o.price) for o in burrito.options] == [
        ("Sos Seçimi", "Ballı Hardal", Decimal("10")),
        ("Sos Seçimi", "Balzamik Hardal", Decimal("15")),
    ]
    assert burrito.unit_price == Decimal("700") and burrito.subtotal == Decimal("1400")
    assert ayran.quantity == 3 and ayran.food_id is None and ayran.subtotal == Decimal("75")
    # 1400 + 75 − 157.5 + 0 + 0 = 1317.5 ≠ 1417.5: the difference is booked as an adjustment
    assert parsed.computed_total == Decimal("1317.50")
    assert parsed.adjustment_amount == Decimal("100.00") and not parsed.identity_holds
    assert not parsed.is_cash and not parsed.is_final


def test_identity_holds_with_fee_and_tip():
    parsed = parse_order(order(total="1442.50", courier_fee="19.90", order_tip=5.1))
    assert parsed.computed_total == Decimal("1317.50") + Decimal("19.90") + Decimal("5.10")
    assert parsed.identity_holds is False
    parsed = parse_order(order(total=1342.5, courier_fee=20, order_tip=5))
    assert parsed.identity_holds and parsed.adjustment_amount == 0


def test_order_without_items_uses_fallback_amount():
    parsed = parse_order(order(foods=KeyError, courier_fee="19.90", order_tip=10))
    assert parsed.items == ()
    assert parsed.fallback_amount == Decimal("1417.50") + Decimal("157.50") - Decimal("19.90") - Decimal("10")
    assert parsed.adjustment_amount == 0 and not parsed.identity_holds


@pytest.mark.parametrize("key", ["items", "products"])
def test_items_aliases(key):
    data = order(foods=KeyError)
    data[key] = [{"name": "Lahmacun", "qty": 4, "price": "95.00"}]
    parsed = parse_order(data)
    assert parsed.items[0].quantity == 4 and parsed.items[0].subtotal == Decimal("380")


def test_scheduled_date_cash_and_other_status():
    parsed = parse_order(
        order(
            scheduled_date="2026-01-16 19:30:00",
            payment_method="Nakit",
            status_id=13,
            status_text="Ödeme Bekliyor",
        )
    )
    assert parsed.scheduled_date == datetime(2026, 1, 16, 19, 30, tzinfo=ISTANBUL)
    assert parsed.is_cash
    assert parsed.status == "other" and parsed.status_text == "Ödeme Bekliyor"


def test_parsed_order_is_immutable():
    parsed = parse_order(order())
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.total = Decimal(0)
    assert isinstance(parsed.items, tuple) and isinstance(parsed.items[0].options, tuple)


def test_money_parsing_is_exact():
    assert parse_money(0.1, "x") + parse_money(0.2, "x") == Decimal("0.30")
    assert parse_money("157.5", "x") == Decimal("157.50")
    assert parse_money(1417.5, "x") == Decimal("1417.50")
    assert parse_money(" 12 ", "x") == Decimal("12.00")


@pytest.mark.parametrize(
    "status, key",
    [
        (1, "received"),
        (2, "confirmed"),
        (16, "in_delivery"),
        (5, "delivered"),
        (6, "cancelled"),
        (13, "other"),
    ],
)
def test_status_keys(status, key):
    assert status_key(status) == key


@pytest.mark.parametrize(
    "current, incoming, moves",
    [
        (None, 1, True),
        (1, 1, False),
        (1, 2, True),
        (2, 16, True),
        (16, 5, True),
        (1, 5, True),
        (2, 1, False),
        (16, 2, False),
        (5, 16, False),
        (5, 6, False),
        (6, 1, False),
        (6, 2, False),
        (1, 6, True),
        (16, 6, True),
        (2, 13, False),  # an unknown status never replaces a known one
        (None, 13, True),
        (13, 14, True),
        (13, 2, True),
        (5, 13, False),
    ],
)
def test_status_progression(current, incoming, moves):
    assert status_advances(current, incoming) is moves


@pytest.mark.parametrize(
    "raw, e164",
    [
        ("05335587642", "+905335587642"),
        ("0533 558 76 42", "+905335587642"),
        ("5335587642", "+905335587642"),
        ("905335587642", "+905335587642"),
        ("+905335587642", "+905335587642"),
        ("00905335587642", "+905335587642"),
        ("", ""),
        ("dahili 12", "dahili 12"),
    ],
)
def test_phone_normalisation(raw, e164):
    assert normalize_phone(raw) == e164


BAD_INPUTS = [
    ("not a dict", ["x"], "order"),
    ("missing payment_key", order(payment_key=KeyError), "payment_key"),
    ("non-UUID payment_key", order(payment_key="1031"), "payment_key"),
    ("path-like payment_key", order(payment_key="../../restaurants/status/close/x"), "payment_key"),
    ("payment_key typed wrong", order(payment_key=1031), "payment_key"),
    ("missing id", order(id=KeyError), "id"),
    ("id typed wrong", order(id="abc"), "id"),
    ("negative id", order(id=-4), "id"),
    ("missing status_id", order(status_id=KeyError), "status_id"),
    ("status_id not a number", order(status_id="new"), "status_id"),
    ("unknown status id 0", order(status_id=0), "status_id"),
    ("unknown status id out of range", order(status_id=123456), "status_id"),
    ("missing total", order(total=KeyError), "total"),
    ("non-numeric total", order(total="bin dört yüz"), "total"),
    ("negative total", order(total=-1), "total"),
    ("NaN total", order(total=float("nan")), "total"),
    ("Infinity discount", order(discount=float("inf")), "discount"),
    ("NaN string", order(courier_fee="NaN"), "courier_fee"),
    ("boolean tip", order(order_tip=True), "order_tip"),
    ("three decimals", order(total="10.005"), "total"),
    ("huge total", order(total=10**12), "total"),
    ("negative quantity", order(foods=[{"name": "Ayran", "quantity": -2, "price": 25}]), "foods[0].quantity"),
    ("zero quantity", order(foods=[{"name": "Ayran", "quantity": 0, "price": 25}]), "foods[0].quantity"),
    ("item without name", order(foods=[{"quantity": 1, "price": 25}]), "foods[0].name"),
    ("item price text", order(foods=[{"name": "Ayran", "price": "yirmi"}]), "foods[0].price"),
    ("item not an object", order(foods=["Ayran"]), "foods[0]"),
    ("foods not a list", order(foods="Ayran x2"), "foods"),
    (
        "option without name",
        order(foods=[{"name": "Ayran", "price": 25, "add_substract": [{"ilave_opsiyonlari": [{"price": 5}]}]}]),
        "foods[0].add_substract[0].ilave_opsiyonlari[0].name",
    ),
    (
        "option price text",
        order(
            foods=[
                {
                    "name": "Ayran",
                    "price": 25,
                    "add_substract": [{"ilave_opsiyonlari": [{"name": "Büyük", "price": "on beş"}]}],
                }
            ]
        ),
        "foods[0].add_substract[0].ilave_opsiyonlari[0].price",
    ),
    ("missing date", order(date=KeyError), "date"),
    ("bad date", order(date="16/01/2026 15:10"), "date"),
    ("impossible date", order(date="2026-02-30 10:00:00"), "date"),
    ("bad scheduled date", order(scheduled_date="yarın"), "scheduled_date"),
    ("non-UUID restaurant_id", order(restaurant_id="Halaskargazi"), "restaurant_id"),
    ("customer not an object", order(customer="Kerim"), "customer"),
    (
        "huge customer name",
        order(customer={"name": "K" * 10_000_000, "phone": "05335587642"}),
        "customer.name",
    ),
    ("huge note", order(note="x" * 5000), "note"),
    ("address list", order(address=[1, 2]), "address"),
    ("address a list", order(address=["Dershane Sokak"]), "address"),
    ("fee negative", order(courier_fee=-5), "courier_fee"),
    ("ambiguous thousands", order(total="1,234"), "total"),
    ("date in Turkish order", order(date="16.01.2026 15:10"), "date"),
    ("quantity as words", order(foods=[{"name": "Adana", "quantity": "iki", "price": 185}]), "foods[0].quantity"),
    ("item keyed by id without name", order(foods={"35": {"price": 10}}), "foods[35].name"),
    ("epoch in milliseconds", order(date=1768565454000), "date"),
    ("NUL in note", order(note="a\x00b"), "note"),
]


@pytest.mark.parametrize("label, data, field", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_inputs_name_their_field(label, data, field):
    with pytest.raises(OrderParseError) as info:
        parse_order(data)
    error = info.value
    assert error.field == field, label
    assert error.technical.startswith(field + ": ")
    assert f"[{field}: " in str(error) or str(error) == error.technical  # the Odoo layer stores str(error)
    if isinstance(data, dict):  # the order as a person names it, with its branch
        label = "Order #1031" if data.get("id") == 1031 else "Order 3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e"
        assert error.message.startswith(label + " (Halaskargazi Şube): "), error.message
    assert len(str(error)) < 400


def test_html_is_kept_verbatim_as_text():
    parsed = parse_order(order(note="<script>alert(1)</script>", customer={"name": "<b>Kerim</b>", "phone": ""}))
    assert parsed.note == "<script>alert(1)</script>" and parsed.customer.name == "<b>Kerim</b>"
