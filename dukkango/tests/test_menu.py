from decimal import Decimal

import pytest

from dukkango.menu import parse_food, parse_foods
from dukkango.orders import OrderParseError
from dukkango.testing.simulator import Simulator

REST = "0ca1d2b1-a199-4960-8617-83a659d890c8"


def food(**overrides):
    row = {
        "food_id": 1,
        "name": "Beef Burrito",
        "category": {"id": 1, "name": "Burritos", "sort": 0},
        "desc": "Delicious",
        "restaurant_id": REST,
        "sort": 0,
        "price": 675,
        "add_substract": [
            {
                "ilave_basligi": "Sos Seçimi",
                "secim_turu": "coklu",
                "ekleme_cikarma": "ekleme",
                "zorunlu_turu": "opsiyonel",
                "ilave_opsiyonlari": [{"name": "Ballı Hardal", "price": 10}, {"name": "Balzamik", "price": "15.50"}],
            }
        ],
    }
    row.update(overrides)
    return row


def test_documented_example():
    parsed = parse_food(food())
    assert parsed.food_id == 1
    assert parsed.price == Decimal("675")
    assert parsed.category.name == "Burritos"
    [group] = parsed.groups
    assert group.title == "Sos Seçimi" and group.multiple and not group.required
    assert [(o.name, o.price) for o in group.options] == [
        ("Ballı Hardal", Decimal("10")),
        ("Balzamik", Decimal("15.50")),
    ]


def test_single_choice_and_required():
    row = food(
        add_substract=[
            {
                "ilave_basligi": "Boy",
                "secim_turu": "tekli",
                "zorunlu_turu": "zorunlu",
                "ilave_opsiyonlari": [{"name": "Küçük", "price": 0}],
            }
        ]
    )
    [group] = parse_food(row).groups
    assert not group.multiple and group.required


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"food_id": "x"}, "food_id"),
        ({"food_id": 0}, "food_id"),
        ({"price": "NaN"}, "price"),
        ({"price": -5}, "price"),
        ({"name": ""}, "name"),
        ({"restaurant_id": "../../x"}, "restaurant_id"),
        ({"category": "Burritos"}, "category"),
        ({"add_substract": {"a": 1}}, "add_substract"),
        (
            {"add_substract": [{"ilave_basligi": "A", "ilave_opsiyonlari": [{"name": "x"}, {"name": "x"}]}]},
            "ilave_opsiyonlari",
        ),
    ],
)
def test_bad_food_names_the_field(overrides, field):
    with pytest.raises(OrderParseError) as error:
        parse_food(food(**overrides))
    assert field in str(error.value)


def test_bad_food_left_out_the_rest_kept():
    foods, errors = parse_foods([food(), food(food_id=2, price="abc"), food(food_id=3)])
    assert [f.food_id for f in foods] == [1, 3]
    assert len(errors) == 1 and "data[1].price" in str(errors[0])


def test_duplicate_food_ids_refused():
    with pytest.raises(OrderParseError):
        parse_foods([food(), food()])


def test_simulator_menu_parses():
    with Simulator() as sim:
        foods, errors = parse_foods(sim.foods)
    assert not errors
    assert foods and all(f.groups is not None for f in foods)


def test_a_bad_dish_is_named_as_a_person_knows_it():
    rows = [
        {"food_id": 104, "name": "Bozuk Yemek", "restaurant_id": "0ca1d2b1-a199-4960-8617-83a659d890c8", "price": "x"},
        {"name": "Numarasız", "price": 10},
    ]
    foods, errors = parse_foods(rows)
    assert foods == []
    assert errors[0].message == "Dish 104 'Bozuk Yemek': price is not a number ('x')"
    assert errors[1].message.startswith("Dish #2 'Numarasız': ")
