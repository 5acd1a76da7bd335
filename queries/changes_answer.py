"""The `changes` answer from the loader's derived change state (graph.change_state): the rows
of `queries/changes.cypher` for a window, a page of them with their drawing columns (the task
and law nodes, read for that page's rows only), or the whole answer as rows to stream.

The state is graph.change_state's; this module only shapes answers from it (the state never
imports it). Where the state is not there, or for a window it does not serve, every function
answers None and the Cypher answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from graph import change_state
from graph.store.base import Store
from queries.blocking_answer import DrawnRowsPath


class Window(NamedTuple):
    """A window's items in the reference's order (graph.change_state.items) and its dates."""

    items: list[tuple]
    since: str
    until: str

    def rows(self, start: int = 0, end: int | None = None) -> list[dict[str, Any]]:
        """The lean rows of items[start:end] (rows are built for these only)."""
        return change_state.rows(self.items[start:end], self.since, self.until)


def window(store: Store, params: dict[str, Any], *, timeout_ms: int | None = None) -> Window | None:
    """The items of the window `params` binds (since: None for the last meeting before
    until); None when the state is not there or since is after until."""
    found = change_state.state(store, timeout_ms=timeout_ms)
    if found is None:
        return None
    until = params["until"]
    since = params.get("since") or found.default_since(until)
    if since > until:
        return None  # the reference's answer for a reversed window is its own
    return Window(change_state.items(found, since, until, params.get("agency")), since, until)


class ChangesPath(DrawnRowsPath):
    """The fast path of `changes` (queries.FAST_PATHS): the same rows as its Cypher, which
    stays the definition (tests/test_change_state.py holds them equal); rows are built for the
    items sent only."""

    COLUMNS = change_state.COLUMNS
    DRAWN = (("task", "task_id", "Task"), ("law", "law_id", "Law"))

    @classmethod
    def found(cls, store: Store, params: dict[str, Any], timeout_ms: int | None
              ) -> tuple[int, Callable[[int, int | None], list[dict[str, Any]]]] | None:
        found = window(store, params, timeout_ms=timeout_ms)
        return None if found is None else (len(found.items), found.rows)
