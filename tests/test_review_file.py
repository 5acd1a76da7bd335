"""The review file's own fields (`loaders.review`): each decision, and each mistake refused with
its line, before the loader's validation sees the file; the last test on the store."""

from __future__ import annotations

import textwrap

import pytest

from graph.errors import ValidationFailed
from graph.schema import get_schema
from loaders.load import load_paths
from loaders.validate import validate
from loaders.yaml_format import parse_yaml, read_document

HEAD = """\
review: {file: t.txt, source: src-text-t}
nodes:
  - {label: Source, id: src-text-t, name: t.txt, review: accept}
"""


def read(body: str):
    document, problem = parse_yaml(HEAD + textwrap.indent(textwrap.dedent(body), "  "), "r.yaml")
    assert problem is None
    return read_document(document, "r.yaml")


def messages(batch) -> list[str]:
    return [str(p) for p in batch.problems]


def test_a_rejected_candidate_agency_goes_with_the_links_to_it():
    batch = read("""\
      - label: Agency
        id: agency-bo-y-te
        review: reject
        name: Bộ Y tế
        kind: other
        sources: [src-text-t]
      - label: Task
        id: task-t-1
        review: accept
        name: Xây dựng cơ sở dữ liệu y tế
        sources: [src-text-t]
        evidence: {span: [0, 10], cue: chủ trì}
        links:
          LED_BY: [{to: agency-bo-y-te, as_written: Bộ Y tế, alternatives: []}]
          ABOUT: [{to: topic-x, review: reject}]
    """)
    assert not batch.problems
    assert [n.id for n in batch.nodes] == ["src-text-t", "task-t-1"]
    assert batch.relationships == []
    assert "evidence" not in batch.nodes[1].properties  # read, then left out


def test_a_merged_agency_sends_its_links_to_the_existing_one():
    batch = read("""\
      - label: Agency
        id: agency-bo-tai-chinh-x
        review: merge
        match: {id: bo-tai-chinh, name: Bộ Tài chính}
        name: Bộ Tài chinh
        kind: other
      - label: Task
        id: task-t-1
        name: Hướng dẫn cơ chế tài chính
        sources: [src-text-t]
        links: {LED_BY: agency-bo-tai-chinh-x}
    """)
    assert not batch.problems
    assert [(r.type, r.start, r.end) for r in batch.relationships] == [
        ("LED_BY", "task-t-1", "bo-tai-chinh")]


def test_a_merged_task_keeps_its_own_name_deadline_and_assignment():
    batch = read("""\
      - label: Task
        id: task-t-1
        review: merge
        match:
          id: task-b
          name: proposed
          documents: [doc-a]
          candidates: [{id: task-a, name: Tên cũ A}, {id: task-b, name: Tên cũ B}]
        name: Tên mới
        deadline: 2025-07-31
        item: "1"
        sources: [src-text-t]
        links:
          ASSIGNED_IN: doc-t
          LED_BY: bo-tai-chinh
        deadline_change: {deadline: 2025-08-15, "on": 2025-07-10}
    """)
    assert not batch.problems
    task = next(n for n in batch.nodes if n.label == "Task")
    assert task.id == "task-b" and task.existing
    assert {k: v for k, v in task.properties.items() if k != "id"} == {
        "sources": ["src-text-t"]}  # only provenance: no name, deadline, item or summary
    change = next(n for n in batch.nodes if n.label == "DeadlineChange")
    assert (change.id, change.properties["deadline"], change.properties["on"]) == (
        "task-b--deadline-2025-07-10", "2025-08-15", "2025-07-10")
    assert change.properties["name"] == "Tên cũ B: deadline moved to 2025-08-15"
    assert sorted((r.type, r.end) for r in batch.relationships) == [
        ("HAS_DEADLINE", "task-b--deadline-2025-07-10"), ("LED_BY", "bo-tai-chinh")]


def test_mistakes_are_named_with_their_line_and_nothing_passes():
    """Each entry's line (or its `match:`/`deadline_change:` mapping's), the field, what to do."""
    batch = read("""\
      - label: Task
        id: task-t-1
        review: maybe
        name: A
      - label: Task
        id: task-t-2
        review: merge
        match: {id: task-zz, candidates: [{id: task-a, name: A}]}
        name: B
      - label: Task
        id: task-t-3
        review: merge
        name: C
      - label: Task
        id: task-t-4
        review: check
        name: D
      - label: Task
        id: task-t-5
        name: E
        deadline_change: {deadline: 2025-08-15}
    """)
    got = messages(batch)
    assert "r.yaml:4 [review]: unknown decision 'maybe'" in got[0]
    assert "r.yaml:11 [match.id]: 'task-zz' is not one of the proposed matches" in got[1]
    assert "r.yaml:13 [review]: merge needs a `match:`" in got[2]
    assert "r.yaml:17 [review]: not reviewed yet" in got[3]
    assert "r.yaml:24 [deadline_change]: needs `deadline` and `on`" in got[4]
    _, problems = validate(batch, get_schema())
    assert len(problems) >= 5  # the loader refuses the file: nothing is written


def test_a_file_cannot_mark_its_own_nodes_as_existing():
    document, _ = parse_yaml("nodes:\n  - {label: Task, id: task-x, __existing__: true}\n", "f.yaml")
    batch = read_document(document, "f.yaml")
    assert not batch.nodes[0].existing
    _, problems = validate(batch, get_schema())
    assert any("missing required property 'name'" in str(p) for p in problems)


def test_review_fields_outside_a_review_file_are_refused_by_line():
    document, _ = parse_yaml(textwrap.dedent("""\
        nodes:
          - label: Task
            id: task-t-1
            name: A
            review: accept
            links:
              LED_BY: [{to: bo-tai-chinh, alternatives: [bo-tu-phap]}]
    """), "plain.yaml")
    got = messages(read_document(document, "plain.yaml"))
    assert any(m.startswith("plain.yaml:2 [review]: 'review' is a review-file field") for m in got)
    assert any(m.startswith("plain.yaml:7 [alternatives]:") for m in got)


def test_a_merge_into_a_task_the_graph_lacks_is_refused(store, tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(HEAD + textwrap.indent(textwrap.dedent("""\
        - label: Task
          id: task-t-1
          review: merge
          match: {id: task-nowhere, name: X}
          sources: [src-text-t]
          history: [{status: done, "on": 2025-06-20}]
    """), "  "), encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        load_paths([path], store)
    assert "r.yaml:4 [id]: Task 'task-nowhere' is not in the graph" in str(failed.value.problems[0])
    assert store.read("MATCH (n) RETURN count(n) AS n").rows == [{"n": 0}]  # nothing written
