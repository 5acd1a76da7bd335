"""Per-process limits on expensive requests: ad-hoc Cypher and exports.

The store runs a few queries at a time; without a limit, two runaway queries held both of
its threads and every other request waited behind them. Beyond the limit a request is
refused at once with 429 and `Retry-After`, instead of queueing.
"""

from __future__ import annotations

import contextlib
import threading
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
