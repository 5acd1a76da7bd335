"""The registry of derived states: what the loader and retraction keep current, in one list.

A derived state (issue 21's terms: written only by the loader, in the same batch as its
facts, internal, held equal to the reference Cypher by a differential test) is a module or
object in `STATES` with

- `refresh(store, touched)`: recompute after a batch's writes. `touched` is the set of ids of
  the nodes the batch wrote or removed, both ends of every relationship it wrote or removed
  included (those removed with a deleted node too); None means recompute everything. It is
  given only when the state was current before the batch (`is_current`), so a state may
  update just what those ids can change; one that does not need this may ignore it.
- optionally `is_current(store) -> bool`: whether the state is there for the graph as it is
  now. A state without one is refreshed whole (`touched` None) after every batch that writes,
  and does not stop a reload of unchanged files from being skipped (loaders.fingerprint).
- optionally `clear(store)`: called before a batch's first write, so that no reader takes the
  state for current while the facts change under it.

The list is the only place the loader learns of a state: add a module here to have it kept.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph import blocking_state, change_state, cypher, depends_state, derived_reads, task_state
from graph.store.base import Store

STATES: list[Any] = [blocking_state, change_state, task_state, depends_state]  # refreshed in this order
# the whole-graph facts the refreshes read (graph.derived_reads), in the order they ask, read
# ahead beside them: the large ones (graph.task_dates', every dependency) only when some state
# is rebuilt whole; an update reads the dependencies near what it touched (graph.depends_near)
PREFETCHED_WHOLE = [*cypher.TASK_STATE_FACTS.values(), cypher.DEPENDS_FACTS]
PREFETCHED = [cypher.BLOCKING_FACTS["laws"], *(cypher.CHANGE_FACTS[name] for name in change_state.HEAD_FACTS)]


def _is_current(state: Any, store: Store) -> bool | None:
    check = getattr(state, "is_current", None)
    return None if check is None else bool(check(store))


def _name(state: Any) -> str:
    return getattr(state, "__name__", type(state).__name__).rpartition(".")[2]


def current(store: Store) -> bool:
    """Whether every state that can tell is current for the graph as it is now."""
    return all(_is_current(state, store) is not False for state in STATES)


@dataclass
class Work:
    """What keeping the states current took (filled in when `kept_current` ends)."""

    seconds: float = 0.0  # checking, clearing and refreshing them, the writes' time left out
    refreshed: dict[str, float] = field(default_factory=dict)  # seconds of each state's refresh


@contextlib.contextmanager
def kept_current(store: Store, *, changes: bool,
                 touched: Callable[[], set[str]]) -> Iterator[Work]:
    """Around a load's or retraction's writes: when they change anything, each state is
    cleared first and refreshed after they succeed, for `touched()` when it was current
    before (else whole); one that says it is not current (a run that was killed) is
    refreshed whole even when nothing is written."""
    work, started = Work(), time.perf_counter()
    before = {id(state): _is_current(state, store) for state in STATES}
    if changes:
        for state in STATES:
            clear = getattr(state, "clear", None)
            if clear is not None:
                clear(store)
    work.seconds = time.perf_counter() - started
    yield work
    started = time.perf_counter()
    ids = touched() if changes else set()
    derived_reads.forget()
    if changes or False in before.values():  # some state is refreshed
        whole = not all(before.values())
        derived_reads.prefetch(store, [*(PREFETCHED_WHOLE if whole else ()), *PREFETCHED])
    for state in STATES:
        was = before[id(state)]
        if changes or was is False:
            began = time.perf_counter()
            state.refresh(store, ids if was else None)
            work.refreshed[_name(state)] = time.perf_counter() - began
    derived_reads.forget()
    work.seconds += time.perf_counter() - started
