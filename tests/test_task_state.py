"""The derived task state (graph/task_state.py) and the answers joined from it
(queries/task_answer.py: pages, CSV and NDJSON, full and lean) against the definitions, the
Cypher of `queries/task-status.cypher` and `queries/overdue-tasks.cypher`: the same rows in the
same order on many dates, with and without an agency, after a first load, after loads that
change statuses and deadlines, and after a retraction; a refresh of only what a load touched
gives the state a whole one does; and where the state is missing, the Cypher answers.
"""

from __future__ import annotations

import csv
import shutil

import pytest

from api.row_stream import _encode
from graph import derived, task_state
from loaders.generate import GenerateConfig, generate
from loaders.load import load_paths, retract_source
from queries import get_query, task_answer
from tests.conftest import scratch_graph
from tests.test_blocking_state import rewrite

COUNTRY = GenerateConfig(provinces=3, communes=12, tasks=200, experts=6, deadline_moves=0.3)
DATES = ("2024-12-01", "2025-03-01", "2025-05-22", "2025-07-02", "2025-10-01", "2026-01-15",
         "2026-06-30", "2027-01-01")
KINDS = (("task-status", task_answer.STATUS), ("overdue-tasks", task_answer.OVERDUE))


def reference(store, name: str, params: dict) -> list[dict]:
    return store.read(get_query(name).text, get_query(name).bind(params)).rows


def assert_same_as_reference(store, agencies: list[str]) -> dict:
    """Every date (and agency, for task-status): the fast page and the four whole shapes give
    the reference's rows, in order, as the generic encoders write them. Returns the answers."""
    answers = {}
    for as_of in DATES:
        for name, kind in KINDS:
            for agency in (None, *agencies) if name == "task-status" else (None,):
                params = get_query(name).bind({"as_of": as_of, "agency": agency} if agency else
                                              {"as_of": as_of})
                theirs = reference(store, name, params)
                ours = task_answer.page(kind, store, params, limit=None)
                assert ours is not None, "the loader left the task state in place"
                assert ours.rows == theirs, (name, as_of, agency)
                if theirs:
                    assert ours.columns == list(theirs[0])
                assert task_answer.page(kind, store, params, limit=5, skip=3).rows == theirs[3:8]
                lean = kind.columns(lean=True)
                lean_rows = [{c: r[c] for c in lean} for r in theirs]
                for fmt in ("csv", "ndjson"):
                    for is_lean, columns, rows in ((True, lean, lean_rows),
                                                   (False, kind.columns(lean=False), theirs)):
                        text = b"".join(task_answer.pieces(kind, store, params, fmt=fmt, lean=is_lean))
                        assert text == _encode(fmt, columns, rows, header=True), (name, fmt, is_lean)
                answers[name, as_of, agency] = lean_rows
    for name, _ in KINDS:  # each question has rows, some with deadlines moved
        assert any(r["deadline_moves"] for day in DATES for r in answers[name, day, None])
    return answers


@pytest.fixture
def country(tmp_path):
    folder = tmp_path / "country"
    generate(folder, COUNTRY)
    return folder


def agencies_of(folder) -> list[str]:
    leads = [row["to"] for row in csv.DictReader((folder / "LED_BY.csv").open(encoding="utf-8"))]
    return [leads[0], leads[len(leads) // 2], "no-such-agency"]


def change_statuses_and_deadlines(country, changed) -> None:
    """A second version of the sources: statuses moved and changed, deadlines moved and
    removed, deadline moves moved."""
    shutil.copytree(country, changed)

    def statuses(rows):
        for i, row in enumerate(rows):
            if row["id"].startswith("syn-task"):
                if i % 4 == 0:
                    row["status"] = "done"
                elif i % 4 == 1:
                    row["on"] = "2025-08-01"
        return rows

    def deadlines(rows):
        for i, row in enumerate(rows):
            if i % 3 == 0:
                row["deadline"] = "2025-09-30" if i % 2 else ""
        return rows

    def moves(rows):
        for i, row in enumerate(rows):
            if i % 2 == 0:
                row["on"], row["deadline"] = "2025-06-01", "2026-02-28"
        return rows

    rewrite(changed / "StatusChange.csv", statuses)
    rewrite(changed / "Task.csv", deadlines)
    rewrite(changed / "DeadlineChange.csv", moves)


def test_the_fast_paths_give_the_references_rows_through_loads_and_a_retraction(server, country, tmp_path):
    agencies = agencies_of(country)
    with scratch_graph(server) as store:
        load_paths([country], store)
        first = assert_same_as_reference(store, agencies)

        changed = tmp_path / "changed"
        change_statuses_and_deadlines(country, changed)
        report = load_paths([changed], store)
        assert {c.labels[0] for c in report.changes if c.kind == "node"} >= {
            "StatusChange", "Task", "DeadlineChange"}
        second = assert_same_as_reference(store, agencies)
        assert second != first

        again = load_paths([changed], store)  # the same files again change nothing, the state included
        assert again.changes == [] and assert_same_as_reference(store, agencies) == second

        source = next(csv.DictReader((changed / "ASSIGNED_IN.csv").open(encoding="utf-8")))["sources"]
        retract_source(source, store)
        assert assert_same_as_reference(store, agencies) != second


def test_a_refresh_of_what_a_load_touched_gives_the_whole_state(server, country, tmp_path, monkeypatch):
    """The state of the first load, then a second load's writes with the state left as it was:
    a refresh of only the ids that load touched writes what a whole recompute would."""
    with scratch_graph(server) as store:
        load_paths([country], store)
        changed = tmp_path / "changed"
        shutil.copytree(country, changed)
        rewrite(changed / "StatusChange.csv", lambda rows: [
            {**row, "on": "2025-08-01"} if row["id"].startswith("syn-task") and i % 40 == 0 else row
            for i, row in enumerate(rows)])
        rewrite(changed / "Task.csv", lambda rows: [
            {**row, "deadline": "2025-09-30"} if i % 50 == 0 else row for i, row in enumerate(rows)])
        with monkeypatch.context() as patched:
            patched.setattr(derived, "STATES", [s for s in derived.STATES if s is not task_state])
            report = load_paths([changed], store)
        touched = {c.key for c in report.changes if c.kind == "node"}
        touched |= {end for c in report.changes if c.kind == "relationship" for end in c.key[1:]}
        assert task_state.state(store) is None  # stamped for the revision before
        parts = task_state.derived_store(store).read("MATCH (p:TaskRows) RETURN count(p) AS n").rows[0]["n"]
        written = task_state.refresh(store, touched)
        assert 0 < written < parts
        assert task_state.refresh(store) == 0  # a whole recompute finds nothing to write
        assert_same_as_reference(store, agencies_of(country)[:1])


def test_without_the_state_the_cypher_answers_and_a_load_repairs_it(server, country):
    params = {"as_of": "2025-10-01"}
    with scratch_graph(server) as store:
        load_paths([country], store)
        whole = get_query("task-status").run(store, params).rows
        task_state.derived_store(store).write("MATCH (s:TaskStamp) DELETE s")  # as a crash leaves it
        assert task_answer.page(task_answer.STATUS, store, get_query("task-status").bind(params),
                                limit=None) is None
        assert get_query("task-status").run(store, params).rows == whole
        store.write("MATCH (t:Task)-[r:HAS_STATUS]->() WITH r LIMIT 20 DELETE r")  # another writer
        after = reference(store, "task-status", get_query("task-status").bind(params))
        assert after != whole and get_query("task-status").run(store, params).rows == after
        assert load_paths([country], store).changes != []  # puts them back, and the state with them
        assert task_answer.page(task_answer.STATUS, store, get_query("task-status").bind(params),
                                limit=None).rows == whole


@pytest.mark.parametrize("sparse", [0, 2], ids=["every-range-tested", "begun-ranges-sorted"])
def test_both_ways_of_finding_a_dates_ranges_give_the_reference(server, country, monkeypatch, sparse):
    """`task_state.Runs.on` tests every range in the answer's order on a date many have begun
    by, else sorts the few begun; each way alone, on every date, gives the reference's rows
    (pages across the whole answer included)."""
    monkeypatch.setattr(task_state, "SPARSE", sparse)
    with scratch_graph(server) as store:
        load_paths([country], store)
        answers = assert_same_as_reference(store, agencies_of(country)[:2])
        for as_of in DATES:
            params = get_query("overdue-tasks").bind({"as_of": as_of})
            whole = answers["overdue-tasks", as_of, None]
            pages = [task_answer.page(task_answer.OVERDUE, store, params, limit=7, skip=skip, lean=True)
                     for skip in range(0, len(whole) + 7, 7)]
            assert [row for page in pages for row in page.rows] == whole
            assert [page.truncated for page in pages] == [skip + 7 < len(whole)
                                                         for skip in range(0, len(whole) + 7, 7)]
