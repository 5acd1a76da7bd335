"""Reads of the analysts' graph shared by the derived states' refreshes after one load.

The three states (graph.derived) are computed from many of the same facts (every task, its
statuses, deadline moves, leads and dependencies; the tasks a load's touched ids reach). Each
asks for them here by the same query text (graph.cypher's `*_FACTS`), and a fact is read from
the store once per revision of the graph: no write can happen between two equal reads, since
every write makes a new revision. `graph.derived.kept_current` forgets them when the refreshes end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from graph.store.base import Store

_lock = threading.Lock()
_held: dict[tuple, Any] = {}


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        if all(type(item) is str for item in value):  # ids, the usual list: one pass in C
            return tuple(value)
        return tuple(_frozen(item) for item in value)
    return value


def read(store: Store, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of `query` (read-only, the rows not to be changed), read once per revision
    (waiting for it when `prefetch` started it)."""
    revision = store.revision()
    if revision is None:  # a store that cannot tell (Neo4j): no sharing
        return store.read(query, params).rows
    key = (id(store), revision, query, _frozen(params))
    with _lock:
        found = _held.get(key)
        if found is None:
            found = _held[key] = Future()
            mine = True
        else:
            mine = False
    if mine:
        _fill(found, store, query, params)
    return found.result()


def _fill(future: Future, store: Store, query: str, params: dict[str, Any] | None) -> None:
    try:
        future.set_result(store.read(query, params).rows)
    except BaseException as exc:  # given to whoever waits on it
        future.set_exception(exc)


def prefetch(store: Store, queries: list[str]) -> None:
    """Start reading `queries` (parameterless facts the refreshes will `read`, in the order
    they ask), two at a time in threads of their own: the store works on one while its rows
    before are decoded, and on those asked later while the states compute from the first."""
    revision = store.revision()
    if revision is None:
        return
    started = []
    with _lock:
        for query in dict.fromkeys(queries):
            key = (id(store), revision, query, None)
            if key not in _held:
                _held[key] = Future()
                started.append((_held[key], query))
    if started:
        pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="derived-prefetch")
        for future, query in started:
            pool.submit(_fill, future, store, query, None)
        pool.shutdown(wait=False)


def kept(store: Store, name: str, make: Callable[[], Any]) -> Any:
    """A value worked out from this revision's facts (`make()` the first time it is asked for
    this revision; the caller may fill it in), or None for a store that cannot tell its revision."""
    revision = store.revision()
    if revision is None:
        return None
    key = (id(store), revision, name)
    with _lock:
        found = _held.get(key)
        if found is None:
            found = _held[key] = make()
    return found


def forget() -> None:
    """Drop what was read (after a load's refreshes: it would only hold memory)."""
    with _lock:
        _held.clear()
