"""The `task-status` answer as an analyst without policygraph would compute it: a plain Python
script over the loader's CSV files (`policygraph generate --out DIR`, or `policygraph export
--format csv --out DIR`), a dict per task of its statuses, deadline moves and documents.

It is the baseline of `task_status_speedup` (issue 32) and the bench's differential check of
the whole answer: the store's must give exactly its rows and category counts. The rules are
those of `queries/task-status.cypher` (and graph/asof.py):

- a task's progress on a date is its latest StatusChange on or before it (a tie: the first
  status by name); its deadline in force, that of its latest DeadlineChange on or before it
  (a tie: the later deadline), else its own; `deadline_moves` counts the moves by then,
  `slipped` those that set a later deadline than the one before;
- it is done when its progress is `done`, finished on its earliest `done`, late when that is
  after the deadline in force (with no deadline: when an `overdue` status came before);
- an open task is overdue when the deadline in force is before the date (with no deadline:
  when its progress is `overdue`), else open within its deadline (or with none);
- it is assigned on the earliest of its statuses, its documents' issue dates and the dates of
  the meetings that resulted in those documents; one assigned after the date is left out.

    python -m benchmarks.diy_task_status DIR 2025-10-01     # prints the counts and seconds

Only the standard library: that is the point.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

COLUMNS = ("task_id", "task_name", "category", "progress", "deadline", "first_deadline",
           "deadline_moves", "slipped", "finished_on", "assigned_on", "lead_ids")


def read_rows(folder: Path, name: str) -> list[dict[str, str]]:
    """Every row of `name`.csv in the folder and its sub-folders (big files come in parts)."""
    rows: list[dict[str, str]] = []
    for path in sorted(folder.rglob(f"{name}.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


class Country:
    """What the question needs from the CSV files, as plain dicts."""

    def __init__(self, folder: Path) -> None:
        self.tasks = {row["id"]: row for row in read_rows(folder, "Task")}
        issued = {row["id"]: row.get("issued_on") or "" for row in read_rows(folder, "Document")}
        held = {row["id"]: row.get("held_on") or "" for row in read_rows(folder, "Meeting")}
        changes = {row["id"]: (row.get("on") or "", row["status"])
                   for row in read_rows(folder, "StatusChange")}
        self.history: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in read_rows(folder, "HAS_STATUS"):
            if row["from"] in self.tasks and row["to"] in changes and changes[row["to"]][0]:
                self.history[row["from"]].append(changes[row["to"]])
        meetings_of: dict[str, list[str]] = defaultdict(list)
        for row in read_rows(folder, "RESULTED_IN"):
            meetings_of[row["to"]].append(held.get(row["from"], ""))
        self.assigned_dates: dict[str, list[str]] = defaultdict(list)
        for row in read_rows(folder, "ASSIGNED_IN"):
            self.assigned_dates[row["from"]].append(issued.get(row["to"], ""))
            self.assigned_dates[row["from"]].extend(meetings_of.get(row["to"], []))
        agencies = {row["id"] for row in read_rows(folder, "Agency")}
        self.leads: dict[str, list[str]] = defaultdict(list)
        for row in read_rows(folder, "LED_BY"):
            if row["to"] in agencies:
                self.leads[row["from"]].append(row["to"])
        moves = {row["id"]: (row.get("on") or "", row.get("deadline") or "")
                 for row in read_rows(folder, "DeadlineChange")}
        self.moves: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in read_rows(folder, "HAS_DEADLINE"):
            if row["to"] in moves and moves[row["to"]][0]:
                self.moves[row["from"]].append(moves[row["to"]])

    def row(self, task_id: str, as_of: str) -> dict[str, Any] | None:
        """The task's row on `as_of`; None when it is assigned after it."""
        history = self.history.get(task_id, [])
        known = [d for d in self.assigned_dates.get(task_id, []) + [on for on, _ in history] if d]
        assigned = min(known) if known else None
        if assigned is not None and assigned > as_of:
            return None
        dated = [(on, status) for on, status in history if on <= as_of]
        progress = None
        if dated:
            latest = max(on for on, _ in dated)
            progress = min(status for on, status in dated if on == latest)
        task = self.tasks[task_id]
        first = task.get("deadline") or None
        made = sorted(m for m in self.moves.get(task_id, []) if m[0] <= as_of)
        deadline = made[-1][1] if made else first
        slipped, current = 0, first
        for _, moved in made:
            slipped += current is not None and moved > current
            current = moved
        finished = (min(on for on, status in dated if status == "done")
                    if progress == "done" else None)
        if finished is not None:
            late = finished > deadline if deadline is not None else any(
                status == "overdue" and on < finished for on, status in history)
            category = "done_late" if late else "done_on_time"
        elif deadline is not None:
            category = "overdue" if deadline < as_of else "open_within_deadline"
        else:
            category = "overdue" if progress == "overdue" else "open_no_deadline"
        return {"task_id": task_id, "task_name": task.get("name"), "category": category,
                "progress": progress, "deadline": deadline, "first_deadline": first,
                "deadline_moves": len(made), "slipped": slipped, "finished_on": finished,
                "assigned_on": assigned, "lead_ids": sorted(self.leads.get(task_id, []))}

    def task_status(self, as_of: str, agency: str | None = None) -> list[dict[str, Any]]:
        """Every task assigned by `as_of` (led by `agency`, when given), in id order."""
        rows = []
        for task_id in sorted(self.tasks):
            if agency is not None and agency not in self.leads.get(task_id, ()):
                continue
            row = self.row(task_id, as_of)
            if row is not None:
                rows.append(row)
        return rows


def answer_key(rows: list[dict[str, Any]]) -> list[tuple]:
    """A row list, comparable whatever computed it: every column of every row, in order."""
    return [tuple(tuple(r[c]) if c == "lead_ids" else r[c] for c in COLUMNS) for r in rows]


def category_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return dict(sorted(Counter(r["category"] for r in rows).items()))


def main(argv: list[str]) -> int:
    folder, as_of = Path(argv[0]), argv[1]
    started = time.perf_counter()
    country = Country(folder)
    read_s = time.perf_counter() - started
    rows = country.task_status(as_of)
    total_s = time.perf_counter() - started
    print(f"{len(rows)} tasks as of {as_of}: {category_counts(rows)}; {total_s:.2f} s "
          f"({read_s:.2f} s reading CSV)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
