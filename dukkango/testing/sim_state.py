"""What the simulator keeps across a restart (``--state FILE``).

A platform does not forget its orders when a till restarts, nor start its numbers again.
With a state file the simulator writes, after every change, what a restart must find
again, and reads it back when it starts:

* ``next_order_id``: the number of the next generated order, so that a restarted demo
  never shows a second *Dükkango #1034*;
* the orders that are not over: every order whose status is not final (5 delivered,
  6 cancelled), and a final one until its status is acknowledged, with its payload,
  status, acknowledged status, preparation time and cancel reason, so that they can still
  be fetched, accepted, sent and completed;
* each restaurant's open/closed state.

Delivered or cancelled orders that were acknowledged are left out: the platform never
serves them again. The file is JSON, written to a temporary file then renamed (a crash
never leaves half a file).
"""

import json
import os
import tempfile

from ..statuses import TERMINAL_STATUSES
from ..validation import is_uuid

VERSION = 1


def is_pending(record):
    """True while an order may still be served or acted on."""
    return record["status_id"] not in TERMINAL_STATUSES or record["acked_status"] != record["status_id"]


def state_of(sim):
    """The state of ``sim`` as a JSON-ready dict (call with its lock held)."""
    return {
        "version": VERSION,
        "next_order_id": sim._next_id,
        "restaurants": {rid: restaurant["status"] for rid, restaurant in sim.restaurants.items()},
        "orders": [
            {
                "data": record["data"],
                "status_id": record["status_id"],
                "acked_status": record["acked_status"],
                "preparing_time": record["preparing_time"],
                "cancel_reason": record["cancel_reason"],
            }
            for record in sim.orders.values()
            if is_pending(record)
        ],
    }


def save_state(sim, path):
    """Write the state of ``sim`` to ``path`` atomically."""
    state = state_of(sim)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".sim-state-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(state, stream, ensure_ascii=False)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def read_state(path):
    """The state saved at ``path``; None when there is no file. A file that is not a state
    of this simulator raises ``ValueError`` naming it (never silently starts afresh)."""
    try:
        with open(path, encoding="utf-8") as stream:
            state = json.load(stream)
    except FileNotFoundError:
        return None
    except ValueError as error:
        raise ValueError(f"{path} is not a simulator state file (not JSON: {error})") from None
    if not isinstance(state, dict) or state.get("version") != VERSION:
        raise ValueError(f"{path} is not a simulator state file of version {VERSION}")
    if not isinstance(state.get("next_order_id"), int) or not isinstance(state.get("orders"), list):
        raise ValueError(f"{path}: next_order_id or orders missing")
    return state


def restore_state(sim, state):
    """Put a saved state back in ``sim`` (call with its lock held); how many orders."""
    sim._next_id = max(sim._next_id, state["next_order_id"])
    for rid, status in (state.get("restaurants") or {}).items():
        if rid in sim.restaurants and status in ("Open", "Closed"):
            sim.restaurants[rid]["status"] = status
    count = 0
    for saved in state["orders"]:
        data = saved.get("data")
        if not isinstance(data, dict) or not isinstance(data.get("payment_key"), str):
            continue
        branch = str(data.get("restaurant_id", "")).strip().lower()
        if sim.restaurant and branch != sim.restaurant:
            continue  # --restaurant: the simulator serves only that restaurant's orders
        if isinstance(data.get("restaurant_id"), str) and is_uuid(branch):
            sim._know_restaurant(data)
        record = sim._record(data)
        record.update(
            status_id=saved.get("status_id", record["status_id"]),
            acked_status=saved.get("acked_status"),
            preparing_time=saved.get("preparing_time"),
            cancel_reason=saved.get("cancel_reason"),
        )
        sim.orders[data["payment_key"].strip().lower()] = record
        count += 1
    return count
