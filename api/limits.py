"""Per-process limits on expensive requests: ad-hoc Cypher and exports.

The store runs a few queries at a time; without a limit, two runaway queries held both of
its threads and every other request waited behind them. Beyond the limit a request is
refused at once with 429 and `Retry-After`, instead of queueing.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Iterator

from graph.errors import Busy

RETRY_AFTER_S = 2


class ConcurrencyLimit:
    """At most `size` holders at once in this process; the next one gets `Busy` (429)."""

    def __init__(self, what: str, setting: str) -> None:
        self.what = what
        self.setting = setting
        self._lock = threading.Lock()
        self._running = 0

    def acquire(self, size: int) -> None:
        """Take a place, or raise Busy; `release()` gives it back."""
        with self._lock:
            if self._running >= size:
                raise Busy(f"{size} {self.what} already running in this process; try again "
                           f"in {RETRY_AFTER_S} s.",
                           hint=f"Wait for one to finish, or raise {self.setting}.",
                           retry_after_s=RETRY_AFTER_S)
            self._running += 1

    @property
    def running(self) -> int:
        """How many hold it now (for health pages and tests)."""
        with self._lock:
            return self._running

    def release(self) -> None:
        with self._lock:
            self._running -= 1

    @contextlib.contextmanager
    def hold(self, size: int) -> Iterator[None]:
        self.acquire(size)
        try:
            yield
        finally:
            self.release()


CYPHER = ConcurrencyLimit("ad-hoc Cypher queries are", "POLICYGRAPH_CYPHER_CONCURRENCY")
EXPORTS = ConcurrencyLimit("exports are", "POLICYGRAPH_EXPORT_CONCURRENCY")


class Strikes:
    """Clients whose ad-hoc queries keep stopping the store are refused for a while.

    A query that stops the store (a memory bomb the gate cannot see, such as a `range()`
    whose bound comes from a variable) kills every user's queries with it, and the restart
    takes a second; one `curl` in a loop kept the service down (issue 29). After `strikes`
    such queries within `window_s` seconds, the same client gets 429 until the oldest of
    them is `window_s` old, while everyone else is answered.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._times: dict[str, list[float]] = {}

    def check(self, client: str, strikes: int, window_s: float) -> None:
        """Raise Busy when `client` has stopped the store `strikes` times within the window."""
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._times.get(client, []) if now - t < window_s]
            if recent:
                self._times[client] = recent
            else:
                self._times.pop(client, None)
        if len(recent) >= strikes:
            wait = max(1, math.ceil(window_s - (now - recent[0])))
            raise Busy(f"Your last {len(recent)} queries stopped the store, which had to be "
                       f"restarted for everyone; ad-hoc Cypher from you is refused for {wait} s.",
                       hint="Narrow the query (smaller ranges and lists, LIMIT), or raise "
                            "POLICYGRAPH_CYPHER_CRASH_STRIKES.",
                       retry_after_s=wait)

    def record(self, client: str) -> None:
        with self._lock:
            self._times.setdefault(client, []).append(time.monotonic())


STORE_STOPPERS = Strikes()
