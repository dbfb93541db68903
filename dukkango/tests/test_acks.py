"""The acknowledgement pump: bounded concurrency, in the background, until its deadline."""

import threading
import time

from dukkango.acks import AckPump
from dukkango.exceptions import DukkangoConnectionError, DukkangoServerError


class Recorder:
    """A ``send`` that takes ``seconds`` and notes the most calls in flight at once."""

    def __init__(self, seconds=0.0, fail=None):
        self.seconds, self.fail = seconds, fail or {}
        self.lock, self.in_flight, self.peak, self.sent = threading.Lock(), 0, 0, []

    def __call__(self, key):
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.sent.append(key)
        time.sleep(self.seconds)
        with self.lock:
            self.in_flight -= 1
        if key in self.fail:
            raise self.fail[key]


def test_sends_every_key_a_few_at_a_time_in_the_background():
    send = Recorder(seconds=0.1)
    pump = AckPump(send, workers=3)
    started = time.monotonic()
    pump.start(range(30), until=time.monotonic() + 10)
    assert time.monotonic() - started < 0.5, "start does not wait for the answers (1 s of them)"
    pump.wait(time.monotonic() + 10)
    assert sorted(key for key, error in pump.answers()) == list(range(30))
    assert send.peak == 3
    assert pump.answers() == [], "each answer is handed over once"


def test_answers_carry_the_errors():
    failure, bug = DukkangoServerError(http_status=500), ValueError("a bug")
    pump = AckPump(Recorder(fail={"b": failure, "c": bug}), workers=1)
    pump.start(["a", "b", "c"], until=time.monotonic() + 10)
    pump.wait(time.monotonic() + 10)
    assert pump.answers() == [("a", None), ("b", failure), ("c", bug)]
    assert not pump.unreachable


def test_takes_no_key_after_its_deadline_and_does_not_wait_for_the_last_answers():
    send = Recorder(seconds=0.1)
    pump = AckPump(send, workers=2)
    pump.start(range(100), until=time.monotonic() + 0.25)
    started = time.monotonic()
    pump.wait(time.monotonic() + 0.3)
    assert time.monotonic() - started < 1.5, "not the 5 s of all the keys"
    assert 2 <= len(send.sent) <= 8, send.sent


def test_wait_ends_at_its_own_deadline():
    pump = AckPump(Recorder(seconds=3.0), workers=1)
    pump.start(["slow"], until=time.monotonic() + 10)
    started = time.monotonic()
    pump.wait(time.monotonic() + 0.1)
    assert time.monotonic() - started < 1.5
    assert pump.answers() == [], "the answer on its way is not waited for"


def test_an_unreachable_platform_stops_the_pass():
    down = DukkangoConnectionError("no connection")
    send = Recorder(fail={key: down for key in range(1, 10)})
    pump = AckPump(send, workers=1)
    pump.start(range(10), until=time.monotonic() + 10)
    pump.wait(time.monotonic() + 10)
    assert pump.unreachable
    assert send.sent == [0, 1], "the rest would fail the same way"
    assert pump.answers() == [(0, None), (1, down)]


def test_stop_forgets_the_keys_not_sent_and_a_new_pass_sends_others():
    send = Recorder(seconds=0.05)
    pump = AckPump(send, workers=1)
    pump.start(range(50), until=time.monotonic() + 10)
    time.sleep(0.08)
    pump.stop()
    pump.wait(time.monotonic() + 1)
    assert len(send.sent) <= 3
    pump.start(["again"], until=time.monotonic() + 10)
    pump.wait(time.monotonic() + 1)
    assert send.sent[-1] == "again"
