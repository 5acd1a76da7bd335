"""Precision and recall of the extractor against a hand-written expected list.

Run ``python -m benchmarks.extraction`` (defaults to notice 25-TB/TGV in
``tests/fixtures/notices``) or pass ``TEXT EXPECTED.yaml``. Expected tasks are aligned to
extracted ones by a verbatim ``quote`` inside the item (then by lead when one item gives
several tasks), so the score does not depend on the extractor's own numbering.

Per field, over aligned pairs (unaligned extracted tasks count as false positives, unaligned
expected ones as false negatives):

- ``lead``: one value per task, compared folded (``Uỷ``/``Ủy``, case, spacing);
- ``co``: the set of co-operators per task, named agencies and ``generic:`` phrases;
- ``deadline``: the ISO date per task (a null date is no value; ``task accuracy`` counts it);
- ``refs``: the set of law names and document numbers per task;
- ``document refs``: laws and numbers found anywhere in the file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from loaders.extract import extract
from loaders.extract.model import Extraction, Task
from loaders.extract.text import fold

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TEXT = REPO / "tests" / "fixtures" / "notices" / "25-TB-TGV.txt"


@dataclass
class Score:
    """Counts for one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add_sets(self, got: set[str], want: set[str]) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)


@dataclass
class Report:
    """Scores per field, plus the share of expected tasks with lead and deadline both right."""

    fields: dict[str, Score] = field(default_factory=dict)
    tasks_expected: int = 0
    tasks_extracted: int = 0
    tasks_aligned: int = 0
    lead_and_deadline_right: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def task_accuracy(self) -> float:
        return self.lead_and_deadline_right / self.tasks_expected if self.tasks_expected else 1.0


def load_expected(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _key(value: str | None) -> str | None:
    return fold(value) if value else None


def _co_values(co: Iterable[str], generic: Iterable[str]) -> set[str]:
    return {fold(c) for c in co} | {"generic:" + fold(g) for g in generic}


def align(text: str, tasks: list[Task], expected: list[dict[str, Any]]) -> list[Task | None]:
    """For each expected task, the extracted task that covers its quote (lead breaks ties)."""
    used: set[int] = set()
    out: list[Task | None] = []
    for want in expected:
        pos = text.find(want["quote"])
        if pos < 0:
            raise ValueError(f"quote not in text: {want['quote']!r}")
        covering = [k for k, t in enumerate(tasks) if t.span[0] <= pos < t.span[1] and k not in used]
        same_lead = [k for k in covering if _key(tasks[k].lead) == _key(want.get("lead"))]
        pick = (same_lead or covering or [None])[0]
        if pick is not None:
            used.add(pick)
        out.append(tasks[pick] if pick is not None else None)
    return out


def score(text: str, result: Extraction, expected: dict[str, Any]) -> Report:
    """Compare ``result`` with the expected reading of ``text``."""
    want_tasks: list[dict[str, Any]] = expected["tasks"]
    pairs = align(text, result.tasks, want_tasks)
    report = Report(
        fields={name: Score() for name in ("lead", "co", "deadline", "refs", "document refs")},
        tasks_expected=len(want_tasks),
        tasks_extracted=len(result.tasks),
        tasks_aligned=sum(p is not None for p in pairs),
    )
    f = report.fields
    matched_ids = {id(p) for p in pairs if p is not None}
    for want, got in zip(want_tasks, pairs, strict=True):
        where = f"{want.get('section', '?')} {want.get('lead')}"
        g_lead = _key(got.lead) if got else None
        w_lead = _key(want.get("lead"))
        f["lead"].add_sets({g_lead} - {None}, {w_lead} - {None})
        g_dl = got.deadline.isoformat() if got and got.deadline else None
        w_dl = str(want["deadline"]) if want.get("deadline") else None
        f["deadline"].add_sets({g_dl} - {None}, {w_dl} - {None})
        g_co = _co_values(got.co, got.co_generic) if got else set()
        f["co"].add_sets(g_co, _co_values(want.get("co", []), want.get("co_generic", [])))
        g_refs = {fold(r) for r in got.refs} if got else set()
        f["refs"].add_sets(g_refs, {fold(r) for r in want.get("refs", [])})
        if got is not None and g_lead == w_lead and g_dl == w_dl:
            report.lead_and_deadline_right += 1
        else:
            report.mismatches.append(
                f"{where}: got lead={got.lead if got else None!r} deadline={g_dl}"
                f" (want {want.get('lead')!r}, {w_dl})"
            )
    for t in result.tasks:
        if id(t) in matched_ids:
            continue
        report.mismatches.append(f"extra task {t.id}: lead={t.lead!r} deadline={t.deadline}")
        f["lead"].add_sets({_key(t.lead)} - {None}, set())
        f["deadline"].add_sets({t.deadline.isoformat()} if t.deadline else set(), set())
        f["co"].add_sets(_co_values(t.co, t.co_generic), set())
        f["refs"].add_sets({fold(r) for r in t.refs}, set())
    got_doc = {fold(law.name) for law in result.laws} | {fold(d.number) for d in result.documents}
    want_doc = {fold(x) for x in expected.get("laws", []) + expected.get("documents", [])}
    f["document refs"].add_sets(got_doc, want_doc)
    return report


def evaluate(
    text_path: Path = DEFAULT_TEXT,
    expected_path: Path | None = None,
    resolve: Callable[[str], str | None] | None = None,
) -> Report:
    """Extract ``text_path`` and score it against ``expected_path`` (default: sibling YAML)."""
    expected_path = expected_path or text_path.with_suffix(".expected.yaml")
    text = text_path.read_text(encoding="utf-8")
    result = extract(text, source_name=text_path.name, resolve=resolve)
    return score(text, result, load_expected(expected_path))


def _rows(report: Report) -> list[tuple[str, ...]]:
    rows = []
    for name, s in report.fields.items():
        rows.append(
            (name, str(s.tp), str(s.fp), str(s.fn), f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
        )
    return rows


def render(report: Report, title: str) -> str:
    """The table as plain text (the fallback when ``rich`` is not installed)."""
    head = ("field", "TP", "FP", "FN", "precision", "recall", "F1")
    rows = [head, *_rows(report)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [title]
    for k, r in enumerate(rows):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(
        f"tasks: expected {report.tasks_expected}, extracted {report.tasks_extracted}, "
        f"aligned {report.tasks_aligned}; lead and deadline both right: "
        f"{report.lead_and_deadline_right}/{report.tasks_expected} "
        f"({report.task_accuracy:.1%})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text", nargs="?", type=Path, default=DEFAULT_TEXT)
    parser.add_argument("expected", nargs="?", type=Path, default=None)
    parser.add_argument("--aliases", action="store_true", help="resolve with the dataset table")
    parser.add_argument("-v", "--verbose", action="store_true", help="list mismatches")
    args = parser.parse_args(argv)
    resolve = None
    if args.aliases:
        from loaders.aliases import AliasTable

        resolve = AliasTable.from_dataset().resolve
    report = evaluate(args.text, args.expected, resolve)
    expected_path = args.expected or args.text.with_suffix(".expected.yaml")
    title = f"Extraction of {args.text.name} against {expected_path.name}"
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        print(render(report, title))
    else:
        table = Table(title=title)
        for col in ("field", "TP", "FP", "FN", "precision", "recall", "F1"):
            table.add_column(col, justify="left" if col == "field" else "right")
        for row in _rows(report):
            table.add_row(*row)
        console = Console()
        console.print(table)
        console.print(
            f"tasks: expected {report.tasks_expected}, extracted {report.tasks_extracted}, "
            f"aligned {report.tasks_aligned}; lead and deadline both right: "
            f"{report.lead_and_deadline_right}/{report.tasks_expected} "
            f"({report.task_accuracy:.1%})"
        )
    if args.verbose:
        for line in report.mismatches:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
