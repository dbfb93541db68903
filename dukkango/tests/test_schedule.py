"""The rules of busy mode and opening hours (dukkango/schedule.py), without Odoo."""

from datetime import datetime, timedelta

from dukkango import schedule
from dukkango.schedule import CLOSED, OPEN

DAY = datetime(2026, 12, 1)


def at(hour, minute=0, day=0):
    return DAY + timedelta(days=day, hours=hour, minutes=minute)


#: 10:00-14:00 and 17:00-24:00 today, 00:00-02:00 tomorrow (one evening opening past midnight)
HOURS = [(at(17), at(24)), (at(10), at(14)), (at(0, day=1), at(2, day=1))]


def test_merge_sorts_and_joins_touching_intervals():
    assert schedule.merge(HOURS) == [(at(10), at(14)), (at(17), at(2, day=1))]
    assert schedule.merge([(at(9), at(12)), (at(11), at(13)), (at(13), at(13))]) == [(at(9), at(13))]


def test_next_opening_is_a_start_at_or_after():
    assert schedule.next_opening(HOURS, at(8)) == at(10)
    assert schedule.next_opening(HOURS, at(10)) == at(10)
    # inside opening hours: the next opening, not now
    assert schedule.next_opening(HOURS, at(11)) == at(17)
    # past midnight is the same opening, not a new one
    assert schedule.next_opening(HOURS, at(18)) is None


def test_next_edge_is_a_start_an_end_or_the_end_of_a_pause():
    assert schedule.next_edge(HOURS, at(8)) == at(10)
    assert schedule.next_edge(HOURS, at(10)) == at(14)
    assert schedule.next_edge(HOURS, at(11), paused_until=at(11, 30)) == at(11, 30)
    assert schedule.next_edge(None, at(11), paused_until=at(11, 30)) == at(11, 30)
    assert schedule.next_edge(None, at(11)) is None


def test_opening_hours_open_and_close_on_their_edges():
    assert schedule.decide(at(9), HOURS, last_applied=None) == (CLOSED, CLOSED)
    assert schedule.decide(at(9, 5), HOURS, last_applied=CLOSED) == (None, CLOSED)
    assert schedule.decide(at(10), HOURS, last_applied=CLOSED) == (OPEN, OPEN)
    assert schedule.decide(at(14), HOURS, last_applied=OPEN) == (CLOSED, CLOSED)
    assert schedule.decide(at(1, day=1), HOURS, last_applied=OPEN) == (None, OPEN)


def test_a_managers_close_inside_opening_hours_holds_until_they_end():
    # the restaurant was closed by hand at 11:00: the rules still applied "open", nothing is asked
    assert schedule.decide(at(12), HOURS, last_applied=OPEN) == (None, OPEN)
    # 14:00: the end of the interval, closed (it is); 17:00: opened again
    assert schedule.decide(at(14), HOURS, last_applied=OPEN) == (CLOSED, CLOSED)
    assert schedule.decide(at(17), HOURS, last_applied=CLOSED) == (OPEN, OPEN)


def test_an_edge_missed_while_the_server_was_down_is_applied():
    # closed by hand at 11:00; the server is down from 13:00 to 10:30 the next day
    assert schedule.decide(at(12), HOURS, last_applied=OPEN, checked_at=at(11)) == (None, OPEN)
    two_days = [*HOURS, (at(10, day=1), at(14, day=1))]
    assert schedule.decide(at(10, 30, day=1), two_days, last_applied=OPEN, checked_at=at(13)) == (OPEN, OPEN)


def test_a_pause_closes_and_its_end_opens_inside_opening_hours_only():
    assert schedule.decide(at(11), HOURS, paused_until=at(11, 30), last_applied=OPEN) == (CLOSED, CLOSED)
    assert schedule.decide(at(11, 30), HOURS, paused_until=at(11, 30), last_applied=CLOSED) == (OPEN, OPEN)
    # a pause ending after closing time leaves the restaurant closed
    assert schedule.decide(at(14, 5), HOURS, paused_until=at(14, 5), last_applied=CLOSED) == (None, CLOSED)


def test_without_opening_hours_only_a_pause_is_applied():
    assert schedule.decide(at(11), None, last_applied=None) == (None, None)
    assert schedule.decide(at(11), None, paused_until=at(11, 15), last_applied=None) == (CLOSED, CLOSED)
    assert schedule.decide(at(11, 15), None, paused_until=at(11, 15), last_applied=CLOSED) == (OPEN, None)
    assert schedule.decide(at(11, 20), None, last_applied=None) == (None, None)
    # opening hours removed: what they applied last does not open anything
    assert schedule.decide(at(12), None, last_applied=CLOSED) == (None, None)


def test_no_session_and_the_watchdog_keep_it_closed():
    assert schedule.decide(at(10), HOURS, last_applied=CLOSED, session_open=False) == (None, CLOSED)
    # polling is down: the opening waits (last_applied unchanged, so it happens when polling is back)
    assert schedule.decide(at(10), HOURS, last_applied=CLOSED, blocked=True) == (None, CLOSED)
    assert schedule.decide(at(14), HOURS, last_applied=OPEN, blocked=True) == (CLOSED, CLOSED)


def test_may_open():
    assert schedule.may_open(at(11), HOURS)
    assert not schedule.may_open(at(15), HOURS)
    assert not schedule.may_open(at(11), HOURS, paused_until=at(11, 30))
    assert not schedule.may_open(at(11), None, session_open=False)
    assert schedule.may_open(at(11), None)
