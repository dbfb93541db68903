"""DukkangoClient against the simulator over real HTTP on 127.0.0.1."""

import logging
from datetime import datetime, timedelta, timezone

import pytest

from dukkango import exceptions
from dukkango.client import DukkangoClient
from dukkango.testing.simulator import DEFAULT_RESTAURANTS

REST_ID = DEFAULT_RESTAURANTS[0]["id"]


def api_calls(sim, endpoint=None):
    return [r for r in sim.request_log(endpoint) if r["endpoint"] != "login"]


def test_every_endpoint(sim, client):
    order = sim.add_order(restaurant_id=REST_ID, shipping_method="delivery", courier_type="restaurant")
    key = order["payment_key"]
    assert [r["id"] for r in client.get_restaurants()] == [r["id"] for r in DEFAULT_RESTAURANTS]
    assert client.get_restaurant_status(REST_ID) == "Open"
    assert client.close_restaurant(REST_ID) == "OK"
    assert client.get_restaurant_status(REST_ID) == "Closed"
    assert client.open_restaurant(REST_ID) == "OK"
    assert client.get_restaurant_status(REST_ID) == "Open"
    foods = client.get_foods()
    assert {"food_id", "name", "category", "price", "add_substract", "restaurant_id"} <= set(foods[0])
    assert client.set_food_passive(foods[0]["food_id"]) == "OK"
    assert sim.foods[0]["active"] is False
    assert client.set_food_active(str(foods[0]["food_id"])) == "OK"
    assert sim.foods[0]["active"] is True
    assert [o["payment_key"] for o in client.get_current_orders()] == [key]
    assert client.get_current_orders(status_id=2) == []
    assert client.acknowledge_order(key) == "OK"
    assert client.get_current_orders() == []
    assert client.accept_order(key, 25) == "OK"
    assert sim.orders[key]["preparing_time"] == 25
    assert client.mark_on_the_way(key) == "OK"
    assert client.complete_order(key) == "OK"
    assert sim.order_status(key) == 5
    other = sim.add_order()["payment_key"]
    assert client.cancel_order(other, 3) == "OK"
    assert sim.orders[other]["cancel_reason"] == 3 and sim.order_status(other) == 6
    variables = client.get_variables()
    assert [m["name"] for m in variables["paymentMethod"]] == ["Nakit", "Kredi Kartı", "Banka Kartı"]
    assert [m["key"] for m in variables["shippingMethod"]] == ["delivery", "pickup"]
    reasons = client.get_cancel_reasons()
    assert len(reasons) == 8 and reasons[0] == {"id": 1, "reason": "Ürün tükendi"}
    token, expiry = client.login()
    assert len(token) == 64 and expiry.tzinfo is not None
    endpoints = {r["endpoint"] for r in sim.request_log()}
    assert len(endpoints) == 16


def test_logs_in_lazily_once_and_sends_token_header(sim, client):
    assert sim.request_log() == []
    client.get_restaurants()
    client.get_restaurants()
    assert len(sim.request_log("login")) == 1
    assert client.token in sim.tokens


def test_cached_token_is_reused_without_login(sim, client_factory):
    token, expiry = client_factory().login()
    seen = []
    client = client_factory(token=token, token_expiry=expiry, on_token=lambda *a: seen.append(a))
    client.get_restaurants()
    assert len(sim.request_log("login")) == 1  # only the first client's
    assert seen == []


def test_401_logs_in_again_and_retries_once(sim, client):
    client.get_restaurants()
    sim.expire_tokens()
    assert len(client.get_restaurants()) == 2
    assert len(sim.request_log("login")) == 2
    assert len(sim.request_log("restaurants")) == 3


def test_persistent_401_raises_after_one_retry(sim, client):
    client.get_restaurants()
    sim.token_lifetime = -1  # every new token is born expired
    sim.expire_tokens()
    with pytest.raises(exceptions.DukkangoAuthError) as info:
        client.get_restaurants()
    assert info.value.http_status == 401
    assert info.value.error == "yetkisiz erişim"
    assert len(sim.request_log("restaurants")) == 3


def test_wrong_keys_raise_auth_error_with_turkish_error(sim):
    client = DukkangoClient(sim.base_url, sim.app_secret_key, "wrong", timeout=(0.5, 0.5))
    with pytest.raises(exceptions.DukkangoAuthError) as info:
        client.get_restaurants()
    assert info.value.error == "yetkisiz erişim"
    assert info.value.message == "Invalid credentials"
    assert len(sim.request_log("login")) == 1


def test_token_refreshed_when_less_than_an_hour_left(sim, client_factory):
    sim.token_lifetime = 2 * 3600
    now = [datetime.now(timezone.utc)]
    tokens = []
    client = client_factory(clock=lambda: now[0], on_token=lambda token, expiry: tokens.append((token, expiry)))
    client.get_restaurants()
    now[0] += timedelta(minutes=50)
    sim.advance(50 * 60)
    client.get_restaurants()
    assert len(tokens) == 1
    now[0] += timedelta(minutes=20)  # 50 minutes left
    sim.advance(20 * 60)
    client.get_restaurants()
    assert len(tokens) == 2 and tokens[0][0] != tokens[1][0]
    assert timedelta(minutes=70) <= tokens[1][1] - tokens[0][1] <= timedelta(minutes=70, seconds=2)


def test_rate_limit_surfaces_wait(sim, client):
    sim.cooldown = 30
    client.get_current_orders()
    with pytest.raises(exceptions.DukkangoRateLimitError) as info:
        client.get_current_orders()
    assert info.value.retry_after == 30
    assert info.value.error == "çok fazla istek"
    assert len(api_calls(sim, "get-current")) == 2  # a 429 is not retried
    sim.advance(30)
    assert client.get_current_orders() == []


def test_rate_limit_without_seconds_defaults_to_30(sim, client):
    sim.inject_fault("restaurants", "429")
    with pytest.raises(exceptions.DukkangoRateLimitError) as info:
        client.get_restaurants()
    assert info.value.retry_after == 30


@pytest.mark.parametrize("kind", ["500", "drop", "timeout"])
def test_transient_get_failures_are_retried(sim, client, kind):
    sim.inject_fault("get-current", kind, 2)
    assert client.get_current_orders() == []
    assert len(api_calls(sim, "get-current")) == 3


@pytest.mark.parametrize(
    "kind, error",
    [
        ("500", exceptions.DukkangoServerError),
        ("drop", exceptions.DukkangoConnectionError),
        ("timeout", exceptions.DukkangoTimeoutError),
    ],
)
def test_transient_failures_raise_after_retries(sim, client, kind, error):
    sim.inject_fault("get-current", kind, 5)
    with pytest.raises(error):
        client.get_current_orders()
    assert len(api_calls(sim, "get-current")) == 3  # 1 + 2 retries


def test_ack_is_retried_but_accept_is_not(sim, client):
    key = sim.add_order()["payment_key"]
    sim.inject_fault("success", "drop", 2)  # no answer: sent again
    assert client.acknowledge_order(key) == "OK"
    assert len(api_calls(sim, "success")) == 3
    sim.inject_fault("success", "500", 1)  # an error answer: the poll cycle retries, in its budget
    with pytest.raises(exceptions.DukkangoServerError):
        client.acknowledge_order(key)
    assert len(api_calls(sim, "success")) == 4
    sim.inject_fault("accept", "500", 1)
    with pytest.raises(exceptions.DukkangoServerError):
        client.accept_order(key, 30)
    assert len(api_calls(sim, "accept")) == 1
    sim.inject_fault("accept", "drop", 1)
    with pytest.raises(exceptions.DukkangoConnectionError):
        client.accept_order(key, 30)
    assert len(api_calls(sim, "accept")) == 2
    assert sim.order_status(key) == 1


def test_malformed_json_is_protocol_error(sim, client):
    sim.inject_fault("get-current", "malformed")
    with pytest.raises(exceptions.DukkangoProtocolError):
        client.get_current_orders()


def test_status_false_with_http_200_is_an_error(sim, client):
    sim.inject_fault("variables", "refuse")
    with pytest.raises(exceptions.DukkangoValidationError) as info:
        client.get_variables()
    assert info.value.http_status == 200 and info.value.error == "eksik alan"


def test_refused_transition_and_unknown_order(sim, client):
    key = sim.add_order(shipping_method="pickup", courier_type="come_get")["payment_key"]
    with pytest.raises(exceptions.DukkangoValidationError) as info:
        client.mark_on_the_way(key)
    assert info.value.http_status == 409
    with pytest.raises(exceptions.DukkangoNotFoundError) as info:
        client.accept_order("3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e", 30)
    assert info.value.error == "sipariş bulunamadı"
    with pytest.raises(exceptions.DukkangoValidationError):
        client.cancel_order(key, 99)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.acknowledge_order("1031"),
        lambda c: c.acknowledge_order("../../restaurants/status/close/0ca1d2b1-a199-4960-8617-83a659d890c8"),
        lambda c: c.accept_order("3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e/../x", 30),
        lambda c: c.accept_order("3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e", "thirty"),
        lambda c: c.cancel_order(None, 1),
        lambda c: c.cancel_order("3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e", True),
        lambda c: c.mark_on_the_way(1031),
        lambda c: c.complete_order("3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e?x=1"),
        lambda c: c.get_restaurant_status("Halaskargazi"),
        lambda c: c.open_restaurant("0ca1d2b1-a199-4960-8617-83a659d890c8/"),
        lambda c: c.close_restaurant(""),
        lambda c: c.set_food_active("1/../../orders"),
        lambda c: c.set_food_passive(1.5),
        lambda c: c.set_food_passive("-1"),
        lambda c: c.get_current_orders(status_id="1;drop"),
    ],
)
def test_bad_path_parameters_send_nothing(sim, client, call):
    with pytest.raises(ValueError):
        call(client)
    assert sim.request_log() == []


def test_secrets_never_logged_nor_in_errors(sim, client_factory, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_factory()
    token, _expiry = client.login()
    errors = []
    sim.expire_tokens()
    client.get_restaurants()
    for endpoint, kind in [
        ("restaurants", "500"),
        ("restaurants", "drop"),
        ("variables", "malformed"),
        ("variables", "timeout"),
    ]:
        sim.inject_fault(endpoint, kind, 5)
        try:
            client.get_restaurants() if endpoint == "restaurants" else client.get_variables()
        except exceptions.DukkangoError as exc:
            errors.append(exc)
    bad = DukkangoClient(sim.base_url, "app-" + sim.app_secret_key, sim.rest_secret_key, timeout=(0.5, 0.5))
    with pytest.raises(exceptions.DukkangoAuthError) as info:
        bad.get_restaurants()
    errors.append(info.value)
    assert len(errors) == 5
    secrets = [sim.app_secret_key, sim.rest_secret_key, token, client.token]
    texts = [record.getMessage() for record in caplog.records] + [repr(client), repr(bad)]
    for error in errors:
        exc = error
        while exc is not None:
            texts.append(str(exc))
            texts.append(repr(exc))
            exc = exc.__cause__ or exc.__context__
    assert caplog.records
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_base_url_and_keys_validated():
    with pytest.raises(ValueError):
        DukkangoClient("ftp://x", "a", "b")
    with pytest.raises(ValueError):
        DukkangoClient("https://example.com", "", "b")


def test_refused_connection_is_connection_error_not_timeout():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = DukkangoClient(f"http://127.0.0.1:{port}/api", "a", "b", retries=1, backoff_factor=0)
    with pytest.raises(exceptions.DukkangoConnectionError) as info:
        client.get_restaurants()
    assert not isinstance(info.value, exceptions.DukkangoTimeoutError)
