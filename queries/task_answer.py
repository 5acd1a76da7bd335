"""The `task-status` and `overdue-tasks` answers from the loader's task state
(graph.task_state): a page, the rows, and the whole answer in every shape the API streams
(CSV or NDJSON, full or lean), joined from ready text.

Each row's lean text (its NDJSON line, its CSV cells) is encoded once per revision, the first
time a date needs it, and kept on its task (`graph.task_state.Task.texts`); a full row adds the
text of its task node (and overdue-tasks' lead nodes), read once per revision
(`queries.blocking_answer._node_texts`). The texts are those `api.row_stream`'s generic
encoders give for the same rows (`graph.answer_csv`, compact JSON); tests/test_task_state.py
holds them equal to the reference Cypher's.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from graph import answer_csv, cypher
from graph import task_state as state
from graph.errors import Busy
from graph.store.base import QueryResult, Store
from queries.blocking_answer import _BOM, _Cells, _json, _node_texts

PIECE_ROWS = 2_000  # rows of a whole answer joined into one piece of its stream
FETCH_IDS = 5_000


class Kind:
    """What differs between the two questions: their columns, their rows on a date, the
    drawing columns a full row adds."""

    def __init__(self, name: str, columns: list[str], drawing: list[str]) -> None:
        self.name, self.lean_columns, self.drawing = name, columns, drawing

    def columns(self, lean: bool) -> list[str]:
        return list(self.lean_columns) if lean else self.lean_columns + self.drawing

    def rows_on(self, current: state.State, params: dict[str, Any]) -> Iterator[tuple[state.Task, int]]:
        """The answer's tasks in order, each with its segment on the date, lazily: a page
        reads only as far as its rows."""
        if self.name == "overdue":
            return state.overdue_on(current, params["as_of"])
        return state.status_on(current, params["as_of"], params.get("agency"))


STATUS = Kind("status", state.STATUS_COLUMNS, ["task"])
OVERDUE = Kind("overdue", state.OVERDUE_COLUMNS, ["task", "leads"])


def _selected(kind: Kind, store: Store, params: dict[str, Any],
              timeout_ms: int | None) -> Iterator[tuple[state.Task, int]] | None:
    current = state.state(store, timeout_ms)
    return None if current is None else kind.rows_on(current, params)


def _nodes(store: Store, label: str, ids: list[str], timeout_ms: int | None) -> dict[str, Any]:
    """`{id: the node as the store gives it}`, read for these ids only (a page)."""
    found = {}
    for start in range(0, len(ids), FETCH_IDS):
        rows = store.read(cypher.NODES_BY_ID[label], {"ids": ids[start:start + FETCH_IDS]},
                          timeout_ms=timeout_ms).rows
        found.update((row["id"], row["n"]) for row in rows)
    return found


def _with_drawing(kind: Kind, store: Store, rows: list[dict[str, Any]],
                  timeout_ms: int | None) -> list[dict[str, Any]]:
    tasks = _nodes(store, "Task", sorted({r["task_id"] for r in rows}), timeout_ms)
    leads = _nodes(store, "Agency", sorted({a for r in rows for a in r["lead_ids"]}), timeout_ms) \
        if "leads" in kind.drawing else {}
    try:
        for row in rows:
            row["task"] = tasks[row["task_id"]]
            if "leads" in kind.drawing:
                row["leads"] = [leads[a] for a in row["lead_ids"]]
    except KeyError as exc:  # a node the state names is gone: a load is under way
        raise _busy() from exc
    return rows


def _busy() -> Busy:
    return Busy("The graph is being loaded; its task state is being recomputed.",
                hint="Ask again in a few seconds.", retry_after_s=5)


def page(kind: Kind, store: Store, params: dict[str, Any], *, limit: int | None, skip: int = 0,
         timeout_ms: int | None = None, lean: bool = False) -> QueryResult | None:
    """What the reference gives with `limit` and `skip` (all of it when limit is None); None
    when the state is not there. Only the page's rows are built, and their nodes read."""
    found = _selected(kind, store, params, timeout_ms)
    if found is None:
        return None
    end = None if limit is None else skip + limit
    selected = list(found if end is None else islice(found, end + 1))  # one more: is there a next page
    rows = [task.row(index, kind.lean_columns) for task, index in selected[skip:end]]
    truncated = end is not None and len(selected) > end
    if not lean:
        rows = _with_drawing(kind, store, rows, timeout_ms)
    return QueryResult(columns=kind.columns(lean), rows=rows, truncated=truncated)


def rows(kind: Kind, store: Store, params: dict[str, Any], *, timeout_ms: int | None,
         lean: bool) -> tuple[list[str], Iterator[dict[str, Any]]] | None:
    """(columns, every row in order), the drawing columns read a thousand rows at a time."""
    found = _selected(kind, store, params, timeout_ms)
    if found is None:
        return None
    selected = list(found)

    def every() -> Iterator[dict[str, Any]]:
        for start in range(0, len(selected), 1_000):
            chunk = [task.row(index, kind.lean_columns) for task, index in selected[start:start + 1_000]]
            yield from chunk if lean else _with_drawing(kind, store, chunk, timeout_ms)

    return kind.columns(lean), every()


def _text(kind: Kind, fmt: str, lean: bool, task: state.Task, index: int, cells: _Cells,
          nodes: dict[str, dict[str, bytes]]) -> bytes:
    """The row's text in `fmt`, with its line's end; a lean one (and a full CSV one, which
    adds only ids) encoded once per revision, a full NDJSON one joined from it and the node
    texts (`nodes`: by label, by id)."""
    key = (kind.name, fmt, lean, index)
    found = task.texts.get(key)
    if found is None:
        if not lean and fmt == "csv":
            drawn = [task.id]
            if "leads" in kind.drawing:
                drawn.append(answer_csv.LIST_JOIN.join(task.fixed["lead_ids"]))
            found = (_text(kind, fmt, True, task, index, cells, nodes)[:-2] + b","
                     + cells([*drawn, ""])[:-1] + b"\r\n")
        elif not lean:  # NDJSON with its nodes: not kept (their text is most of it)
            pieces = [_text(kind, fmt, True, task, index, cells, nodes)[:-2], b',"task":',
                      nodes["Task"][task.id]]
            if "leads" in kind.drawing:
                agencies = nodes["Agency"]
                pieces += (b',"leads":[', b",".join(agencies[a] for a in task.fixed["lead_ids"]), b"]")
            pieces.append(b"}\n")
            return b"".join(pieces)
        else:
            row = task.row(index, kind.lean_columns)
            found = (_json(row).encode() + b"\n" if fmt == "ndjson"
                     else cells([row[c] for c in kind.lean_columns]) + b"\r\n")
        task.texts[key] = found
    return found


def pieces(kind: Kind, store: Store, params: dict[str, Any], *, fmt: str, lean: bool,
           bom: bool = False, timeout_ms: int | None = None) -> Iterator[bytes] | None:
    """The whole answer in `fmt` ("csv": its header first, also when there is no row, or
    "ndjson"), `lean` without the drawing columns, a few thousand rows a piece; None when the
    state is not there (the Cypher answers)."""
    found = _selected(kind, store, params, timeout_ms)
    if found is None:
        return None
    selected, cells = list(found), _Cells()
    nodes: dict[str, dict[str, bytes]] = {}
    if not lean and fmt == "ndjson":
        nodes["Task"] = _node_texts(store, "Task", sorted(task.id for task, _ in selected), timeout_ms)
        if "leads" in kind.drawing:
            nodes["Agency"] = _node_texts(store, "Agency", sorted(
                {a for task, _ in selected for a in task.fixed["lead_ids"]}), timeout_ms)

    def every() -> Iterator[bytes]:
        header = b""
        if fmt == "csv":
            header = (_BOM if bom else b"") + cells([*kind.columns(lean), ""])[:-1] + b"\r\n"
        out = [header]
        try:
            for start in range(0, len(selected), PIECE_ROWS):
                out += [_text(kind, fmt, lean, task, index, cells, nodes)
                        for task, index in selected[start:start + PIECE_ROWS]]
                yield b"".join(out)
                out = []
        except KeyError as exc:  # a node the state names is gone: a load is under way
            raise _busy() from exc
        if any(out):
            yield b"".join(out)

    return every()


def ndjson_pieces(kind: Kind, store: Store, params: dict[str, Any], *,
                  timeout_ms: int | None = None) -> Iterator[bytes] | None:
    return pieces(kind, store, params, fmt="ndjson", lean=True, timeout_ms=timeout_ms)

