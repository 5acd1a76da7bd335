"""Per-field precision and recall on 25-TB/TGV stay at or above 90%."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.extraction import DEFAULT_TEXT, REPO, Score, evaluate, render
from tests.test_extract_support import MODEL_INPUT, resolver


def test_default_input_is_the_model_input():
    assert DEFAULT_TEXT == MODEL_INPUT


def test_precision_and_recall_per_field_at_least_90_percent():
    report = evaluate(MODEL_INPUT, resolve=resolver())
    for name in ("lead", "co", "deadline", "refs"):
        s = report.fields[name]
        assert s.precision >= 0.9, (name, s, report.mismatches)
        assert s.recall >= 0.9, (name, s, report.mismatches)
    assert report.task_accuracy >= 0.9, report.mismatches
    assert report.fields["document refs"].recall == 1.0


def test_score_arithmetic():
    s = Score()
    s.add_sets({"a", "b", "c"}, {"a", "b", "d", "e"})
    assert (s.tp, s.fp, s.fn) == (2, 1, 2)
    assert s.precision == 2 / 3 and s.recall == 0.5
    assert Score().precision == 1.0  # nothing predicted, nothing expected


def test_plain_table_rendering():
    report = evaluate(MODEL_INPUT)
    table = render(report, "title")
    assert table.splitlines()[1].split() == ["field", "TP", "FP", "FN", "precision", "recall", "F1"]
    assert "lead and deadline both right" in table


def test_runs_as_a_module():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.extraction"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "deadline" in done.stdout and "precision" in done.stdout
