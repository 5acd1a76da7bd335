"""The loader: valid files load (twice, with no change), every error kind is reported with its
place and leaves the graph untouched."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from graph.errors import ValidationFailed
from loaders.load import load_paths

FIXTURES = Path(__file__).parent / "fixtures" / "load"
VALID = FIXTURES / "valid.yaml"


def test_valid_yaml_loads_with_history_links_and_aliases(store):
    report = load_paths([VALID], store)
    assert report.nodes == {"Source": 1, "Agency": 2, "Law": 1, "StatusChange": 3, "Task": 1}
    assert report.relationships == {"DRAFTED_BY": 1, "HAS_STATUS": 3, "LED_BY": 1,
                                    "SUPPORTED_BY": 1, "DEPENDS_ON": 1, "PART_OF": 1}
    rows = store.read(
        "MATCH (t:Task {id: 'task-1'})-[:LED_BY]->(a), (t)-[d:DEPENDS_ON]->(l:Law) "
        "RETURN a.id AS lead, l.status AS status, l.status_on AS on, d.note AS note, "
        "d.sources AS sources, t.status AS task_status").rows
    assert rows == [{"lead": "bo-tai-chinh", "status": "passed", "on": "2025-06-25",
                     "note": "waits for the budget law", "sources": ["src-test"],
                     "task_status": "not_done"}]
    source = store.read("MATCH (s:Source) RETURN s.sources AS s, s.published_on AS d").rows
    assert source == [{"s": ["src-test"], "d": "2025-05-24"}]


def test_loading_twice_changes_nothing(store):
    load_paths([VALID], store)
    first = store.counts()
    load_paths([VALID], store)
    assert store.counts() == first == (8, 8)


def test_changed_file_updates_what_changed(store, tmp_path):
    load_paths([VALID], store)
    changed = tmp_path / "changed.yaml"
    changed.write_text(VALID.read_text(encoding="utf-8").replace(
        "name_en: Ministry of Finance", "name_en: Ministry of Finance (MOF)"), encoding="utf-8")
    load_paths([changed], store)
    rows = store.read("MATCH (a:Agency {id: 'bo-tai-chinh'}) RETURN a.name_en AS n").rows
    assert rows == [{"n": "Ministry of Finance (MOF)"}]
    assert store.counts() == (8, 8)


def test_dry_run_writes_nothing(store):
    report = load_paths([VALID], store, dry_run=True)
    assert report.node_count == 8
    assert store.counts() == (0, 0)


def _problems(store, tmp_path, text: str, name: str = "bad.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_paths([VALID, path], store)
    assert store.counts() == (0, 0), "a failed load must write nothing"
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nodes:\n  - {label: Ministry, id: x, name: X, sources: [src-test]}\n",
         "bad.yaml:2 [label]: unknown label 'Ministry'"),
        ("nodes:\n  - {label: Agency, name: X, kind: ministry, sources: [src-test]}\n",
         "bad.yaml:2 [id]: missing id"),
        ("nodes:\n  - {label: Agency, id: bo-khcn, name: X, kind: ministry, sources: [src-test]}\n",
         "bad.yaml:2 [id]: duplicate id 'bo-khcn'"),
        ("nodes:\n  - {label: Agency, id: x, name: X, kind: ministery, sources: [src-test]}\n",
         "bad.yaml:2 [kind]: kind must be one of party"),
        ("nodes:\n  - {label: Task, id: t, name: T, deadline: 28/5/2025, sources: [src-test]}\n",
         "bad.yaml:2 [deadline]: deadline must be an ISO date YYYY-MM-DD (got '28/5/2025')"),
        ("nodes:\n  - {label: Task, id: t, name: T, deadline: 2025-02-30, sources: [src-test]}\n",
         "[deadline]: deadline must be an ISO date"),
        ("relationships:\n  - {type: LEADS, from: task-1, to: bo-khcn, sources: [src-test]}\n",
         "bad.yaml:2 [type]: unknown relationship type 'LEADS'; did you mean 'LED_BY'?"),
        ("relationships:\n  - {type: LED_BY, from: task-1, to: nowhere, sources: [src-test]}\n",
         "bad.yaml:2 [to]: unknown node or alias 'nowhere'"),
        ("relationships:\n  - {type: LED_BY, from: task-1, to: law-ngan-sach, sources: [src-test]}\n",
         "bad.yaml:2 [to]: LED_BY cannot end at 'law-ngan-sach', a Law"),
        ("relationships:\n  - {type: LED_BY, from: task-1, to: Bộ Nội vụ, sources: [src-test]}\n",
         "bad.yaml:2 [to]: unknown node or alias 'Bộ Nội vụ'"),
        ("nodes:\n  - {label: Agency, id: x, name: X, kind: ministry}\n",
         "bad.yaml:2 [sources]: missing required property 'sources'"),
        ("nodes:\n  - {label: Agency, id: x, name: X, kind: ministry, sources: [src-nope]}\n",
         "bad.yaml:2 [sources]: unknown source 'src-nope'"),
        ("nodes:\n  - {label: Agency, id: x, name: X, kind: ministry, colour: red, sources: [src-test]}\n",
         "bad.yaml:2 [colour]: unknown property of a Agency 'colour'"),
        ("nodes:\n  - label: Agency\n    id: x\n   name: X\n", "bad.yaml:4: not valid YAML"),
    ],
)
def test_each_error_kind_names_its_place_and_writes_nothing(store, tmp_path, text, expected):
    problems = _problems(store, tmp_path, text)
    assert any(expected in p for p in problems), problems


def test_every_problem_is_reported_not_just_the_first(store, tmp_path):
    problems = _problems(store, tmp_path, """\
        nodes:
          - {label: Agency, id: a1, name: A, kind: nope, sources: [src-test]}
          - {label: Agency, id: A 2, name: B, kind: ministry, sources: [src-test]}
          - {label: Task, id: t9, name: T, status: finished, sources: [src-test]}
        """)
    assert len(problems) == 3
    assert [p.split(" ")[0].rsplit("/", 1)[-1] for p in problems] == [
        "bad.yaml:2", "bad.yaml:3", "bad.yaml:4"]


def test_yaml_words_on_and_yes_stay_words(store, tmp_path):
    path = tmp_path / "words.yaml"
    path.write_text("nodes:\n  - {label: Source, id: src-yes, name: yes, note: on}\n", encoding="utf-8")
    load_paths([path], store)
    assert store.read("MATCH (s:Source) RETURN s.name AS n, s.note AS o").rows == [{"n": "yes", "o": "on"}]


def test_csv_format_loads_and_types_values(store, tmp_path):
    (tmp_path / "Source.csv").write_text("id,name,published_on\nsrc-c,CSV source,2025-07-02\n",
                                         encoding="utf-8")
    (tmp_path / "Expert.csv").write_text(
        "id,name,headcount,aliases,sources\nexp-ai,Chuyên gia AI,277,AI experts|277 chuyên gia,src-c\n",
        encoding="utf-8")
    (tmp_path / "Topic.csv").write_text("id,name,sources\ntopic-ai,Trí tuệ nhân tạo,src-c\n",
                                        encoding="utf-8")
    (tmp_path / "PARTICIPATES_IN.csv").write_text("from,to,sources\nexp-ai,topic-ai,src-c\n",
                                                  encoding="utf-8")
    report = load_paths([tmp_path], store)
    assert report.relationships == {"PARTICIPATES_IN": 1}
    rows = store.read("MATCH (e:Expert)-[:PARTICIPATES_IN]->(t) RETURN e.headcount AS h, "
                      "e.aliases AS a, t.id AS t").rows
    assert rows == [{"h": 277, "a": ["AI experts", "277 chuyên gia"], "t": "topic-ai"}]


def test_csv_errors_name_the_row(store, tmp_path):
    (tmp_path / "Expert.csv").write_text("id,name,headcount,sources\nexp-a,A,many,src-test\n",
                                         encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_paths([VALID, tmp_path / "Expert.csv"], store)
    assert [str(p).split("/")[-1] for p in caught.value.problems] == [
        "Expert.csv row 2 [headcount]: headcount must be a whole number"]
    assert store.counts() == (0, 0)


def test_json_format_loads_and_errors_name_the_item(store, tmp_path):
    good = {"nodes": [{"label": "Source", "id": "src-j", "name": "JSON source"},
                      {"label": "Topic", "id": "topic-x", "name": "X", "sources": ["src-j"]}]}
    (tmp_path / "good.json").write_text(json.dumps(good), encoding="utf-8")
    assert load_paths([tmp_path / "good.json"], store).node_count == 2
    bad = {"nodes": [{"label": "Topic", "id": "topic-y", "name": 5, "sources": ["src-j"]}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_paths([tmp_path / "bad.json"], store)
    assert [str(p).split("/")[-1] for p in caught.value.problems] == [
        "bad.json nodes[0] [name]: name must be text, not int"]


def test_files_can_refer_to_nodes_already_in_the_store(store, tmp_path):
    load_paths([VALID], store)
    extra = tmp_path / "extra.yaml"
    extra.write_text("nodes:\n  - label: Task\n    id: task-2\n    name: Another\n"
                     "    sources: [src-test]\n    links: {LED_BY: bo-khcn}\n", encoding="utf-8")
    load_paths([extra], store)
    rows = store.read("MATCH (:Task {id: 'task-2'})-[:LED_BY]->(a) RETURN a.id AS a").rows
    assert rows == [{"a": "bo-khcn"}]


def test_unsupported_and_missing_files_are_reported(store, tmp_path):
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_paths([tmp_path / "notes.txt", tmp_path / "missing.yaml"], store)
    messages = [p.message for p in caught.value.problems]
    assert messages == ["no such file or folder", "unsupported file type .txt"]


def test_a_load_over_stored_entities_adds_only_what_is_new(store, tmp_path):
    """Entities read as absent are created, the others updated: a second source restating
    stored nodes and relationships, next to new ones, leaves one of each."""
    load_paths([VALID], store)
    other = tmp_path / "other.yaml"
    other.write_text(textwrap.dedent("""\
        nodes:
          - {label: Source, id: src-other, name: Other source, published_on: 2025-06-01}
          - label: Task
            id: task-1
            name: Báo cáo cơ chế PPP
            sources: [src-other]
            links: {LED_BY: bo-tai-chinh, DEPENDS_ON: law-ngan-sach}
          - label: Task
            id: task-2
            name: Another
            sources: [src-other]
            links: {LED_BY: bo-khcn, DEPENDS_ON: task-1}
        relationships:
          - {type: PART_OF, from: bo-khcn, to: bo-tai-chinh, sources: [src-other]}
        """), encoding="utf-8")
    load_paths([other], store)
    assert store.counts() == (10, 10)  # + src-other, task-2; + its LED_BY and DEPENDS_ON
    twice = store.read("MATCH (n) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN id").rows
    assert twice == []
    pairs = store.read("MATCH (a)-[r]->(b) WITH a.id AS a, type(r) AS t, b.id AS b, "
                       "count(*) AS c WHERE c > 1 RETURN a, t, b").rows
    assert pairs == []
    rows = store.read("MATCH (:Agency {id: 'bo-khcn'})-[r:PART_OF]->() RETURN r.sources AS s").rows
    assert rows == [{"s": ["src-other", "src-test"]}]
