"""Input the loader used to take silently (issue 14, items 9-11): an id given to two labels,
duplicate keys, empty sources, blank names and histories that contradict themselves. Each is
refused with its place, on the real store, and nothing is written."""

from __future__ import annotations

import json
import textwrap

import pytest

from graph.errors import ValidationFailed
from loaders.load import load_paths
from tests.test_loader import VALID


def refused(store, tmp_path, text: str, name: str = "bad.yaml", *, preload: bool = False) -> list[str]:
    """The problems of loading VALID (first, or already loaded) with a file holding `text`."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    if preload:
        load_paths([VALID], store)
    before = store.counts()
    with pytest.raises(ValidationFailed) as caught:
        load_paths([path] if preload else [VALID, path], store)
    assert store.counts() == before, "a refused load writes nothing"
    return [str(problem).replace(f"{tmp_path}/", "") for problem in caught.value.problems]


# -- item 9: one id, two labels ----------------------------------------------------------------
def test_an_id_given_to_two_labels_in_the_input_names_both(store, tmp_path):
    problems = refused(store, tmp_path, """
        nodes:
          - {label: Person, id: bo-tai-chinh, name: Bộ Tài chính, sources: [src-test]}
        """)
    assert len(problems) == 1
    assert "bad.yaml:2 [id]: id 'bo-tai-chinh' is given to a Person here and to a Agency" in problems[0]
    assert "valid.yaml:" in problems[0]


def test_an_id_the_store_holds_under_another_label_is_refused(store, tmp_path):
    problems = refused(store, tmp_path, """
        nodes:
          - {label: Person, id: bo-tai-chinh, name: Bộ Tài chính, sources: [src-test]}
        """, preload=True)
    assert problems == [
        "bad.yaml:2 [id]: id 'bo-tai-chinh' is given to a Person here, but the graph already "
        "holds it as a Agency — Ids are unique across the graph: use another id, or the label "
        "Agency if it is the same entity."]
    assert store.read("MATCH (n {id: 'bo-tai-chinh'}) RETURN labels(n) AS l").rows == [
        {"l": ["Agency"]}]


# -- item 10: duplicate keys -----------------------------------------------------------------
def test_yaml_duplicate_property_is_refused_with_its_line(store, tmp_path):
    problems = refused(store, tmp_path, """
        nodes:
          - label: Agency
            id: bo-x
            name: Bộ X
            kind: ministry
            name: Bộ Y
            sources: [src-test]
        """)
    assert problems == ["bad.yaml:6: the key 'name' is given twice in one mapping (first at "
                        "line 4); only one value can be kept — Keep one of them (for several "
                        "targets, give a list)."]


def test_yaml_duplicate_link_type_is_refused(store, tmp_path):
    problems = refused(store, tmp_path, """
        nodes:
          - label: Task
            id: task-x
            name: Nhiệm vụ X
            sources: [src-test]
            links:
              LED_BY: bo-tai-chinh
              LED_BY: bo-khcn
        """)
    assert len(problems) == 1 and problems[0].startswith("bad.yaml:8: the key 'LED_BY' is given twice")


def test_json_duplicate_id_is_refused_with_its_line(store, tmp_path):
    text = ('{"nodes": [\n  {"label": "Agency", "name": "X", "kind": "ministry",\n'
            '   "id": "ag-a", "sources": ["src-test"], "id": "ag-b"}\n]}\n')
    problems = refused(store, tmp_path, text, "bad.json")
    assert problems == ["bad.json:2: the key 'id' is given twice in one object; only one value "
                        "can be kept — Keep one of them (for several values, give a list)."]
    assert json.loads(text)["nodes"][0]["id"] == "ag-b"  # what json alone would have kept


def test_csv_duplicate_column_is_refused(store, tmp_path):
    problems = refused(store, tmp_path, "id,name,kind,sources,name\nag-a,A,ministry,src-test,B\n",
                       "Agency.csv")
    assert problems == ["Agency.csv:1: the header gives the column 'name' twice — Keep one "
                        "column of each name (list values are separated by |)."]


# -- item 11: provenance gaps ----------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("nodes:\n  - {label: Agency, id: ag-a, name: A, kind: ministry, sources: []}\n",
     "bad.yaml:2 [sources]: sources is empty: name at least one Source"),
    ("nodes:\n  - {label: Agency, id: ag-a, name: '   ', kind: ministry, sources: [src-test]}\n",
     "bad.yaml:2 [name]: name is blank; give it a value"),
    ("nodes:\n  - {label: Agency, id: ag-a, name: \"\\u200b\\ufeff \\u2060\", kind: ministry, "
     "sources: [src-test]}\n", "bad.yaml:2 [name]: name is blank; give it a value"),
    ("nodes:\n  - {label: Agency, id: ag-a, name: \"\\u3164\\u200b\", kind: ministry, "
     "sources: [src-test]}\n", "bad.yaml:2 [name]: name is blank; give it a value"),
    ("relationships:\n  - {type: PART_OF, from: bo-khcn, to: bo-tai-chinh, sources: []}\n",
     "bad.yaml:2 [sources]: sources is empty: name at least one Source"),
])
def test_empty_sources_and_blank_names_are_refused(store, tmp_path, text, expected):
    assert refused(store, tmp_path, text) == [expected]


def test_two_statuses_on_one_date_are_refused(store, tmp_path):
    problems = refused(store, tmp_path, """
        nodes:
          - label: Task
            id: task-x
            name: Nhiệm vụ X
            sources: [src-test]
            history:
              - {status: on_track, on: 2025-05-22}
              - {status: done, on: 2025-05-22}
        """)
    assert problems == ["bad.yaml:8 [status]: 'task-x' has two statuses on 2025-05-22: 'done' "
                        "here and 'on_track' at bad.yaml:7 — A node has one status on a date: "
                        "keep the one the sources give."]


def test_two_statuses_on_one_date_in_csv_are_refused(store, tmp_path):
    (tmp_path / "StatusChange.csv").write_text(
        "id,name,status,on,sources\n"
        "sc-1,a,amending,2025-04-01,src-test\nsc-2,b,passed,2025-04-01,src-test\n",
        encoding="utf-8")
    (tmp_path / "HAS_STATUS.csv").write_text(
        "from,to,sources\nlaw-ngan-sach,sc-1,src-test\nlaw-ngan-sach,sc-2,src-test\n",
        encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_paths([VALID, tmp_path / "StatusChange.csv", tmp_path / "HAS_STATUS.csv"], store)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path}/StatusChange.csv row 3 [status]: 'law-ngan-sach' has two statuses on "
        f"2025-04-01: 'passed' here and 'amending' at {tmp_path}/StatusChange.csv row 2 — A node "
        "has one status on a date: keep the one the sources give."]
    assert store.counts() == (0, 0)


def test_a_law_whose_status_contradicts_its_history_is_refused(store, tmp_path):
    problems = refused(store, tmp_path, """
        nodes:
          - label: Law
            id: law-x
            name: Luật X
            status: passed
            sources: [src-test]
            history:
              - {status: drafting, on: 2025-01-10}
              - {status: submitted, on: 2025-05-22}
        """)
    assert problems == ["bad.yaml:2 [status]: status 'passed' contradicts the law's history, "
                        "whose latest entry is 'submitted' on 2025-05-22 — Add a dated history "
                        "entry (with its source) for the new status, or leave `status` out: it "
                        "is taken from the latest entry."]


def test_a_law_status_that_is_its_latest_history_loads(store, tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(textwrap.dedent("""
        nodes:
          - label: Law
            id: law-x
            name: Luật X
            status: submitted
            sources: [src-test]
            history:
              - {status: drafting, on: 2025-01-10}
              - {status: submitted, on: 2025-05-22}
        """), encoding="utf-8")
    load_paths([VALID, path], store)
    assert store.read("MATCH (l:Law {id: 'law-x'}) RETURN l.status AS s, l.status_on AS on").rows \
        == [{"s": "submitted", "on": "2025-05-22"}]
