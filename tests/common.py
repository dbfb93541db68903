# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.point_of_sale.tests.common import TestPoSCommon
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

from ..dukkango.testing.simulator import DEFAULT_RESTAURANTS, Simulator
from ..models import dukkango_account

REST_A = DEFAULT_RESTAURANTS[0]["id"]
REST_B = DEFAULT_RESTAURANTS[1]["id"]

ITEMS = [
    {
        "food_id": 501,
        "name": "Adana Dürüm",
        "quantity": 2,
        "price": 185,
        "note": "soğansız",
        "add_substract": [
            {"ilave_basligi": "Acı Seçimi", "ilave_opsiyonlari": [{"name": "Acılı", "price": 0}]},
            {"ilave_basligi": "Ekstralar", "ilave_opsiyonlari": [{"name": "Ekstra Lavaş", "price": 15}]},
        ],
    },
    {"name": "Ayran", "quantity": 3, "price": "35"},
    {"name": "Tatlı Sürprizi", "quantity": 1, "price": 99.9},
]
AYRAN = {"name": "Ayran", "quantity": 1, "price": 35}
# 2 × (185 + 0 + 15) + 3 × 35 + 99.90 = 604.90; − 60.49 + 29.90 + 20 = 594.31
ITEMS_TOTAL = 604.90


def order_data(**changes):
    """A complete get-current order of restaurant A (card, delivery by the restaurant's
    courier, three dishes with options, discount, fee and tip); ``changes`` override."""
    data = {
        "restaurant_id": REST_A,
        "foods": ITEMS,
        "discount": "60.49",
        "courier_fee": 29.9,
        "order_tip": 20,
        "total": 594.31,
        "payment_method": "Kredi Kartı",
        "shipping_method": "delivery",
        "courier_type": "restaurant",
        "customer": {"name": "Kerim Test", "phone": "05335587642"},
        "address": {
            "address": "Dershane Sokak No:5",
            "description": "Mavi kapı",
            "apartment": "Gül Apt.",
            "floor": "3",
            "district": "Şişli",
            "city": "İstanbul",
        },
        "note": "Zili çalmayın",
    }
    data.update(changes)
    return data


def flush_only(cycle):
    """A test runs in one transaction, rolled back at its end: the cycle's commits only flush."""
    cycle.env.flush_all()


def reraise(cycle, account, error):
    """A failed cycle fails the test instead of being recorded on the account."""
    raise error


class SimulatorMixin:
    """Runs the project's Dükkango simulator on 127.0.0.1 for the whole class.

    ``cls.sim`` is the simulator, ``cls.account`` a ``dukkango.account`` that points
    at it. Each test starts with an empty simulator (no orders, tokens, faults).
    """

    @classmethod
    def _patch_cycle_seams(cls):
        """Replace what a test cannot do: commit, wait between ack retries, wake a cron thread."""
        Cycle = type(cls.env["dukkango.poll.cycle"])
        cls.startClassPatcher(patch.object(Cycle, "_commit", flush_only))
        cls.startClassPatcher(patch.object(Cycle, "_recover", reraise))
        cls.startClassPatcher(patch.object(Cycle, "_sleep", lambda cycle, seconds: None))
        cls.startClassPatcher(patch.object(Cycle, "_wake_cron_at", lambda cycle, when: None))
        # no waiting between the client's retries of a transient failure
        cls.startClassPatcher(patch.object(dukkango_account, "CLIENT_BACKOFF", 0))

    @classmethod
    def restaurant(cls, uuid, account=None):
        """The ``dukkango.restaurant`` of ``uuid`` (as Test connection would list it)."""
        account = account or cls.account
        Restaurant = cls.env["dukkango.restaurant"].with_context(active_test=False)
        name = next((r["name"] for r in DEFAULT_RESTAURANTS if r["id"] == uuid), uuid)
        return Restaurant.search([("account_id", "=", account.id), ("uuid", "=", uuid)]) or Restaurant.create(
            {"account_id": account.id, "uuid": uuid, "name": name}
        )

    @classmethod
    def _start_simulator(cls):
        cls._patch_cycle_seams()
        cls.sim = Simulator(cooldown=0, seed=7, timeout_delay=1.5).start()
        cls.sim_accounts = dict(cls.sim.accounts)
        cls.addClassCleanup(cls.sim.stop)
        cls.account = cls.env["dukkango.account"].create(
            {
                "name": "Simülatör",
                "api_url": cls.sim.base_url,
                "app_secret_key": cls.sim.app_secret_key,
                "rest_secret_key": cls.sim.rest_secret_key,
                "timeout": 5,
            }
        )

    def staged(self, order):
        """The ``dukkango.order`` of a simulator order."""
        return self.env["dukkango.order"].search([("payment_key", "=", order["payment_key"])])

    def setUp(self):
        super().setUp()
        self.sim.reset()
        self.sim.cooldown = 0
        self.sim.token_lifetime = 24 * 3600
        self.sim.on_ack = None
        self.sim.on_request = None
        self.sim.accounts = dict(self.sim_accounts)


class DukkangoSimulatorCase(SimulatorMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_simulator()


class DukkangoPosCase(SimulatorMixin, TestPoSCommon):
    """A company with accounting, a POS config linked to restaurant A, and the simulator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_simulator()
        cls.config = cls.basic_config
        cls.config.write({"dukkango_account_id": cls.account.id, "dukkango_restaurant_id": cls.restaurant(REST_A).id})
        cls.DukkangoOrder = cls.env["dukkango.order"]

    def poll(self, account=None):
        """One poll cycle, as the cron runs it (the cooldown guard is reset first)."""
        account = account or self.account
        account.next_poll_at = False
        return account._poll_orders()

    def daily_hours(self, name, hour_from, hour_to):
        """Opening hours in İstanbul, every day from ``hour_from`` to ``hour_to``."""
        days = [
            Command.create({"name": f"Day {day}", "dayofweek": str(day), "hour_from": hour_from, "hour_to": hour_to})
            for day in range(7)
        ]
        return self.env["resource.calendar"].create(
            {
                "name": name,
                "tz": "Europe/Istanbul",
                "company_id": self.config.company_id.id,
                "attendance_ids": [Command.clear(), *days],
            }
        )

    def open_session(self, config=None):
        config = config or self.config
        config.open_ui()
        session = config.current_session_id
        session.set_opening_control(0, None)
        return session


class DukkangoTillCase(SimulatorMixin, TestPointOfSaleHttpCommon):
    """The till of Odoo's own POS tours (``main_pos_config``) serving restaurant A of the
    simulator's account; ``till_values`` adds to its settings."""

    till_values = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._start_simulator()
        cls.main_pos_config.write(
            {"dukkango_account_id": cls.account.id, "dukkango_restaurant_id": cls.restaurant(REST_A).id}
            | cls.till_values
        )
