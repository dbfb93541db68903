# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Real payloads (issue #14) through the whole pipeline: the shipped corpus
(``tests/data/corpus.jsonl``: the lenient shapes and the 45 hostile cases) and the
simulator's PHP-style variants. Every order is imported or refused with its reason,
and every imported order's total is Dükkango's."""

import random
from decimal import Decimal
from pathlib import Path

from odoo.tests import tagged

from ..dukkango.orders import parse_order
from ..dukkango.testing.variants import KINDS, NULL_PRICE, php_variant
from .common import REST_A, DukkangoPosCase

CORPUS = Path(__file__).resolve().parent / "data" / "corpus.jsonl"


@tagged("post_install", "-at_install")
class TestCorpus(DukkangoPosCase):
    def poll_until_imported(self, rounds=5):
        """Poll until no order waits for its open point of sale (an import has a time budget)."""
        for _ in range(rounds):
            stats = self.poll()
            waiting = self.DukkangoOrder.search_count(
                [("account_id", "=", self.account.id), ("state", "=", "pending"), ("config_id", "!=", False)]
            )
            if not waiting:
                return stats
        return stats

    def check_done(self, staged, expect, data):
        """Problems of an order that must be imported with Dükkango's total."""
        problems = []
        pos_order = staged.pos_order_id
        total = float(Decimal(expect["total"]))
        if not pos_order:
            return ["no POS order"]
        if pos_order.currency_id.compare_amounts(pos_order.amount_total, total):
            problems.append(f"POS total {pos_order.amount_total} ≠ Dükkango's {expect['total']}")
        if staged.currency_id.compare_amounts(staged.amount_total, total):
            problems.append(f"stored total {staged.amount_total} ≠ {expect['total']}")
        if bool(staged.needs_attention) != expect.get("attention", False):
            problems.append(f"needs attention is {staged.needs_attention}: {staged.attention_reason}")
        fallback = self.config.dukkango_fallback_product_id
        names = pos_order.lines.filtered(lambda line: line.product_id == fallback).mapped("full_product_name")
        for item in parse_order(data).unpriced_items:  # booked on the fallback product under its own name
            if item.name not in names:
                problems.append(f"no fallback line named {item.name!r}: {names}")
        return problems

    def test_shipped_corpus_through_the_pipeline(self):
        self.open_session()
        entries = self.sim.load_corpus(str(CORPUS))
        answers = [entry for entry in entries if entry.answer is not None]
        orders = [entry for entry in entries if entry.answer is None]
        self.assertGreaterEqual(len([e for e in orders if e.expect["state"] == "done"]), 30)

        # whole answers that are not what the API documents: each poll fails cleanly, nothing stored
        failed = 0
        for _ in range(4 * len(answers) + 1):
            stats = self.poll()
            if stats["polled"]:
                break
            failed += 1
            self.assertTrue(self.account.last_poll_error)
            self.assertFalse(self.DukkangoOrder.search([("account_id", "=", self.account.id)]))
            self.assertEqual(self.sim.ack_log(), [])
        self.assertTrue(stats["polled"] and failed >= 1, "the broken answers were not all served")
        self.assertFalse(self.sim.faults.get("get-current"))
        self.assertEqual(stats["rejected"], len([e for e in orders if e.expect["state"] == "rejected"]))
        self.poll_until_imported()

        acked = {ack["payment_key"] for ack in self.sim.ack_log()}
        problems = []
        for entry in orders:
            expect, key = entry.expect, entry.payment_key
            if expect["state"] == "rejected":
                continue
            staged = self.DukkangoOrder.search([("account_id", "=", self.account.id), ("payment_key", "=", key)])
            found = [f"{entry.case}: {len(staged)} records"] if len(staged) != 1 else []
            if found:
                problems += found
                continue
            if staged.state != expect["state"]:
                problems.append(f"{entry.case}: {staged.state}, not {expect['state']}: {staged.error_message}")
                continue
            if expect["state"] == "error":
                if f"{expect['field']}: " not in staged.error_message or key in acked:
                    problems.append(f"{entry.case}: {staged.error_message[:300]} (acknowledged: {key in acked})")
            elif expect["state"] == "done":
                problems += [f"{entry.case}: {p}" for p in self.check_done(staged, expect, entry.order)]
                if key not in acked:
                    problems.append(f"{entry.case}: not acknowledged")
        self.assertFalse(problems, "\n" + "\n".join(problems))

    def test_error_message_names_the_order_and_the_item(self):
        self.open_session()
        data = self.sim.generate_order(restaurant_id=REST_A, payment_method="Kredi Kartı")
        data["foods"] = [{"name": "Adana", "quantity": "iki", "price": 185}]
        self.sim.add_order(data)
        self.poll()
        message = self.staged(data).error_message
        self.assertIn(
            f"Order #{data['id']} (Halaskargazi Şube): item 'Adana' quantity is not a number ('iki')", message
        )
        self.assertIn("foods[0].quantity: ", message)

    def test_simulator_variants_import_with_their_totals(self):
        self.open_session()
        kinds = [kind for kind, _probability in KINDS if kind != NULL_PRICE]
        orders = []
        for seed in range(8):
            data = self.sim.generate_order(restaurant_id=REST_A, payment_method="Kredi Kartı")
            variant, _kinds = php_variant(data, random.Random(seed), kinds=random.Random(seed).sample(kinds, 6))
            orders.append(self.sim.add_order(variant))
        self.poll_until_imported()
        for data in orders:
            staged = self.staged(data)
            self.assertEqual(staged.state, "done", staged.error_message)
            total = float(parse_order(data).total)
            self.assertEqual(
                staged.pos_order_id.currency_id.compare_amounts(staged.pos_order_id.amount_total, total), 0
            )
            self.assertFalse(staged.needs_attention, staged.attention_reason)
