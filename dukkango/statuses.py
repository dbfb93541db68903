"""The platform's order statuses: the one vocabulary of the project in Python.

``dukkango-api.md`` §7: an order moves 1 (received) → 2 (preparing) → 16 (in delivery)
→ 5 (delivered); 6 (cancelled) is reachable from any state; 5 and 6 are final. Any other
id is an unknown status, shown as "other". ``static/src/app/dukkango_status.js`` holds
the same vocabulary for the POS, by key.
"""

STATUS_RECEIVED = 1
STATUS_CONFIRMED = 2
STATUS_IN_DELIVERY = 16
STATUS_DELIVERED = 5
STATUS_CANCELLED = 6

#: status id -> (key, progress rank); 6 is terminal from any state
STATUSES = {
    STATUS_RECEIVED: ("received", 1),
    STATUS_CONFIRMED: ("confirmed", 2),
    STATUS_IN_DELIVERY: ("in_delivery", 3),
    STATUS_DELIVERED: ("delivered", 4),
    STATUS_CANCELLED: ("cancelled", 5),
}
#: (key, label) of every status, for the Odoo selection field that shows it
STATUS_SELECTION = [
    ("received", "Received"),
    ("confirmed", "Preparing"),
    ("in_delivery", "In delivery"),
    ("delivered", "Delivered"),
    ("cancelled", "Cancelled"),
    ("other", "Other"),
]
#: what get-current returns by the docs (§7.3): the orders still to be handled
ACTIVE_STATUSES = frozenset({STATUS_RECEIVED, STATUS_CONFIRMED, STATUS_IN_DELIVERY})
TERMINAL_STATUSES = frozenset({STATUS_DELIVERED, STATUS_CANCELLED})
#: keys of the statuses the staff still have to handle
OPEN_STATUS_KEYS = tuple(STATUSES[status][0] for status in sorted(ACTIVE_STATUSES, key=lambda s: STATUSES[s][1]))


def status_key(status_id):
    """``received``/``confirmed``/``in_delivery``/``delivered``/``cancelled`` or ``other``."""
    return STATUSES.get(status_id, ("other", None))[0]


def status_advances(current, incoming):
    """Whether an order known at status ``current`` may move to status ``incoming``.

    A repeat never moves; a final status (5, 6) is never left; 6 (cancelled) is
    reachable from anywhere; among known statuses only forward moves count. An unknown
    status id never replaces a known one (the order would lose what is understood of it:
    the caller records it beside), is taken only after another unknown one, and a known
    status is taken after an unknown one (it carries newer, understood news).
    """
    if current is None:
        return True
    if incoming == current or current in TERMINAL_STATUSES:
        return False
    if incoming == STATUS_CANCELLED:
        return True
    if incoming not in STATUSES:
        return current not in STATUSES
    if current not in STATUSES:
        return True
    return STATUSES[incoming][1] > STATUSES[current][1]
