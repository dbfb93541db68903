"""Map a parsed :class:`~dukkango.orders.Order` to the point-of-sale order to create.

:func:`map_order` decides everything that does not need the database: the lines and
their VAT-included amounts, whether the order was paid online, the customer's contact
data and the rows of the order's general note. The Odoo layer then picks the products,
taxes and labels. The amounts of the lines always add up to the order's total.

The kinds of line (:attr:`DraftLine.kind`):

* ``ITEM``: a dish, on the product matched by its food id or name, for its subtotal;
* ``UNMATCHED``: a dish whose price the payload did not give (``Item.price_known`` false).
  It is booked on the point of sale's fallback product under the item's own name, with its
  quantity, options and note, for an amount of 0; the ``ADJUSTMENT`` line carries its
  money so that the lines still add up to Dükkango's total, and the order needs attention
  (:attr:`PosOrderDraft.needs_adjustment`, :attr:`PosOrderDraft.unpriced_names`);
* ``FALLBACK``: the one line of an order without items (fallback product);
* ``DISCOUNT`` (negative), ``FEE``, ``TIP``: the order's money lines, when not zero;
* ``ADJUSTMENT``: what is left for the lines to give Dükkango's total, when not zero.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from .validation import KURUS, ZERO

ITEM, FALLBACK, DISCOUNT, FEE, TIP, ADJUSTMENT = "item", "fallback", "discount", "fee", "tip", "adjustment"
UNMATCHED = "unmatched"
#: the kinds of line that are the order's dishes (in the payload's order, before the money lines)
DISH_KINDS = (ITEM, UNMATCHED)
NOTE_KEYS = ("order", "note", "shipping", "courier", "payment", "customer", "address", "scheduled")

_ONE = Decimal(1)
#: keys of /orders/variables paymentMethod that are paid on the platform (§8.2)
PREPAID_KEYS = frozenset({"CREDIT_CARD", "DEBIT_CARD"})
#: /orders/variables paymentMethod as documented (§6.7), when the platform's cannot be read
DOCUMENTED_PAYMENT_METHODS = [
    {"key": "CASH", "name": "Nakit"},
    {"key": "CREDIT_CARD", "name": "Kredi Kartı"},
    {"key": "DEBIT_CARD", "name": "Banka Kartı"},
]
#: address keys that have a partner field of their own; the others go to ``street2``
_PARTNER_ADDRESS_KEYS = ("address", "description", "city", "district")


@dataclass(frozen=True)
class DraftLine:
    """One line of the POS order: a dish (``ITEM``) or a money line of the order."""

    kind: str  # one of ITEM, UNMATCHED, FALLBACK, DISCOUNT, FEE, TIP, ADJUSTMENT
    qty: Decimal
    amount: Decimal  # VAT-included total to the kuruş (negative for the discount; 0 for UNMATCHED)
    name: str = ""  # the item's name for ITEM and UNMATCHED lines; "" for the others (Odoo names them)
    food_id: int = None  # ITEM and UNMATCHED lines: the platform's food id, if any
    note: str = ""  # ITEM and UNMATCHED lines: the item's own note
    options: tuple = ()  # ITEM and UNMATCHED lines: the orders.Option chosen


@dataclass(frozen=True)
class PartnerDraft:
    """The customer's contact data, to find or create the order's partner."""

    name: str  # customer name, else the E.164 phone
    phone: str  # E.164 or ""
    phone_variants: tuple  # distinct (E.164, as received) phones to find an existing customer; () without E.164
    street: str  # address key "address" (else "")
    street2: str  # the other address values, except description/city/district
    city: str  # district and city
    comment: str  # address key "description" (else "")


@dataclass(frozen=True)
class PosOrderDraft:
    """What the POS order of one platform order holds, before products and taxes."""

    number: int  # order.id
    reference: str  # "Dükkango #<id>"
    total: Decimal
    computed_total: Decimal  # Σ items − discount + courier fee + tip
    paid_online: bool  # paid with a method the platform lists as pre-paid, and something to pay
    payment_known: bool  # the platform's list of payment methods has the order's one
    date: datetime  # order date (aware)
    lines: tuple  # DraftLine: the items (ITEM, UNMATCHED) or one FALLBACK line, DISCOUNT, FEE, TIP, ADJUSTMENT
    partner: PartnerDraft  # None when the customer has neither a name nor a phone
    note_rows: tuple  # ((key, value), ...) in NOTE_KEYS order, only the non-empty values

    @property
    def unpriced_names(self):
        """The names of the UNMATCHED lines: items that came without a price."""
        return tuple(line.name for line in self.lines if line.kind == UNMATCHED)

    @property
    def needs_adjustment(self):
        """Whether the order needs attention: an item came without a price, or the money
        identity of its items does not give its total (an ADJUSTMENT line then says how much)."""
        if self.unpriced_names:
            return True
        return any(line.kind == ITEM for line in self.lines) and self.computed_total != self.total


def spread(amount, weights):
    """``amount`` split in proportion to ``weights`` (positive), each share to the kuruş,
    the shares adding up to ``amount`` exactly (the largest remainders get the kuruş)."""
    total = sum(weights, ZERO)
    exact = [amount * weight / total for weight in weights]
    shares = [share.quantize(KURUS, rounding=ROUND_DOWN) for share in exact]
    left = int(((amount - sum(shares, ZERO)) / KURUS).to_integral_value())
    step = KURUS if left >= 0 else -KURUS
    order = sorted(range(len(exact)), key=lambda i: abs(exact[i] - shares[i]), reverse=True)
    for index in order[: abs(left)]:
        shares[index] += step
    return shares


def payment_kinds(variables):
    """``{name (casefolded): key}`` of the ``paymentMethod`` list of ``/orders/variables``
    (the documented list when ``variables`` is empty or unreadable)."""
    rows = variables.get("paymentMethod") if isinstance(variables, dict) else None
    if not isinstance(rows, list) or not rows:
        rows = DOCUMENTED_PAYMENT_METHODS
    return {
        str(row["name"]).strip().casefold(): str(row["key"]).strip().upper()
        for row in rows
        if isinstance(row, dict) and row.get("name") and row.get("key")
    }


def map_order(order, payment_methods=None):
    """The :class:`PosOrderDraft` of a parsed :class:`~dukkango.orders.Order`.

    ``payment_methods`` (of :func:`payment_kinds`) says which payment names are pre-paid:
    only those are booked as paid online; cash and any method the list does not know (a
    card paid at the door…) are left to be paid at the till.
    """
    kinds = payment_methods if payment_methods is not None else payment_kinds(None)
    kind = kinds.get(order.payment_method.strip().casefold())
    return PosOrderDraft(
        number=order.id,
        reference=f"Dükkango #{order.id}",
        total=order.total,
        computed_total=order.computed_total,
        paid_online=kind in PREPAID_KEYS and order.total > 0,
        payment_known=kind is not None,
        date=order.date,
        lines=_lines(order),
        partner=_partner(order.customer, order.address),
        note_rows=_note_rows(order),
    )


def _lines(order):
    """The items (or the fallback line), then the discount, fee, tip and adjustment.

    Zero-amount items are kept; the fallback line and the money lines only when not zero.
    An item without a price is an UNMATCHED line of amount 0 (its subtotal is 0).
    """
    lines = [
        DraftLine(
            ITEM if item.price_known else UNMATCHED,
            item.quantity,
            item.subtotal,
            name=item.name,
            food_id=item.food_id,
            note=item.note,
            options=item.options,
        )
        for item in order.items
    ]
    money = [
        (FALLBACK, order.fallback_amount),  # 0 when the order has items
        (DISCOUNT, -order.discount),
        (FEE, order.courier_fee),
        (TIP, order.order_tip),
        (ADJUSTMENT, order.adjustment_amount),
    ]
    lines.extend(DraftLine(kind, _ONE, amount) for kind, amount in money if amount)
    return tuple(lines)


def _partner(customer, address):
    """The customer's :class:`PartnerDraft`, or ``None`` without a name or a phone."""
    phone = customer.phone_e164
    if not customer.name and not phone:
        return None
    values = dict(address)
    # without an E.164 phone the received one has no digits: it finds nobody
    variants = tuple(dict.fromkeys(v for v in (phone, customer.phone.strip()) if v)) if phone else ()
    return PartnerDraft(
        name=customer.name or phone,
        phone=phone,
        phone_variants=variants,
        street=values.get("address") or "",
        street2=", ".join(value for key, value in address if value and key not in _PARTNER_ADDRESS_KEYS),
        city=", ".join(value for value in (values.get("district"), values.get("city")) if value),
        comment=values.get("description") or "",
    )


def _note_rows(order):
    """``(key, value)`` of the general note, in :data:`NOTE_KEYS` order, empty values left out."""
    customer = order.customer
    values = {
        "order": f"#{order.id}",
        "note": order.note,
        "shipping": order.shipping_method,
        "courier": order.courier_type,
        "payment": order.payment_method,
        "customer": " ".join(value for value in (customer.name, customer.phone_e164) if value),
        "address": order.address_text(", "),
        "scheduled": order.scheduled_date.strftime("%Y-%m-%d %H:%M") if order.scheduled_date else "",
    }
    return tuple((key, values[key]) for key in NOTE_KEYS if values[key])
