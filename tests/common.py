# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import TransactionCase

from ..dukkango.simulator import Simulator


class DukkangoSimulatorCase(TransactionCase):
    """Runs the project's Dükkango simulator on 127.0.0.1 for the whole class.

    ``cls.sim`` is the simulator, ``cls.account`` a ``dukkango.account`` that
    points at it. Each test starts with an empty simulator (no orders, tokens,
    faults or cooldowns).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sim = Simulator(cooldown=0, seed=7, timeout_delay=1.5).start()
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
