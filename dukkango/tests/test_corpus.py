"""A corpus that travels (issue #14): the shipped corpus, the simulator's PHP-style
variants, the anonymized export and the replay of stored orders, without Odoo."""

import importlib.util
import json
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from dukkango.mapping import map_order
from dukkango.orders import OrderParseError, parse_order
from dukkango.testing.corpus import Faker, anonymize, entry_of, read_corpus
from dukkango.testing.examples import order
from dukkango.testing.simulator import Simulator
from dukkango.testing.variants import KINDS, NULL_PRICE, REMOVAL, php_variant

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus.jsonl"
ENTRIES = read_corpus(str(CORPUS))
ORDERS = [entry for entry in ENTRIES if entry.answer is None]


def load_tool(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def outcome(data):
    """``("done", total, attention)`` or ``("error", field)`` of one entry, as the pure layer sees it."""
    try:
        parsed = parse_order(data)
    except OrderParseError as error:
        return ("error", error.field)
    draft = map_order(parsed)
    assert sum((line.amount for line in draft.lines), Decimal(0)) == parsed.total
    return ("done", parsed.total, draft.needs_adjustment)


# ------------------------------------------------------------------ the shipped corpus
def test_shipped_corpus_covers_the_shapes_and_the_hostile_cases():
    states = Counter(entry.expect["state"] for entry in ENTRIES)
    assert states["done"] >= 30 + 1  # the lenient shapes, and the hostile case that imports
    hostile = [
        entry for entry in ENTRIES if entry.expect.get("case") in HOSTILE_CASES or entry.expect["state"] != "done"
    ]
    assert len({entry.case.removesuffix(" (repeat)") for entry in hostile}) >= 45
    assert len({entry.case for entry in ENTRIES}) == len(ENTRIES)
    assert states["poll failed"] == 7 and states["rejected"] == 8


HOSTILE_CASES = {"HTML and JS in names and notes", "the same order twice in one answer"}


@pytest.mark.parametrize("entry", ORDERS, ids=[entry.case for entry in ORDERS])
def test_shipped_corpus_entry(entry):
    expect = entry.expect
    result = outcome(entry.order)
    if expect["state"] == "rejected":
        assert result[0] == "error" and result[1] in ("order", "payment_key")
    elif expect["state"] == "error":
        assert result == ("error", expect["field"])
    elif expect["state"] == "pending":  # a branch no point of sale serves: parsed, waiting
        assert result[0] == "done"
    else:
        assert result == ("done", Decimal(expect["total"]), expect["attention"])


def test_corpus_directives():
    fill = entry_of({"payment_key": "k", "_fill": {"note": 5, "customer.name": 3}, "_expect": {"state": "error"}})
    assert fill.order == {"payment_key": "k", "note": "xxxxx", "customer": {"name": "xxx"}}
    assert fill.expect == {"state": "error"} and fill.case == "line 0"
    assert entry_of({"_order": "sipariş", "_expect": {"case": "text"}}).order == "sipariş"
    answer = entry_of({"_answer": {"status": 502, "body": "<html>"}})
    assert answer.answer == {"status": 502, "body": "<html>"} and answer.order is None
    assert entry_of([1, 2]).order == [1, 2] and entry_of({"id": 1}).order == {"id": 1}
    assert [e.line for e in read_corpus(['{"id": 1}', "", "// a comment", "null"])] == [1, 4]


# ------------------------------------------------------------------ the simulator serves a corpus
def test_simulator_serves_a_corpus_as_it_is(client_factory, sim):
    lines = [json.dumps(json.loads(line)) for line in CORPUS.read_text(encoding="utf-8").splitlines()[:3]]
    strange = dict(order(id="77", status_id="1", payment_key="6F1C2B9E-3F0D-4C55-9A57-D0C4A1E6B7A3"))
    unknown_branch = dict(order(restaurant_id="11111111-1111-4111-8111-111111111111", restaurant_name="Yeni Şube"))
    unknown_branch["payment_key"] = "22222222-2222-4222-8222-222222222222"
    lines += [json.dumps({**strange, "_expect": {"state": "done"}}), json.dumps(unknown_branch)]
    lines += [json.dumps({"_order": "sipariş"}), json.dumps({"_answer": {"status": 502, "body": "<html>502</html>"}})]
    entries = sim.load_corpus(lines)
    client = client_factory(retries=0)
    with pytest.raises(Exception, match="502"):
        client.get_current_orders()  # the queued answer first
    served = client.get_current_orders()
    assert served == [entry.order for entry in entries if entry.answer is None]
    assert "_expect" not in json.dumps(served)
    client.acknowledge_order(strange["payment_key"].lower())  # an order of the platform: acks work
    client.accept_order(strange["payment_key"].lower(), 20)
    assert sim.order_status(strange["payment_key"].lower()) == 2
    assert "11111111-1111-4111-8111-111111111111" in sim.restaurants  # the corpus's branch, added
    assert [r["name"] for r in client.get_restaurants()][-1] == "Yeni Şube"


def test_simulator_moves_a_corpus_to_one_restaurant(sim):
    first = next(iter(sim.restaurants))
    line = json.dumps(order(restaurant_id="11111111-1111-4111-8111-111111111111", restaurant_name="X"))
    sim.load_corpus([line], restaurant_id=first)
    (record,) = sim.orders.values()
    assert (
        record["data"]["restaurant_id"] == first and record["data"]["restaurant_name"] == sim.restaurants[first]["name"]
    )


# ------------------------------------------------------------------ PHP-style variants
def test_variants_are_the_same_orders_in_other_shapes():
    canonical, variants = Simulator(seed=5), Simulator(seed=5, variants=1.0)
    canonical.now = variants.now = lambda: 1_780_000_000.0  # one clock: a second may tick between the two
    seen = Counter()
    for _ in range(300):
        plain, variant = canonical.generate_order(), variants.generate_order()
        kinds = variants.variant_log[variant["payment_key"]]
        seen.update(kinds)
        assert variant["payment_key"] == plain["payment_key"] and variant["restaurant_id"] == plain["restaurant_id"]
        parsed, expected = parse_order(variant), parse_order(plain)
        assert [(i.name, i.quantity) for i in parsed.items] == [(i.name, i.quantity) for i in expected.items]
        assert (parsed.date, parsed.scheduled_date) == (expected.date, expected.scheduled_date)
        if REMOVAL not in kinds:
            assert parsed.total == expected.total
        result = outcome(variant)
        assert result[2] is (NULL_PRICE in kinds), kinds  # an item without price needs attention; else identity holds
    assert set(seen) == {kind for kind, _p in KINDS}


def test_no_variants_by_default_and_the_seed_gives_the_same_orders():
    assert Simulator(seed=9).generate_order() == Simulator(seed=9, variants=0).generate_order()
    shares = Simulator(seed=9, variants=0.3)
    plain = Simulator(seed=9)
    keys = [(shares.generate_order()["payment_key"], plain.generate_order()["payment_key"]) for _ in range(50)]
    assert all(a == b for a, b in keys) and 5 < len(shares.variant_log) < 30


def test_forced_variants_and_their_shapes():
    data = Simulator(seed=3).generate_order()
    variant, kinds = php_variant(data, random.Random(1), kinds=["decimal comma", "items keyed by id", "ISO 8601 date"])
    assert kinds == ("decimal comma", "items keyed by id", "ISO 8601 date")
    assert isinstance(variant["foods"], dict) and "," in variant["discount"] and "T" in variant["date"]
    assert data["foods"] != variant["foods"]  # a copy: the generated order is untouched


def test_standalone_corpus_and_variants_flags():
    import subprocess
    import sys

    import requests

    command = [sys.executable, "-m", "dukkango.testing.simulator", "--port", "0", "--cooldown", "0", "--orders", "0"]
    refused = subprocess.run(
        [*command, "--variants", "2"], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False
    )
    assert refused.returncode == 2 and "--variants" in refused.stderr
    proc = subprocess.Popen([*command, "--corpus", str(CORPUS)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(8)]  # the corpus adds its unknown branch
        assert "99999999-9999-4999-8999-999999999999  Halaskargazi Şube" in lines[5]
        assert lines[-1].strip() == f"corpus:          {len(ENTRIES)} entries from {CORPUS}"
        base_url, app_key, rest_key = lines[0].split()[-1], lines[1].split()[-1], lines[2].split()[-1]
        login = requests.post(
            f"{base_url}/auth/login", json={"app_secret_key": app_key, "rest_secret_key": rest_key}, timeout=5
        )
        headers = {"Access-Token": login.json()["data"]["access_token"]}
        answers = [requests.get(f"{base_url}/orders/get-current", headers=headers, timeout=30) for _ in range(8)]
        assert [a.status_code for a in answers[:7]] == [200, 200, 200, 200, 200, 502, 200]  # the broken answers
        assert len(answers[7].json()["data"]) == len(ORDERS)
    finally:
        proc.terminate()
        proc.wait(10)


# ------------------------------------------------------------------ anonymization
PERSONAL = order(
    note="Zili çalmayın, Kerim Bey",
    customer={"name": "Kerim Test", "phone": "0533 558 76 42", "email": "kerim@example.org", "tc": "12345678901"},
    address={
        "address": "Dershane Sokak No:5",
        "description": "Mavi kapı",
        "floor": 3,
        "coordinates": {"lat": 41.052211, "lng": 28.987123},
        "city": "İstanbul",
    },
)


def test_anonymize_replaces_personal_data_and_keeps_the_rest():
    fake = anonymize(PERSONAL, "tuz")
    text = json.dumps(fake, ensure_ascii=False)
    for secret in ("Kerim", "558 76 42", "kerim@", "12345678901", "Dershane", "Mavi", "41.052211", "3e9caf87"):
        assert secret not in text, secret
    assert fake["customer"]["phone"].startswith("05") and len(fake["customer"]["phone"]) == 14
    assert fake["address"]["floor"] == 3 and 40.9 <= fake["address"]["coordinates"]["lat"] <= 41.2
    assert fake["foods"][0]["note"] != "az acılı" and fake["foods"][0]["name"] == "Beef Burrito"
    keep = ("id", "total", "discount", "date", "status_id", "restaurant_id", "restaurant_name", "payment_method")
    assert {k: fake[k] for k in keep} == {k: PERSONAL[k] for k in keep}
    assert outcome(fake) == outcome(PERSONAL)
    assert anonymize(PERSONAL, "tuz") == fake  # stable
    assert anonymize(PERSONAL, "biber")["customer"] != fake["customer"]  # keyed by the salt


def test_anonymize_keeps_the_shape_of_every_value():
    faker = Faker("tuz")
    assert faker.phone(5335587642) != 5335587642 and isinstance(faker.phone(5335587642), int)
    assert faker.phone("+90 533 558 76 42")[:5] == "+90 5"
    assert faker.name("") == "" and faker.name(None) is None and len(faker.name("Kerim").split()) == 1
    assert len(faker.text("x" * 5000)) == 5000 and "\x00" in faker.text("a\x00b")
    assert faker.payment_key("../x") == "../x" and faker.payment_key(PERSONAL["payment_key"]) != PERSONAL["payment_key"]


@pytest.mark.parametrize("entry", ORDERS, ids=[entry.case for entry in ORDERS])
def test_anonymized_corpus_has_the_same_outcomes(entry):
    """Exporting the shipped corpus changes no outcome: structure and amounts are kept."""
    assert outcome(anonymize(entry.order, "tuz")) == outcome(entry.order)


# ------------------------------------------------------------------ replay
@pytest.fixture(scope="module")
def replay_tool():
    return load_tool("replay")


class Stored:
    """A stand-in for a dukkango.order record."""

    def __init__(self, data, state, amount_total=0.0, dukkango_id=0):
        self.payload = data if isinstance(data, str) else json.dumps(data)
        self.state, self.amount_total, self.dukkango_id = state, amount_total, dukkango_id
        self.payment_key, self.restaurant_name, self.pos_order_id = "3e9caf87-5cb7", "", False
        self.error_message = "Dükkango sent an order that cannot be used: total: not a number: '1417,50'"


def test_replay_outcomes(replay_tool):
    comma = order(total="1417,50")
    quantity = order(foods=[{"name": "Adana", "quantity": "iki", "price": 185}])
    cases = [
        (Stored(order(), "done", 1417.5, 1031), "unchanged"),
        (Stored(comma, "error", 0.0), "now imports"),
        (Stored(quantity, "error"), "still refused"),
        (Stored(order(), "done", 1400.0, 1031), "total differs"),
        (Stored(quantity, "pending", 1417.5, 1031), "now refused"),
        (Stored("<html>", "error"), "still refused"),
    ]
    results = replay_tool.replay_all([stored for stored, _outcome in cases])
    assert [result.outcome for _stored, result in results] == [outcome for _stored, outcome in cases]
    assert results[1][1].total == Decimal("1417.50") and results[1][1].attention  # the documented adjustment
    assert results[2][1].reason == "Order #1031 (Halaskargazi Şube): item 'Adana' quantity is not a number ('iki')"
    assert results[3][1].reason == "stored 1400.00, Dükkango's 1417.50"
    table = replay_tool.render(results, accounts=1)
    assert "Replayed 6 stored orders of 1 account(s) with today's parser (dry run: nothing written)" in table
    assert "  still refused        2" in table and "  unchanged            1" in table
    assert len(table.splitlines()) == 3 + len(replay_tool.OUTCOMES) + 2 + 5  # unchanged orders not listed
    assert "item 'Adana' quantity is not a number ('iki')" in table
    assert (
        "  #1031           Halaskargazi Şube   error   now imports    1417.50 TL, needs attention; was: total: "
        in table
    )
