#!/usr/bin/env python3
"""Write ``corpus.jsonl``: the shipped corpus of real-looking and hostile get-current entries.

    python3 tests/data/make_corpus.py        # from the repository root; rewrites tests/data/corpus.jsonl

Every line is one entry of a get-current answer with its expected outcome in ``_expect``
(see ``dukkango/testing/corpus.py``): first the lenient shapes a PHP platform may send
(issue #14), each accepted or degraded, never lost; then the 45 hostile cases of
``tests/test_bad_input.py``. ``tests/test_corpus.py`` replays it through the whole pipeline
and ``dukkango/tests/test_corpus.py`` through the parser and the mapping. The payment keys
are derived from the case names, so the file is the same at every run.
"""

import copy
import json
import sys
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from dukkango.testing.simulator import DEFAULT_RESTAURANTS, Simulator  # noqa: E402

REST_A = DEFAULT_RESTAURANTS[0]["id"]
UNKNOWN_RESTAURANT = "99999999-9999-4999-8999-999999999999"
NAMESPACE = uuid.UUID("0b6f6f0e-5d4c-4b7a-9a51-7c3c1e2d9f00")
HUGE = 10 * 1024 * 1024

# 2 × (185 + 0 + 15) + 3 × 35 = 505.00
BASE = {
    "id": 2001,
    "status_id": 1,
    "status_text": "Sipariş Geldi",
    "shipping_method": "delivery",
    "payment_method": "Kredi Kartı",
    "note": "",
    "total": 505,
    "date": "2026-11-30 19:10:54",
    "restaurant_id": REST_A,
    "restaurant_name": "Halaskargazi Şube",
    "courier_type": "restaurant",
    "discount": "0",
    "courier_fee": 0,
    "scheduled_date": "",
    "order_tip": 0,
    "customer": {"name": "Kerim Test", "phone": "05335587642"},
    "address": {"address": "Dershane Sokak No:5", "description": "", "apartment": "Gül Apt. D:4"},
    "foods": [
        {
            "food_id": 1,
            "name": "Adana Dürüm",
            "quantity": 2,
            "price": 185,
            "note": "soğansız",
            "add_substract": [
                {"ilave_basligi": "Acı Seçimi", "ilave_opsiyonlari": [{"name": "Acılı", "price": 0}]},
                {"ilave_basligi": "Ekstralar", "ilave_opsiyonlari": [{"name": "Ekstra Lavaş", "price": 15}]},
            ],
        },
        {"food_id": 10, "name": "Ayran", "quantity": 3, "price": 35},
    ],
}


def key(case):
    return str(uuid.uuid5(NAMESPACE, case))


def order(**changes):
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def adana(**changes):
    return {**copy.deepcopy(BASE["foods"][0]), **changes}


def ayran(**changes):
    return {**copy.deepcopy(BASE["foods"][1]), **changes}


def keyed(rows, start=35):
    return {str(start + n): row for n, row in enumerate(rows)}


# (case, order, Dükkango's total, needs attention)
LENIENT = [
    ("documented shape", order(), "505.00", False),
    ("float noise in the total", order(total=504.99999999999994), "505.00", False),
    (
        "float noise in a price",
        order(foods=[{"name": "Tost", "price": 14.899999999999999, "quantity": 2}], total=29.8),
        "29.80",
        False,
    ),
    ("decimal comma", order(total="505,00", foods=[adana(price="185,00"), ayran(price="35,0")]), "505.00", False),
    (
        "Turkish thousands",
        order(foods=[adana(quantity=6), ayran(quantity="3")], total="1.305,00", courier_fee="0,00"),
        "1305.00",
        False,
    ),
    ("comma thousands", order(foods=[adana(quantity=6), ayran()], total="1,305.00"), "1305.00", False),
    (
        "money as strings everywhere",
        order(total="524.90", discount="10", courier_fee="19.90", order_tip="10"),
        "524.90",
        False,
    ),
    ("ISO date with offset", order(date="2026-11-30T19:10:54+03:00"), "505.00", False),
    ("ISO date in UTC", order(date="2026-11-30T16:10:54Z"), "505.00", False),
    ("ISO date with fractions", order(date="2026-11-30T16:10:54.123456+00:00"), "505.00", False),
    ("epoch seconds", order(date=1796055054), "505.00", False),
    ("epoch seconds as text", order(date="1796055054"), "505.00", False),
    ("zero scheduled date", order(scheduled_date="0000-00-00 00:00:00"), "505.00", False),
    ("scheduled null", order(scheduled_date=None), "505.00", False),
    ("scheduled false", order(scheduled_date=False), "505.00", False),
    ("scheduled ISO", order(scheduled_date="2026-11-30T21:00:00+03:00"), "505.00", False),
    ("address as text", order(address="Dershane Sokak No:5 D:4, Şişli"), "505.00", False),
    (
        "address with nested values",
        order(
            address={
                "address": "Dershane Sokak No:5",
                "description": None,
                "apartment": "Gül Apt.",
                "floor": 3,
                "door": 4,
                "coordinates": {"lat": 41.0522, "lng": 28.9871},
                "has_elevator": True,
                "district": {"id": 34, "name": "Şişli"},
            }
        ),
        "505.00",
        False,
    ),
    ("address as JSON text", order(address='{"address": "Dershane Sokak No:5", "floor": 2}'), "505.00", False),
    ("address as an empty PHP array", order(address=[]), "505.00", False),
    (
        "negative option price (a removal)",
        order(
            foods=[
                adana(
                    add_substract=[
                        {"ilave_basligi": "Çıkarılacaklar", "ilave_opsiyonlari": [{"name": "Soğansız", "price": -5}]}
                    ]
                ),
                ayran(),
            ],
            total=465,
        ),
        "465.00",
        False,
    ),
    ("item price null", order(foods=[adana(), ayran(price=None)]), "505.00", True),
    ("item price missing", order(foods=[adana(), {"name": "Peçete", "quantity": 1}]), "505.00", True),
    (
        "only items without a price",
        order(foods=keyed([{"name": "Lahmacun", "adet": 2}, {"name": "Kola"}])),
        "505.00",
        True,
    ),
    ("zero-price item", order(foods=[adana(), ayran(), {"name": "Su", "price": 0}]), "505.00", False),
    ("quantities as text", order(foods=[adana(quantity="2"), ayran(quantity="3")]), "505.00", False),
    (
        "quantities as floats and halves",
        order(
            foods=[adana(quantity=2.0), ayran(quantity=3.0), {"name": "Kuruyemiş", "qty": "0,5", "price": 80}],
            total=545,
        ),
        "545.00",
        False,
    ),
    ("items keyed by id", order(foods=keyed([adana(), ayran()])), "505.00", False),
    (
        "items under items",
        {**{k: v for k, v in order().items() if k != "foods"}, "items": [adana(), ayran()]},
        "505.00",
        False,
    ),
    (
        "items under products, keyed",
        {**{k: v for k, v in order().items() if k != "foods"}, "products": keyed([adana(), ayran()], 7)},
        "505.00",
        False,
    ),
    (
        "options keyed by id",
        order(
            foods=[
                adana(
                    add_substract={
                        "11": {
                            "ilave_basligi": "Acı Seçimi",
                            "ilave_opsiyonlari": {"91": {"name": "Acılı", "price": "0"}},
                        },
                        "12": {
                            "ilave_basligi": "Ekstralar",
                            "ilave_opsiyonlari": {"95": {"name": "Ekstra Lavaş", "price": "15"}},
                        },
                    }
                ),
                ayran(),
            ]
        ),
        "505.00",
        False,
    ),
    (
        "options flat and as names",
        order(foods=[adana(add_substract=[{"name": "Ekstra Lavaş", "price": 15}, "Acılı"]), ayran()]),
        "505.00",
        False,
    ),
    ("items as JSON text", order(foods=json.dumps([adana(), ayran()], ensure_ascii=False)), "505.00", False),
    (
        "unknown fields everywhere",
        order(
            odeme_durumu="onaylandı",
            kampanya={"kod": "YAZ10"},
            platform_version="3.2.1",
            foods=[adana(kdv_orani=10, menu={"id": 3}), ayran(barkod="8690000000000")],
            customer={"name": "Kerim Test", "phone": "05335587642", "email": "kerim@example.com", "vip": True},
        ),
        "505.00",
        False,
    ),
    ("customer null", order(customer=None), "505.00", False),
    ("customer fields null", order(customer={"name": None, "phone": None}), "505.00", False),
    ("customer as an empty PHP array", order(customer=[]), "505.00", False),
    ("phone as a number", order(customer={"name": "Kerim Test", "phone": 5335587642}), "505.00", False),
    (
        "Turkish customer keys",
        order(customer={"ad_soyad": "Ayşe Yılmaz", "telefon": "0533 558 76 42"}),
        "505.00",
        False,
    ),
    ("texts false or null", order(note=False, courier_type=None, status_text=None), "505.00", False),
    ("ids as text", order(id="2045", status_id="1", foods=[adana(food_id="1"), ayran(food_id="on")]), "505.00", False),
    ("cash with string money", order(payment_method="Nakit", total="505.00", discount="0.00"), "505.00", False),
    ("no items, string money", order(foods=[], total="485,50", discount="19,50"), "485.50", False),
    ("total differs: adjustment", order(total="500"), "500.00", True),
    (
        "everything PHP at once",
        {
            **{k: v for k, v in order().items() if k != "foods"},
            "id": "2099",
            "total": 524.8999999999999,
            "discount": "0,00",
            "courier_fee": "19,90",
            "date": "2026-11-30T16:10:54Z",
            "scheduled_date": "0000-00-00 00:00:00",
            "customer": {"name": "Kerim Test", "phone": None, "email": None},
            "address": {"address": "Dershane Sokak No:5", "floor": 3, "coordinates": {"lat": 41.05, "lng": 28.98}},
            "items": keyed(
                [adana(quantity="2", add_substract=keyed(BASE["foods"][0]["add_substract"], 3)), ayran(adet="3")]
            ),
            "sepet_id": 77,
        },
        "524.90",
        False,
    ),
]


def lenient_lines():
    for number, (case, shape, total, attention) in enumerate(LENIENT, 1):
        data = dict(shape, payment_key=key(case))
        if isinstance(data.get("id"), int):
            data["id"] = 2000 + number
        yield {**data, "_expect": {"case": case, "state": "done", "total": total, "attention": attention}}


# tests/test_bad_input.py, ORDER_CASES: (case, changes, state, field the error names)
HOSTILE = [
    ("missing id", {"id": None}, "error", "id"),
    ("id not a number", {"id": "on bir"}, "error", "id"),
    ("status id unknown and absurd", {"status_id": 99999}, "error", "status_id"),
    ("status id text", {"status_id": "new"}, "error", "status_id"),
    ("total missing", {"total": None}, "error", "total"),
    ("total not numeric", {"total": "bin"}, "error", "total"),
    ("total negative", {"total": -12.5}, "error", "total"),
    ("total NaN", {"total": float("nan")}, "error", "total"),
    ("total Infinity", {"total": float("inf")}, "error", "total"),
    ("total text NaN", {"total": "NaN"}, "error", "total"),
    ("total boolean", {"total": True}, "error", "total"),
    ("total three decimals", {"total": "10.005"}, "error", "total"),
    ("discount text", {"discount": "yüzde on"}, "error", "discount"),
    ("fee negative", {"courier_fee": -5}, "error", "courier_fee"),
    ("foods not a list", {"foods": "iki ayran"}, "error", "foods"),
    ("item without name", {"foods": [{"quantity": 1, "price": 10}]}, "error", "foods[0].name"),
    (
        "item negative quantity",
        {"foods": [{"name": "Ayran", "quantity": -1, "price": 10}]},
        "error",
        "foods[0].quantity",
    ),
    (
        "item quantity text",
        {"foods": [{"name": "Ayran", "quantity": "iki", "price": 10}]},
        "error",
        "foods[0].quantity",
    ),
    (
        "option price text",
        {
            "foods": [
                {
                    "name": "Ayran",
                    "price": 10,
                    "add_substract": [
                        {"ilave_basligi": "Boy", "ilave_opsiyonlari": [{"name": "Büyük", "price": "on beş"}]}
                    ],
                }
            ]
        },
        "error",
        "foods[0].add_substract[0].ilave_opsiyonlari[0].price",
    ),
    ("date malformed", {"date": "16.01.2026 15:10"}, "error", "date"),
    ("scheduled date malformed", {"scheduled_date": "yarın akşam"}, "error", "scheduled_date"),
    (
        "10 MB customer name",
        {"customer": {"phone": "05335587642"}, "_fill": {"customer.name": HUGE}},
        "error",
        "customer.name",
    ),
    ("10 MB note", {"_fill": {"note": HUGE}}, "error", "note"),
    ("customer not an object", {"customer": "Kerim"}, "error", "customer"),
    ("address a list", {"address": ["Dershane Sokak"]}, "error", "address"),
    ("restaurant id not a UUID", {"restaurant_id": "../restaurants"}, "error", "restaurant_id"),
    ("unknown restaurant", {"restaurant_id": UNKNOWN_RESTAURANT}, "pending", None),
    (
        "HTML and JS in names and notes",
        {
            "note": "<script>alert('not')</script>",
            "customer": {"name": "<img src=x onerror=alert(1)>", "phone": "05320000000"},
            "address": {"address": "<b>Sokak</b>", "description": "<script>alert(2)</script>"},
            "foods": [{"name": "<i>Kebap</i>", "price": 100, "note": "<script>x</script>"}],
            "total": 100,
            "discount": 0,
            "courier_fee": 0,
            "order_tip": 0,
        },
        "done",
        None,
    ),
]
# KEYLESS_CASES: no usable payment_key, rejected (never stored)
KEYLESS = [
    ("a string instead of an order", "sipariş"),
    ("a number instead of an order", 1031),
    ("null instead of an order", None),
    ("a list instead of an order", [1, 2]),
    ("missing payment_key", {"id": 1, "total": 10}),
    ("integer payment_key", {"payment_key": 1031, "total": 10}),
    ("path-like payment_key", {"payment_key": "../../restaurants/status/close/" + REST_A, "total": 10}),
    ("payment_key with query", {"payment_key": "3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e?x=1", "total": 10}),
]
# ANSWER_CASES: whole answers that are not what the API documents; the poll fails cleanly
ANSWERS = [
    ("not JSON", 200, "<html><body>Bad Gateway</body></html>"),
    ("wrong envelope", 200, '{"ok": true, "orders": []}'),
    ("data not a list", 200, '{"status": true, "data": {"orders": []}}'),
    ("data missing", 200, '{"status": true}'),
    ("status false", 200, '{"status": false, "error": "yetkisiz erişim"}'),
    ("HTML error page", 502, "<html>502</html>"),
    ("truncated JSON", 200, '{"status": true, "data": [{"id": 1'),
]


def hostile_lines():
    sim = Simulator(seed=7)
    for case, changes, state, field in HOSTILE:
        data = sim.generate_order(restaurant_id=REST_A, payment_method="Kredi Kartı")
        data.update(changes)
        data["payment_key"] = key(case)
        expect = {"case": case, "state": state}
        if field:
            expect["field"] = field
        if state == "done":
            expect.update(total=f"{data['total']:.2f}", attention=False)
        yield {**data, "_expect": expect}
    for case, entry in KEYLESS:
        yield {"_order": entry, "_expect": {"case": case, "state": "rejected"}}
    for case, status, body in ANSWERS:
        yield {"_answer": {"status": status, "body": body}, "_expect": {"case": case, "state": "poll failed"}}
    # the same order twice in one answer: one record, acknowledged once
    twice = sim.generate_order(restaurant_id=REST_A, payment_method="Kredi Kartı")
    twice["payment_key"] = key("the same order twice in one answer")
    expect = {"state": "done", "total": f"{twice['total']:.2f}", "attention": False}
    yield {**twice, "_expect": {"case": "the same order twice in one answer", **expect}}
    yield {**twice, "_expect": {"case": "the same order twice in one answer (repeat)", **expect}}
    # test_huge_answer: an entry with a valid key and a 10 MB note, nothing else
    huge = {"payment_key": key("huge answer"), "_fill": {"note": HUGE}}
    yield {**huge, "_expect": {"case": "a 10 MB entry in an answer", "state": "error", "field": "restaurant_id"}}


def main():
    lines = [*lenient_lines(), *hostile_lines()]
    path = HERE / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.stdout.write(f"{path}: {len(lines)} lines\n")


if __name__ == "__main__":
    main()
