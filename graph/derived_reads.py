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
from typing import Any

from graph.store.base import Store

_lock = threading.Lock()
_held: dict[tuple, Any] = {}


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_frozen(item) for item in value)
    return value


def read(store: Store, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of `query` (read-only, the rows not to be changed), read once per revision."""
    revision = store.revision()
    if revision is None:  # a store that cannot tell (Neo4j): no sharing
        return store.read(query, params).rows
    key = (id(store), revision, query, _frozen(params))
    with _lock:
        found = _held.get(key)
    if found is None:
        found = store.read(query, params).rows
        with _lock:
            _held[key] = found
    return found


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
