"""Derived blocking state: the `blocking-laws` answer on any date without a traversal.

`queries/blocking-laws.cypher` is the definition (analysts run it on Neo4j as written). At
national scale its DEPENDS_ON expansions cost the store about a second per date, more than a
plain script over the CSV files (issue 21). So the loader also keeps, in a graph of its own
beside the analysts' (`national__pg_derived` beside `national`), one node `(:Blocks {law,
blocks})` per law whose `blocks` text lists every task within 8 DEPENDS_ON of the law in the
answer's order (shortest hops, first deadline, id), one line each: the dates on which the task's row
changes and, from each on, its status on such a date (or that it is not in the answer then:
not assigned yet, or done), both worked out here by the as-of rules (`graph.asof`), its lead
ids, then its answer row as JSON with gaps for the two statuses that depend on the date. The
answer on a date is then a bisection per line and a join of ready text (no rule runs and no
row is built); the lines are parsed once per revision of the graph (`_Cache`).

Its terms (issue 21):
- written only by the loader, under its write lock: a load or retraction that changes anything
  first removes the stamp, writes its facts, then recomputes what those writes touched (all
  of it when the state was not current before) and writes what differs (`graph.derived`
  `kept_current`; tests/test_derived.py holds the update equal to a full rebuild), stamped
  with the revision of the analysts' graph
  (`Store.revision()`, bumped by every write). Where the stamp is not the graph's revision (a
  load killed before the end, anything written since by other means) or a law has no state,
  every read here answers None and the callers run the reference Cypher instead, so a stale
  answer is never given; loading again repairs it;
- internal: a graph of its own, so no answer, count, search, drawing, check or export of the
  analysts' graph meets it (clearing a graph deletes it too); embedded store only (on Neo4j,
  the Cypher answers);
- a test (tests/test_blocking_state.py) checks this path against the reference on many dates
  and after loads that add, change and remove dependencies, and after a retraction.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import starmap
from operator import itemgetter
from typing import Any, NamedTuple

from graph import cypher, depends_near, task_dates
from graph import derived_reads as shared
from graph.asof import DONE, dated_status, law_blocks
from graph.errors import Busy
from graph.gc_pause import gc_paused
from graph.state_parts import compact_json
from graph.store.base import Store
from graph.store.results import DERIVED_GRAPH_SUFFIX
from graph.task_dates import TaskDates

LABEL = cypher.DERIVED_LABEL  # in the derived graph: per law its head and its parts of lines (`refresh`)
STAMP = cypher.DERIVED_STAMP  # in the derived graph: {revision: the analysts' graph's, when computed}
MAX_HOPS = 8  # as `DEPENDS_ON*1..8` in the reference
NO_DEADLINE = "9999-12-31"  # the reference sorts a task without a deadline last
LEAN_COLUMNS = ["law_id", "law_name", "law_status", "task_id", "task_name", "task_status",
                "category", "deadline", "first_deadline", "hops", "assigned_on", "lead_ids",
                "lead_names"]
WRITE_BYTES = 8_000_000  # text per write statement when the state is written
LINE_FORMAT = "6"  # of the lines `compute` writes; a state of another format is not read
LINE_FIELDS = 6  # of a line: its key, then `_Row`'s fields
HEAD = ""  # the part of a law's state that says how many parts of lines it has
RECENT_KEPT = 16  # answers per date a revision keeps (`_Cache.recent`): the dates last asked

# -- computing it (the loader) -------------------------------------------------------------------


def compute(store: Store) -> dict[str, dict[str, tuple[str, str]]]:
    """The state from the facts in the store: `{law id: {part: (its text, its task ids)}}`, a
    law's lines kept by the group of their task (`_part_of`). A part's text is its lines (see
    `_changes`, `_parsed`), each ended by a newline, fields and lines joined by tabs, in the
    answer's order (a line's first field is its key: `_Pieces.line`); a reader merges a law's
    parts by key (`joined`, `_merged`)."""
    pieces = _Pieces(task_dates.of_tasks(store))
    return {law: _parts(reached, pieces) for law, reached in law_hops(store).items()}


def law_hops(store: Store) -> dict[str, dict[str, int]]:
    """`{law id: {node: its fewest DEPENDS_ON links to the law}}` (`_hops_from`) of every law,
    worked out once per revision for this state and graph.change_state's; not to be changed."""
    held = shared.kept(store, "law_hops", dict)
    if held is None:
        held = {}
    if not held:
        dependents = _dependents(shared.read(store, cypher.BLOCKING_FACTS["depends"]))
        held.update((row["id"], _hops_from(row["id"], dependents))
                    for row in shared.read(store, cypher.BLOCKING_FACTS["laws"]))
    return held


def joined(parts: dict[str, dict[str, tuple[str, str]]]) -> dict[str, str]:
    """`{law id: its whole state text}` (its parts' lines in the answer's order) of `compute`'s."""
    return {law: "\t".join(sorted(line for text, _ in held.values() for line in _lines(text)))
            for law, held in parts.items()}


def _part_of(task: TaskDates) -> str:
    """The part of a law's state that holds a task's line: its group, the first of its sources
    (a load of one source's files then rewrites that source's parts and leaves the others)."""
    sources = task.row["sources"]
    return "s:" + (min(sources) if sources else "")


def _parts(reached: dict[str, int], pieces: _Pieces) -> dict[str, tuple[str, str]]:
    """The lines of the tasks `reached` (`{task: hops}`), by part: `{part: (text, ids)}`."""
    by_part: dict[str, list[str]] = defaultdict(list)
    for task, hops in reached.items():
        line = pieces.line(task, hops)
        if line is not None:
            by_part[_part_of(pieces.tasks[task])].append(line)
    return {part: _part_text(lines) for part, lines in by_part.items()}


def _part_text(lines: list[str]) -> tuple[str, str]:
    """A part's (text, ids) from its lines (in any order; no two of the same task)."""
    lines.sort()
    return "\t".join(lines), "\n".join(sorted(_task_of(line) for line in lines))


def _task_of(line: str) -> str:
    """The task of a line (its key, before the first tab, ends with the task's id)."""
    return line.partition("\t")[0].rpartition(" ")[2]


def _lines(text: str) -> list[str]:
    """A part's lines."""
    if not text:
        return []
    fields = text.split("\t")
    return ["\t".join(fields[i:i + LINE_FIELDS]) for i in range(0, len(fields), LINE_FIELDS)]


def stored(derived: Store) -> dict[str, str]:
    """`{law id: its whole state text}` as stored (its parts merged, as `joined` gives it)."""
    texts: dict[str, list[str]] = defaultdict(list)
    for row in derived.read(cypher.DERIVED_ALL).rows:
        texts[row["law"]].extend(_lines(row["blocks"] or ""))
    return {law: "\t".join(sorted(lines)) for law, lines in texts.items()}


def _dependents(depends: list[dict[str, Any]]) -> dict[str, list[str]]:
    dependents: dict[str, list[str]] = defaultdict(list)
    for row in depends:
        dependents[row["on"]].append(row["task"])
    return dependents


class _Pieces:
    """Each task's line but for its hops (the same in every law it blocks), from its dated
    facts (graph.task_dates)."""

    def __init__(self, tasks: dict[str, TaskDates]) -> None:
        self.tasks = tasks
        self._made: dict[str, tuple[str, str, str, str]] = {}  # by task id

    def piece(self, task_id: str) -> tuple[str, str, str, str]:
        """(the fields before the hops, the text just before them, the text after them, the
        deadline the answer sorts by)."""
        found = self._made.get(task_id)
        if found is None:
            task = self.tasks[task_id]
            deadline = task.row["deadline"]
            mine = sorted(task.leads)
            ids = [a for a, _ in mine]
            named = _json({"task_id": task_id, "task_name": task.row["name"]})[1:-1]
            head = f'{_changes(task)}\t{"|".join(ids)}\t,{named},"task_status":'
            first = f',"first_deadline":{_json(deadline)}'
            tail = _json({"assigned_on": task.facts.assigned_on, "lead_ids": ids,
                          "lead_names": [n for _, n in mine]})
            tail = "," + tail[1:]
            found = self._made[task_id] = (head, first, tail, deadline or NO_DEADLINE)
        return found

    def line(self, task_id: str, hops: int) -> str | None:
        """The line of a task `hops` from a law, its key first: `hops deadline id` sorts as
        the answer does (hops, first deadline, id: hops are one digit, deadlines ISO dates,
        and a space is below every character of an id); None for what is not a task."""
        if task_id not in self.tasks:
            return None
        head, first, tail, deadline = self.piece(task_id)
        return f'{hops} {deadline} {task_id}\t{head}\t{first},"hops":{hops}{tail}\n'


# JSON text as the streamed answer writes it (api/row_stream.py: compact, non-ASCII as it is):
# orjson's, the same bytes for every character (checked against the standard encoder's over
# all of Unicode) in a third of the time (a national state makes 100,000 tasks' pieces)
_json = compact_json


def _changes(task: TaskDates) -> str:
    """A task's row on any date, as two `;` lists: the dates on which it changes (after an
    empty first one, which no date is before; graph.task_dates) and, from each of them on, the
    task's status as JSON text and its category and deadline in force (task-status's rules) as
    the rest of the row's JSON between them, or nothing when the row is not in the answer then:
    the task is assigned after the date (the reference's `assigned_on <= $as_of`) or done on
    it. Between two of these dates the rules compare the date asked with none, so the row
    cannot change."""
    texts = [f'{"null" if s.progress is None else _json(s.progress)},"category":'
             f'{_json(s.category)},"deadline":{_json(s.deadline)}'
             if s.exists and s.progress != DONE else "" for s in task.segments]
    if any(";" in text or "\t" in text for text in texts):
        raise ValueError(f"a status holds a separator of the blocking state: {texts}")
    return f"{';'.join(task.changes)}\t{';'.join(texts)}"


def _hops_from(law_id: str, dependents: dict[str, list[str]]) -> dict[str, int]:
    """Breadth-first over DEPENDS_ON reversed: the shortest chain to each dependent."""
    hops: dict[str, int] = {}
    queue = deque([(law_id, 0)])
    seen = {law_id}
    while queue:
        node, depth = queue.popleft()
        if depth == MAX_HOPS:
            continue
        for dependent in dependents.get(node, ()):
            if dependent not in seen:
                seen.add(dependent)
                hops[dependent] = depth + 1
                queue.append((dependent, depth + 1))
    return hops


_DERIVED: dict[tuple[str, str], Store] = {}


def derived_store(store: Store) -> Store | None:
    """The derived graph beside `store`'s graph (embedded store only; None elsewhere)."""
    server, name = getattr(store, "server", None), getattr(store, "graph_name", None)
    if server is None or name is None or not hasattr(server, "socket"):
        return None
    key = (str(server.socket), name)
    found = _DERIVED.get(key)
    if found is None:
        found = _DERIVED[key] = type(store)(server, name + DERIVED_GRAPH_SUFFIX, start=False,
                                            guard=getattr(store, "guard", None))
    return found


def clear(store: Store) -> None:
    """Mark the state out of date (no stamp) before facts change; its lines stay, for an
    update of what the writes touch (`refresh`), and no reader takes them for current."""
    derived = derived_store(store)
    if derived is not None:
        derived.write(cypher.DERIVED_UNSTAMP)


Key = tuple[str, str]  # (law, part) of a node of the state
Value = tuple[str, str, int | None]  # its (text, task ids, n: with the head only, its law's parts)


def refresh(store: Store, touched: set[str] | None = None) -> int:
    """Bring the state to the store's facts and stamp it; returns the parts written.

    The state of a law is its head (part HEAD: how many parts of lines it has, so a reader
    knows it has them all) and its lines by part (`compute`). `touched` (graph.derived:
    the ids a load's writes touched, given only when the state was current before them) limits
    the work to the laws whose lines those ids can change: the touched laws and those reached
    by DEPENDS_ON from the touched nodes and from the tasks whose facts they are
    (`cypher.TASKS_REACHED`); in those laws only the lines of those tasks and of the tasks whose
    hops may change are made again, and only the parts that hold them are read and written
    (`_updated`). None: everything is recomputed from the store."""
    derived = derived_store(store)
    if derived is None:
        return 0
    revision = store.revision()
    _indexed(derived)
    stored_: dict[Key, list[Value]] = defaultdict(list)
    if touched is None:
        wanted: dict[Key, Value] = {}
        for law, parts in compute(store).items():
            wanted[law, HEAD] = ("", "", len(parts))
            wanted.update(((law, part), (text, ids, None)) for part, (text, ids) in parts.items())
        for row in derived.read(cypher.DERIVED_ALL).rows:
            stored_[row["law"], row["part"]].append((row["blocks"], row["ids"], row["n"]))
        gone = sorted(set(stored_) - set(wanted), key=_order)
    else:
        wanted, stored_, gone = _updated(store, derived, touched)
    doubled = [key for key, values in stored_.items() if len(values) > 1]
    if gone or doubled:
        derived.write(cypher.DERIVED_DELETE_PARTS, {"gone": [list(key) for key in gone + doubled]})
        stored_ = {key: values for key, values in stored_.items() if len(values) == 1}
    changed = [{"law": law, "part": part, "blocks": text, "ids": ids, "n": n}
               for (law, part), (text, ids, n) in sorted(wanted.items())
               if stored_.get((law, part)) != [(text, ids, n)]]
    batch: list[dict[str, Any]] = []
    size = 0
    for row in changed:
        batch.append(row)
        size += len(row["blocks"])
        if size >= WRITE_BYTES:
            derived.write(cypher.DERIVED_WRITE, {"rows": batch})
            batch, size = [], 0
    if batch:
        derived.write(cypher.DERIVED_WRITE, {"rows": batch})
    derived.write(cypher.DERIVED_SET_STAMP, {"revision": _stamp(revision)})
    return len(changed)


def _order(key: Key) -> tuple[str, str]:
    """Keys in order, a node of an older format (no part) among them."""
    return key[0] or "", key[1] or ""


def _indexed(derived: Store) -> None:
    """The index by law the state's writes find their parts by (made with the first write)."""
    try:
        derived.write(cypher.DERIVED_INDEX_CREATE)
    except Exception as exc:  # there already: FalkorDB says so (its wording is not an interface)
        if "already indexed" not in str(exc).lower():
            raise


def _updated(store: Store, derived: Store,
             touched: set[str]) -> tuple[dict[Key, Value], dict[Key, list[Value]], list[Key]]:
    """(the new parts of the laws `touched` can change, those parts as stored, the parts gone).

    A line is a (law, task) pair's: it changes when the task's own facts do (`changed`: the
    touched tasks and those whose facts the touched nodes are) or when its hops to the law
    may (within MAX_HOPS DEPENDS_ON of a touched node, the ends of every dependency written or
    removed being touched). Only the laws those reach are looked at, and of them only the parts
    that hold such a task's line, before or after; their other lines are kept as they are (no
    JSON decoded), those lines made again from the facts of those tasks only. A law whose
    parts are not all there (a load killed half-way) is made again whole."""
    ids = sorted(touched)
    laws = {row["id"] for row in shared.read(store, cypher.BLOCKING_FACTS["laws"])}
    changed = set(touched)
    for query in cypher.TASKS_REACHED:
        changed.update(row["task"] for row in shared.read(store, query, {"ids": ids}))
    # the tasks whose lines are made again, and how far each is from what it depends on: read
    # from the links near them (graph.depends_near), not the whole graph's
    again = changed | depends_near.dependents(store, touched)
    links = depends_near.forward(store, again)
    near = {task: depends_near.hops_from(task, links) for task in again}
    affected = sorted({node for hops in near.values() for node in hops if node in laws} | (touched & laws))
    index = derived.read(cypher.DERIVED_INDEX).rows  # every law's parts, without their texts
    held: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in index:
        held[row["law"]][row["part"]].append(row)
    gone = [(law, part) for law in set(held) - laws for part in held[law]]

    def complete(law: str) -> bool:
        parts = held.get(law, {})
        head = parts.get(HEAD, [])
        return (len(head) == 1 and head[0]["n"] == len(parts) - 1
                and all(len(rows) == 1 for rows in parts.values()))
    whole = {law for law in affected if not complete(law)}
    every = law_hops(store) if whole else {}  # a law made again whole needs all it reaches
    reached = {law: dict(every[law]) if law in whole else
               {task: near[task][law] for task in again if law in near[task]} for law in affected}
    # all of `again`, though some reach no law: the change state asks the same tasks' facts next
    pieces = _Pieces(task_dates.of_tasks(store, again | {t for hops in reached.values() for t in hops}))
    fresh = {law: _parts(reached[law], pieces) for law in affected}
    redo: dict[str, set[str]] = {}  # of each law not made whole, the parts to make again
    for law in sorted(set(affected) - whole):
        where = {task: part for part, rows in held[law].items() if part != HEAD
                 for task in (rows[0]["ids"] or "").split("\n") if task}
        redo[law] = {where[task] for task in again if task in where} | set(fresh[law])
    stored_: dict[Key, list[Value]] = defaultdict(list)
    wanted_keys = {(law, part) for law, parts in redo.items() for part in parts if part in held[law]}
    if wanted_keys:
        asked = {"laws": sorted({law for law, _ in wanted_keys}),
                 "parts": sorted({part for _, part in wanted_keys})}
        for row in derived.read(cypher.DERIVED_OF_PARTS, asked).rows:
            if (row["law"], row["part"]) in wanted_keys:
                stored_[row["law"], row["part"]].append((row["blocks"], row["ids"], row["n"]))
    wanted: dict[Key, Value] = {}
    for law in affected:
        if law in whole:
            parts = dict(fresh[law])
            # what it holds and is not wanted, and all of what it holds twice (written again)
            gone += [(law, part) for part, rows in held.get(law, {}).items()
                     if (part != HEAD and part not in parts) or len(rows) > 1]
            kept_parts = set(parts)
        else:
            parts = {}
            for part in redo[law]:
                old = stored_.get((law, part), [])
                lines = [line for line in _lines(old[0][0]) if _task_of(line) not in again] if old else []
                new_text, new_ids = fresh[law].get(part, ("", ""))
                lines += _lines(new_text)
                if lines:
                    parts[part] = _part_text(lines)
                elif part in held[law]:
                    gone.append((law, part))
            kept_parts = (set(held[law]) - {HEAD} - redo[law]) | set(parts)
        wanted[law, HEAD] = ("", "", len(kept_parts))
        if law not in whole:
            head = held[law][HEAD][0]
            stored_[law, HEAD] = [("", head["ids"], head["n"])]
        wanted.update(((law, part), (text, ids, None)) for part, (text, ids) in parts.items())
    return wanted, stored_, sorted(set(gone), key=_order)


def _stamp(revision: str | None) -> str:
    """The stamp of a state computed for `revision`: with the format of its lines, so a state
    written in another (by an older version) is not current and is recomputed on the next load."""
    return f"{revision}/{LINE_FORMAT}"


def is_current(store: Store) -> bool:
    """Whether the state is there, for the graph as it is now (its revision)."""
    return _blocking(store, "0001-01-01", None) is not None


# -- reading it (the fast path of blocking-laws) --------------------------------------------------
@dataclass
class _Law:
    id: str
    name: str | None
    status: str | None  # on the date asked




def _blocking(store: Store, as_of: str, timeout_ms: int | None) -> list[_Law] | None:
    """The laws not passed on `as_of`, in id order; None when the state is not there."""
    derived = derived_store(store)
    if derived is None:
        return None
    revision = store.revision()
    state = derived.read(cypher.STATE_BLOCKING, timeout_ms=timeout_ms).rows
    rows = store.read(cypher.LAWS_BLOCKING, timeout_ms=timeout_ms).rows
    stamps = {row["revision"] for row in state if row["id"] is None}
    whole = {r["id"] for r in state if r["id"] is not None and r["n"] is not None and r["held"] == r["n"] + 1}
    if stamps != {_stamp(revision)} or not whole >= {r["id"] for r in rows}:
        return None  # computed for another revision, or not at all: the Cypher answers
    laws = []
    for row in sorted(rows, key=lambda r: r["id"]):
        history = [(on, status) for on, status in row["history"] if on is not None or status is not None]
        status = dated_status(history, row["status"], row["status_on"], as_of)
        if law_blocks(status):
            laws.append(_Law(row["id"], row["name"], status))
    return laws


class _Cache:
    """Values read from the store, by key, for one store revision (`Store.revision()`: every
    write bumps it, so a load makes the cache miss): the state's lines by law (a page or a
    whole answer then reads no state text from the store) and the holder of each lead agency
    (the national picture then runs no holder lookup, 0.2-0.4 s at national scale), and
    `recent` answers per date (blocking-summary's rows: 60-70 ms to count nationally). Only the
    latest revision of each graph is kept (the national state's lines: about 70 MB)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_graph: dict[Any, tuple[Any, dict[str, Any]]] = {}

    def get(self, store: Store, kind: str, keys: list[str],
            fetch: Callable[[list[str]], dict[str, Any]]) -> dict[str, Any]:
        """`{key: value}` for `keys`, those not cached for this revision from `fetch(missing)`
        (which may leave out a key the store does not have)."""
        revision = store.revision()
        graph = self._graph(store, kind)
        with self._lock:
            held = self._by_graph.get(graph)
            cached = held[1] if held is not None and held[0] == revision else {}
        missing = [key for key in keys if key not in cached]
        if missing:
            cached = {**cached, **fetch(missing)}
            if revision is not None:
                with self._lock:
                    self._by_graph[graph] = (revision, cached)
        return {key: cached[key] for key in keys if key in cached}

    def recent(self, store: Store, kind: str, key: Any, compute: Callable[[], Any],
               keep: int = RECENT_KEPT) -> Any:
        """`compute()`'s value for `key`, kept for this revision while it is among the last
        `keep` keys asked (an answer per date: a bound, as any date may be asked)."""
        revision = store.revision()
        graph = self._graph(store, kind)
        with self._lock:
            held = self._by_graph.get(graph)
            if held is not None and held[0] == revision and key in held[1]:
                held[1].move_to_end(key)
                return held[1][key]
        value = compute()
        if revision is not None:
            with self._lock:
                held = self._by_graph.get(graph)
                kept = held[1] if held is not None and held[0] == revision else OrderedDict()
                kept[key] = value
                while len(kept) > keep:
                    kept.popitem(last=False)
                self._by_graph[graph] = (revision, kept)
        return value

    @staticmethod
    def _graph(store: Store, kind: str) -> tuple:
        server = getattr(getattr(store, "server", None), "socket", None)
        return (str(server), getattr(store, "graph_name", id(store)), kind)


_CACHE = _Cache()


def _blocks(store: Store, law_ids: list[str], timeout_ms: int | None) -> dict[str, list[_Row]]:
    """`{law id: its rows}`, parsed once per store revision."""
    revision = store.revision()

    def fetch(missing: list[str]) -> dict[str, list[_Row]]:
        derived = derived_store(store)
        assert derived is not None, "_blocking said the state is there"
        rows = derived.read(cypher.DERIVED_OF_LAWS_STAMPED, {"ids": missing},
                            timeout_ms=timeout_ms).rows
        stamps = [row["b"] for row in rows if row["id"] is None]
        parts: dict[str, list[str]] = defaultdict(list)
        heads: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            if row["id"] is not None:
                if row["part"] == HEAD:
                    heads[row["id"]].append(row["n"])
                else:
                    parts[row["id"]].append(row["b"] or "")
        whole = {law for law, n in heads.items() if n == [len(parts.get(law, []))]}
        with gc_paused():  # tens of thousands of small lists, none in a cycle (graph.gc_pause)
            lists = _Lists()
            found = {law: _merged(parts.get(law, []), lists) for law in whole}
        # unstamped or restamped since the laws were read, or a part missing: a load is
        # updating the lines
        if stamps != [_stamp(revision)] or set(found) != set(missing):
            raise Busy("The graph is being loaded; its blocking state is being recomputed.",
                       hint="Ask again in a few seconds.", retry_after_s=5)
        return found
    return _CACHE.get(store, "lines", law_ids, fetch)


def _holders(store: Store, lead_ids: list[str], timeout_ms: int | None) -> dict[str, dict[str, Any]]:
    """`{lead agency id: {id, label, name} of its holder}` (`cypher.HOLDERS_OF_AGENCIES`)."""
    def fetch(missing: list[str]) -> dict[str, dict[str, Any]]:
        rows = store.read(cypher.HOLDERS_OF_AGENCIES, {"ids": missing}, timeout_ms=timeout_ms).rows
        return {row["lead"]: row for row in rows}
    return _CACHE.get(store, "holders", lead_ids, fetch) if lead_ids else {}


class _Row(NamedTuple):
    """One of a law's lines in the state (`compute`), parsed once per revision (`_blocks`)."""

    changes: list[bytes]  # b"", then each date on which the row changes (see `_changes`)
    texts: list[bytes]    # from each on: the status, category and deadline; b"" when not in the answer
    leads: bytes          # the lead agencies' ids, `|` between
    head: bytes           # the row's JSON text up to the task's status
    tail: bytes           # the rest, and the line's end

    def lead_ids(self) -> list[str]:
        return self.leads.decode().split("|") if self.leads else []


class _Lists(dict):
    """`;` lists by their text, each split once and shared (never changed): a task's dates
    recur in every law it depends on, and its statuses' texts in thousands of tasks, so the
    cache holds the national state's 107,261 lines in 66 MB, not 112."""

    def __missing__(self, text: bytes) -> list[bytes]:
        found = self[text] = text.split(b";")
        return found


def _parsed(text: str, lists: _Lists) -> list[_Row]:
    """A law's lines as rows, in the answer's order: one split of the whole text (its lines are
    joined by the same tab as their fields), the rest in C, no Python per line."""
    if not text:
        return []
    fields = text.encode().split(b"\t")
    changes, texts = (map(lists.__getitem__, fields[i::LINE_FIELDS]) for i in (1, 2))
    return list(starmap(_Row, zip(changes, texts, fields[3::LINE_FIELDS], fields[4::LINE_FIELDS],
                                  fields[5::LINE_FIELDS], strict=True)))


def _merged(texts: list[str], lists: _Lists) -> list[_Row]:
    """A law's rows from the texts of its parts, in the answer's order (by their keys)."""
    texts = [text for text in texts if text]
    if len(texts) <= 1:
        return _parsed(texts[0], lists) if texts else []
    keyed: list[tuple[bytes, _Row]] = []
    for text in texts:
        fields = text.encode().split(b"\t")
        changes, dated = (map(lists.__getitem__, fields[i::LINE_FIELDS]) for i in (1, 2))
        keyed += zip(fields[0::LINE_FIELDS], starmap(_Row, zip(
            changes, dated, fields[3::LINE_FIELDS], fields[4::LINE_FIELDS], fields[5::LINE_FIELDS],
            strict=True)), strict=True)
    keyed.sort(key=itemgetter(0))  # keys are alike for no two lines
    return [row for _, row in keyed]


def _answer(rows: list[_Row], as_of: bytes) -> Iterator[tuple[_Row, bytes]]:
    """Each row in the answer on `as_of` with the task's status then, as JSON text: the text
    from the latest change on or before the date (a bisection: no rule runs here)."""
    for row in rows:
        status = row.texts[bisect_right(row.changes, as_of) - 1]
        if status:
            yield row, status


def _prefix(law: _Law) -> bytes:
    """The start of each of the law's rows on the date asked."""
    return (f'{{"law_id":{_json(law.id)},"law_name":{_json(law.name)},'
            f'"law_status":{_json(law.status)}').encode()


def _law_rows(store: Store, laws: list[_Law], timeout_ms: int | None,
              laws_per_read: int) -> Iterator[tuple[_Law, list[_Row]]]:
    """Each law with its rows, read `laws_per_read` laws at a time; from one law first, twice
    as many each read after, when it is 1 (a page: an early date's first rows span many laws)."""
    start, size = 0, laws_per_read
    while start < len(laws):
        group = laws[start:start + size]
        blocks = _blocks(store, [law.id for law in group], timeout_ms)
        for law in group:
            yield law, blocks[law.id]
        start += size
        if laws_per_read == 1:
            size = min(size * 2, 16)


SUMMARY_COLUMNS = ["law_id", "law_name", "law_status", "law_tasks", "holder_id", "holder_label",
                   "holder_name", "tasks"]


def summary_rows(store: Store, as_of: str, *,
                 timeout_ms: int | None = None) -> list[dict[str, Any]] | None:
    """`queries/blocking-summary.cypher`'s rows, in its order, from the derived state: per law
    not passed on `as_of`, its blocked tasks in all and per holder (the province of each lead,
    or the lead itself; `cypher.HOLDERS_OF_AGENCIES`); None when the state is not there (the
    query answers). A test holds the two equal through loads and a retraction."""
    laws = _blocking(store, as_of, timeout_ms)
    if laws is None:
        return None
    rows = _CACHE.recent(store, "summary", as_of, lambda: _summary(store, laws, as_of, timeout_ms))
    return [dict(row) for row in rows]  # the caller's own: the kept rows are never changed


def _summary(store: Store, laws: list[_Law], as_of: str, timeout_ms: int | None) -> list[dict[str, Any]]:
    blocks, day = _blocks(store, [law.id for law in laws], timeout_ms), as_of.encode()
    tallies: list[tuple[_Law, int, dict[str, int]]] = []
    for law in laws:
        total, by_lead = 0, defaultdict(int)
        for row, _ in _answer(blocks[law.id], day):
            total += 1
            for lead in row.lead_ids():
                by_lead[lead] += 1
        tallies.append((law, total, by_lead))
    wanted = sorted({lead for _, _, by_lead in tallies for lead in by_lead})
    holders = _holders(store, wanted, timeout_ms)
    rows = []
    for law, total, by_lead in tallies:
        per_holder: dict[str, int] = defaultdict(int)
        for lead, count in by_lead.items():
            per_holder[holders[lead]["id"]] += count
        names = {holders[lead]["id"]: holders[lead] for lead in by_lead}
        rows += [{"law_id": law.id, "law_name": law.name, "law_status": law.status, "law_tasks": total,
                  "holder_id": holder, "holder_label": names[holder]["label"],
                  "holder_name": names[holder]["name"], "tasks": count}
                 for holder, count in per_holder.items()]
    rows.sort(key=lambda r: (-r["law_tasks"], r["law_id"], -r["tasks"], r["holder_id"]))
    return rows


def blocking_law_ids(store: Store, as_of: str, *, among: set[str] | None = None,
                     timeout_ms: int | None = None) -> set[str] | None:
    """The laws (of `among`, when given: those a page draws) that block a task on `as_of`;
    None when the state is not there. Reads only the state of the laws asked about."""
    laws = _blocking(store, as_of, timeout_ms)
    if laws is None:
        return None
    if among is not None:
        laws = [law for law in laws if law.id in among]
    day = as_of.encode()
    return {law.id for law, rows in _law_rows(store, laws, timeout_ms, 8)
            if next(_answer(rows, day), None) is not None}
