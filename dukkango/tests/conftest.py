import pytest

from dukkango.client import DukkangoClient
from dukkango.testing.simulator import Simulator


@pytest.fixture
def sim():
    simulator = Simulator(cooldown=0, seed=42, timeout_delay=0.6)
    simulator.start()
    yield simulator
    simulator.stop()


def make_client(sim, **kwargs):
    kwargs.setdefault("timeout", (0.5, 0.3))
    kwargs.setdefault("backoff_factor", 0)
    kwargs.setdefault("retries", 2)
    return DukkangoClient(sim.base_url, sim.app_secret_key, sim.rest_secret_key, **kwargs)


@pytest.fixture
def client_factory(sim):
    return lambda **kwargs: make_client(sim, **kwargs)


@pytest.fixture
def client(sim):
    return make_client(sim)
