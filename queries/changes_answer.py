"""The `changes` answer from the loader's derived change state (graph.change_state): the rows
of `queries/changes.cypher` for a window, a page of them with their drawing columns (the task
and law nodes, read for that page's rows only), or the whole answer as rows to stream.

The state is graph.change_state's; this module only shapes answers from it (the state never
imports it). Where the state is not there, or for a window it does not serve, every function
answers None and the Cypher answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any, NamedTuple

from graph import change_state, cypher
from graph.store.base import QueryResult, Store
from graph.store.results import cut_to_bytes
from queries.blocking_answer import RowsPath

DRAWN_ROWS = 1_000  # rows whose nodes one read fetches, for a whole answer


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


def columns(rows: list[dict[str, Any]], *, lean: bool) -> list[str]:
    """The reference's columns; lean, those `graph.subgraph.lean` keeps: a drawing column with
    no node in any row (no row about a task, or about a law) is kept, all null."""
    if not lean:
        return change_state.COLUMNS + change_state.DRAWING
    kept = [c for c, key in (("task", "task_id"), ("law", "law_id"))
            if not any(row[key] is not None for row in rows)]
    return change_state.COLUMNS + kept


def with_drawing(store: Store, rows: list[dict[str, Any]], *,
                 timeout_ms: int | None = None) -> list[dict[str, Any]]:
    """`rows` with their task and law nodes, as the store gives them (one read per label)."""
    nodes: dict[str, Any] = {}
    for label, key in (("Task", "task_id"), ("Law", "law_id")):
        ids = sorted({row[key] for row in rows if row[key] is not None})
        if ids:
            found = store.read(cypher.NODES_BY_ID[label], {"ids": ids}, timeout_ms=timeout_ms).rows
            nodes.update((row["id"], row["n"]) for row in found)
    return [{**row, "task": nodes.get(row["task_id"]), "law": nodes.get(row["law_id"])} for row in rows]


def _lean(rows: list[dict[str, Any]], names: list[str]) -> list[dict[str, Any]]:
    return [{c: row.get(c) for c in names} for row in rows]


class ChangesPath(RowsPath):
    """The fast path of `changes` (queries.FAST_PATHS): the same rows as its Cypher, which
    stays the definition (tests/test_change_state.py holds them equal)."""

    @staticmethod
    def page(store: Store, params: dict[str, Any], *, timeout_ms: int | None, limit: int | None,
             skip: int, lean: bool = False) -> QueryResult | None:
        found = window(store, params, timeout_ms=timeout_ms)
        if found is None:
            return None
        end = None if limit is None else skip + limit
        wanted, truncated = found.rows(skip, end), end is not None and len(found.items) > end
        names = columns(wanted, lean=lean)
        result = QueryResult(columns=names, rows=_lean(wanted, names) if lean else
                             with_drawing(store, wanted, timeout_ms=timeout_ms), truncated=truncated)
        guard = getattr(store, "guard", None)
        if limit is None or guard is None:
            return result
        return cut_to_bytes(result, guard.answer_max_bytes)  # as a capped store read does

    @staticmethod
    def rows(store: Store, params: dict[str, Any], *, timeout_ms: int | None,
             lean: bool) -> tuple[list[str], Iterator[dict[str, Any]]] | None:
        found = window(store, params, timeout_ms=timeout_ms)
        if found is None:
            return None
        rows = found.rows()
        names = columns(rows, lean=lean)
        if lean:
            return names, iter(_lean(rows, names))

        def drawn() -> Iterator[dict[str, Any]]:
            it = iter(rows)
            while chunk := list(islice(it, DRAWN_ROWS)):
                yield from with_drawing(store, chunk, timeout_ms=timeout_ms)
        return names, drawn()

