"""The simulator follows the documented API rules."""

import json
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from dukkango.client import DukkangoClient
from dukkango.exceptions import DukkangoRateLimitError, DukkangoValidationError
from dukkango.orders import parse_order
from dukkango.testing.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]


def keys(orders):
    return [o["payment_key"] for o in orders]


def test_lost_ack_makes_the_order_come_back(sim, client):
    key = sim.add_order()["payment_key"]
    client.acknowledge_order(key)
    assert client.get_current_orders() == []
    sim.forget_ack(key)
    assert keys(client.get_current_orders()) == [key]


def test_order_repeats_until_acknowledged_per_status(sim, client):
    key = sim.add_order(shipping_method="delivery", courier_type="restaurant")["payment_key"]
    assert keys(client.get_current_orders()) == [key]
    assert keys(client.get_current_orders()) == [key]
    client.acknowledge_order(key)
    assert client.get_current_orders() == []
    client.accept_order(key, 20)  # our own change comes back
    again = client.get_current_orders()
    assert keys(again) == [key] and again[0]["status_id"] == 2 and again[0]["status_text"] == "Hazırlanıyor"
    client.acknowledge_order(key)
    assert client.get_current_orders() == []
    sim.set_status(key, 6)  # cancelled by the platform
    assert [o["status_id"] for o in client.get_current_orders()] == [6]
    client.acknowledge_order(key)
    assert client.get_current_orders() == []
    assert [(a["payment_key"], a["status_id"]) for a in sim.ack_log()] == [(key, 1), (key, 2), (key, 6)]


def test_cooldown_per_endpoint(sim, client):
    sim.cooldown = 30
    client.get_current_orders()
    client.get_foods()  # its own cooldown
    with pytest.raises(DukkangoRateLimitError):
        client.get_current_orders()
    with pytest.raises(DukkangoRateLimitError):
        client.get_foods()
    sim.advance(29)
    with pytest.raises(DukkangoRateLimitError) as info:
        client.get_current_orders()
    assert info.value.retry_after == 1
    sim.advance(1)
    client.get_current_orders()
    client.get_restaurants()  # not rate limited
    client.get_restaurants()


@pytest.mark.parametrize(
    "shipping, courier, path",
    [
        ("delivery", "restaurant", [("accept", 2), ("ontheway", 16), ("complete", 5)]),
        ("delivery", "fuudy", [("accept", 2), ("ontheway", None), ("complete", 5)]),
        ("pickup", "come_get", [("accept", 2), ("ontheway", None), ("complete", 5)]),
    ],
)
def test_transitions(sim, client, shipping, courier, path):
    key = sim.add_order(shipping_method=shipping, courier_type=courier)["payment_key"]
    with pytest.raises(DukkangoValidationError):
        client.complete_order(key)  # not from 1
    for action, status in path:
        call = {
            "accept": lambda: client.accept_order(key, 30),
            "ontheway": lambda: client.mark_on_the_way(key),
            "complete": lambda: client.complete_order(key),
        }[action]
        if status is None:
            with pytest.raises(DukkangoValidationError) as info:
                call()
            assert info.value.error == "geçersiz durum"
        else:
            call()
            assert sim.order_status(key) == status
    with pytest.raises(DukkangoValidationError):
        client.cancel_order(key, 1)  # final
    with pytest.raises(DukkangoValidationError):
        client.accept_order(key, 30)


def test_accept_and_cancel_require_their_fields(sim, client):
    key = sim.add_order()["payment_key"]
    client.login()
    url = f"{sim.base_url}/orders/accept/{key}"
    answer = requests.put(url, json={}, headers={"Access-Token": client.token}, timeout=5)
    assert answer.status_code == 400
    assert answer.json() == {"status": False, "error": "eksik alan", "message": "preparing_time is required"}
    answer = requests.put(
        f"{sim.base_url}/orders/cancel/{key}", json={}, headers={"Access-Token": client.token}, timeout=5
    )
    assert answer.json()["message"] == "reason_id is required"
    answer = requests.put(f"{sim.base_url}/orders/success/1031", headers={"Access-Token": client.token}, timeout=5)
    assert answer.status_code == 403 and answer.json()["error"] == "URL hatalı"
    answer = requests.get(f"{sim.base_url}/restaurants/get", timeout=5)
    assert answer.status_code == 401 and answer.json()["error"] == "yetkisiz erişim"
    client.cancel_order(key, 4)
    assert sim.order_status(key) == 6


def test_accounts_see_only_their_restaurants():
    restaurants = [
        {"id": "11111111-1111-4111-8111-111111111111", "name": "A"},
        {"id": "22222222-2222-4222-8222-222222222222", "name": "B"},
    ]
    with Simulator(
        cooldown=0,
        restaurants=restaurants,
        accounts={"key-a": [restaurants[0]["id"]], "key-b": [restaurants[1]["id"]]},
    ) as sim:
        a = DukkangoClient(sim.base_url, sim.app_secret_key, "key-a")
        b = DukkangoClient(sim.base_url, sim.app_secret_key, "key-b")
        order_a = sim.add_order(restaurant_id=restaurants[0]["id"])
        sim.add_order(restaurant_id=restaurants[1]["id"])
        assert [r["name"] for r in a.get_restaurants()] == ["A"]
        assert keys(a.get_current_orders()) == [order_a["payment_key"]]
        assert len(b.get_current_orders()) == 1
        with pytest.raises(Exception, match="sipariş bulunamadı"):
            b.acknowledge_order(order_a["payment_key"])


def test_generated_orders_are_realistic_and_balanced(sim):
    variety = {
        "shipping": set(),
        "payment": set(),
        "scheduled": 0,
        "discount": 0,
        "fee": 0,
        "tip": 0,
        "options": 0,
    }
    for _ in range(300):
        parsed = parse_order(sim.generate_order())
        assert parsed.identity_holds and parsed.total > 0
        variety["shipping"].add(parsed.shipping_method)
        variety["payment"].add(parsed.payment_method)
        variety["scheduled"] += parsed.scheduled_date is not None
        variety["discount"] += parsed.discount > 0
        variety["fee"] += parsed.courier_fee > 0
        variety["tip"] += parsed.order_tip > 0
        variety["options"] += any(item.options for item in parsed.items)
        if parsed.shipping_method == "pickup":
            assert parsed.courier_type == "come_get" and parsed.courier_fee == Decimal(0)
    assert variety["shipping"] == {"delivery", "pickup"}
    assert variety["payment"] == {"Nakit", "Kredi Kartı", "Banka Kartı"}
    assert all(variety[k] > 5 for k in ("scheduled", "discount", "fee", "tip", "options"))


def test_control_interface_over_http(sim, client):
    control = f"http://127.0.0.1:{sim.port}/_sim"
    created = requests.post(f"{control}/orders", json={"count": 2, "payment_method": "Nakit"}, timeout=5).json()["data"]
    assert len(created) == 2 and all(o["payment_method"] == "Nakit" for o in created)
    key = created[0]["payment_key"]
    requests.post(f"{control}/orders/{key}/status", json={"status_id": 6}, timeout=5)
    assert sim.order_status(key) == 6
    requests.post(f"{control}/faults", json={"endpoint": "get-current", "kind": "500", "count": 1}, timeout=5)
    assert sim.faults["get-current"] == ["500"]
    client.acknowledge_order(key)
    acks = requests.get(f"{control}/acks", timeout=5).json()["data"]
    assert [(a["payment_key"], a["status_id"]) for a in acks] == [(key, 6)] and acks[0]["time"] > 0
    listed = requests.get(f"{control}/orders", timeout=5).json()["data"]
    assert {o["payment_key"] for o in listed} == set(keys(created))


def test_random_faults_per_request_at_the_given_rates(sim):
    sim.fault_rates = {"500": 0.2, "429": 0.1}
    url = f"{sim.base_url}/foods/get-foods"  # unauthenticated: 401 when no fault
    statuses = [requests.get(url, timeout=5).status_code for _ in range(400)]
    served = sim.faults_served
    assert statuses.count(500) == served["500"] and statuses.count(429) == served["429"]
    assert 50 <= served["500"] <= 110 and 20 <= served["429"] <= 65
    sim.fault_rates = {}
    assert requests.get(url, timeout=5).status_code != 500 and sim.faults_served == served


def test_on_ack_hook_runs_before_ack_is_recorded(sim, client):
    seen = []
    sim.on_ack = lambda key, status: seen.append((key, status, len(sim.acks))) or "checked"
    key = sim.add_order()["payment_key"]
    client.acknowledge_order(key)
    assert seen == [(key, 1, 0)]
    assert sim.ack_log()[0]["check"] == "checked"


def test_runs_standalone():
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "dukkango.testing.simulator", "--port", "0", "--orders", "2"),
            *("--cooldown", "0", "--latency", "5", "--jitter", "1"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(4)]
        base_url = lines[0].split()[-1]
        app_key, rest_key = lines[1].split()[-1], lines[2].split()[-1]
        assert lines[3].split() == ["latency:", "5", "±", "1", "ms", "per", "request"]
        login = requests.post(
            f"{base_url}/auth/login", json={"app_secret_key": app_key, "rest_secret_key": rest_key}, timeout=5
        )
        token = login.json()["data"]["access_token"]
        orders = requests.get(f"{base_url}/orders/get-current", headers={"Access-Token": token}, timeout=5)
        assert orders.headers["Content-Type"].startswith("application/json")
        assert len(json.loads(orders.content)["data"]) == 2
    finally:
        proc.terminate()
        proc.wait(10)


def test_standalone_fault_rates():
    command = [
        sys.executable,
        "-m",
        "dukkango.testing.simulator",
        "--port",
        "0",
        "--orders",
        "0",
        "--fault-rate",
        "500=1",
    ]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        base_url = proc.stdout.readline().split()[-1]
        assert requests.post(f"{base_url}/auth/login", json={}, timeout=5).status_code == 500
    finally:
        proc.terminate()
        proc.wait(10)
    for wrong in ("500=2", "slow=0.1", "500"):
        refused = subprocess.run(
            [*command[:-1], wrong], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False
        )
        assert refused.returncode == 2 and "--fault-rate" in refused.stderr


def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def test_latency_applied_to_every_api_request():
    with Simulator(cooldown=0, latency_ms=150) as sim:
        url = f"{sim.base_url}/orders/variables"  # 401 without a token: answered all the same
        with requests.Session() as session:
            first = timed(lambda: session.get(url, timeout=5))
            later = [timed(lambda: session.get(url, timeout=5)) for _ in range(3)]
        assert 0.3 <= first < 0.55  # a new connection: the handshake's round trip, then the request's
        assert all(0.15 <= seconds < 0.3 for seconds in later)
        with requests.Session() as session:
            session.get(f"http://127.0.0.1:{sim.port}/_sim/acks", timeout=5)
            control = timed(lambda: session.get(f"http://127.0.0.1:{sim.port}/_sim/acks", timeout=5))
        assert control < 0.1  # the control interface is not far away
        sim.latency_ms = 0
        assert timed(lambda: requests.get(url, timeout=5)) < 0.1
        assert [r["status"] for r in sim.request_log()] == [401] * 5


def test_jitter_bounded_and_seeded():
    draws = [Simulator(latency_ms=80, jitter_ms=20, seed=7).round_trip() for _ in range(2)]
    assert draws[0] == draws[1]  # the same seed, the same round trips
    sim = Simulator(latency_ms=80, jitter_ms=20, seed=7)
    trips = [sim.round_trip() for _ in range(2000)]
    assert all(0.06 <= t <= 0.1 for t in trips)
    assert min(trips) < 0.062 and max(trips) > 0.098 and 0.078 < sum(trips) / len(trips) < 0.082
    sim.latency_ms, sim.jitter_ms = 10, 30
    assert min(sim.round_trip() for _ in range(200)) == 0  # never below 0
    with Simulator(cooldown=0, latency_ms=100, jitter_ms=40, seed=1) as sim, requests.Session() as session:
        url = f"{sim.base_url}/orders/variables"
        session.get(url, timeout=5)
        seconds = [timed(lambda: session.get(url, timeout=5)) for _ in range(10)]
    assert all(0.06 <= t < 0.2 for t in seconds) and max(seconds) - min(seconds) > 0.01


def test_concurrent_requests_are_not_serialized():
    with Simulator(cooldown=0, latency_ms=300) as sim:
        sim.add_order()
        client = DukkangoClient(sim.base_url, sim.app_secret_key, sim.rest_secret_key)
        client.login()
        keys = list(sim.orders)
        threads = [threading.Thread(target=client.acknowledge_order, args=(keys[0],)) for _ in range(6)]
        threads += [threading.Thread(target=requests.get, args=(f"{sim.base_url}/orders/variables",)) for _ in range(2)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    # 8 requests of at least 0.3 s each (0.6 s on a new connection): 2.4 s one after the other
    assert elapsed < 1.2
    assert len(sim.ack_log()) == 6


def test_connections_counted_keep_alive_session_reused(sim, client):
    before = sim.connections
    sim.add_order()
    client.get_current_orders()  # login + get-current on one keep-alive connection
    client.get_current_orders()
    assert sim.connections == before + 1
    for _ in range(2):  # the acknowledgements' adapter shares the pool: the same connection
        client.acknowledge_order(next(iter(sim.orders)))
    assert sim.connections == before + 1
    for _ in range(3):
        requests.get(f"{sim.base_url}/orders/variables", timeout=5)  # no session: a connection each
    assert sim.connections == before + 4
    other = DukkangoClient(sim.base_url, sim.app_secret_key, sim.rest_secret_key, session=client.session)
    other.get_variables()  # another client on the same session: no new connection
    assert sim.connections == before + 4
    sim.reset()
    assert sim.connections == before + 4  # a reset keeps the count
    stats = requests.get(f"http://127.0.0.1:{sim.port}/_sim/stats", timeout=5).json()["data"]
    assert stats["connections"] == before + 5  # this request's own connection too
    assert stats["requests"] == 0 and stats["latency_ms"] == 0


def test_latency_and_answers_over_the_control_interface(sim, client):
    control = f"http://127.0.0.1:{sim.port}/_sim"
    answer = requests.post(f"{control}/latency", json={"latency_ms": 120, "jitter_ms": 15}, timeout=5).json()
    assert answer["data"] == {"latency_ms": 120, "jitter_ms": 15}
    assert (sim.latency_ms, sim.jitter_ms) == (120, 15)
    assert requests.get(f"{control}/latency", timeout=5).json()["data"] == {"latency_ms": 120, "jitter_ms": 15}
    refused = requests.post(f"{control}/latency", json={"latency_ms": -1}, timeout=5)
    assert refused.status_code == 400 and sim.latency_ms == 120
    requests.post(f"{control}/latency", json={}, timeout=5)
    assert (sim.latency_ms, sim.jitter_ms) == (0, 0)
    sim.cooldown = 30
    client.get_current_orders()
    with pytest.raises(DukkangoRateLimitError):
        client.get_current_orders()
    log = sim.request_log("get-current")
    assert [r["status"] for r in log] == [200, 429]
    assert {r["rest_key"] for r in log} == {sim.rest_secret_key} and sim.request_log("login")[0]["rest_key"] is None
    stats = requests.get(f"{control}/stats", timeout=5).json()["data"]
    assert stats["answers"] == {"200": 2, "429": 1} and stats["requests"] == 3


def test_outage_until_cleared(sim, client):
    key = sim.add_order()["payment_key"]
    client.login()
    control = f"http://127.0.0.1:{sim.port}/_sim"
    requests.post(f"{control}/faults", json={"endpoint": "success", "kind": "500", "count": None}, timeout=5)
    sim.inject_fault("*", "429", count=2)
    url = f"{sim.base_url}/orders/success/{key}"
    answers = [requests.put(url, headers={"Access-Token": client.token}, timeout=5).status_code for _ in range(5)]
    assert answers == [429, 429, 500, 500, 500]  # the queued faults first, then the outage
    assert sim.faults == {"*": []} and sim.acks == []
    requests.post(f"{control}/faults/clear", json={"endpoint": "success"}, timeout=5)
    sim.inject_fault("get-current", "drop", count=None)
    sim.clear_faults()
    assert sim.faults == {} and sim.outages == {}
    client.acknowledge_order(key)
    assert len(sim.acks) == 1
