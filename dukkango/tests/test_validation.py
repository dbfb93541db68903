"""dukkango.validation: the checks shared by the client, the order parser and the menu parser."""

from datetime import datetime
from decimal import Decimal

import pytest

from dukkango import client, menu, orders, validation
from dukkango.validation import (
    ISTANBUL,
    OrderParseError,
    check_text,
    is_uuid,
    optional_money,
    optional_text,
    parse_date,
    parse_int,
    parse_money,
    parse_platform_datetime,
    parse_quantity,
    required_text,
    required_uuid,
    short_repr,
    validate_int,
    validate_uuid,
)

UUID = "3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e"


class Fails(str):
    """The message of the :class:`OrderParseError` a call must raise."""


@pytest.mark.parametrize(
    "module, name",
    [
        (client, "validate_uuid"),
        (client, "validate_int"),
        (client, "parse_platform_datetime"),
        (orders, "OrderParseError"),
        (orders, "parse_money"),
        (orders, "ISTANBUL"),
        (orders, "MAX_NAME"),
        (menu, "OrderParseError"),
    ],
)
def test_one_definition_reexported(module, name):
    assert getattr(module, name) is getattr(validation, name)


@pytest.mark.parametrize(
    "value, ok",
    [(UUID, True), (UUID.upper(), True), (UUID[:-1], False), (UUID + "0", False), ("../x", False), (None, False)],
)
def test_is_uuid(value, ok):
    assert is_uuid(value) is ok


@pytest.mark.parametrize(
    "value, message",
    [
        (1031, "payment_key must be a UUID, got 1031"),
        ("1031", "payment_key must be a UUID, got '1031'"),
        ("x" * 100, "payment_key must be a UUID, got '" + "x" * 59),
        (UUID + "\n", None),  # the regex admits a final newline; uuid.UUID does not
    ],
)
def test_validate_uuid(value, message):
    assert validate_uuid(UUID, "payment_key") == UUID
    with pytest.raises(ValueError) as info:
        validate_uuid(value, "payment_key")
    if message:
        assert str(info.value) == message


@pytest.mark.parametrize(
    "args, result",
    [
        ((7, "food_id"), 7),
        (("12", "food_id"), 12),
        ((600, "preparing_time", 1, 600), 600),
        ((0, "status_id", 0), 0),
        ((True, "food_id"), "food_id must be an integer, got True"),
        (("١٢", "food_id"), "food_id must be an integer, got '١٢'"),
        ((1.0, "food_id"), "food_id must be an integer, got 1.0"),
        ((0, "food_id"), "food_id must be between 1 and ∞, got 0"),
        ((601, "preparing_time", 1, 600), "preparing_time must be between 1 and 600, got 601"),
    ],
)
def test_validate_int(args, result):
    if isinstance(result, int):
        assert validate_int(*args) == result
    else:
        with pytest.raises(ValueError) as info:
            validate_int(*args)
        assert str(info.value) == result


def test_parse_platform_datetime():
    assert parse_platform_datetime("2026-01-16 15:10:54") == datetime(2026, 1, 16, 15, 10, 54, tzinfo=ISTANBUL)
    with pytest.raises(ValueError):
        parse_platform_datetime("2026-01-16T15:10:54")
    with pytest.raises(TypeError):
        parse_platform_datetime(None)


@pytest.mark.parametrize(
    "call, result",
    [
        (lambda: parse_int(" 12 ", "id"), 12),
        (lambda: parse_int(3.0, "id"), 3),
        (lambda: parse_int(True, "id"), Fails("id: expected an integer, got True")),
        (lambda: parse_int(-4, "id"), Fails("id: expected a non-negative integer, got -4")),
        (lambda: parse_int(2**63, "id"), Fails(f"id: expected a non-negative integer, got {2**63}")),
        (lambda: parse_quantity("1.50", "q"), Decimal("1.50")),
        (lambda: parse_quantity(2.0, "q"), Decimal("2")),
        (lambda: parse_quantity(True, "q"), Fails("q: expected a quantity, got True")),
        (lambda: parse_quantity("1.2345", "q"), Fails("q: quantity 1.2345 has more than 3 decimals")),
        (lambda: parse_quantity(10001, "q"), Fails("q: quantity 10001 is implausibly large")),
        (lambda: parse_money(-1, "x", allow_negative=True), Decimal("-1.00")),
        (lambda: parse_money("1e3", "x"), Fails("x: not a number: '1e3'")),
        (lambda: parse_money([], "x"), Fails("x: expected an amount, got list")),
        (lambda: optional_money({}, "discount"), Decimal("0.00")),
        (lambda: optional_money({"discount": "1.5"}, "discount"), Decimal("1.50")),
        (lambda: parse_date("", "scheduled_date", required=False), None),
        (lambda: parse_date(None, "date", required=True), Fails("date: missing")),
        (lambda: parse_date(" 2026-01-16 15:10:54 ", "date", True), datetime(2026, 1, 16, 15, 10, 54, tzinfo=ISTANBUL)),
        (
            lambda: parse_date(5, "date", True),
            Fails("date: expected 'YYYY-MM-DD HH:MM:SS', ISO 8601 or epoch seconds, got 5"),
        ),
        (
            lambda: parse_date("yarın", "date", True),
            Fails("date: expected 'YYYY-MM-DD HH:MM:SS', ISO 8601 or epoch seconds, got 'yarın'"),
        ),
        (lambda: required_text({"name": " Ayran "}, "name", 10), "Ayran"),
        (lambda: required_text({}, "name", 10, "foods[0].name"), Fails("foods[0].name: missing")),
        (lambda: required_text({"name": 5}, "name", 10), Fails("name: expected text, got 5")),
        (lambda: required_text({"name": "  "}, "name", 10), Fails("name: expected text, got '  '")),
        (lambda: optional_text({"n": 12}, "n", 10), "12"),
        (lambda: optional_text({}, "n", 10), ""),
        (lambda: optional_text({"n": []}, "n", 10), Fails("n: expected text, got list")),
        (lambda: check_text("abc", "f", 2), Fails("f: text of 3 characters, more than 2")),
        (lambda: check_text("a\x00", "f", 9), Fails("f: text contains a NUL character")),
        (lambda: required_uuid({"k": UUID.upper()}, "k"), UUID.upper()),
        (lambda: required_uuid({"k": "Halaskargazi"}, "k"), Fails("k: not a UUID: 'Halaskargazi'")),
        (lambda: required_uuid({}, "k"), Fails("k: missing")),
    ],
)
def test_payload_fields(call, result):
    if isinstance(result, Fails):
        with pytest.raises(OrderParseError) as info:
            call()
        assert str(info.value) == result
        assert info.value.field == result.split(": ")[0]
    else:
        assert call() == result


def test_short_repr():
    assert short_repr("abc") == "'abc'"
    assert short_repr("x" * 100) == "'" + "x" * 56 + "..."
    assert len(short_repr(list(range(100)))) == 60
