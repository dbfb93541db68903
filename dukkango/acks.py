"""Acknowledgements sent in the background, a few at a time, while the caller does other work.

A poll cycle imports orders (database work) while their acknowledgements travel: at 80 ms a
round trip, 1,000 of them four at a time take 20 s, which the imports would otherwise wait
for, or the other way round. The workers of an :class:`AckPump` only call ``send``; what an
answer means (a database write) is done by the caller, in its own thread, with what
:meth:`AckPump.answers` returns.
"""

import threading
import time
from collections import deque

from .exceptions import DukkangoConnectionError


class AckPump:
    """Call ``send(key)`` for each key given to :meth:`start`, at most ``workers`` at once.

    A pass stops taking keys at its ``until`` (a ``time.monotonic()`` value), at :meth:`stop`,
    or when ``send`` finds the platform unreachable (:class:`DukkangoConnectionError`: the
    client retried already, the rest would fail the same way). An answer still on its way
    then is not waited for by :meth:`wait`; it is not lost to the caller either: it shows in
    :meth:`answers` if it arrives before the caller's last look, else it is as if never sent
    (acknowledging twice is harmless).
    """

    def __init__(self, send, workers):
        self._send = send
        self._workers = max(1, workers)
        self._lock = threading.Lock()
        self._keys = deque()
        self._answers = []
        self._threads = []
        self._until = 0.0
        self._stopped = False
        self.unreachable = False

    def start(self, keys, until):
        """Send ``keys`` in their order, in the background, until ``until``."""
        with self._lock:
            self._keys.extend(keys)
            self._until = until
            self._stopped = False
            self._threads = [thread for thread in self._threads if thread.is_alive()]
            wanted = min(self._workers, len(self._keys)) - len(self._threads)
            for _number in range(wanted):
                thread = threading.Thread(target=self._work, name="dukkango-ack", daemon=True)
                self._threads.append(thread)
                thread.start()

    def _next_key(self):
        with self._lock:
            if self._stopped or self.unreachable or not self._keys or time.monotonic() >= self._until:
                return None
            return self._keys.popleft()

    def _work(self):
        while (key := self._next_key()) is not None:
            try:
                self._send(key)
            except Exception as error:  # noqa: BLE001 - handed to the caller (who raises a bug)
                outcome = error
            else:
                outcome = None
            with self._lock:
                self._answers.append((key, outcome))
                self.unreachable = self.unreachable or isinstance(outcome, DukkangoConnectionError)

    def answers(self):
        """The ``(key, error or None)`` that arrived since the last call."""
        with self._lock:
            answers, self._answers = self._answers, []
        return answers

    def wait(self, until):
        """Wait until the pass is over (every key answered, or none taken any more and the
        answers in flight arrived), but not after ``until``."""
        for thread in list(self._threads):
            thread.join(max(0.0, until - time.monotonic()))

    def stop(self):
        """Take no more keys: the keys not sent are forgotten; the threads end after the
        answer they wait for."""
        with self._lock:
            self._stopped = True
            self._keys.clear()
