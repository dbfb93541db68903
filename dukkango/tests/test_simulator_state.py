"""The simulator's menu and orders, its numbering, its one restaurant and its state file."""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from dukkango.menu import parse_foods
from dukkango.orders import parse_order
from dukkango.testing.sim_menu import DISHES, describe_order
from dukkango.testing.simulator import DEFAULT_RESTAURANTS, Simulator
from dukkango.testing.variants import NULL_PRICE, REMOVAL

ROOT = Path(__file__).resolve().parents[2]
REST_A, REST_B = (r["id"] for r in DEFAULT_RESTAURANTS)
D = Decimal


def cents(value):
    return D(str(value)).quantize(D("0.01"))


# ------------------------------------------------------------------ the menu
def test_the_menu_is_a_restaurants_menu():
    sim = Simulator()
    foods, errors = parse_foods(sim.foods)
    assert not errors and len(foods) == 2 * len(DISHES)
    mine = [food for food in foods if food.restaurant_id == REST_A]
    assert len({food.category.name for food in mine}) >= 6
    groups = [group for food in mine for group in food.groups]
    assert {(group.multiple, group.required) for group in groups} == {(False, True), (False, False), (True, False)}
    assert sum(food.price != food.price.to_integral() for food in mine) >= len(mine) // 2, "prices with kuruş"
    assert any(o.price != o.price.to_integral() for group in groups for o in group.options)
    assert D("187.50") in {food.price for food in mine}
    urfa = next(food for food in mine if food.name == "Urfa Kebap")
    assert [group.title for group in urfa.groups] == ["Porsiyon", "Acı Seçimi"]


def test_generated_orders_use_the_menu_and_add_up_to_the_kurus():
    sim = Simulator(seed=12)
    menu = {(f["restaurant_id"], f["food_id"]): f for f in sim.foods}
    seen = {"kuruş totals": 0, "multiple picks": 0, "discounts": 0}
    for _ in range(400):
        order = sim.generate_order()
        items = D(0)
        for item in order["foods"]:
            food = menu[(order["restaurant_id"], item["food_id"])]
            assert (item["name"], item["price"]) == (food["name"], food["price"])
            groups = {g["ilave_basligi"]: g for g in food["add_substract"]}
            for chosen in item["add_substract"]:
                group = groups[chosen["ilave_basligi"]]
                assert all(option in group["ilave_opsiyonlari"] for option in chosen["ilave_opsiyonlari"])
                assert group["secim_turu"] == "coklu" or len(chosen["ilave_opsiyonlari"]) == 1
                seen["multiple picks"] += len(chosen["ilave_opsiyonlari"]) > 1
            chosen_titles = {g["ilave_basligi"] for g in item["add_substract"]}
            required = {t for t, g in groups.items() if g["secim_turu"] == "tekli" and g["zorunlu_turu"] == "zorunlu"}
            assert required <= chosen_titles, "a required choice is always made"
            options = sum((cents(o["price"]) for g in item["add_substract"] for o in g["ilave_opsiyonlari"]), D(0))
            items += (cents(item["price"]) + options) * item["quantity"]
        fees = cents(order["courier_fee"]) + cents(order["order_tip"]) - cents(order["discount"])
        assert cents(order["total"]) == items + fees
        seen["kuruş totals"] += cents(order["total"]) != cents(order["total"]).to_integral()
        seen["discounts"] += cents(order["discount"]) > 0
    assert all(count > 20 for count in seen.values()), seen


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_variant_of_an_order_keeps_its_total(seed):
    plain, shaped = Simulator(seed=seed), Simulator(seed=seed, variants=1.0)
    for _ in range(150):
        expected, variant = parse_order(plain.generate_order()), shaped.generate_order()
        kinds = shaped.variant_log[variant["payment_key"]]
        parsed = parse_order(variant)
        if REMOVAL not in kinds:
            assert parsed.total == expected.total, kinds
        if NULL_PRICE not in kinds:
            assert parsed.identity_holds, kinds


def test_an_order_described_in_one_line():
    changes = {"id": 1033, "payment_method": "Nakit", "shipping_method": "pickup", "scheduled_date": ""}
    order = Simulator(seed=4).generate_order(**changes)
    line = describe_order(order)
    assert line.startswith(f"#1033 {order['total']} TL, pick-up, Nakit: ")
    assert f"{order['foods'][0]['quantity']}× {order['foods'][0]['name']}" in line


# ------------------------------------------------------------------ numbers
def test_first_order_id_and_no_number_twice():
    sim = Simulator(seed=1, first_order_id=5000)
    assert [sim.generate_order()["id"] for _ in range(2)] == [5000, 5001]
    sim.add_order(sim.generate_order(id=6000))  # a number given is never generated afterwards
    assert sim.generate_order()["id"] == 6001
    sim.set_first_order_id(42)
    assert sim.add_order()["id"] == 42
    with pytest.raises(ValueError):
        Simulator(first_order_id=0)


def test_first_order_id_and_restaurant_over_the_control_interface(sim):
    control = f"http://127.0.0.1:{sim.port}/_sim"
    answer = requests.post(f"{control}/first-order-id", json={"first_order_id": 2001}, timeout=5).json()
    assert answer["data"] == {"first_order_id": 2001}
    assert requests.post(f"{control}/first-order-id", json={"first_order_id": "x"}, timeout=5).status_code == 400
    answer = requests.post(f"{control}/restaurant", json={"restaurant_id": REST_B}, timeout=5).json()
    assert answer["data"] == {"restaurant_id": REST_B}
    created = requests.post(f"{control}/orders", json={"count": 2}, timeout=5).json()["data"]
    assert [(o["id"], o["restaurant_id"]) for o in created] == [(2001, REST_B), (2002, REST_B)]
    refused = requests.post(f"{control}/orders", json={"restaurant_id": REST_A}, timeout=5)
    assert refused.status_code == 400 and REST_B in refused.json()["message"]
    assert requests.get(f"{control}/first-order-id", timeout=5).json()["data"] == {"first_order_id": 2003}
    requests.post(f"{control}/restaurant", json={"restaurant_id": None}, timeout=5)
    assert requests.post(f"{control}/orders", json={"restaurant_id": REST_A}, timeout=5).status_code == 200


# ------------------------------------------------------------------ one restaurant
def test_a_simulator_of_one_restaurant(client_factory, sim):
    sim.add_order(restaurant_id=REST_A)
    sim.serve_only(REST_B)
    assert sim.orders == {}, "the other restaurant's orders are gone"
    orders = [sim.add_order() for _ in range(5)]
    assert {o["restaurant_id"] for o in orders} == {REST_B}
    assert {o["payment_key"] for o in client_factory().get_current_orders()} == {o["payment_key"] for o in orders}
    with pytest.raises(ValueError, match=REST_B):
        sim.add_order(restaurant_id=REST_A)


def test_an_unknown_restaurant_is_added_with_the_menu():
    uuid = "11111111-2222-4333-8444-555555555555"
    sim = Simulator(seed=2, restaurant=uuid.upper())
    assert sim.restaurant == uuid and sim.restaurants[uuid]["name"] == "Şube 11111111"
    foods = [f for f in sim.foods if f["restaurant_id"] == uuid]
    assert len(foods) == len(DISHES) and len({f["food_id"] for f in sim.foods}) == len(sim.foods)
    order = sim.generate_order()
    assert order["restaurant_id"] == uuid and order["restaurant_name"] == "Şube 11111111"


# ------------------------------------------------------------------ the state file
def test_a_restart_finds_the_orders_not_over_and_the_next_number(tmp_path, client_factory, sim):
    path = tmp_path / "state.json"
    sim.use_state(str(path))
    pickup = {"restaurant_id": REST_A, "shipping_method": "pickup", "courier_type": "come_get"}
    new, accepted, delivered, cancelled = (sim.add_order(**pickup)["payment_key"] for _ in range(4))
    client = client_factory()
    client.accept_order(accepted, 20)
    client.get_current_orders()
    client.acknowledge_order(accepted)
    sim.set_status(delivered, 5)
    client.get_current_orders()
    client.acknowledge_order(delivered)
    sim.set_status(cancelled, 6)  # cancelled, not yet acknowledged: still served
    sim.restaurants[REST_B]["status"] = "Open"
    client.close_restaurant(REST_B)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["next_order_id"] == 1035 and len(saved["orders"]) == 3

    again = Simulator(seed=5, state_path=str(path)).start()
    try:
        assert set(again.orders) == {new, accepted, cancelled}
        assert again.order_status(accepted) == 2 and again.orders[accepted]["preparing_time"] == 20
        assert again.restaurants[REST_B]["status"] == "Closed"
        assert again.add_order()["id"] == 1035
        served = {o["payment_key"] for o in client_factory_for(again).get_current_orders()}
        assert new in served and cancelled in served and accepted not in served  # accepted was acknowledged
        client_factory_for(again).complete_order(accepted)
        saved = {o["data"]["payment_key"]: o for o in json.loads(path.read_text(encoding="utf-8"))["orders"]}
        assert saved[accepted]["status_id"] == 5, "delivered, not yet acknowledged: kept"
    finally:
        again.stop()
    assert Simulator(first_order_id=2000, state_path=str(path)).next_order_id == 2000, "a higher number wins"


def client_factory_for(sim):
    from dukkango.client import DukkangoClient

    return DukkangoClient(sim.base_url, sim.app_secret_key, sim.rest_secret_key, timeout=(0.5, 1), retries=0)


def test_a_state_file_that_is_not_one_is_refused(tmp_path):
    broken = tmp_path / "state.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not a simulator state file"):
        Simulator(state_path=str(broken))
    command = [sys.executable, "-m", "dukkango.testing.simulator", "--port", "0", "--state", str(broken)]
    refused = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=30, check=False)
    assert refused.returncode == 2 and "--state" in refused.stderr
    for wrong in (["--first-order-id", "0"], ["--restaurant", "halaskargazi"]):
        refused = subprocess.run(
            [*command[:-2], *wrong], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False
        )
        assert refused.returncode == 2 and wrong[0] in refused.stderr


def standalone(*options):
    """The simulator run as ``make run`` runs it; returns (process, banner lines by label)."""
    command = [sys.executable, "-m", "dukkango.testing.simulator", "--port", "0", "--cooldown", "0", *options]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines = []
    while not lines or not lines[-1].strip().startswith("next order:"):
        lines.append(proc.stdout.readline())
        assert lines[-1], "the simulator stopped"
    return proc, lines


def test_standalone_restart_continues(tmp_path):
    state = str(tmp_path / "sim.json")
    options = ["--state", state, "--restaurant", REST_B, "--first-order-id", "1500", "--orders", "2"]
    proc, lines = standalone(*options)
    try:
        assert any(line.strip().endswith(f"{REST_B}  Akat Şube  (its orders only)") for line in lines)
        assert lines[-2].strip() == f"state:           {state} (0 order(s) restored)"
        assert lines[-1].strip() == "next order:      #1502"
    finally:
        proc.terminate()
        proc.wait(10)
    proc, lines = standalone(*options[:-2], "--orders", "1")
    try:
        assert lines[-2].strip() == f"state:           {state} (2 order(s) restored)"
        assert lines[-1].strip() == "next order:      #1503"
        control = lines[0].split()[-1].split("/api/")[0] + "/_sim"
        listed = requests.get(f"{control}/orders", timeout=5).json()["data"]
        assert sorted((o["id"], o["restaurant_id"]) for o in listed) == [(n, REST_B) for n in (1500, 1501, 1502)]
    finally:
        proc.terminate()
        proc.wait(10)
