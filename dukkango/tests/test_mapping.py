"""dukkango.mapping: a parsed order as the POS order to create, without Odoo."""

import dataclasses
from datetime import datetime
from decimal import Decimal

import pytest

from dukkango import mapping
from dukkango.mapping import (
    ADJUSTMENT,
    DISCOUNT,
    FALLBACK,
    FEE,
    ITEM,
    NOTE_KEYS,
    TIP,
    UNMATCHED,
    DraftLine,
    PartnerDraft,
    map_order,
)
from dukkango.orders import parse_order
from dukkango.testing.examples import order
from dukkango.testing.simulator import Simulator
from dukkango.validation import ISTANBUL, KURUS

KIND_ORDER = (ITEM, FALLBACK, DISCOUNT, FEE, TIP, ADJUSTMENT)
RANK = {**{kind: rank for rank, kind in enumerate(KIND_ORDER)}, UNMATCHED: 0}  # dishes keep the payload's order
D = Decimal


def draft_of(data):
    parsed = parse_order(data)
    return parsed, map_order(parsed)


def money_lines(draft):
    return [(line.kind, line.amount) for line in draft.lines if line.kind != ITEM]


def check_invariants(parsed, draft):
    assert sum((line.amount for line in draft.lines), D(0)) == parsed.total == draft.total
    ranks = [RANK[line.kind] for line in draft.lines]
    assert ranks == sorted(ranks), "lines out of order"
    kinds = {line.kind for line in draft.lines}
    assert not ({ITEM, FALLBACK} <= kinds or {UNMATCHED, FALLBACK} <= kinds)
    for line in draft.lines:
        assert line.amount == line.amount.quantize(KURUS) and line.amount.as_tuple().exponent == -2
        if line.kind == UNMATCHED:
            assert line.amount == 0 and line.name
        else:
            assert line.kind == ITEM or (line.amount and line.qty == 1 and not line.name and line.food_id is None)
    has_adjustment = any(line.kind == ADJUSTMENT for line in draft.lines)
    assert draft.needs_adjustment is (has_adjustment or UNMATCHED in kinds)


MONEY_CASES = [
    ("documented: discount and adjustment", order()),
    ("identity holds with fee and tip", order(total=1342.5, courier_fee=20, order_tip=5)),
    ("negative adjustment", order(total="1000")),
    ("total zero with items", order(total=0)),
    ("no items, fee and tip", order(foods=KeyError, courier_fee="19.90", order_tip=10)),
    ("no items, zero total", order(foods=KeyError, total=0, discount=0)),
    ("no items, zero fallback", order(foods=KeyError, total=25, discount=0, courier_fee=20, order_tip=5)),
    ("no items, negative fallback", order(foods=KeyError, total=0, discount=0, courier_fee=10)),
    ("free item", order(foods=[{"name": "Su", "price": 0}], total=0, discount=0)),
    (
        "fractional quantity rounded to the kuruş",
        order(foods=[{"name": "Kuruyemiş", "quantity": "0.333", "price": "10.01"}], total="3.34", discount=0),
    ),
    ("item without a price", order(foods=[{"name": "Ayran", "price": 25}, {"name": "Adana", "price": None}])),
    ("only items without a price", order(foods={"3": {"name": "Adana"}, "4": {"name": "Kola", "adet": "2"}})),
    (
        "negative option: a removal",
        order(foods=[{"name": "Dürüm", "price": 100, "add_substract": [{"name": "Soğansız", "price": -5}]}]),
    ),
    ("PHP strings", order(total="1.417,50", discount="157,5", courier_fee="0", order_tip="0")),
    (
        "many small lines",
        order(foods=[{"name": f"Meze {n}", "qty": n, "price": "0.07"} for n in range(1, 40)], total="54.59"),
    ),
]


@pytest.mark.parametrize("label, data", MONEY_CASES, ids=[case[0] for case in MONEY_CASES])
def test_lines_add_up_to_the_total(label, data):
    check_invariants(*draft_of(data))


def _simulated(seed, variant):
    data = Simulator(seed=seed).generate_order()
    if variant == "total off":
        data["total"] = str(D(str(data["total"])) + D(seed) / 100 - D("0.15"))
    elif variant == "no items":
        data.pop("foods")
    elif variant == "cash":
        data["payment_method"] = "Nakit"
    return data


@pytest.mark.parametrize("variant", ["as generated", "total off", "no items", "cash"])
@pytest.mark.parametrize("seed", range(25))
def test_simulated_orders_add_up(seed, variant):
    parsed, draft = draft_of(_simulated(seed, variant))
    check_invariants(parsed, draft)
    assert draft.needs_adjustment is (variant == "total off" and seed != 15)
    assert draft.paid_online is (not parsed.is_cash)


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({}, [(FALLBACK, D("1575.00")), (DISCOUNT, D("-157.50"))]),
        (
            {"courier_fee": "19.90", "order_tip": 10},
            [(FALLBACK, D("1545.10")), (DISCOUNT, D("-157.50")), (FEE, D("19.90")), (TIP, D("10.00"))],
        ),
        ({"total": 0, "discount": 0}, []),
        ({"total": 25, "discount": 0, "courier_fee": 20, "order_tip": 5}, [(FEE, D("20.00")), (TIP, D("5.00"))]),
    ],
    ids=["discount", "fee and tip", "zero total: no line", "zero fallback dropped"],
)
def test_fallback_line(changes, expected):
    parsed, draft = draft_of(order(foods=KeyError, **changes))
    assert money_lines(draft) == expected
    assert not draft.needs_adjustment
    if draft.lines and draft.lines[0].kind == FALLBACK:
        assert draft.lines[0] == DraftLine(FALLBACK, D(1), parsed.fallback_amount)


@pytest.mark.parametrize(
    "total, adjustment",
    [("1317.50", None), ("1417.50", D("100.00")), ("1317.49", D("-0.01")), ("0", D("-1317.50"))],
)
def test_adjustment_line(total, adjustment):
    _parsed, draft = draft_of(order(total=total))
    assert draft.computed_total == D("1317.50")
    assert draft.needs_adjustment is (adjustment is not None)
    expected = [(DISCOUNT, D("-157.50"))] + ([(ADJUSTMENT, adjustment)] if adjustment is not None else [])
    assert money_lines(draft) == expected


@pytest.mark.parametrize(
    "discount, fee, tip, expected",
    [
        (0, 0, 0, []),
        ("157.5", 0, 0, [(DISCOUNT, D("-157.50"))]),
        (0, "19.90", 0, [(FEE, D("19.90"))]),
        (0, 0, "5.1", [(TIP, D("5.10"))]),
        ("10", "19.90", "5", [(DISCOUNT, D("-10.00")), (FEE, D("19.90")), (TIP, D("5.00"))]),
    ],
)
def test_discount_fee_and_tip_lines(discount, fee, tip, expected):
    total = D("1475") - D(str(discount)) + D(str(fee)) + D(str(tip))
    _parsed, draft = draft_of(order(total=str(total), discount=discount, courier_fee=fee, order_tip=tip))
    assert money_lines(draft) == expected
    assert not draft.needs_adjustment


def test_item_lines():
    parsed, draft = draft_of(order(foods=[*order()["foods"], {"name": "Su", "price": 0, "food_id": "9"}]))
    burrito, ayran, water = (line for line in draft.lines if line.kind == ITEM)
    assert burrito == DraftLine(
        ITEM, D(2), D("1400.00"), name="Beef Burrito", food_id=1, note="az acılı", options=parsed.items[0].options
    )
    assert [(o.group, o.name) for o in burrito.options] == [
        ("Sos Seçimi", "Ballı Hardal"),
        ("Sos Seçimi", "Balzamik Hardal"),
    ]
    assert ayran == DraftLine(ITEM, D(3), D("75.00"), name="Ayran")
    assert water == DraftLine(ITEM, D(1), D("0.00"), name="Su", food_id=9)


def test_draft_header_and_immutability():
    _parsed, draft = draft_of(order())
    assert (draft.number, draft.reference) == (1031, "Dükkango #1031")
    assert (draft.total, draft.computed_total) == (D("1417.50"), D("1317.50"))
    assert draft.date == datetime(2026, 1, 16, 15, 10, 54, tzinfo=ISTANBUL)
    assert isinstance(draft.lines, tuple) and isinstance(draft.note_rows, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft.total = D(0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        draft.lines[0].amount = D(0)


KERIM = {"name": "Kerim Test", "phone": "05335587642"}
FULL_ADDRESS = {
    "address": "Dershane Sokak No:5",
    "description": "Mavi kapı",
    "apartment": "Gül Apt.",
    "floor": 3,
    "door": "",
    "zip": None,
    "district": "Şişli",
    "city": "İstanbul",
}
PARTNER_CASES = [
    (
        "documented",
        KERIM,
        order()["address"],
        PartnerDraft(
            "Kerim Test", "+905335587642", ("+905335587642", "05335587642"), "Dershane Sokak", "Gül Apt. D:4", "", ""
        ),
    ),
    (
        "address as a string",
        KERIM,
        "Dershane Sk. No:3, Şişli",
        PartnerDraft(
            "Kerim Test", "+905335587642", ("+905335587642", "05335587642"), "Dershane Sk. No:3, Şişli", "", "", ""
        ),
    ),
    (
        "address with extra keys",
        KERIM,
        FULL_ADDRESS,
        PartnerDraft(
            "Kerim Test",
            "+905335587642",
            ("+905335587642", "05335587642"),
            "Dershane Sokak No:5",
            "Gül Apt., 3",
            "Şişli, İstanbul",
            "Mavi kapı",
        ),
    ),
    ("city only", {"name": "Kerim"}, {"city": "İstanbul"}, PartnerDraft("Kerim", "", (), "", "", "İstanbul", "")),
    ("no address", {"name": "Kerim"}, KeyError, PartnerDraft("Kerim", "", (), "", "", "", "")),
    (
        "phone only",
        {"phone": "0533 558 76 42"},
        KeyError,
        PartnerDraft("+905335587642", "+905335587642", ("+905335587642", "0533 558 76 42"), "", "", "", ""),
    ),
    (
        "phone already E.164",
        {"name": "Kerim", "phone": "+905335587642"},
        KeyError,
        PartnerDraft("Kerim", "+905335587642", ("+905335587642",), "", "", "", ""),
    ),
    (
        "phone of another shape",
        {"name": "Kerim", "phone": "dahili 12"},
        KeyError,
        PartnerDraft("Kerim", "dahili 12", ("dahili 12",), "", "", "", ""),
    ),
    ("no customer", KeyError, FULL_ADDRESS, None),
    ("customer null", None, FULL_ADDRESS, None),
    ("customer without name or phone", {"name": "", "phone": ""}, FULL_ADDRESS, None),
    ("phone without digits", {"phone": "-"}, FULL_ADDRESS, None),
]


@pytest.mark.parametrize("label, customer, address, expected", PARTNER_CASES, ids=[c[0] for c in PARTNER_CASES])
def test_partner(label, customer, address, expected):
    _parsed, draft = draft_of(order(customer=customer, address=address))
    assert draft.partner == expected


NOTE_CASES = [
    (
        "documented",
        {},
        (
            ("order", "#1031"),
            ("shipping", "delivery"),
            ("courier", "restaurant"),
            ("payment", "Kredi Kartı"),
            ("customer", "Kerim Test +905335587642"),
            ("address", "Dershane Sokak, Gül Apt. D:4"),
        ),
    ),
    (
        "note and scheduled date",
        {"note": "Zili çalmayın", "scheduled_date": "2026-01-16 19:30:00", "address": "Dershane Sk."},
        (
            ("order", "#1031"),
            ("note", "Zili çalmayın"),
            ("shipping", "delivery"),
            ("courier", "restaurant"),
            ("payment", "Kredi Kartı"),
            ("customer", "Kerim Test +905335587642"),
            ("address", "Dershane Sk."),
            ("scheduled", "2026-01-16 19:30"),
        ),
    ),
    (
        "only the number",
        {
            "customer": KeyError,
            "address": KeyError,
            "shipping_method": KeyError,
            "courier_type": "",
            "payment_method": KeyError,
        },
        (("order", "#1031"),),
    ),
    (
        "customer phone only",
        {"customer": {"phone": "05335587642"}, "address": KeyError, "shipping_method": "pickup"},
        (
            ("order", "#1031"),
            ("shipping", "pickup"),
            ("courier", "restaurant"),
            ("payment", "Kredi Kartı"),
            ("customer", "+905335587642"),
        ),
    ),
]


@pytest.mark.parametrize("label, changes, rows", NOTE_CASES, ids=[c[0] for c in NOTE_CASES])
def test_note_rows(label, changes, rows):
    _parsed, draft = draft_of(order(**changes))
    assert draft.note_rows == rows
    keys = [key for key, _value in draft.note_rows]
    assert keys == [key for key in NOTE_KEYS if key in keys]


@pytest.mark.parametrize(
    "payment_method, total, paid_online",
    [
        ("Nakit", "1417.50", False),
        (" nakit ", "1417.50", False),
        ("Nakit", 0, False),
        ("Kredi Kartı", "1417.50", True),
        ("Banka Kartı", "0.01", True),
        ("Kredi Kartı", 0, False),
        # a method the platform's list does not know is never booked as online money
        ("", "1417.50", False),
        ("Kapıda Kredi Kartı", "1417.50", False),
    ],
)
def test_paid_online(payment_method, total, paid_online):
    _parsed, draft = draft_of(order(payment_method=payment_method, total=total))
    assert draft.paid_online is paid_online
    assert draft.payment_known is (payment_method.strip().casefold() in ("nakit", "kredi kartı", "banka kartı"))


def test_payment_methods_follow_the_platforms_list():
    variables = {"paymentMethod": [{"key": "CASH", "name": "Nakit"}, {"key": "ONLINE_CARD", "name": "Online"}]}
    kinds = mapping.payment_kinds(variables)
    assert kinds == {"nakit": "CASH", "online": "ONLINE_CARD"}
    _parsed, draft = draft_of(order(payment_method="Kredi Kartı"))
    assert mapping.map_order(_parsed, kinds).paid_online is False  # not on this platform's list
    assert mapping.payment_kinds({"paymentMethod": []}) == mapping.payment_kinds(None)  # documented list


@pytest.mark.parametrize(
    ("amount", "weights", "shares"),
    [
        ("-10.00", ["50", "50"], ["-5.00", "-5.00"]),
        ("-10.00", ["1", "1", "1"], ["-3.34", "-3.33", "-3.33"]),
        ("-0.01", ["70", "30"], ["-0.01", "0.00"]),
        ("60.49", ["604.90"], ["60.49"]),
        ("-60.49", ["400.00", "204.90"], ["-40.00", "-20.49"]),
    ],
)
def test_spread_adds_up_to_the_kurus(amount, weights, shares):
    result = mapping.spread(Decimal(amount), [Decimal(w) for w in weights])
    assert result == [Decimal(s) for s in shares]
    assert sum(result) == Decimal(amount)
