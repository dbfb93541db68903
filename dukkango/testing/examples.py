"""Example platform payloads shared by the tests of the pure layer and of the addon."""

import copy

# The documented example of GET /orders/get-current (§6.1), completed with items (§14.1).
DOCUMENTED = {
    "id": 1031,
    "status_id": 1,
    "status_text": "Sipariş Geldi",
    "shipping_method": "delivery",
    "payment_key": "3e9caf87-5cb7-4c4e-adcb-fc2ec54cf24e",
    "payment_method": "Kredi Kartı",
    "note": "",
    "total": 1417.5,
    "date": "2026-01-16 15:10:54",
    "restaurant_id": "0ca1d2b1-a199-4960-8617-83a659d890c8",
    "restaurant_name": "Halaskargazi Şube",
    "courier_type": "restaurant",
    "discount": "157.5",
    "courier_fee": 0,
    "scheduled_date": "",
    "order_tip": 0,
    "customer": {"name": "Kerim Test", "phone": "05335587642"},
    "address": {"address": "Dershane Sokak", "description": "", "apartment": "Gül Apt. D:4"},
    "foods": [
        {
            "food_id": 1,
            "name": "Beef Burrito",
            "quantity": 2,
            "price": 675,
            "note": "az acılı",
            "add_substract": [
                {
                    "ilave_basligi": "Sos Seçimi",
                    "ilave_opsiyonlari": [
                        {"name": "Ballı Hardal", "price": 10},
                        {"name": "Balzamik Hardal", "price": 15},
                    ],
                }
            ],
        },
        {"name": "Ayran", "adet": "3", "price": "25"},
    ],
}


def order(**changes):
    """A deep copy of :data:`DOCUMENTED` with ``changes``; a value of ``KeyError`` removes the key."""
    data = copy.deepcopy(DOCUMENTED)
    for key, value in changes.items():
        if value is KeyError:
            data.pop(key, None)
        else:
            data[key] = value
    return data
