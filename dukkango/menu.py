"""Parse ``/foods/get-foods`` into immutable, typed :class:`Food` records.

A food has a VAT-included ``price`` and modifier groups (``add_substract``): a group
(``ilave_basligi``) lets the customer pick one option (``secim_turu: tekli``) or several
(``coklu``), each with its own VAT-included price. Options carry no id: they are known by
group title and name, which is how orders name them too.

Any problem raises :class:`~dukkango.validation.OrderParseError`, whose message names the field.
"""

from dataclasses import dataclass
from decimal import Decimal

from .validation import (
    MAX_NAME,
    MAX_TEXT,
    OrderParseError,
    optional_text,
    parse_int,
    parse_money,
    required_text,
    validate_uuid,
)

MAX_FOODS = 5000
MAX_GROUPS = 50
MAX_GROUP_OPTIONS = 100


@dataclass(frozen=True)
class ModifierOption:
    name: str
    price: Decimal


@dataclass(frozen=True)
class ModifierGroup:
    title: str
    multiple: bool  # coklu: several options may be chosen; tekli: one
    required: bool  # zorunlu: the customer must choose
    options: tuple  # of ModifierOption


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    sort: int


@dataclass(frozen=True)
class Food:
    food_id: int
    name: str
    restaurant_id: str
    price: Decimal
    category: Category = None
    description: str = ""
    sort: int = 0
    groups: tuple = ()  # of ModifierGroup


def parse_foods(rows):
    """Parse the ``data`` list of ``/foods/get-foods``.

    Returns ``(foods, errors)``: a bad food is left out with its error (an
    :class:`OrderParseError`) so that the rest of the menu can still be used. A list that
    is not a list, too long, or that names a food id twice raises.
    """
    if not isinstance(rows, list):
        raise OrderParseError("data", f"expected a list, got {type(rows).__name__}")
    if len(rows) > MAX_FOODS:
        raise OrderParseError("data", f"{len(rows)} foods, more than {MAX_FOODS}")
    foods, errors = [], []
    for index, row in enumerate(rows):
        try:
            foods.append(parse_food(row, f"data[{index}]"))
        except OrderParseError as error:
            # named as a person knows the dish: "Dish 104 'Bozuk Yemek': price is not a number"
            error.order_label = _dish_label(row, index)
            errors.append(error.within(f"data[{index}]", ""))
    ids = [food.food_id for food in foods]
    if len(set(ids)) != len(ids):
        raise OrderParseError("data", "the same food_id is listed twice")
    return foods, errors


def _dish_label(row, index):
    """``Dish 104 'Bozuk Yemek'`` as far as the row says it (its position when nothing)."""
    row = row if isinstance(row, dict) else {}
    food_id, name = row.get("food_id"), row.get("name")
    label = f"Dish {food_id}" if isinstance(food_id, (int, str)) and str(food_id).strip() else f"Dish #{index + 1}"
    return f"{label} '{name.strip()[:60]}'" if isinstance(name, str) and name.strip() else label


def parse_food(row, where="food"):
    if not isinstance(row, dict):
        raise OrderParseError(where, f"expected an object, got {type(row).__name__}")
    food_id = parse_int(row.get("food_id"), f"{where}.food_id")
    if food_id <= 0:
        raise OrderParseError(f"{where}.food_id", "must be positive")
    try:
        restaurant_id = validate_uuid(row.get("restaurant_id"), "restaurant_id").lower()
    except ValueError as error:
        raise OrderParseError(f"{where}.restaurant_id", str(error)) from None
    price = parse_money(row.get("price"), f"{where}.price")
    category = row.get("category")
    if category not in (None, "", {}):
        if not isinstance(category, dict):
            raise OrderParseError(f"{where}.category", f"expected an object, got {type(category).__name__}")
        category = Category(
            id=parse_int(category.get("id", 0), f"{where}.category.id"),
            name=required_text(category, "name", MAX_NAME, f"{where}.category.name"),
            sort=parse_int(category.get("sort", 0), f"{where}.category.sort"),
        )
    else:
        category = None
    return Food(
        food_id=food_id,
        name=required_text(row, "name", MAX_NAME, f"{where}.name"),
        restaurant_id=restaurant_id,
        price=price,
        category=category,
        description=optional_text(row, "desc", MAX_TEXT, f"{where}.desc"),
        sort=parse_int(row.get("sort", 0), f"{where}.sort"),
        groups=_groups(row.get("add_substract"), f"{where}.add_substract"),
    )


def _groups(groups, where):
    if groups in (None, "", {}):
        return ()
    if not isinstance(groups, list):
        raise OrderParseError(where, f"expected a list, got {type(groups).__name__}")
    if len(groups) > MAX_GROUPS:
        raise OrderParseError(where, f"{len(groups)} groups, more than {MAX_GROUPS}")
    result = []
    for gindex, group in enumerate(groups):
        gwhere = f"{where}[{gindex}]"
        if not isinstance(group, dict):
            raise OrderParseError(gwhere, f"expected an object, got {type(group).__name__}")
        options = group.get("ilave_opsiyonlari") or []
        if not isinstance(options, list):
            raise OrderParseError(f"{gwhere}.ilave_opsiyonlari", "expected a list")
        if len(options) > MAX_GROUP_OPTIONS:
            raise OrderParseError(f"{gwhere}.ilave_opsiyonlari", f"more than {MAX_GROUP_OPTIONS} options")
        parsed = []
        for oindex, option in enumerate(options):
            owhere = f"{gwhere}.ilave_opsiyonlari[{oindex}]"
            if not isinstance(option, dict):
                raise OrderParseError(owhere, f"expected an object, got {type(option).__name__}")
            parsed.append(
                ModifierOption(
                    name=required_text(option, "name", MAX_NAME, f"{owhere}.name"),
                    price=parse_money(option.get("price", 0), f"{owhere}.price"),
                )
            )
        names = [option.name for option in parsed]
        if len(set(names)) != len(names):
            raise OrderParseError(f"{gwhere}.ilave_opsiyonlari", "two options have the same name")
        result.append(
            ModifierGroup(
                title=required_text(group, "ilave_basligi", MAX_NAME, f"{gwhere}.ilave_basligi"),
                multiple=str(group.get("secim_turu", "")).strip().lower() == "coklu",
                required=str(group.get("zorunlu_turu", "")).strip().lower() == "zorunlu",
                options=tuple(parsed),
            )
        )
    titles = [group.title for group in result]
    if len(set(titles)) != len(titles):
        raise OrderParseError(where, "two groups have the same title")
    return tuple(result)
