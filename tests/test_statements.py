"""Statements per source (issue 16): loading a source again replaces what it says, on the
real store. What it no longer says loses it; what no source says any more is deleted; what
another source still says stays, with that source's values."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from graph.export import read_graph
from loaders.load import load_paths

NOTICE = """
nodes:
  - {label: Source, id: src-notice, name: Notice, published_on: 2025-05-24}
  - {label: Agency, id: bo-a, name: Bộ A, name_en: Ministry A, kind: ministry, sources: [src-notice]}
  - {label: Agency, id: bo-b, name: Bộ B, kind: ministry, sources: [src-notice]}
  - label: Task
    id: task-1
    name: Nhiệm vụ 1
    deadline: 2025-06-30
    summary: report on the PPP mechanism
    sources: [src-notice]
    links:
      LED_BY: bo-a
      SUPPORTED_BY: [bo-b]
"""
REPORT = """
nodes:
  - {label: Source, id: src-report, name: Report, published_on: 2025-07-02}
  - {label: Agency, id: bo-a, name: Bộ A, name_en: Ministry A (report), kind: ministry, sources: [src-report]}
  - label: Task
    id: task-1
    name: Nhiệm vụ 1
    deadline: 2025-08-15
    sources: [src-report]
    links:
      LED_BY: bo-a
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def node(store, node_id: str) -> dict | None:
    rows = store.read("MATCH (n {id: $id}) RETURN n", {"id": node_id}).rows
    return rows[0]["n"]["properties"] if rows else None


def edges(store) -> dict[tuple[str, str, str], list[str]]:
    rows = store.read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                      "r.sources AS s").rows
    return {(row["a"], row["t"], row["b"]): row["s"] for row in rows}


def test_a_removed_relationship_node_and_property_disappear_on_reload(store, tmp_path):
    load_paths([write(tmp_path, "notice.yaml", NOTICE)], store)
    assert node(store, "task-1")["summary"] == "report on the PPP mechanism"
    assert ("task-1", "SUPPORTED_BY", "bo-b") in edges(store)
    corrected = NOTICE.replace("      SUPPORTED_BY: [bo-b]\n", "").replace(
        "    summary: report on the PPP mechanism\n", "").replace(
        "  - {label: Agency, id: bo-b, name: Bộ B, kind: ministry, sources: [src-notice]}\n", "")
    report = load_paths([write(tmp_path, "notice.yaml", corrected)], store)
    assert node(store, "bo-b") is None
    assert "summary" not in node(store, "task-1")
    assert edges(store) == {("task-1", "LED_BY", "bo-a"): ["src-notice"]}
    assert {(c.kind, c.action, c.key if c.kind == "node" else c.key[0]) for c in report.changes} == {
        ("node", "removed", "bo-b"), ("node", "changed", "task-1"),
        ("relationship", "removed", "SUPPORTED_BY")}
    assert store.counts() == (3, 1)


def test_a_fact_two_sources_state_survives_the_withdrawal_of_one(store, tmp_path):
    notice, report = write(tmp_path, "notice.yaml", NOTICE), write(tmp_path, "report.yaml", REPORT)
    load_paths([notice], store)
    load_paths([report], store)
    assert node(store, "task-1")["sources"] == ["src-notice", "src-report"]
    assert edges(store)[("task-1", "LED_BY", "bo-a")] == ["src-notice", "src-report"]
    # the notice is corrected: it no longer names the task
    without_task = NOTICE.split("  - label: Task")[0]
    load_paths([write(tmp_path, "notice.yaml", without_task)], store)
    task = node(store, "task-1")
    assert task["sources"] == ["src-report"] and task["deadline"] == "2025-08-15"
    assert "summary" not in task, "only the notice said that"
    assert edges(store) == {("task-1", "LED_BY", "bo-a"): ["src-report"]}
    assert node(store, "bo-b")["sources"] == ["src-notice"]


def test_the_latest_source_sets_a_value_and_removing_it_restores_the_earlier_one(store, tmp_path):
    notice, report = write(tmp_path, "notice.yaml", NOTICE), write(tmp_path, "report.yaml", REPORT)
    load_paths([report], store)  # loaded first, published later: still wins
    load_paths([notice], store)
    assert node(store, "task-1")["deadline"] == "2025-08-15"
    assert node(store, "bo-a")["name_en"] == "Ministry A (report)"
    assert node(store, "task-1")["summary"] == "report on the PPP mechanism"  # only the notice gives it
    load_paths([write(tmp_path, "report.yaml", REPORT.replace(
        ", name_en: Ministry A (report)", "").replace("    deadline: 2025-08-15\n", ""))], store)
    assert node(store, "task-1")["deadline"] == "2025-06-30"  # the notice's again
    assert node(store, "bo-a")["name_en"] == "Ministry A"
    load_paths([write(tmp_path, "notice.yaml", NOTICE.replace(", name_en: Ministry A", ""))], store)
    assert "name_en" not in node(store, "bo-a"), "no source gives it any more"


def test_loading_twice_changes_nothing_and_writes_nothing(store, tmp_path):
    notice, report = write(tmp_path, "notice.yaml", NOTICE), write(tmp_path, "report.yaml", REPORT)
    assert len(load_paths([notice], store).changes) == 4 + 2  # nodes, relationships
    assert len(load_paths([report], store).changes) == 1 + 3  # its source; bo-a, task-1, LED_BY
    before = store.read("MATCH (n) RETURN n, n._pg_statements AS s ORDER BY n.id").rows
    assert load_paths([notice], store).changes == []
    assert load_paths([report], store).changes == []
    assert store.read("MATCH (n) RETURN n, n._pg_statements AS s ORDER BY n.id").rows == before


def test_a_record_citing_a_source_it_does_not_define_replaces_nothing_else(store, tmp_path):
    load_paths([write(tmp_path, "notice.yaml", NOTICE)], store)
    extra = write(tmp_path, "extra.yaml", """
        nodes:
          - {label: Agency, id: bo-c, name: Bộ C, kind: ministry, sources: [src-notice]}
        """)
    load_paths([extra], store)
    assert node(store, "bo-b") is not None and node(store, "bo-c")["sources"] == ["src-notice"]
    assert store.counts() == (5, 2)


def test_the_bookkeeping_stays_out_of_answers_and_exports(store, tmp_path):
    load_paths([write(tmp_path, "notice.yaml", NOTICE)], store)
    load_paths([write(tmp_path, "report.yaml", REPORT)], store)
    stored = store.read("MATCH (n {id: 'task-1'}) RETURN n._pg_statements AS s").rows[0]["s"]
    assert '"src-notice"' in stored and '"src-report"' in stored  # the sources differ: kept
    answers = [store.read("MATCH (n {id: 'task-1'}) RETURN n").rows[0]["n"]["properties"],
               store.read("MATCH (n {id: 'task-1'}) RETURN properties(n) AS p").rows[0]["p"],
               store.read("MATCH ()-[r:LED_BY]->() RETURN r").rows[0]["r"]["properties"]]
    for answer in answers:
        assert not [k for k in answer if k.startswith("_pg_")], answer
    exported = read_graph(store)
    assert all(not k.startswith("_pg_") for n in exported["nodes"] for k in n["properties"])


@pytest.mark.parametrize("order", ["notice first", "report first"])
def test_the_result_does_not_depend_on_load_order(server, tmp_path, order):
    from tests.conftest import scratch_graph
    from tests.test_hardening_readonly import fingerprint

    files = [write(tmp_path, "notice.yaml", NOTICE), write(tmp_path, "report.yaml", REPORT)]
    with scratch_graph(server) as one, scratch_graph(server) as other:
        for path in (files if order == "notice first" else files[::-1]):
            load_paths([path], one)
        for path in files:
            load_paths([path], other)
        assert fingerprint(one) == fingerprint(other)
        statements = "MATCH (n) RETURN n.id AS id, n._pg_statements AS s ORDER BY id"
        assert one.read(statements).rows == other.read(statements).rows
