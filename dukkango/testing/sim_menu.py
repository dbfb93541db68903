"""The simulator's menu: a kebab restaurant of İstanbul, as ``/foods/get-foods`` serves it,
and the items of the orders drawn from it.

Prices are VAT-included and in lira with kuruş (``187.5`` is 187.50 ₺), as on the platform,
and chosen so that a price without VAT to the kuruş gives them back exactly at 10 % (the
demo's KDV) and 15 % (the tests' tax): a till shows the menu's prices as they are.
A dish has option groups (``add_substract``): single choice (``tekli``) or multiple
(``coklu``), required (``zorunlu``) or not (``opsiyonel``), each option with its own price
(0 for a plain choice). An order's item carries the dish's price and the options chosen;
:func:`draw_items` draws them from this menu and returns their exact sum.

Tests rely on some dishes (their names, groups and options): *Urfa Kebap* has exactly the
groups *Porsiyon* and *Acı Seçimi*, *Adana Dürüm* has *Ekstralar* (multiple choice),
*Ayran*, *Şalgam*, *Kola* and *Lahmacun* are on the menu. Keep them when changing it.
"""

from decimal import Decimal

#: (category, its sort): the order of the menu's sections
CATEGORIES = [
    ("Çorbalar", 0),
    ("Dürümler", 1),
    ("Kebaplar", 2),
    ("Pideler", 3),
    ("Menüler", 4),
    ("Salatalar", 5),
    ("İçecekler", 6),
    ("Tatlılar", 7),
]

#: group key: (title, secim_turu, zorunlu_turu, [(option, price)])
GROUPS = {
    "acilik": ("Acı Seçimi", "tekli", "zorunlu", [("Acılı", 0), ("Acısız", 0)]),
    "durum_ekstra": (
        "Ekstralar",
        "coklu",
        "opsiyonel",
        [("Ekstra Lavaş", 15), ("Közlenmiş Biber", 12.5), ("Ekstra Et", 64.5)],
    ),
    "durum_sos": ("Sos Seçimi", "coklu", "opsiyonel", [("Acı Sos", 7.5), ("Sarımsaklı Yoğurt", 12.5)]),
    "porsiyon": ("Porsiyon", "tekli", "zorunlu", [("1 Porsiyon", 0), ("1.5 Porsiyon", 120)]),
    "yan": (
        "Yanında",
        "coklu",
        "opsiyonel",
        [("Bulgur Pilavı", 45.9), ("Közlenmiş Domates", 17.5), ("Cacık", 39.5)],
    ),
    "pide_ekstra": ("Ekstralar", "coklu", "opsiyonel", [("Yumurta", 12.5), ("Ekstra Kaşar", 27.5)]),
    "pide_hamur": ("Hamur", "tekli", "opsiyonel", [("İnce Hamur", 0), ("Kepekli Hamur", 9.9)]),
    "menu_icecek": ("İçecek Seçimi", "tekli", "zorunlu", [("Ayran", 0), ("Şalgam", 0), ("Kola", 10.9)]),
    "salata_sos": ("Sos", "tekli", "opsiyonel", [("Nar Ekşili", 0), ("Limonlu Zeytinyağlı", 0)]),
    "boy": ("Boy", "tekli", "zorunlu", [("Küçük", 0), ("Büyük", 15.5)]),
    "seker": ("Şeker", "tekli", "zorunlu", [("Sade", 0), ("Az Şekerli", 0), ("Orta", 0), ("Şekerli", 0)]),
    "kunefe_ekstra": ("Ekstralar", "coklu", "opsiyonel", [("Dondurma", 32.9), ("Antep Fıstığı", 44.9)]),
}

#: (category, dish, price, [group keys], description)
DISHES = [
    ("Çorbalar", "Mercimek Çorbası", 87.95, [], "Süzme kırmızı mercimek, limon ve kıtır ekmekle"),
    ("Çorbalar", "Ezogelin Çorbası", 89.9, [], "Bulgurlu, naneli ve pul biberli"),
    ("Dürümler", "Adana Dürüm", 187.5, ["acilik", "durum_ekstra"], "Zırh kıyması, lavaşa sarılı"),
    ("Dürümler", "Tavuk Şiş Dürüm", 164.9, ["acilik", "durum_ekstra"], "Közde tavuk göğsü, lavaşa sarılı"),
    ("Dürümler", "Et Döner Dürüm", 209.9, ["durum_ekstra", "durum_sos"], "Yaprak et döner, domates ve soğanla"),
    ("Kebaplar", "İskender Kebap", 344.95, ["porsiyon"], "Tereyağlı, domates soslu, yoğurtla"),
    ("Kebaplar", "Urfa Kebap", 294.75, ["porsiyon", "acilik"], "Acısız kıyma kebabı, közlenmiş sebzeyle"),
    ("Kebaplar", "Adana Kebap", 309.9, ["porsiyon", "yan"], "Acılı kıyma kebabı, közlenmiş sebzeyle"),
    ("Kebaplar", "Beyti Sarma", 364.5, ["porsiyon", "yan"], "Lavaşa sarılı, yoğurt ve tereyağıyla"),
    ("Kebaplar", "Tavuk Kanat", 249.9, ["acilik", "yan"], "Közde tavuk kanat, 8 adet"),
    ("Pideler", "Kıymalı Pide", 209.9, ["pide_ekstra", "pide_hamur"], "Taş fırında, dana kıymalı"),
    ("Pideler", "Kaşarlı Pide", 194.5, ["pide_ekstra", "pide_hamur"], "Taş fırında, bol kaşarlı"),
    ("Pideler", "Karışık Pide", 239.9, ["pide_ekstra", "pide_hamur"], "Kıyma, kuşbaşı, sucuk ve kaşar"),
    ("Pideler", "Lahmacun", 94.5, ["acilik"], "İnce hamur, maydanoz ve limonla"),
    ("Menüler", "Adana Dürüm Menü", 239.9, ["acilik", "menu_icecek"], "Adana dürüm, patates ve içecek"),
    ("Menüler", "Tavuk Dürüm Menü", 214.9, ["acilik", "menu_icecek"], "Tavuk şiş dürüm, patates ve içecek"),
    ("Salatalar", "Çoban Salata", 79.9, ["salata_sos"], "Domates, salatalık, biber ve soğan"),
    ("Salatalar", "Gavurdağı Salata", 119.9, ["salata_sos"], "Cevizli, nar ekşili"),
    ("İçecekler", "Ayran", 34.9, ["boy"], "Yayık ayranı"),
    ("İçecekler", "Şalgam", 39.5, ["acilik"], "Adana usulü"),
    ("İçecekler", "Kola", 44.9, [], "33 cl kutu"),
    ("İçecekler", "Türk Kahvesi", 69.95, ["seker"], "Lokumla"),
    ("Tatlılar", "Künefe", 164.9, ["kunefe_ekstra"], "Hatay usulü, sıcak servis"),
    ("Tatlılar", "Sütlaç", 89.5, [], "Fırın sütlaç"),
    ("Tatlılar", "Fıstıklı Baklava", 189.9, ["kunefe_ekstra"], "4 dilim, Antep fıstıklı"),
]


def build_menu(restaurant_ids, first_food_id=1):
    """The ``/foods/get-foods`` rows of every restaurant (each has the whole menu, with its
    own food ids, numbered from ``first_food_id`` across restaurants) plus the simulator's
    ``active`` flag."""
    sorts = dict(CATEGORIES)
    foods = []
    for restaurant_id in restaurant_ids:
        for sort, (category, name, price, groups, desc) in enumerate(DISHES):
            food_id = first_food_id + len(foods)
            foods.append(
                {
                    "food_id": food_id,
                    "name": name,
                    "category": {"id": sorts[category] + 1, "name": category, "sort": sorts[category]},
                    "desc": desc,
                    "image": f"https://example.com/images/{food_id}.jpg",
                    "restaurant_id": restaurant_id,
                    "sort": sort,
                    "price": price,
                    "add_substract": [_group(key) for key in groups],
                    "active": True,
                }
            )
    return foods


def _group(key):
    title, choice, required, options = GROUPS[key]
    return {
        "ilave_basligi": title,
        "secim_turu": choice,
        "ekleme_cikarma": "ekleme",
        "zorunlu_turu": required,
        "ilave_opsiyonlari": [{"name": name, "price": price} for name, price in options],
    }


def draw_options(food, rng):
    """The options a customer picks for ``food``: one of a required single-choice group,
    at most one of an optional one, none to two of a multiple-choice group."""
    chosen = []
    for group in food["add_substract"]:
        options = group["ilave_opsiyonlari"]
        if group["secim_turu"] == "tekli":
            picks = [rng.choice(options)] if group["zorunlu_turu"] == "zorunlu" or rng.random() < 0.5 else []
        else:
            picks = rng.sample(options, rng.randint(0, min(2, len(options))))
        if picks:
            chosen.append({"ilave_basligi": group["ilave_basligi"], "ilave_opsiyonlari": [dict(o) for o in picks]})
    return chosen


def draw_items(foods, rng, notes=("",)):
    """One to four distinct dishes of ``foods`` with their options, quantities and notes;
    returns ``(items, total)``: the order's ``foods`` and the exact sum of
    (price + options) × quantity, a :class:`~decimal.Decimal` to the kuruş."""
    items, total = [], Decimal(0)
    for food in rng.sample(foods, rng.randint(1, min(4, len(foods)))):
        chosen = draw_options(food, rng)
        quantity = rng.choice([1, 1, 1, 2, 2, 3])
        unit = Decimal(str(food["price"])) + sum(
            (Decimal(str(o["price"])) for g in chosen for o in g["ilave_opsiyonlari"]), Decimal(0)
        )
        total += unit * quantity
        items.append(
            {
                "food_id": food["food_id"],
                "name": food["name"],
                "quantity": quantity,
                "price": food["price"],
                "note": rng.choice(notes),
                "add_substract": chosen,
            }
        )
    return items, total


def describe_order(order):
    """One line about a generated order, whatever its shape (numbers as strings, items keyed
    by position...): ``#1033 90 TL, delivery (fuudy courier), Nakit: 1× Sütlaç``."""
    foods = next((order[key] for key in ("foods", "items", "products") if order.get(key)), [])
    foods = list(foods.values()) if isinstance(foods, dict) else foods
    dishes = ", ".join(
        f"{next((food[k] for k in ('quantity', 'adet', 'count') if k in food), 1)}× {food.get('name')}"
        for food in foods
        if isinstance(food, dict)
    )
    shipping = order.get("shipping_method")
    shape = "pick-up" if shipping == "pickup" else f"{shipping} ({order.get('courier_type')} courier)"
    extra = " scheduled" if order.get("scheduled_date") not in (None, "", False, "0000-00-00 00:00:00") else ""
    total = order.get("total")
    total = round(total, 2) if isinstance(total, float) else total  # a PHP float: 729.0000000002187
    return f"#{order.get('id')} {total} TL, {shape}, {order.get('payment_method')}{extra}: {dishes}"
