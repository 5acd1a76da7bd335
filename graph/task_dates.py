"""Each task's dated facts, worked out once per load for every derived state.

The blocking, task and change states (graph.derived) each need, per task, the dates on which
`graph.asof`'s rules can change its standing and its standing from each of them on (category,
progress, deadline in force, ...). Those rules are the costly part of a national refresh
(100,000 tasks, a few dates each), and they are the same for every state: so they run here,
once per task and revision of the graph (the facts held by graph.derived_reads, forgotten when
the refreshes end), and each state only formats what it keeps.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph import cypher
from graph import derived_reads as shared
from graph.asof import TaskFacts
from graph.store.base import Store


@dataclass(slots=True)
class Segment:
    """A task's standing from one of its change dates on (until the next)."""

    exists: bool               # assigned by then (`TaskFacts.exists_on`)
    category: str | None
    progress: str | None
    deadline: str | None       # in force
    deadline_moves: int
    slipped: int
    finished_on: str | None


@dataclass(slots=True)
class TaskDates:
    """One task's facts as read (`row`: id, name, deadline, sources; its status and deadline
    move rows; leads and documents) and its standing on every date (`changes`, `segments`)."""

    row: dict[str, Any]
    facts: TaskFacts
    statuses: list[dict[str, Any]]
    moves: list[dict[str, Any]]
    leads: list[tuple[str, str]]          # (id, name), as read
    documents: list[tuple[str, str]]      # (id, number or id)
    via: list[str]                        # the documents' numbers and meetings that assigned it
    changes: list[str]                    # "" (before every date), then `change_dates`
    segments: list[Segment]               # from each change on


def change_dates(task: TaskFacts) -> list[str]:
    """The dates, in order, on which anything `graph.asof` says of a task can change (its
    existence, status, category, deadline in force): its assignment, its statuses' and deadline
    moves' dates, and the day after each deadline. Between two of them every rule compares
    the date asked with none of its facts."""
    deadlines = [d for d in (task.deadline, *(d for _, d in task.deadline_changes)) if d]
    return sorted({d for d in (task.assigned_on, *(on for on, _ in task.statuses),
                               *(on for on, _ in task.deadline_changes),
                               *filter(None, map(_day_after, deadlines))) if d})


def _day_after(day: str) -> str | None:
    """The ISO date after `day` (None for what is not an ISO date)."""
    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def _made(facts: dict[str, list[dict[str, Any]]]) -> dict[str, TaskDates]:
    statuses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in facts["statuses"]:
        if row["on"] is not None and row["status"] is not None:
            statuses[row["task"]].append(row)
    moves: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in facts["deadlines"]:
        if row["on"] is not None:
            moves[row["task"]].append(row)
    dates: dict[str, list[str]] = defaultdict(list)
    documents: dict[str, list[tuple[str, str]]] = defaultdict(list)
    via: dict[str, list[str]] = {}
    for row in facts["documents"]:
        dates[row["task"]] += row["dates"]
        documents[row["task"]] += [(doc, number or doc) for doc, number in row["docs"]]
        via[row["task"]] = row["via"]
    leads: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in facts["leads"]:
        leads[row["task"]].append((row["id"], row["name"]))
    made = {}
    for row in facts["tasks"]:
        task = row["id"]
        mine, moved = statuses.get(task, []), moves.get(task, [])
        of = TaskFacts(id=task, deadline=row["deadline"],
                       statuses=tuple((r["on"], r["status"]) for r in mine),
                       deadline_changes=tuple((r["on"], r["deadline"]) for r in moved),
                       assignment_dates=tuple(d for d in dates.get(task, ()) if d))
        changes = ["", *change_dates(of)]
        made[task] = TaskDates(row, of, mine, moved, leads.get(task, []), documents.get(task, []),
                               via.get(task, []),
                               changes, [Segment(*of.standing(on)) for on in changes])
    return made


def of_tasks(store: Store, ids: Iterable[str] | None = None) -> dict[str, TaskDates]:
    """`{task id: its TaskDates}` of every task (`ids` None) or of the tasks among `ids` (a
    task not there has none), each worked out once per revision of the graph."""
    held = shared.kept(store, "task_dates", lambda: {"all": False, "tasks": {}, "absent": set()})
    if held is None:  # a store that cannot tell its revision: nothing kept
        held = {"all": False, "tasks": {}, "absent": set()}
    tasks: dict[str, TaskDates] = held["tasks"]
    if ids is None:
        if not held["all"]:
            facts = {name: shared.read(store, query) for name, query in cypher.TASK_STATE_FACTS.items()}
            tasks.update((task, found) for task, found in _made(facts).items() if task not in tasks)
            held["all"] = True
        return tasks
    wanted = set(ids)
    missing = sorted(wanted - tasks.keys() - held["absent"]) if not held["all"] else []
    if missing:
        facts = {name: store.read(query, {"ids": missing}).rows
                 for name, query in cypher.TASK_STATE_FACTS_OF.items()}
        tasks.update(_made(facts))
        held["absent"].update(set(missing) - tasks.keys())
    return {task: tasks[task] for task in sorted(wanted) if task in tasks}
