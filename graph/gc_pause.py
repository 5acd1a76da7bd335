"""Python's cyclic garbage collector paused while bulk data is built.

A national load and a whole answer are each millions of fresh lists and dicts, none of them
in a cycle, yet the collector walks them again and again while they pile up: a fifth of a
load's time, and half the time to read a 53,747-row `blocking-laws` answer (9.8 s with the
collector, 5.0 s without). Reference counting still frees everything as usual; only the
search for cycles waits until the last such block in the process has ended.

When a pause ends with many new objects still alive (a state parsed for the next requests, a
load's records), they are moved out of the collector's sight (`gc.freeze`) rather than left to
its next runs: otherwise the first allocation after the pause walks them all (0.8 s after the
national task state is parsed) and the older generations walk them again later. Frozen objects
are still freed by reference counting as usual; only a cycle among them would stay unfreed,
and these blocks build none.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0
_resume = False
FREEZE_OVER = 100_000  # objects alive since the collector last ran: a block's bulk data, kept


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the collector for the block; overlapping blocks (API threads, a load's lookups)
    share one pause, and it ends with the last of them."""
    global _active, _resume
    with _lock:
        if _active == 0:
            _resume = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _resume:
                if gc.get_count()[0] > FREEZE_OVER:
                    gc.freeze()
                gc.enable()
