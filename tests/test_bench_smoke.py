"""`make bench` keeps working: a tiny run prints the JSON line with every figure it owes.

The figures themselves are not judged here (timings belong to benchmarks, not tests); that
each one is measured, and that its met/not-met follows its target, is.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

OWED = ("load_ratio", "blockers_p50_ms", "neighborhood_api_ratio", "diy_script_speedup",
        "blockers_page_p50_ms", "node_page_ms", "home_page_ms", "home_page_bytes", "store_rss_mb",
        "data_dir_mb", "blockers_full_answer_identity_s",
        "api_rss_mb", "viz_interactive_s", "tasks", "relationships", "whole_csv_speedup",
        "whole_csv_lean_speedup", "whole_ndjson_speedup", "whole_ndjson_lean_speedup",
        "task_status_page_ms", "overdue_page_ms", "risk_query_page_ms", "task_status_speedup",
        "task_status_whole_csv_speedup", "task_status_whole_csv_lean_speedup",
        "task_status_whole_ndjson_speedup", "task_status_whole_ndjson_lean_speedup",
        "changes_query_page_ms", "summary_page_ms", "risk_page_ms", "changes_page_ms",
        "digest_page_ms", "feed_ms", "reload_ratio", "derived_one_source_ratio")


@pytest.mark.slow  # a whole bench run, tiny
def test_a_tiny_bench_run_prints_every_figure_as_its_last_line():
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--quick", "--tasks", "400", "--communes", "40",
         "--skip", "loadtest"],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert {key: line[key] for key in OWED if line[key] is None} == {}, line["notes"]
    assert line["answers_differ"] is None
    assert line["tasks"] == 400 and line["relationships"] > 400
    assert line["load_rps"] is None and "skipped" in line["notes"]["load_rps"]
    for key, target in line["targets"].items():
        op, bound = target["target"].split()
        assert target["met"] == (line[key] >= float(bound) if op == ">=" else line[key] <= float(bound))
    assert "policygraph benchmarks" in result.stdout  # the table for people comes first
