"""The whole `blocking-laws` answer in every shape the API streams (CSV or NDJSON, full or
lean), joined from ready text: the derived state's lines (graph.blocking_state) and, for the
full shapes, the drawing columns (law, task, leads, one shortest chain) from values read once
per store revision, never per chunk of rows.

Before, a full answer read its nodes and chains from the store a thousand rows at a time and
built a Python dict per row (national scale: 18-24 s, five times slower than a plain script;
issue 33). Now:
- a CSV row is its law's cells, then cells encoded once per revision for each state line;
- a full NDJSON row is its lean text with the JSON text of its nodes and edges after it,
  each encoded once per revision; the chain is the breadth-first parent chain from the task
  to the law (the state's `hops` are the same search's), read from DEPENDS_ON once.
The texts are what `api.row_stream`'s generic encoders give for the same rows
(`graph.answer_csv`, compact JSON); tests/test_blocking_state.py holds them equal.

Also here: the lean rows, a page with its drawing read for its rows only, and the counts per
law and lead. This module shapes answers from the state; the state itself (what the loader
writes, how a line is read and cached) is graph.blocking_state's, which imports nothing from
here (an import-linter contract, pyproject.toml).
"""

from __future__ import annotations

import csv
import io
import json
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from itertools import chain, islice
from typing import Any

from graph import answer_csv, cypher
from graph import blocking_state as state
from graph.errors import Busy
from graph.store.base import QueryResult, Store
from graph.store.results import cut_to_bytes, relationship_dict

DRAWING_COLUMNS = ["law", "task", "leads", "chain"]
PIECE_ROWS = 2_000  # rows of a whole answer joined into one piece of its stream
PAYLOAD_ROWS = 1_000  # rows of a page whose nodes and chain one read fetches
LAWS_PER_READ = 8  # laws whose lines one read fetches, the first time after a load
FETCH_IDS = 5_000  # nodes per read when the drawing's nodes are first read for a revision
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_BOM = answer_csv.BOM.encode()


def pieces(store: Store, as_of: str, *, fmt: str, lean: bool, bom: bool = False,
           timeout_ms: int | None = None) -> Iterator[bytes] | None:
    """The whole answer on `as_of` in `fmt` ("csv" or "ndjson"), `lean` without the drawing
    columns, a few thousand rows a piece (a CSV's first piece holds the header, also when there
    is no row); None when the state is not there (the Cypher answers). What a row needs is
    read a few laws at a time, the first time after a load; after that, from memory."""
    if fmt == "ndjson" and lean:
        return ndjson_pieces(store, as_of, timeout_ms=timeout_ms)
    laws = state._blocking(store, as_of, timeout_ms)
    if laws is None:
        return None
    day = as_of.encode()
    if fmt == "ndjson":
        return _joined(store, laws, day, timeout_ms, b"", state._prefix, lambda text: text,
                       lambda ids: _ndjson_lines(store, ids, timeout_ms))
    encode, statuses = _Cells(), {}

    def status(text: bytes) -> bytes:  # a handful of texts: each converted once
        found = statuses.get(text)
        if found is None:
            values = json.loads(b'{"s":' + text + b"}")
            found = statuses[text] = encode([values["s"], values["category"], values["deadline"]])
        return found

    return _joined(store, laws, day, timeout_ms,
                   (_BOM if bom else b"") + encode(columns(lean)) + b"\r\n",
                   lambda law: encode([law.id, law.name, law.status]) + b",", status,
                   lambda ids: _csv_lines(store, ids, timeout_ms, full=not lean))


def _joined(store: Store, laws: list[state._Law], day: bytes, timeout_ms: int | None,
            header: bytes, law_start: Callable[[state._Law], bytes],
            status: Callable[[bytes], bytes],
            lines: Callable[[list[str]], dict[str, list[tuple[bytes, tuple[bytes, ...]]]]],
            ) -> Iterator[bytes]:
    """The rows on `day`, `PIECE_ROWS` a piece after `header`: per row, its law's start, then
    from its state line (`lines(law ids)`, aligned with `graph.blocking_state._blocks`) the
    text before the task's status, the status on the day as `status(its JSON text)` gives it,
    and the pieces after. A line whose task is not in the answer that day gives no row."""
    out: list[bytes] = [header]
    rows = 0
    for start in range(0, len(laws), LAWS_PER_READ):
        group = laws[start:start + LAWS_PER_READ]
        ids = [law.id for law in group]
        blocks = state._blocks(store, ids, timeout_ms)
        try:
            texts = lines(ids)
        except KeyError as exc:  # a node or chain the lines name is gone: a load is under way
            raise Busy("The graph is being loaded; its blocking state is being recomputed.",
                       hint="Ask again in a few seconds.", retry_after_s=5) from exc
        for law in group:
            prefix = law_start(law)
            for row, (before, after) in zip(blocks[law.id], texts[law.id], strict=True):
                text = row.texts[bisect_right(row.changes, day) - 1]
                if not text:
                    continue
                out += (prefix, before, status(text))
                out += after
                rows += 1
                if rows % PIECE_ROWS == 0:
                    yield b"".join(out)
                    out = []
    if any(out):
        yield b"".join(out)


def columns(lean: bool) -> list[str]:
    return list(state.LEAN_COLUMNS) if lean else state.LEAN_COLUMNS + DRAWING_COLUMNS


# -- CSV ------------------------------------------------------------------------------------------
class _Cells:
    """CSV text of cell groups (each of two cells or more, so no group is a lone empty cell,
    which the csv module writes as `""`), as `graph.answer_csv.write` writes them."""

    def __init__(self) -> None:
        self._out = io.StringIO()
        self._writer = csv.writer(self._out, lineterminator="\r\n")

    def __call__(self, values: list[Any]) -> bytes:
        self._out.seek(0)
        self._out.truncate()
        self._writer.writerow([answer_csv.cell(v) for v in values])
        return self._out.getvalue()[:-2].encode()


# the columns after those a state line gives per date (the task's status, category, deadline)
_AFTER_DATED = state.LEAN_COLUMNS[state.LEAN_COLUMNS.index("deadline") + 1:]


def _values(row: state._Row) -> dict[str, Any]:
    """A state line's columns but the task's status, category and deadline in force (those
    depend on the date)."""
    return json.loads(b"{" + row.head[1:] + b"null" + row.tail)


def _task_ids(store: Store, law_ids: list[str], timeout_ms: int | None) -> dict[str, list[str]]:
    """`{law: the task id of each of its state lines}`, once per revision."""
    def fetch(missing: list[str]) -> dict[str, list[str]]:
        blocks = state._blocks(store, missing, timeout_ms)
        return {law: [_values(row)["task_id"] for row in blocks[law]] for law in missing}
    return state._CACHE.get(store, "task ids", law_ids, fetch)


def _csv_lines(store: Store, law_ids: list[str], timeout_ms: int | None,
               full: bool) -> dict[str, list[tuple[bytes, tuple[bytes, ...]]]]:
    """`{law: per state line, (the CSV text of its task's two cells, of the cells after the
    status: five, and with `full` the four drawing cells, and the line's end)}`, once per
    revision (a full line shares its text with the lean one)."""
    def fetch(missing: list[str]) -> dict[str, list[tuple[bytes, tuple[bytes, ...]]]]:
        if full:
            lean = _csv_lines(store, missing, timeout_ms, full=False)
            chains, tasks = _chains(store, missing, timeout_ms), _task_ids(store, missing, timeout_ms)
            blocks, encode = state._blocks(store, missing, timeout_ms), _Cells()
            return {law: [(before, (after[0], b"," + encode([law, task, row.lead_ids(), "; ".join(
                                 _chain_ids(chains[law], task, law))]) + b"\r\n"))
                          for (before, after), task, row in zip(lean[law], tasks[law], blocks[law],
                                                                 strict=True)]
                    for law in missing}
        blocks, encode, found = state._blocks(store, missing, timeout_ms), _Cells(), {}
        for law in missing:
            lines = []
            for row in blocks[law]:
                values = _values(row)
                lines.append((encode([values["task_id"], values["task_name"]]) + b",",
                              (b"," + encode([values[c] for c in _AFTER_DATED]), b"\r\n")))
            found[law] = lines
        return found
    return state._CACHE.get(store, "csv full" if full else "csv lean", law_ids, fetch)


# -- the drawing columns (full shapes) ------------------------------------------------------------
def _dependents(store: Store, timeout_ms: int | None) -> dict[str, list[str]]:
    """`{node id: the ids of the tasks that depend on it}`: every DEPENDS_ON, read once per
    revision (the query the loader's state is computed from)."""
    def fetch(_: list[str]) -> dict[str, Any]:
        dependents: dict[str, list[str]] = defaultdict(list)
        for row in store.read(cypher.BLOCKING_FACTS["depends"], timeout_ms=timeout_ms).rows:
            dependents[row["on"]].append(row["task"])
        return {"all": dict(dependents)}
    return state._CACHE.get(store, "dependents", ["all"], fetch)["all"]


def _edge_texts(store: Store, timeout_ms: int | None) -> dict[tuple[str, str], bytes]:
    """`{(task id, id of what it depends on): the JSON text of the DEPENDS_ON as the store gives
    it}`, read once per revision (an NDJSON row's chain)."""
    def fetch(_: list[str]) -> dict[str, Any]:
        texts: dict[tuple[str, str], bytes] = {}
        for row in store.read(cypher.DEPENDS_ON_EDGES, timeout_ms=timeout_ms).rows:
            texts.setdefault((row["task"], row["on"]), _json(relationship_dict(
                "DEPENDS_ON", row["task"], row["on"], row["p"])).encode())
        return {"all": texts}
    return state._CACHE.get(store, "edge texts", ["all"], fetch)["all"]


def _chains(store: Store, law_ids: list[str], timeout_ms: int | None) -> dict[str, dict[str, str]]:
    """`{law: {task: the next node on a shortest DEPENDS_ON chain from it to the law}}`: the
    breadth-first search of `graph.blocking_state._hops_from`, keeping each node's parent."""
    def fetch(missing: list[str]) -> dict[str, dict[str, str]]:
        dependents = _dependents(store, timeout_ms)
        found = {}
        for law in missing:
            parent: dict[str, str] = {}
            queue, seen = deque([(law, 0)]), {law}
            while queue:
                node, depth = queue.popleft()
                if depth == state.MAX_HOPS:
                    continue
                for dependent in dependents.get(node, ()):
                    if dependent not in seen:
                        seen.add(dependent)
                        parent[dependent] = node
                        queue.append((dependent, depth + 1))
            found[law] = parent
        return found
    return state._CACHE.get(store, "chains", law_ids, fetch)


def _chain_ids(parent: dict[str, str], task: str, law: str) -> list[str]:
    """The chain's cells: node id, `start|DEPENDS_ON|end`, node id, … from the task to the law."""
    out, node = [task], task
    while node != law:
        nxt = parent[node]
        out += (f"{node}|DEPENDS_ON|{nxt}", nxt)
        node = nxt
    return out


def _node_texts(store: Store, label: str, ids: list[str], timeout_ms: int | None) -> dict[str, bytes]:
    """`{id: the JSON text of the node as the store gives it}`, once per revision."""
    def fetch(missing: list[str]) -> dict[str, bytes]:
        found = {}
        for start in range(0, len(missing), FETCH_IDS):
            rows = store.read(cypher.NODES_BY_ID[label], {"ids": missing[start:start + FETCH_IDS]},
                              timeout_ms=timeout_ms).rows
            found.update((row["id"], _json(row["n"]).encode()) for row in rows)
        return found
    return state._CACHE.get(store, f"node {label}", ids, fetch)


def _ndjson_lines(store: Store, law_ids: list[str],
                  timeout_ms: int | None) -> dict[str, list[tuple[bytes, tuple[bytes, ...]]]]:
    """`{law: per state line, (its row's text before the task's status, the pieces after)}`:
    the rest of its lean text, then the law, task and lead nodes and the chain, each node's and
    edge's text shared (encoded once); once per revision, so an answer only joins them."""
    def fetch(missing: list[str]) -> dict[str, list[tuple[bytes, tuple[bytes, ...]]]]:
        blocks = state._blocks(store, missing, timeout_ms)
        chains, task_ids = _chains(store, missing, timeout_ms), _task_ids(store, missing, timeout_ms)
        edge_texts = _edge_texts(store, timeout_ms)
        tasks = sorted({task for law in missing for task in chains[law]})
        task_text = _node_texts(store, "Task", tasks, timeout_ms)
        law_text = _node_texts(store, "Law", missing, timeout_ms)
        leads = sorted({lead for law in missing for row in blocks[law] for lead in row.lead_ids()})
        lead_text = _node_texts(store, "Agency", leads, timeout_ms)
        lead_lists: dict[bytes, bytes] = {}
        found = {}
        for law in missing:
            me, parent, lines = law_text[law], chains[law], []
            for task, row in zip(task_ids[law], blocks[law], strict=True):
                mine = lead_lists.get(row.leads)
                if mine is None:
                    mine = lead_lists[row.leads] = b",".join(lead_text[lead] for lead in row.lead_ids())
                pieces = [row.tail[:-2], b',"law":', me, b',"task":', task_text[task],
                          b',"leads":[', mine, b'],"chain":[', task_text[task]]
                node = task
                while node != law:
                    nxt = parent[node]
                    pieces += (b",", edge_texts[node, nxt], b",", me if nxt == law else task_text[nxt])
                    node = nxt
                pieces.append(b"]}\n")
                lines.append((row.head, tuple(pieces)))
            found[law] = lines
        return found
    return state._CACHE.get(store, "ndjson drawing", law_ids, fetch)


# -- lean rows and pages --------------------------------------------------------------------------
def ndjson_pieces(store: Store, as_of: str, *, timeout_ms: int | None = None,
                  laws_per_read: int = 8) -> Iterator[bytes] | None:
    """The answer on `as_of` as NDJSON (the JSON text of each row's scalar columns,
    `state.LEAN_COLUMNS`, a line each), in order, a few thousand rows a piece; None when the state
    is not there. The text is joined from the state's pieces, never built row by row."""
    laws = state._blocking(store, as_of, timeout_ms)
    if laws is None:
        return None
    day = as_of.encode()

    def pieces() -> Iterator[bytes]:
        for law, rows in state._law_rows(store, laws, timeout_ms, laws_per_read):
            prefix = state._prefix(law)
            for start in range(0, len(rows), PIECE_ROWS):
                text = b"".join(chain.from_iterable(
                    (prefix, row.head, status, row.tail)
                    for row, status in state._answer(rows[start:start + PIECE_ROWS], day)))
                if text:
                    yield text

    return pieces()


def lean_rows(store: Store, as_of: str, *, timeout_ms: int | None = None,
              laws_per_read: int = 8) -> Iterator[dict[str, Any]] | None:
    """Every row of the answer on `as_of`, in its order, with its scalar columns
    (`state.LEAN_COLUMNS`), read a few laws at a time; None when the state is not there."""
    pieces = ndjson_pieces(store, as_of, timeout_ms=timeout_ms, laws_per_read=laws_per_read)
    return None if pieces is None else (json.loads(line) for piece in pieces
                                        for line in piece[:-1].split(b"\n"))






def led_rows(store: Store, as_of: str, agency: str, *, timeout_ms: int | None = None,
             limit: int | None = None) -> list[dict[str, Any]] | None:
    """The answer's lean rows on `as_of` of the tasks `agency` leads (`$agency IN lead_ids`, as
    the digest filters blocking-laws), in order, at most `limit`; only those rows are built.
    None when the state is not there."""
    laws = state._blocking(store, as_of, timeout_ms)
    if laws is None:
        return None
    day, lead, found = as_of.encode(), agency.encode(), []
    for law, rows in state._law_rows(store, laws, timeout_ms, LAWS_PER_READ):
        prefix = None
        for row, status in state._answer(rows, day):
            if lead in row.leads.split(b"|"):
                if limit is not None and len(found) == limit:
                    return found
                prefix = prefix or state._prefix(law)
                found.append(json.loads(b"".join((prefix, row.head, status, row.tail))))
    return found


def with_drawing(store: Store, rows: list[dict[str, Any]], *,
                 timeout_ms: int | None = None) -> list[dict[str, Any]]:
    """`rows` with the reference's drawing columns: the law, task and lead nodes and one
    shortest chain, read for these rows only."""
    full = []
    for start in range(0, len(rows), PAYLOAD_ROWS):
        chunk = rows[start:start + PAYLOAD_ROWS]
        asked = [{"i": i, "law": r["law_id"], "task": r["task_id"], "hops": r["hops"]}
                 for i, r in enumerate(chunk)]
        found = {row["i"]: row for row in store.read(cypher.PAYLOAD_BLOCKING, {"rows": asked},
                                                     timeout_ms=timeout_ms).rows}
        for i, row in enumerate(chunk):
            drawn = found.get(i, {})
            full.append({**row, **{c: drawn.get(c) for c in DRAWING_COLUMNS}})
    return full


def drawn(store: Store, rows: Iterator[dict[str, Any]], *,
          timeout_ms: int | None = None) -> Iterator[dict[str, Any]]:
    """`rows` with their drawing columns, read PAYLOAD_ROWS at a time."""
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == PAYLOAD_ROWS:
            yield from with_drawing(store, chunk, timeout_ms=timeout_ms)
            chunk = []
    if chunk:
        yield from with_drawing(store, chunk, timeout_ms=timeout_ms)


def page(store: Store, as_of: str, *, limit: int | None, skip: int = 0,
         timeout_ms: int | None = None, lean: bool = False) -> QueryResult | None:
    """What the reference gives with `limit` and `skip` (the whole answer when limit is None),
    every column (`lean`: only state.LEAN_COLUMNS, no drawing read); None when the state is not there."""
    few = limit is not None and skip + limit <= 1_000  # a first page: a law or two is enough
    rows = lean_rows(store, as_of, timeout_ms=timeout_ms, laws_per_read=1 if few else 8)
    if rows is None:
        return None
    wanted, truncated = [], False
    for index, row in enumerate(rows):
        if index < skip:
            continue
        if limit is not None and len(wanted) == limit:
            truncated = True
            break
        wanted.append(row)
    if lean:
        return QueryResult(columns=list(state.LEAN_COLUMNS), rows=wanted, truncated=truncated)
    return QueryResult(columns=state.LEAN_COLUMNS + DRAWING_COLUMNS,
                       rows=with_drawing(store, wanted, timeout_ms=timeout_ms), truncated=truncated)



def blocked_task_counts(store: Store, as_of: str, *,
                        timeout_ms: int | None = None) -> dict[str, dict[str | None, int]]:
    """`{law id: {lead agency id: unfinished tasks the law blocks on as_of}}`: each task once
    per law and per lead (None: tasks with no lead). From the derived state (about 0.2 s for
    the whole country); where it is missing, from the reference Cypher (seconds)."""
    counts: dict[str, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    laws = state._blocking(store, as_of, timeout_ms)
    if laws is None:
        from queries import get_query  # the definition (the package imports this module)

        query = cypher.around(get_query("blocking-laws").text, "RETURN law_id, lead_ids")
        for row in store.read(query, {"as_of": as_of, "law": None}, timeout_ms=timeout_ms).rows:
            for lead in row["lead_ids"] or [None]:
                counts[row["law_id"]][lead] += 1
        return {law: dict(by_lead) for law, by_lead in counts.items()}
    blocks, day = state._blocks(store, [law.id for law in laws], timeout_ms), as_of.encode()
    for law in laws:
        for row, _ in state._answer(blocks[law.id], day):
            for lead in row.lead_ids() or [None]:
                counts[law.id][lead] += 1
    return {law: dict(by_lead) for law, by_lead in counts.items()}


class RowsPath:
    """A fast path that gives rows only: whole answers go through the generic encoders (no
    text of its own for `pieces` or `ndjson`)."""

    @staticmethod
    def pieces(store: Store, params: dict[str, Any], *, fmt: str, lean: bool, bom: bool,
               timeout_ms: int | None) -> Iterator[bytes] | None:
        return None

    @staticmethod
    def ndjson(store: Store, params: dict[str, Any], *, timeout_ms: int | None) -> Iterator[bytes] | None:
        return None


class DrawnRowsPath(RowsPath):
    """A `RowsPath` whose rows are scalar columns (`COLUMNS`) and drawing columns (`DRAWN`: the
    column, the column holding its node's id, the node's label), the nodes read by id for the
    rows sent only. A subclass gives `found`: how many rows the answer has and its lean rows
    between two indexes, or None when its state is not there (the Cypher answers)."""

    COLUMNS: list[str]
    DRAWN: tuple[tuple[str, str, str], ...]
    DRAWN_ROWS = 1_000  # rows whose nodes one read fetches, for a whole answer

    @classmethod
    def found(cls, store: Store, params: dict[str, Any], timeout_ms: int | None
              ) -> tuple[int, Callable[[int, int | None], list[dict[str, Any]]]] | None:
        raise NotImplementedError

    @classmethod
    def columns(cls, rows: list[dict[str, Any]], *, lean: bool) -> list[str]:
        """The reference's columns; lean, those `graph.subgraph.lean` keeps: a drawing column
        with no node in any row is kept, all null."""
        if not lean:
            return cls.COLUMNS + [column for column, _, _ in cls.DRAWN]
        return cls.COLUMNS + [column for column, key, _ in cls.DRAWN
                              if not any(row[key] is not None for row in rows)]

    @classmethod
    def with_drawing(cls, store: Store, rows: list[dict[str, Any]], *,
                     timeout_ms: int | None = None) -> list[dict[str, Any]]:
        """`rows` with their nodes, as the store gives them (one read per label)."""
        nodes: dict[str, Any] = {}
        for _, key, label in cls.DRAWN:
            ids = sorted({row[key] for row in rows if row[key] is not None})
            if ids:
                found = store.read(cypher.NODES_BY_ID[label], {"ids": ids}, timeout_ms=timeout_ms).rows
                nodes.update((row["id"], row["n"]) for row in found)
        return [{**row, **{column: nodes.get(row[key]) for column, key, _ in cls.DRAWN}} for row in rows]

    @classmethod
    def page(cls, store: Store, params: dict[str, Any], *, timeout_ms: int | None, limit: int | None,
             skip: int, lean: bool = False) -> QueryResult | None:
        found = cls.found(store, params, timeout_ms)
        if found is None:
            return None
        count, between = found
        end = None if limit is None else skip + limit
        wanted, truncated = between(skip, end), end is not None and count > end
        names = cls.columns(wanted, lean=lean)
        result = QueryResult(columns=names, rows=_kept(wanted, names) if lean else
                             cls.with_drawing(store, wanted, timeout_ms=timeout_ms), truncated=truncated)
        guard = getattr(store, "guard", None)
        if limit is None or guard is None:
            return result
        return cut_to_bytes(result, guard.answer_max_bytes)  # as a capped store read does

    @classmethod
    def rows(cls, store: Store, params: dict[str, Any], *, timeout_ms: int | None,
             lean: bool) -> tuple[list[str], Iterator[dict[str, Any]]] | None:
        found = cls.found(store, params, timeout_ms)
        if found is None:
            return None
        every = found[1](0, None)
        names = cls.columns(every, lean=lean)
        if lean:
            return names, iter(_kept(every, names))

        def drawn() -> Iterator[dict[str, Any]]:
            it = iter(every)
            while chunk := list(islice(it, cls.DRAWN_ROWS)):
                yield from cls.with_drawing(store, chunk, timeout_ms=timeout_ms)
        return names, drawn()


def _kept(rows: list[dict[str, Any]], names: list[str]) -> list[dict[str, Any]]:
    return [{c: row.get(c) for c in names} for row in rows]


class SummaryPath(RowsPath):
    """The fast path of `blocking-summary` (queries.FAST_PATHS): its rows from the blocking
    state (`state.summary_rows`, which a test holds equal to the Cypher); no drawing columns,
    so a lean answer is the same."""

    @staticmethod
    def page(store: Store, params: dict[str, Any], *, timeout_ms: int | None, limit: int | None,
             skip: int, lean: bool = False) -> QueryResult | None:
        rows = state.summary_rows(store, params["as_of"], timeout_ms=timeout_ms)
        if rows is None:
            return None
        end = None if limit is None else skip + limit
        return QueryResult(columns=list(state.SUMMARY_COLUMNS), rows=rows[skip:end],
                           truncated=end is not None and len(rows) > end)

    @staticmethod
    def rows(store: Store, params: dict[str, Any], *, timeout_ms: int | None,
             lean: bool) -> tuple[list[str], Iterator[dict[str, Any]]] | None:
        rows = state.summary_rows(store, params["as_of"], timeout_ms=timeout_ms)
        return None if rows is None else (list(state.SUMMARY_COLUMNS), iter(rows))

