# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import TransactionCase

from odoo.addons.point_of_sale.tests.common import TestPoSCommon

from ..dukkango.testing.simulator import DEFAULT_RESTAURANTS, Simulator

REST_A = DEFAULT_RESTAURANTS[0]["id"]
REST_B = DEFAULT_RESTAURANTS[1]["id"]


class SimulatorMixin:
    """Runs the project's Dükkango simulator on 127.0.0.1 for the whole class.

    ``cls.sim`` is the simulator, ``cls.account`` a ``dukkango.account`` that points
    at it. Each test starts with an empty simulator (no orders, tokens, faults).
    """

    @classmethod
    def _start_simulator(cls):
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
        cls.config.write({"dukkango_account_id": cls.account.id, "dukkango_restaurant_id": REST_A})
        cls.DukkangoOrder = cls.env["dukkango.order"]

    def poll(self, account=None):
        """One poll cycle, as the cron runs it (the cooldown guard is reset first)."""
        account = account or self.account
        account.next_poll_at = False
        return account._poll_orders()

    def open_session(self, config=None):
        config = config or self.config
        config.open_ui()
        session = config.current_session_id
        session.set_opening_control(0, None)
        return session

    def staged(self, order):
        return self.DukkangoOrder.search([("payment_key", "=", order["payment_key"])])
