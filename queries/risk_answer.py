"""The `deadline-risk` answer from the loader's derived states: the rows of
`queries/deadline-risk.cypher` (the definition; read it beside this) for `as_of`, `days` and
`agency`, a page of them with their drawing columns (task and agency nodes, read for that
page's rows only), or the whole answer as rows to stream.

What it is built from, all kept by the loader in the same batch as the facts:
- graph.task_state: each task's dated row (category, progress, deadline in force, moves,
  slips) and its fixed values (name, assigned on, leads);
- graph.depends_state: the DEPENDS_ON adjacency, walked here up to 8 links each way;
- graph.blocking_state: the laws not passed or in force on the date.
Where any of them is not there every function answers None and the Cypher answers. A whole
answer is computed once per (revision, as_of, days, agency) and kept (`_ANSWERS`), so paging
through it costs a slice. tests/test_risk_state.py holds it equal to the Cypher.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from graph import blocking_state, depends_state, task_state
from graph.asof import DONE
from graph.store.base import Store
from queries.blocking_answer import DrawnRowsPath

COLUMNS = ["agency_id", "agency_name", "rank", "level", "reasons", "task_id", "task_name",
           "category", "progress", "deadline", "days_left", "blocking_laws", "waiting_on", "chain",
           "dependants", "deadline_moves", "slipped"]
DRAWING = ["task", "agency"]
NO_DAYS = -100_000  # the reference sorts a task with no deadline date as coalesce(days_left, -100000)
NO_AGENCY = "~"     # and a row without a lead agency as coalesce(agency_id, '~')
KEPT_ROWS = 60_000  # rows of whole answers kept, the latest used (a national answer: 18,000 rows, 24 MB)


@lru_cache(maxsize=65_536)
def day_number(iso: str) -> int | None:
    """The reference's day number of an ISO date (a civil-calendar count from March, so leap
    days fall at the end of a year); None where it is not one (the reference's nulls)."""
    try:
        year, month, day = int(iso[0:4]), int(iso[5:7]), int(iso[8:10])
    except (TypeError, ValueError):
        return None
    year -= 1 if month <= 2 else 0
    month = (month + 9) % 12
    return (year * 365 + int(year / 4.0) - int(year / 100.0) + int(year / 400.0)
            + int((153 * month + 2) / 5.0) + day)


def chain_key(ids: list[str]) -> str:
    """The reference's order among chains of one length: their ids joined, each ended by `>`."""
    return "".join(f"{node}>" for node in ids)


def shortest_chain(start: str, target: str, hops: int, depends: depends_state.Depends,
                   reached: dict[str, int]) -> list[str]:
    """The chain of `hops` links from `start` to `target` with the least `chain_key` (the
    reference's choice among the shortest). `reached`: what `start` depends on (`Depends.upstream`)."""
    if hops == 1:
        return [start, target]
    out = depends.out
    by_level: list[list[str]] = [[] for _ in range(hops)]
    by_level[0].append(start)
    for node, at in reached.items():
        if 0 < at < hops and node != start:
            by_level[at].append(node)
    # backwards from the target: of each level, the nodes on a shortest chain, with the least
    # key of the rest of the chain from each (a shared start leaves the order to what follows)
    best: dict[str, tuple[str, list[str]]] = {target: (f"{target}>", [target])}
    for at in range(hops - 1, -1, -1):
        found = {}
        for node in by_level[at]:
            rest = [best[w] for w in out.get(node, ()) if w in best]
            if rest:
                key, chain = min(rest)
                found[node] = (f"{node}>{key}", [node, *chain])
        best = found
    return best[start][1]


def _reasons(days_left: int | None, deadline: str | None, laws: list[str], waiting: list[str],
             dependants: int, slipped: int) -> list[str]:
    reasons = []
    if days_left is not None and days_left >= 0:
        reasons.append(f"due in {days_left} days ({deadline})")
    if days_left is not None and days_left < 0:
        reasons.append(f"overdue by {-days_left} days (due {deadline})")
    if days_left is None:
        reasons.append("recorded overdue, no deadline date")
    if laws:
        reasons.append("blocked by laws not passed: " + ", ".join(laws))
    if waiting:
        reasons.append("waits for open tasks: " + ", ".join(waiting))
    if dependants > 0:
        reasons.append(f"{dependants} open tasks depend on it")
    if slipped > 0:
        reasons.append(f"deadline moved later {slipped} times")
    return reasons


class Inputs:
    """The three states of one revision, and each task's state by id."""

    def __init__(self, tasks: task_state.State, depends: depends_state.Depends, laws: set[str],
                 by_id: dict[str, task_state.Task] | None = None) -> None:
        self.tasks, self.depends, self.laws = tasks, depends, laws
        self.by_id = by_id if by_id is not None else {task.id: task for task in tasks.tasks}

    def standing(self, as_of: str) -> tuple[dict[str, list | None], set[str], set[str]]:
        """Each task's dated values on `as_of` (None before it is assigned), and the ids of the
        tasks not done then: all of them, and those assigned by then. Worked out once per answer,
        so what a task waits for and what depends on it are set intersections (a national answer
        asks about 140,000 times)."""
        values = {task.id: task.segments[task.segment(as_of)] for task in self.tasks.tasks}
        assigned = {task for task, found in values.items() if found is not None and found[1] != DONE}
        unassigned = {task for task, found in values.items() if found is None}
        return values, assigned | unassigned, assigned


def answer(inputs: Inputs, as_of: str, days: int, agency: str | None) -> list[dict[str, Any]]:
    """Every lean row of the reference on `as_of`, in its order."""
    today = day_number(as_of)
    tasks = inputs.tasks.tasks if agency is None else inputs.tasks.by_agency.get(agency, [])
    depends = inputs.depends
    standing, open_any, open_assigned = inputs.standing(as_of)
    by_lead: dict[str | None, list[tuple[tuple, dict[str, Any]]]] = {}
    names: dict[str | None, str | None] = {None: None}
    for task in tasks:
        values = standing[task.id]
        if values is None:
            continue  # assigned after as_of
        category, progress, deadline, moves, slipped, _finished = values
        if progress == DONE:
            continue
        days_left = None
        if deadline is not None:
            due = day_number(deadline)
            if due is None or today is None or due - today > days:
                continue
            days_left = due - today
        due_soon = days_left is not None and 0 <= days_left <= days
        if not (due_soon or (category == "overdue" and depends.into.get(task.id))):
            continue
        upstream = depends.upstream(task.id)
        laws = sorted(inputs.laws.intersection(upstream))
        waiting = sorted(open_any.intersection(upstream))
        dependants = len(open_assigned.intersection(depends.downstream(task.id)))
        blocked = bool(laws or waiting)
        level = 1 if due_soon and blocked else 2 if category == "overdue" and dependants > 0 \
            else 3 if due_soon else None
        if level is None:
            continue
        first = laws[0] if laws else waiting[0] if waiting else None
        chain = None if first is None else shortest_chain(task.id, first, upstream[first], depends, upstream)
        row = {"level": level, "reasons": _reasons(days_left, deadline, laws, waiting, dependants, slipped),
               "task_id": task.id, "task_name": task.fixed["task_name"], "category": category,
               "progress": progress, "deadline": deadline, "days_left": days_left,
               "blocking_laws": laws, "waiting_on": waiting, "chain": chain, "dependants": dependants,
               "deadline_moves": moves, "slipped": slipped}
        key = (level, NO_DAYS if days_left is None else days_left, -dependants, -slipped, task.id)
        leads = list(zip(task.fixed["lead_ids"], task.fixed["lead_names"], strict=True)) or [(None, None)]
        for lead, name in leads:
            names[lead] = name
            by_lead.setdefault(lead, []).append((key, row))
    groups = []
    for lead, found in by_lead.items():
        found.sort(key=lambda item: item[0])
        critical = sum(1 for _, row in found if row["level"] == 1)
        groups.append(((-critical, -len(found), NO_AGENCY if lead is None else lead), lead, found))
    groups.sort(key=lambda group: group[0])
    return [{"agency_id": lead, "agency_name": names[lead], "rank": rank, **row}
            for _, lead, found in groups for rank, (_, row) in enumerate(found, 1)]


class _Answers:
    """Whole answers by (graph, revision, as_of, days, agency), the latest used up to `KEPT_ROWS`
    rows in all (always the latest one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: OrderedDict[tuple, list[dict[str, Any]]] = OrderedDict()
        self._by_id: dict[tuple, tuple[task_state.State, dict[str, task_state.Task]]] = {}

    def get(self, store: Store, params: dict[str, Any],
            timeout_ms: int | None) -> list[dict[str, Any]] | None:
        as_of = params["as_of"]
        tasks = task_state.state(store, timeout_ms)
        depends = depends_state.state(store, timeout_ms) if tasks is not None else None
        laws = blocking_state._blocking(store, as_of, timeout_ms) if depends is not None else None
        if laws is None or tasks is None or depends is None:
            return None
        graph = (str(getattr(store.server, "socket", "")), store.graph_name)
        key = (*graph, store.revision(), as_of, params["days"], params.get("agency"))
        with self._lock:
            found = self._held.get(key)
            if found is not None:
                self._held.move_to_end(key)
                return found
            held = self._by_id.get(graph)
        if held is None or held[0] is not tasks:
            held = (tasks, {task.id: task for task in tasks.tasks})
        inputs = Inputs(tasks, depends, {law.id for law in laws}, held[1])
        found = answer(inputs, as_of, params["days"], params.get("agency"))
        with self._lock:
            self._by_id[graph] = held
            self._held[key] = found
            while len(self._held) > 1 and sum(map(len, self._held.values())) > KEPT_ROWS:
                self._held.popitem(last=False)
        return found


_ANSWERS = _Answers()


def rows_of(store: Store, params: dict[str, Any], *,
            timeout_ms: int | None = None) -> list[dict[str, Any]] | None:
    """The whole answer's lean rows (not to be changed: they are kept); None when a state is
    not there (the Cypher answers)."""
    return _ANSWERS.get(store, params, timeout_ms)


class RiskPath(DrawnRowsPath):
    """The fast path of `deadline-risk` (queries.FAST_PATHS): the same rows as its Cypher,
    which stays the definition (tests/test_risk_state.py holds them equal)."""

    COLUMNS = COLUMNS
    DRAWN = (("task", "task_id", "Task"), ("agency", "agency_id", "Agency"))

    @classmethod
    def found(cls, store: Store, params: dict[str, Any], timeout_ms: int | None
              ) -> tuple[int, Callable[[int, int | None], list[dict[str, Any]]]] | None:
        found = rows_of(store, params, timeout_ms=timeout_ms)
        return None if found is None else (len(found), lambda start, end: found[start:end])
