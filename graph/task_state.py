"""Derived task state: every task's `task-status` (and `overdue-tasks`) row on any date without
reading its history.

`queries/task-status.cypher` and `queries/overdue-tasks.cypher` are the definitions (analysts
run them on Neo4j as written). At national scale (100,000 tasks) the store needs about 36 s to
walk every task's statuses, deadline moves and documents for one date (issue 32). A task's row
changes only on a few dates: a status's, its assignment, a deadline move, and the day after
each deadline (when it becomes overdue). So the loader also keeps, in the derived graph beside
the analysts' (graph.blocking_state's, under labels of its own), per task: those dates, its
row's dated values from each on (category, progress, deadline in force, deadline moves, slips,
finished on; or that it is not in the answer then: assigned later), all worked out here by the
rules of `graph.asof.TaskFacts`, and the values that do not depend on the date (name, first
deadline, assigned on, leads, documents). The state is parsed once per revision of the graph,
and each row's text is encoded once. An answer on a date is the tasks whose date range holds it
(`Runs`, built once per revision and question, in the answer's order): a first page at
national scale reads about a hundred ranges, not every task, and sorts nothing (issue 32:
overdue-tasks' page sorted every overdue task per request, 229 ms).

Its terms (issue 21, as graph.blocking_state's):
- written only by the loader, under its write lock (`graph.derived` keeps it current around the load's
  writes beside blocking_state's): a load that changes anything first removes the stamp,
  writes its facts, then recomputes the state (all of it, or the tasks the ids it touched
  reach) and writes the parts that differ, then the stamp: the revision of the analysts' graph
  (`Store.revision()`, bumped by every write). Where the stamp is not the graph's revision
  every read here answers None and the callers run the reference Cypher; loading again repairs it;
- internal: in the derived graph, so no answer, count, search, drawing or export of the
  analysts' graph meets it; embedded store only (on Neo4j the Cypher answers);
- tests/test_task_state.py holds the fast answers equal to the reference Cypher on many dates,
  with and without an agency, through loads that change statuses and deadlines and a retraction.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import compress
from operator import and_, itemgetter
from typing import Any

import orjson

from graph import cypher, task_dates
from graph import derived_reads as shared
from graph.blocking_state import derived_store
from graph.errors import Busy
from graph.gc_pause import gc_paused
from graph.state_parts import Parts, compact_json, lines_of, part_key, texts_of
from graph.store.base import Store
from graph.task_dates import TaskDates

LINE_FORMAT = "2"  # of the parts `refresh` writes; a state of another format is not read
_PARTS = Parts(cypher.TASK_STATE_LABEL)  # a task's part: by its source (graph.state_parts)
NO_DEADLINE = "9999-12-31"  # overdue-tasks sorts a task without a deadline last
END = "\uffff"  # after every date: the end of a task's last segment
SPARSE = 0.125  # a date by which less than this share of an answer's ranges have begun: those are sorted
# the dated values of a row, in a segment's order (one list per date range)
DATED = ("category", "progress", "deadline", "deadline_moves", "slipped", "finished_on")

STATUS_COLUMNS = ["task_id", "task_name", "category", "progress", "deadline", "first_deadline",
                  "deadline_moves", "slipped", "finished_on", "assigned_on", "lead_ids"]
OVERDUE_COLUMNS = ["task_id", "task_name", "deadline", "first_deadline", "deadline_moves", "status",
                   "category", "lead_ids", "lead_names", "assigned_in"]

# -- computing it (the loader) -------------------------------------------------------------------
def task_entry(task: TaskDates) -> list[Any]:
    """One task's state: [change dates (after an empty first one, which no date is before),
    per date its dated values (`DATED`) or None when it is not in the answer (assigned after
    the date), its fixed values]. Between two change dates the rules compare the date asked
    with none of the task's dates, so its row cannot change (graph.task_dates)."""
    leads = sorted(task.leads)
    fixed = {"task_name": task.row["name"], "first_deadline": task.facts.deadline,
             "assigned_on": task.facts.assigned_on,
             "lead_ids": [a for a, _ in leads], "lead_names": [n for _, n in leads],
             "assigned_in": [number for _, number in sorted(task.documents)]}
    segments = [[s.category, s.progress, s.deadline, s.deadline_moves, s.slipped, s.finished_on]
                if s.exists else None for s in task.segments]
    return [task.changes, segments, fixed]


def compute(store: Store, task_ids: list[str] | None = None) -> dict[str, tuple[str, list[Any]]]:
    """`{task id: (its part (graph.state_parts), its entry (task_entry))}` from the facts in the
    store: of every task, or of those among `task_ids` (a task no longer there has none)."""
    return {task: (part_key(task, found.row["sources"]), task_entry(found))
            for task, found in task_dates.of_tasks(store, task_ids).items()}


def _stamp(revision: str | None) -> str:
    return f"{revision}/{LINE_FORMAT}"


def refresh(store: Store, touched: set[str] | None = None) -> int:
    """Recompute the state from the store's facts and write the parts that differ, then the
    stamp; returns the parts written. Every task's, or with `touched` (the ids of the nodes a
    load wrote or removed, and of both ends of each relationship it wrote or removed; given
    when the state was current before) only the tasks they reach: the tasks themselves and
    those whose statuses, deadline moves, documents, documents' meetings or leads they are
    (`cypher.TASKS_REACHED`); only the parts holding them are rewritten (graph.state_parts)."""
    derived = derived_store(store)
    if derived is None:
        return 0
    if touched is None:
        lines = {task: (part, compact_json(entry)) for task, (part, entry) in compute(store).items()}
        written = _PARTS.rebuild(derived, lines)
    else:
        reached = {row["task"] for query in cypher.TASKS_REACHED
                   for row in shared.read(store, query, {"ids": sorted(touched)})}
        fresh = {task: (part, compact_json(entry))
                 for task, (part, entry) in compute(store, sorted(reached)).items()}
        written = _PARTS.update(derived, fresh, reached | touched)
    derived.write(cypher.TASK_STATE_SET_STAMP, {"revision": _stamp(store.revision())})
    return written


def is_current(store: Store) -> bool:
    derived = derived_store(store)
    if derived is None:
        return False
    rows = derived.read(cypher.TASK_STATE_STAMP).rows
    return bool(rows) and rows[0]["revision"] == _stamp(store.revision())


def clear(store: Store) -> None:
    """Mark the state out of date (no stamp) before facts change (`graph.derived`)."""
    derived = derived_store(store)
    if derived is not None:
        derived.write(cypher.TASK_STATE_CLEAR_STAMP)


# -- reading it (the fast paths of task-status and overdue-tasks) ---------------------------------
@dataclass
class Task:
    """One task's state, parsed once per revision; each row's text encoded once, on first use."""

    id: str
    changes: list[str]
    segments: list[list[Any] | None]
    fixed: dict[str, Any]
    texts: dict[tuple[str, int], Any] = field(default_factory=dict)

    def segment(self, as_of: str) -> int:
        """The index of the dated values in force on `as_of`."""
        return bisect_right(self.changes, as_of) - 1

    def row(self, index: int, columns: list[str]) -> dict[str, Any]:
        """The row of segment `index` (not None) with `columns`."""
        values = dict(zip(DATED, self.segments[index], strict=True))
        values.update(self.fixed, task_id=self.id, status=values["progress"])
        return {column: values[column] for column in columns}


class Runs:
    """Date ranges of tasks' rows, in an answer's order: the i-th is `tasks[i]`'s segment
    `indexes[i]` (-1: to be bisected) from `starts[i]` until `ends[i]` (not included). The
    answer on a date is the ranges that hold it, in this order, so it needs no sort, and a page
    reads only as far as its rows."""

    def __init__(self, starts: list[str], ends: list[str], tasks: list[Task], indexes: list[int]) -> None:
        self.starts, self.ends, self.tasks, self.indexes = starts, ends, tasks, indexes
        self.by_start = sorted(range(len(starts)), key=starts.__getitem__)
        self.sorted_starts = [starts[i] for i in self.by_start]

    def on(self, as_of: str) -> Iterator[tuple[Task, int]]:
        """(task, index) of each range holding `as_of`, in order, lazily: where few ranges have
        begun by then (an early date), those only, sorted; else every range, tested in C."""
        begun = bisect_right(self.sorted_starts, as_of)
        if begun < SPARSE * len(self.starts):
            ends, tasks, indexes = self.ends, self.tasks, self.indexes
            return ((tasks[i], indexes[i])
                    for i in sorted(i for i in self.by_start[:begun] if as_of < ends[i]))
        held = map(and_, map(as_of.__ge__, self.starts), map(as_of.__lt__, self.ends))
        return compress(zip(self.tasks, self.indexes, strict=True), held)


def _present(tasks: list[Task]) -> Runs:
    """The ranges in which each task is in task-status's answer (its segments not None, those
    next to each other joined: a row's segment is bisected), in id order."""
    starts: list[str] = []
    ends: list[str] = []
    held: list[Task] = []
    for task in tasks:
        changes, start = task.changes, None
        for index, values in enumerate(task.segments):
            if values is None and start is not None:
                starts.append(start), ends.append(changes[index]), held.append(task)
                start = None
            elif values is not None and start is None:
                start = changes[index]
        if start is not None:
            starts.append(start), ends.append(END), held.append(task)
    return Runs(starts, ends, held, [-1] * len(held))


def _overdue(tasks: list[Task]) -> Runs:
    """Each overdue segment's range, in overdue-tasks' order: oldest deadline in force first
    (none last), then task id."""
    found = []
    for task in tasks:
        changes, last = task.changes, len(task.changes) - 1
        for index, values in enumerate(task.segments):
            if values is not None and values[0] == "overdue":
                found.append((values[2] or NO_DEADLINE, changes[index],
                              changes[index + 1] if index < last else END, task, index))
    found.sort(key=itemgetter(0))  # stable: tasks were in id order, a task's segments by date
    return Runs([f[1] for f in found], [f[2] for f in found], [f[3] for f in found],
                [f[4] for f in found])


@dataclass
class State:
    """The whole state of one revision: tasks in id order, and by lead agency; the date ranges
    of the answers (`Runs`), built on first use."""

    tasks: list[Task]
    by_agency: dict[str, list[Task]]
    _runs: dict[Any, Runs] = field(default_factory=dict)

    def runs(self, kind: str, agency: str | None = None) -> Runs:
        """overdue-tasks' ranges (`kind` "overdue") or task-status's ("status"; of `agency`'s
        tasks when given: built once per agency that leads a task, none for any other)."""
        if agency is not None and agency not in self.by_agency:
            return Runs([], [], [], [])
        found = self._runs.get((kind, agency))
        if found is None:
            with gc_paused():
                if kind == "overdue":
                    found = _overdue(self.tasks)
                else:
                    found = _present(self.tasks if agency is None else self.by_agency[agency])
            self._runs[kind, agency] = found  # two threads may both build it: the same value
        return found


class _Cache:
    """The parsed state of the latest revision of each graph."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[Any, tuple[str, State]] = {}

    def get(self, store: Store, timeout_ms: int | None) -> State | None:
        derived = derived_store(store)
        if derived is None:
            return None
        revision = store.revision()
        key = (str(getattr(store.server, "socket", "")), store.graph_name)
        stamp = derived.read(cypher.TASK_STATE_STAMP, timeout_ms=timeout_ms).rows
        if not stamp or stamp[0]["revision"] != _stamp(revision):
            return None  # computed for another revision, or not at all: the Cypher answers
        with self._lock:
            held = self._held.get(key)
        if held is not None and held[0] == revision:
            return held[1]
        parts = derived.read(cypher.TASK_STATE_ALL, timeout_ms=timeout_ms).rows
        texts = [row["rows"] for row in parts if row["part"] is not None]
        if [row["rows"] for row in parts if row["part"] is None] != [_stamp(revision)]:
            raise Busy("The graph is being loaded; its task state is being recomputed.",
                       hint="Ask again in a few seconds.", retry_after_s=5)
        with gc_paused():
            ids = [task for text in texts for task in lines_of(text)]
            entries = orjson.loads("[" + ",".join(entry for text in texts for entry in texts_of(text)) + "]")
            tasks = [Task(task, *entry) for task, entry in zip(ids, entries, strict=True)]
            tasks.sort(key=lambda t: t.id)
            by_agency: dict[str, list[Task]] = defaultdict(list)
            for task in tasks:
                for lead in dict.fromkeys(task.fixed["lead_ids"]):
                    by_agency[lead].append(task)
        state = State(tasks, dict(by_agency))
        with self._lock:
            self._held[key] = (revision, state)
        return state


_CACHE = _Cache()


def state(store: Store, timeout_ms: int | None = None) -> State | None:
    """The state for the graph as it is now; None when it is not there (the Cypher answers)."""
    return _CACHE.get(store, timeout_ms)


def status_on(current: State, as_of: str, agency: str | None = None) -> Iterator[tuple[Task, int]]:
    """task-status on `as_of`: each task in the answer, in id order, with its segment; lazily."""
    return ((task, task.segment(as_of)) for task, _ in current.runs("status", agency).on(as_of))


def overdue_on(current: State, as_of: str) -> Iterator[tuple[Task, int]]:
    """overdue-tasks on `as_of`: the overdue tasks, oldest deadline in force first (none last),
    with their segment; lazily."""
    return current.runs("overdue").on(as_of)
