"""Python's cyclic garbage collector paused while bulk data is built.

A national load and a whole answer are each millions of fresh lists and dicts, none of them
in a cycle, yet the collector walks them again and again while they pile up: a fifth of a
load's time, and half the time to read a 53,747-row `blocking-laws` answer (9.8 s with the
collector, 5.0 s without). Reference counting still frees everything as usual; only the
search for cycles waits until the last such block in the process has ended.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0
_resume = False


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
                gc.enable()
