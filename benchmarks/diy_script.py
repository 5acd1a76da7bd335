"""The `blocking-laws` answer as an analyst without policygraph would compute it: a plain
Python script over the loader's CSV files (`policygraph generate --out DIR`, or
`policygraph export --format csv --out DIR`), dict adjacency, a breadth-first search from
each law not passed on the date.

It is the baseline of `diy_script_speedup` (issue 21) and the bench's differential check: the
store's answer must give exactly its rows on every bench date (FalkorDB has known wrong-answer
bugs on variable-length patterns). The rules are those of `queries/blocking-laws.cypher`:

- a node's status on a date is its latest StatusChange on or before it (a tie: the first
  status by name); a law with no StatusChange at all counts by its `status` once its
  `status_on` has come; a law not passed or in force (or with no status yet) blocks;
- a task's `deadline` is the one in force on the date: its latest DeadlineChange on or before
  it (a tie: the later deadline), else its own; `first_deadline` is its own;
- a task depends on a law through a chain of at most 8 DEPENDS_ON; `hops` is the shortest;
- a task is assigned on the earliest of its statuses, its documents' issue dates and the dates
  of the meetings that resulted in those documents; one assigned after the date, or done on
  it, is left out.

    python -m benchmarks.diy_script DIR 2025-10-01      # prints the row count and seconds

Only the standard library: that is the point.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

MAX_HOPS = 8
PASSED = ("passed", "in_force")


def read_rows(folder: Path, name: str) -> list[dict[str, str]]:
    """Every row of `name`.csv in the folder and its sub-folders (big files come in parts)."""
    rows: list[dict[str, str]] = []
    for path in sorted(folder.rglob(f"{name}.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def status_on(changes: list[tuple[str, str]], as_of: str) -> str | None:
    """The latest (on, status) on or before `as_of`; a tie: the first status by name."""
    dated = [(on, status) for on, status in changes if on and on <= as_of]
    if not dated:
        return None
    latest = max(on for on, _ in dated)
    return min(status for on, status in dated if on == latest)


class Country:
    """What the question needs from the CSV files, as plain dicts."""

    def __init__(self, folder: Path) -> None:
        self.laws = {row["id"]: row for row in read_rows(folder, "Law")}
        self.tasks = {row["id"]: row for row in read_rows(folder, "Task")}
        self.agency_names = {row["id"]: row["name"] for row in read_rows(folder, "Agency")}
        issued = {row["id"]: row.get("issued_on") or "" for row in read_rows(folder, "Document")}
        held = {row["id"]: row.get("held_on") or "" for row in read_rows(folder, "Meeting")}
        changes = {row["id"]: (row.get("on") or "", row["status"])
                   for row in read_rows(folder, "StatusChange")}
        self.history: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in read_rows(folder, "HAS_STATUS"):
            if row["to"] in changes:
                self.history[row["from"]].append(changes[row["to"]])
        meetings_of: dict[str, list[str]] = defaultdict(list)
        for row in read_rows(folder, "RESULTED_IN"):
            meetings_of[row["to"]].append(held.get(row["from"], ""))
        self.assigned_dates: dict[str, list[str]] = defaultdict(list)
        for row in read_rows(folder, "ASSIGNED_IN"):
            self.assigned_dates[row["from"]].append(issued.get(row["to"], ""))
            self.assigned_dates[row["from"]].extend(meetings_of.get(row["to"], []))
        self.leads: dict[str, set[str]] = defaultdict(set)
        for row in read_rows(folder, "LED_BY"):
            if row["to"] in self.agency_names:
                self.leads[row["from"]].add(row["to"])
        moves = {row["id"]: (row.get("on") or "", row.get("deadline") or "")
                 for row in read_rows(folder, "DeadlineChange")}
        self.deadline_moves: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in read_rows(folder, "HAS_DEADLINE"):
            if row["to"] in moves:
                self.deadline_moves[row["from"]].append(moves[row["to"]])
        self.dependents: dict[str, set[str]] = defaultdict(set)  # what is depended on -> who
        for row in read_rows(folder, "DEPENDS_ON"):
            self.dependents[row["to"]].add(row["from"])

    def law_status(self, law: dict[str, str], as_of: str) -> str | None:
        history = self.history.get(law["id"])
        if history:
            return status_on(history, as_of)
        on = law.get("status_on") or ""
        return (law.get("status") or None) if on and on <= as_of else None

    def assigned_on(self, task_id: str) -> str | None:
        dates = [d for d in self.assigned_dates.get(task_id, [])
                 + [on for on, _ in self.history.get(task_id, [])] if d]
        return min(dates) if dates else None

    def hops_from(self, law_id: str) -> dict[str, int]:
        """Every task within MAX_HOPS of DEPENDS_ON of the law, with the shortest chain."""
        hops: dict[str, int] = {}
        queue = deque([(law_id, 0)])
        seen = {law_id}
        while queue:
            node, depth = queue.popleft()
            if depth == MAX_HOPS:
                continue
            for dependent in self.dependents.get(node, ()):
                if dependent not in seen:
                    seen.add(dependent)
                    hops[dependent] = depth + 1
                    queue.append((dependent, depth + 1))
        return {task: n for task, n in hops.items() if task in self.tasks}

    def deadline_on(self, task_id: str, as_of: str) -> str | None:
        moved = [(on, deadline) for on, deadline in self.deadline_moves.get(task_id, [])
                 if on and on <= as_of]
        return max(moved)[1] if moved else (self.tasks[task_id].get("deadline") or None)

    def blocking_laws(self, as_of: str) -> list[dict[str, Any]]:
        rows = []
        for law_id in sorted(self.laws):
            law = self.laws[law_id]
            law_status = self.law_status(law, as_of)
            if law_status in PASSED:
                continue
            for task_id, hops in self.hops_from(law_id).items():
                assigned = self.assigned_on(task_id)
                if assigned is not None and assigned > as_of:
                    continue
                task_status = status_on(self.history.get(task_id, []), as_of)
                if task_status == "done":
                    continue
                task = self.tasks[task_id]
                leads = sorted(self.leads.get(task_id, ()))
                rows.append({
                    "law_id": law_id, "law_name": law.get("name"), "law_status": law_status,
                    "task_id": task_id, "task_name": task.get("name"), "task_status": task_status,
                    "hops": hops, "deadline": self.deadline_on(task_id, as_of),
                    "first_deadline": task.get("deadline") or None,
                    "assigned_on": assigned, "lead_ids": leads,
                    "lead_names": [self.agency_names[a] for a in leads],
                })
        return rows


def answer_key(rows: list[dict[str, Any]]) -> set[tuple]:
    """A row set, comparable whatever computed it: every lean column of every row."""
    return {(r["law_id"], r["law_name"], r["law_status"], r["task_id"], r["task_name"],
             r["task_status"], r["hops"], r["deadline"], r["first_deadline"], r["assigned_on"],
             tuple(r["lead_ids"]),
             tuple(r["lead_names"])) for r in rows}


def main(argv: list[str]) -> int:
    folder, as_of = Path(argv[0]), argv[1]
    started = time.perf_counter()
    country = Country(folder)
    read_s = time.perf_counter() - started
    rows = country.blocking_laws(as_of)
    total_s = time.perf_counter() - started
    print(f"{len(rows)} rows as of {as_of}: {total_s:.2f} s ({read_s:.2f} s reading CSV)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
