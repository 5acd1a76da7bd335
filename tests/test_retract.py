"""`policygraph retract SOURCE_ID` (issue 16): a withdrawn source takes with it what only it
supported; what another source also states survives, with that source's values; the dry run
prints exactly what is then done. On the real store."""

from __future__ import annotations

import json

import pytest

from graph.errors import NotFound
from loaders.load import load_paths, retract_source
from tests.cli_run import run_cli as run
from tests.test_diff import applied, snapshot
from tests.test_statements import NOTICE, REPORT, edges, node, write


@pytest.fixture
def two_sources(store, tmp_path):
    load_paths([write(tmp_path, "notice.yaml", NOTICE)], store)
    load_paths([write(tmp_path, "report.yaml", REPORT)], store)
    return store


def test_a_fact_two_sources_state_survives_the_retraction_of_one(two_sources):
    store = two_sources
    before = snapshot(store)
    dry = retract_source("src-report", store, dry_run=True)
    assert snapshot(store) == before
    report = retract_source("src-report", store)
    assert snapshot(store) == applied(before, dry.changes)
    assert [(c.kind, c.key, c.after) for c in report.changes] == \
        [(c.kind, c.key, c.after) for c in dry.changes]
    assert node(store, "src-report") is None
    task = node(store, "task-1")
    assert task["sources"] == ["src-notice"] and task["deadline"] == "2025-06-30"  # the notice's
    assert node(store, "bo-a")["name_en"] == "Ministry A"
    assert edges(store) == {("task-1", "LED_BY", "bo-a"): ["src-notice"],
                            ("task-1", "SUPPORTED_BY", "bo-b"): ["src-notice"]}


def test_retracting_the_only_source_deletes_what_it_supported(two_sources):
    store = two_sources
    retract_source("src-notice", store)
    assert node(store, "bo-b") is None and node(store, "src-notice") is None
    assert node(store, "task-1")["sources"] == ["src-report"]
    assert "summary" not in node(store, "task-1")
    retract_source("src-report", store)
    assert store.counts() == (0, 0)


def test_an_unknown_source_is_a_message(store):
    with pytest.raises(NotFound, match="The graph holds no Source 'src-nope'"):
        retract_source("src-nope", store)


def test_cli_retract_dry_run_then_retract(cli_env, tmp_path):
    run(cli_env, "load", str(write(tmp_path, "notice.yaml", NOTICE)), check=True)
    run(cli_env, "load", str(write(tmp_path, "report.yaml", REPORT)), check=True)
    dry = run(cli_env, "retract", "src-report", "--dry-run", "-f", "json", check=True)
    rows = json.loads(dry.stdout)
    assert {(r["change"], r["id"]) for r in rows if r["change"] != "value"} == {
        ("removed", "src-report"), ("changed", "task-1"), ("changed", "bo-a"),
        ("changed", "task-1 -LED_BY-> bo-a")}
    count = json.loads(run(cli_env, "query", "--cypher", "MATCH (n) RETURN count(n) AS n",
                           "-f", "json", check=True).stdout)
    assert count == [{"n": 5}]
    done = run(cli_env, "retract", "src-report", check=True)
    assert "changed: 0 nodes added, 2 changed, 1 removed" in " ".join(done.stderr.split())
    again = run(cli_env, "retract", "src-report")
    assert again.returncode == 1 and "The graph holds no Source 'src-report'" in again.stderr
    assert "Traceback" not in again.stderr
