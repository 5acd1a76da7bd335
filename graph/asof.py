"""A task's standing on any date, defined once: its status, when it was assigned and finished,
the deadline in force, and the derived category the Government Office reports.

The categories (`CATEGORIES`): `done_on_time`, `done_late`, `open_within_deadline`, `overdue`
(open past its deadline) and `open_no_deadline`. They follow from the dated history, never from
today's `status` property:

- the *progress* on a date is the latest `StatusChange` on or before it (ties: the first status
  by name), None when nothing is recorded yet;
- the *deadline in force* on a date is the `deadline` of the latest `DeadlineChange` with
  `on` on or before it (ties: the later deadline), else the deadline first assigned
  (`Task.deadline`);
- a task is *done* when its progress is `done`; it was finished on its earliest `done` record;
  it is done late when that is after the deadline in force;
- an open task is overdue when the deadline in force is before the date. Where the sources give
  no deadline date but record the task as `overdue` (a late task reported without its date),
  that record stands for it, and such a task, finished later, was finished late;
- a task assigned after the date (see `assigned_on`) has no category on it: it did not exist;
- a law *blocks* a task on a date (`blocked`) when the task depends on it through at most
  `MAX_HOPS` DEPENDS_ON links, the law is not passed or in force on that date (`status_as_of`:
  a law loaded without history counts by its `status` and `status_on`), and the task is
  assigned by then and not done then.

The named queries spell the same rule in Cypher (analysts copy them whole); the tests run them
against this module on generated data so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph import cypher

if TYPE_CHECKING:  # graphs are passed in; importing networkx here would slow every CLI start
    import networkx as nx

FINISHED_LAW = ("passed", "in_force")
DONE = "done"
CATEGORIES = ("done_on_time", "done_late", "open_within_deadline", "overdue", "open_no_deadline")
OPEN_CATEGORIES = ("open_within_deadline", "overdue", "open_no_deadline")
MAX_HOPS = 8  # the longest DEPENDS_ON chain the queries follow (`[:DEPENDS_ON*1..8]`)
ISO_START = "0001-01-01"  # "from the start of the record" where no earlier date is known


def today() -> str:
    """Today's date as the graph writes dates (ISO `YYYY-MM-DD`): the default of every `as_of`."""
    return dt.date.today().isoformat()


def latest_status(changes: Iterable[tuple[str | None, str | None]], as_of: str) -> str | None:
    """The status of the latest `(on, status)` change on or before `as_of` (a tie: the first
    status by name); None when none is dated by then."""
    dated = [(on, status) for on, status in changes if on is not None and on <= as_of]
    if not dated:
        return None
    latest = max(on for on, _ in dated)
    return min(str(status) for on, status in dated if on == latest)


@dataclass(frozen=True)
class TaskFacts:
    """What the category of one task depends on, as read from the graph."""

    id: str
    deadline: str | None = None                                # as first assigned
    statuses: tuple[tuple[str, str], ...] = ()                 # (on, status)
    deadline_changes: tuple[tuple[str, str], ...] = ()         # (on, new deadline)
    assignment_dates: tuple[str, ...] = ()                     # document issued, meeting held

    def __post_init__(self) -> None:
        """The histories sorted once, so each date's question is a bisection (the derived task
        state asks every task on each date its row changes: graph.task_state)."""
        dated = sorted((on, str(status)) for on, status in self.statuses if on is not None)
        moves = sorted(self.deadline_changes)
        known = [d for d in (*self.assignment_dates, *(on for on, _ in self.statuses)) if d]
        for name, value in (
                ("_dates", [on for on, _ in dated]), ("_statuses", [status for _, status in dated]),
                ("_move_dates", [on for on, _ in moves]), ("_moves", moves),
                ("_first_done", min((on for on, status in self.statuses if status == DONE), default=None)),
                ("_assigned_on", min(known) if known else None)):
            object.__setattr__(self, name, value)  # frozen: set once, here

    @property
    def assigned_on(self) -> str | None:
        """The earliest of its document's issue date, that document's meeting and its first
        recorded status; None when none is known (then it counts as always there)."""
        return self._assigned_on

    def exists_on(self, as_of: str) -> bool:
        return self.assigned_on is None or self.assigned_on <= as_of

    def progress(self, as_of: str) -> str | None:
        """`latest_status` of its statuses: the latest by `as_of`, of that date the first by name."""
        dates, statuses = self._dates, self._statuses
        latest = bisect_right(dates, as_of)
        return statuses[bisect_left(dates, dates[latest - 1])] if latest else None

    def deadline_on(self, as_of: str) -> str | None:
        """The deadline of the latest move by `as_of` (a tie: the later deadline), else its own."""
        made = bisect_right(self._move_dates, as_of)
        return self._moves[made - 1][1] if made else self.deadline

    def finished_on(self, as_of: str) -> str | None:
        """When it was recorded done (its earliest `done` by `as_of`), if it is done on `as_of`."""
        return self._first_done if self.progress(as_of) == DONE else None

    def deadline_moves(self, as_of: str) -> int:
        """How many deadline moves are recorded by `as_of`."""
        return bisect_right(self._move_dates, as_of)

    def slipped(self, as_of: str) -> int:
        """How often the deadline was moved to a later date by `as_of`."""
        return self._slipped(bisect_right(self._move_dates, as_of))

    def _slipped(self, made: int) -> int:
        """How many of the first `made` moves moved the deadline to a later date."""
        current, moves = self.deadline, 0
        for _on, deadline in self._moves[:made]:
            if current is not None and deadline > current:
                moves += 1
            current = deadline
        return moves

    def category(self, as_of: str) -> str | None:
        """The derived category on `as_of` (None: not assigned yet)."""
        if not self.exists_on(as_of):
            return None
        return self._category(as_of, self.deadline_on(as_of), self.progress(as_of))

    def _category(self, as_of: str, deadline: str | None, progress: str | None) -> str:
        """The category of a task assigned by `as_of`, with its deadline in force and progress then."""
        finished = self._first_done if progress == DONE else None
        if finished is not None:
            if deadline is not None:
                return "done_late" if finished > deadline else "done_on_time"
            late = any(status == "overdue" and on < finished for on, status in self.statuses)
            return "done_late" if late else "done_on_time"
        if deadline is not None:
            return "overdue" if deadline < as_of else "open_within_deadline"
        return "overdue" if progress == "overdue" else "open_no_deadline"

    def standing(self, as_of: str) -> tuple[bool, str | None, str | None, str | None, int, int, str | None]:
        """Everything above on `as_of` at once, each history bisected once (the derived states
        ask every task on each date its row can change: graph.task_dates): (exists_on,
        category, progress, deadline_on, deadline_moves, slipped, finished_on); when it does
        not exist then, only the deadline in force is given (the rest None or 0)."""
        made = bisect_right(self._move_dates, as_of)
        deadline = self._moves[made - 1][1] if made else self.deadline
        if not self.exists_on(as_of):
            return False, None, None, deadline, 0, 0, None
        dates = self._dates
        latest = bisect_right(dates, as_of)
        progress = self._statuses[bisect_left(dates, dates[latest - 1])] if latest else None
        return (True, self._category(as_of, deadline, progress), progress, deadline, made,
                self._slipped(made) if made else 0,
                self._first_done if progress == DONE else None)


# -- the same facts over a networkx graph (graph.export.to_networkx) --------------------------
def _out(graph: nx.MultiDiGraph, node: str, rel_type: str) -> list[str]:
    return [target for _, target, key in graph.out_edges(node, keys=True) if key == rel_type]


def _in(graph: nx.MultiDiGraph, node: str, rel_type: str) -> list[str]:
    return [source for source, _, key in graph.in_edges(node, keys=True) if key == rel_type]


def task_facts(graph: nx.MultiDiGraph, task: str) -> TaskFacts:
    """A task's facts read from a networkx graph holding its history and assignment."""
    data = graph.nodes[task]
    statuses = tuple((graph.nodes[c].get("on"), graph.nodes[c].get("status"))
                     for c in _out(graph, task, "HAS_STATUS") if graph.nodes[c].get("on"))
    moves = tuple((graph.nodes[c].get("on"), graph.nodes[c].get("deadline"))
                  for c in _out(graph, task, "HAS_DEADLINE") if graph.nodes[c].get("on"))
    dates: list[str] = []
    for doc in _out(graph, task, "ASSIGNED_IN"):
        dates.append(graph.nodes[doc].get("issued_on"))
        dates.extend(graph.nodes[m].get("held_on")
                     for m, _, key in graph.in_edges(doc, keys=True) if key == "RESULTED_IN")
    return TaskFacts(id=task, deadline=data.get("deadline"), statuses=statuses,
                     deadline_changes=moves, assignment_dates=tuple(d for d in dates if d))


def status_as_of(graph: nx.MultiDiGraph, node: str, as_of: str) -> str | None:
    """The node's status on `as_of`: its latest StatusChange on or before that date.

    A node with no StatusChange at all counts by its `status` if its `status_on` is on or before
    `as_of` (a law loaded without history); otherwise None: nothing is recorded.
    """
    changes = [(graph.nodes[c].get("on"), graph.nodes[c].get("status"))
               for c in _out(graph, node, "HAS_STATUS")]
    data = graph.nodes[node]
    return dated_status(changes, data.get("status"), data.get("status_on"), as_of)


def dated_status(changes: list[tuple[str | None, str | None]], status: str | None,
                 status_on: str | None, as_of: str) -> str | None:
    """A law's (or any node's) status on `as_of` from its history `(on, status)`; with no
    history at all, its `status` property if `status_on` is on or before `as_of`."""
    if not changes:
        return status if status_on is not None and status_on <= as_of else None
    return latest_status(changes, as_of)


def dated_since(changes: list[tuple[str | None, str | None]], status_on: str | None,
                as_of: str) -> str | None:
    """Since when the status `dated_status` gives on `as_of` holds: the date of the latest
    change by then, or with no history `status_on` (None when nothing is recorded by then)."""
    if not changes:
        return status_on if status_on is not None and status_on <= as_of else None
    dated = [on for on, _status in changes if on is not None and on <= as_of]
    return max(dated) if dated else None


def statuses_since(store: Any, ids: Iterable[str], as_of: str, *,
                   timeout_ms: int | None = None) -> dict[str, tuple[str | None, str | None]]:
    """`{node id: (status on as_of, since when)}` by `dated_status` and `dated_since`, in one read."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = store.read(cypher.STATUS_HISTORY, {"ids": wanted}, timeout_ms=timeout_ms).rows
    found = {}
    for row in rows:
        changes = [(on, st) for on, st in row["changes"] if on is not None]
        found[row["id"]] = (dated_status(changes, row["status"], row["status_on"], as_of),
                            dated_since(changes, row["status_on"], as_of))
    return found


def assigned_on(graph: nx.MultiDiGraph, task: str) -> str | None:
    """When a task was assigned (see `TaskFacts.assigned_on`); the rule of the named queries:
    a task assigned after a date did not exist on it."""
    return task_facts(graph, task).assigned_on


def law_blocks(status: str | None) -> bool:
    """A law whose status on a date is `status` blocks what depends on it: it is not passed or
    in force (no status recorded yet counts as not passed)."""
    return status not in FINISHED_LAW


def chain_lengths(graph: nx.MultiDiGraph, start: str, *, upstream: bool = True,
                  max_hops: int = MAX_HOPS) -> dict[str, int]:
    """The shortest DEPENDS_ON chain, 1 to `max_hops` long, from `start` to each node it depends
    on (`upstream`), or from each node that depends on it to `start`; `start` itself only
    when a cycle leads back to it."""
    step = _out if upstream else _in
    lengths: dict[str, int] = {}
    frontier = [start]
    for hops in range(1, max_hops + 1):
        reached = {n for node in frontier for n in step(graph, node, "DEPENDS_ON")}
        frontier = sorted(n for n in reached if n not in lengths)
        lengths.update(dict.fromkeys(frontier, hops))
        if not frontier:
            break
    return lengths


@dataclass(frozen=True)
class Blocked:
    """One law blocking one unfinished task on a date (the "blocks" relation of DOMAIN.md)."""

    law: str
    task: str
    hops: int                      # the shortest DEPENDS_ON chain from the task to the law
    law_status: str | None
    task_status: str | None        # the task's progress on the date (None: none recorded)
    assigned_on: str | None


def blocked(graph: nx.MultiDiGraph, as_of: str) -> list[Blocked]:
    """Every law not passed or in force on `as_of` with every task assigned by then, not done
    on then, that depends on it directly or through other tasks (up to `MAX_HOPS` links)."""
    found = []
    for law in sorted(n for n, data in graph.nodes(data=True) if data.get("labels") == "Law"):
        law_status = status_as_of(graph, law, as_of)
        if not law_blocks(law_status):
            continue
        for task, hops in sorted(chain_lengths(graph, law, upstream=False).items()):
            if graph.nodes[task].get("labels") != "Task":
                continue
            facts = task_facts(graph, task)
            if facts.exists_on(as_of) and facts.progress(as_of) != DONE:
                found.append(Blocked(law, task, hops, law_status, facts.progress(as_of),
                                     facts.assigned_on))
    return found


def is_finished(data: dict[str, Any], status: str | None, as_of: str) -> bool:
    """Done (a task), passed or in force (a law), issued (a document) on `as_of`."""
    label = data.get("labels", "")
    if label == "Task":
        return status == DONE
    if label == "Law":
        return not law_blocks(status)
    if label == "Document":
        issued = data.get("issued_on")
        return issued is not None and issued <= as_of
    return False


# -- the same facts read straight from a store, for the tasks a page draws -----------------------
def read_task_facts(store: Any, ids: Iterable[str], *, timeout_ms: int | None = None) -> dict[str, TaskFacts]:
    """The facts of the tasks among `ids`, read in one query (other ids are ignored)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = store.read(cypher.TASK_FACTS, {"ids": wanted}, timeout_ms=timeout_ms).rows
    return {row["id"]: TaskFacts(
        id=row["id"], deadline=row["deadline"],
        statuses=tuple((on, status) for on, status in row["statuses"] if on is not None),
        deadline_changes=tuple((on, d) for on, d in row["moves"] if on is not None),
        assignment_dates=tuple(d for d in row["dates"] if d is not None),
    ) for row in rows}


def categories_on(store: Any, ids: Iterable[str], as_of: str, *,
                  timeout_ms: int | None = None) -> dict[str, tuple[str | None, str | None]]:
    """`{task id: (category, progress)}` on `as_of` for the tasks among `ids`."""
    return {task: (facts.category(as_of), facts.progress(as_of) if facts.exists_on(as_of) else None)
            for task, facts in read_task_facts(store, ids, timeout_ms=timeout_ms).items()}


def statuses_on(store: Any, ids: Iterable[str], as_of: str, *,
                timeout_ms: int | None = None) -> dict[str, str | None]:
    """`{node id: status on as_of}` by `status_as_of`'s rule, read from a store (unknown ids
    are left out)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = store.read(cypher.STATUS_HISTORY, {"ids": wanted}, timeout_ms=timeout_ms).rows
    return {row["id"]: dated_status([(on, st) for on, st in row["changes"] if on is not None],
                                  row["status"], row["status_on"], as_of) for row in rows}
