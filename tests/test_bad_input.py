# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Hostile and broken get-current answers: a clear error, nothing acknowledged that was
not stored, no request built from unvalidated input, and the rest of the batch imported."""

import json
import re
import uuid

from odoo.tests import tagged

from .common import REST_A, DukkangoPosCase

HUGE = "x" * (10 * 1024 * 1024)
UNKNOWN_RESTAURANT = "99999999-9999-4999-8999-999999999999"
UUID_PATH = re.compile(
    r"^/api/integrations/(auth/login|orders/get-current|orders/cancel-reasons|orders/variables|restaurants/get|"
    r"(orders/(success|accept|ontheway|complete|cancel)|restaurants/status/(get|open|close))/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)


def key():
    return str(uuid.uuid4())


# (label, changes to a valid order, expected state, field the error names)
ORDER_CASES = [
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
    ("10 MB customer name", {"customer": {"name": HUGE, "phone": "05335587642"}}, "error", "customer.name"),
    ("10 MB note", {"note": HUGE}, "error", "note"),
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
# entries without a usable payment_key: rejected, never stored nor acknowledged
KEYLESS_CASES = [
    ("a string instead of an order", "sipariş"),
    ("a number instead of an order", 1031),
    ("null instead of an order", None),
    ("a list instead of an order", [1, 2]),
    ("missing payment_key", {"id": 1, "total": 10}),
    ("integer payment_key", {"payment_key": 1031, "total": 10}),
    ("path-like payment_key", {"payment_key": "../../restaurants/status/close/" + REST_A, "total": 10}),
    ("payment_key with query", {"payment_key": "3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e?x=1", "total": 10}),
]
# whole answers that are not what the API documents: the poll fails cleanly, nothing changes
ANSWER_CASES = [
    ("not JSON", 200, b"<html><body>Bad Gateway</body></html>"),
    ("wrong envelope", 200, b'{"ok": true, "orders": []}'),
    ("data not a list", 200, b'{"status": true, "data": {"orders": []}}'),
    ("data missing", 200, b'{"status": true}'),
    ("status false", 200, '{"status": false, "error": "yetkisiz erişim"}'.encode()),
    ("HTML error page", 502, b"<html>502</html>"),
    ("truncated JSON", 200, b'{"status": true, "data": [{"id": 1'),
]


@tagged("post_install", "-at_install")
class TestBadInput(DukkangoPosCase):
    def assert_no_unvalidated_path(self):
        for request in self.sim.request_log():
            self.assertRegex(request["path"], UUID_PATH)

    def test_hostile_orders_in_one_batch(self):
        self.open_session()
        # a branch the keys reach but Odoo has never heard of
        self.sim.accounts[self.sim.rest_secret_key].append(UNKNOWN_RESTAURANT)
        good = self.sim.add_order(restaurant_id=REST_A, payment_method="Kredi Kartı")
        cases = []
        for label, changes, expected, field in ORDER_CASES:
            data = self.sim.generate_order(restaurant_id=REST_A, payment_method="Kredi Kartı")
            data.update(changes)
            data["payment_key"] = key()
            if expected == "error":
                self.sim.add_raw(data)  # the simulator serves it as is
            else:
                self.sim.add_order(data)  # valid: an order the platform knows (and accepts acks for)
            cases.append((label, data, expected, field))
        for _label, entry in KEYLESS_CASES:
            self.sim.add_raw(entry)
        duplicate = self.sim.add_order(restaurant_id=REST_A, payment_method="Kredi Kartı")
        self.sim.add_raw(duplicate)  # the same order twice in one answer

        stats = self.poll()

        self.assertTrue(stats["polled"])
        self.assertEqual(stats["rejected"], len(KEYLESS_CASES))
        self.assertEqual(self.staged(good).state, "done")  # the rest of the batch went through
        acked = {a["payment_key"] for a in self.sim.ack_log()}
        for label, data, expected, field in cases:
            staged = self.staged(data)
            self.assertEqual(len(staged), 1, label)
            self.assertEqual(staged.state, expected, f"{label}: {staged.error_message}")
            if expected == "error":
                self.assertIn(f"{field}: ", staged.error_message, label)
                self.assertNotIn(data["payment_key"], acked, label)
                self.assertLess(len(staged.sudo().payload or ""), 11 * 1024 * 1024, label)
            else:
                self.assertIn(data["payment_key"], acked, label)
        self.assertEqual(len(self.DukkangoOrder.search([("payment_key", "=", duplicate["payment_key"])])), 1)
        self.assertEqual(self.staged(duplicate).state, "done")
        self.assertEqual(self.staged(duplicate).seen_count, 2)
        self.assertEqual(len([a for a in self.sim.ack_log() if a["payment_key"] == duplicate["payment_key"]]), 1)
        self.assert_no_unvalidated_path()
        self.assertEqual(len(acked), len(self.sim.ack_log()), "an order was acknowledged twice")
        # hostile markup is kept as text, and sanitized where Odoo stores HTML
        html = next(data for label, data, *_rest in cases if label.startswith("HTML"))
        pos_order = self.staged(html).pos_order_id
        self.assertIn("<script>alert('not')</script>", pos_order.general_note)
        self.assertEqual(pos_order.partner_id.name, "<img src=x onerror=alert(1)>")
        self.assertNotIn("<script", pos_order.partner_id.comment or "")
        self.assertEqual(
            pos_order.lines.filtered(lambda line: line.price_subtotal_incl == 100).full_product_name, "<i>Kebap</i>"
        )
        view = self.env["dukkango.order"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('widget="html"', view)  # platform text is never rendered as HTML

    def test_broken_answers_fail_cleanly(self):
        self.sim.add_order(restaurant_id=REST_A)
        for label, status, body in ANSWER_CASES:
            self.sim.inject_response("get-current", status, body, count=4)
            stats = self.poll()
            self.assertFalse(stats["polled"], label)
            self.assertTrue(self.account.last_poll_error, label)
            self.assertFalse(self.DukkangoOrder.search([("account_id", "=", self.account.id)]), label)
            self.assertEqual(self.sim.ack_log(), [], label)
            self.sim.faults.clear()
        self.sim.add_raw({"payment_key": key(), "id": 5, "total": "x" * 100})
        stats = self.poll()  # the platform answers properly again
        self.assertTrue(stats["polled"])
        self.assertFalse(self.account.last_poll_error)
        self.assert_no_unvalidated_path()

    def test_huge_answer(self):
        orders = [self.sim.generate_order(restaurant_id=REST_A) for _ in range(3)]
        body = json.dumps({"status": True, "data": [*orders, {"payment_key": key(), "note": HUGE}]}).encode()
        self.sim.inject_response("get-current", 200, body)
        stats = self.poll()
        self.assertEqual((stats["received"], stats["stored"], stats["errors"]), (4, 3, 1))
