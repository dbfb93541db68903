"""When a restaurant should be open on Dükkango: opening hours, a pause, the watchdog.

Dükkango only knows "open now" and "close now": the timers are kept by Odoo. These
functions hold the rules, without Odoo: datetimes are naive UTC, ``intervals`` is a list
of ``(start, stop)`` opening intervals (as a working-time calendar gives them), or None
when the restaurant has no opening hours.

The schedule is applied on its edges: Odoo asks for a state when the state the rules
want differs from the last one it applied (``last_applied``). So a close (or an open)
made by a manager inside (or outside) opening hours holds until the next edge, the end
(or the start) of the opening interval; a pause holds until it ends.
"""

OPEN = "open"
CLOSED = "closed"


def merge(intervals):
    """The intervals sorted, overlapping or touching ones merged (18:00-24:00 + 00:00-02:00)."""
    merged = []
    for start, stop in sorted((start, stop) for start, stop in intervals if start < stop):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged


def current_interval(intervals, now):
    """The opening interval that contains ``now``, or None."""
    for start, stop in merge(intervals):
        if start <= now < stop:
            return start, stop
    return None


def next_opening(intervals, after):
    """The first start of an opening interval at or after ``after``, or None."""
    return next((start for start, _stop in merge(intervals) if start >= after), None)


def next_edge(intervals, now, paused_until=None):
    """The next moment after ``now`` when the wanted state may change, or None."""
    edges = [moment for interval in merge(intervals or []) for moment in interval if moment > now]
    if paused_until and paused_until > now:
        edges.append(paused_until)
    return min(edges, default=None)


def schedule_state(now, intervals):
    """What opening hours alone want: open inside them, closed outside, None without hours."""
    if intervals is None:
        return None
    return OPEN if current_interval(intervals, now) else CLOSED


def decide(
    now, intervals=None, paused_until=None, last_applied=None, session_open=True, blocked=False, checked_at=None
):
    """What to ask Dükkango for now, and the new ``last_applied``: ``(request, applied)``.

    ``request`` is ``"open"``, ``"closed"`` or None (ask nothing).
    ``paused_until``: the end of a pause (closed until then).
    ``session_open``: False when the restaurant follows the till's session and none is open
    (never opened then).
    ``blocked``: the watchdog closed the restaurant (polling is down): nothing is opened.
    ``checked_at``: when ``last_applied`` was last decided; when a start or end of the
    opening hours passed since (the server was down), it is applied again whatever it was.
    Without opening hours only a pause is applied: closed while it lasts, open once at its end.
    """
    if checked_at and intervals is not None:
        edge = next_edge(intervals, checked_at)
        if edge is not None and edge <= now:
            last_applied = None
    if paused_until and now < paused_until:
        wanted = CLOSED
    elif intervals is not None:
        wanted = schedule_state(now, intervals)
    elif paused_until:
        wanted = OPEN  # the end of a pause, without opening hours
    else:
        return None, None
    if wanted == OPEN and not session_open:
        wanted = CLOSED
    if wanted == last_applied:
        return None, last_applied
    if wanted == OPEN and blocked:
        return None, last_applied  # applied when polling is back
    # without opening hours, nothing is governed once the pause is over
    applied = wanted if intervals is not None or wanted == CLOSED else None
    return wanted, applied


def may_open(now, intervals=None, paused_until=None, session_open=True):
    """Whether nothing wants the restaurant closed now: no pause, inside the opening hours
    (when it has some), a session open (when it follows the session). The end of a pause,
    and the watchdog when polling is back, open again only then."""
    if paused_until and now < paused_until:
        return False
    if not session_open:
        return False
    return schedule_state(now, intervals) != CLOSED
