"""The `deadline-risk` answer built from the derived states (queries/risk_answer.py over
graph/task_state.py, graph/depends_state.py and graph/blocking_state.py) against its
definition, the Cypher of `queries/deadline-risk.cypher`: the same rows, in order, every column,
on several dates and horizons, with and without an agency, after a first load, after a load
that changes statuses, deadlines and dependencies, and after a retraction; a refresh of what a
load touched gives the adjacency a whole one does; and where the state is missing, the Cypher
answers. Also on the bundled dataset.
"""

from __future__ import annotations

import csv
import shutil

from graph import briefing, depends_state, derived
from loaders.load import load_paths, retract_source
from queries import get_query, risk_answer
from tests.conftest import scratch_graph
from tests.test_blocking_state import rewrite
from tests.test_task_state import agencies_of, change_statuses_and_deadlines, country  # noqa: F401

DATES = ("2025-03-01", "2025-05-22", "2025-10-01", "2026-06-30")
HORIZONS = (0, 30, 400)
QUERY = get_query("deadline-risk")


def reference(store, params: dict) -> list[dict]:
    return store.read(QUERY.text, params).rows


def assert_same_as_reference(store, agencies: list[str], dates=DATES) -> dict:
    """Every date, horizon and agency: the fast answer (whole, a page, lean) is the reference's."""
    answers = {}
    for as_of in dates:
        for days in HORIZONS:
            for agency in (None, *agencies):
                params = QUERY.bind({"as_of": as_of, "days": days, "agency": agency})
                theirs = reference(store, params)
                ours = risk_answer.RiskPath.page(store, params, timeout_ms=None, limit=None, skip=0)
                assert ours is not None, "the loader left the states in place"
                assert ours.rows == theirs, (as_of, days, agency)
                if theirs:
                    assert ours.columns == list(theirs[0])
                page = risk_answer.RiskPath.page(store, params, timeout_ms=None, limit=5, skip=3)
                assert page.rows == theirs[3:8] and page.truncated == (len(theirs) > 8)
                if days == HORIZONS[1]:  # the rows CSV and NDJSON are encoded from
                    names, whole = QUERY.fast_rows(store, params)
                    assert list(whole) == theirs and names == risk_answer.COLUMNS + risk_answer.DRAWING
                lean = QUERY.run(store, params, lean=True)
                assert lean.rows == [{c: r[c] for c in lean.columns} for r in theirs]
                answers[as_of, days, agency] = [{c: r[c] for c in risk_answer.COLUMNS} for r in theirs]
                if agency == agencies[0]:  # the briefing's risk part (/risk, /digest): its rows
                    mine = briefing.risk(store, as_of=as_of, days=days, agency=agency)["rows"]
                    assert mine == briefing.plain([r for r in answers[as_of, days, agency]
                                                   if r["agency_id"] == agency])
    return answers


def assert_every_kind_tried(*answers: dict) -> None:
    rows = [r for found in answers for rows in found.values() for r in rows]
    assert {r["level"] for r in rows} == {1, 2, 3}, "every level is tried"
    assert any(r["blocking_laws"] for r in rows) and any(r["waiting_on"] for r in rows)
    assert any(r["chain"] and len(r["chain"]) > 2 for r in rows)
    assert any(r["days_left"] is None for r in rows) and any(r["slipped"] for r in rows)


def change_dependencies(folder) -> None:
    """Some dependencies dropped, some tasks made to depend on others, and diamonds: a task
    made to depend on two that depend on one law not passed (two shortest chains to it, the
    one through the larger id written first)."""
    tasks = [row["id"] for row in csv.DictReader((folder / "Task.csv").open(encoding="utf-8"))]
    laws = [row["id"] for row in csv.DictReader((folder / "Law.csv").open(encoding="utf-8"))
            if row["status"] not in ("passed", "in_force")]

    def depends(rows):
        kept = [row for i, row in enumerate(rows) if i % 5 != 0]
        sources = rows[0]["sources"]
        starts = sorted({row["from"] for row in rows})
        extra = [{"from": starts[i], "to": starts[i - 7], "sources": sources}
                 for i in range(10, len(starts), 9)]
        used = {end for row in kept + extra for end in (row["from"], row["to"])}
        free = [t for t in tasks if t not in used]
        for i, law in zip(range(0, min(len(free) - 2, 60), 3), laws * 20, strict=False):
            start, low, high = free[i], *sorted(free[i + 1:i + 3])
            extra += [{"from": start, "to": high, "sources": sources},
                      {"from": start, "to": low, "sources": sources},
                      {"from": high, "to": law, "sources": sources},
                      {"from": low, "to": law, "sources": sources}]
        return kept + extra
    rewrite(folder / "DEPENDS_ON.csv", depends)


def tied(store, rows: list[dict]) -> int:
    """How many rows' chains are one of two or more shortest."""
    adjacency, count = depends_state.state(store).out, 0
    for row in rows:
        if row["chain"]:
            paths = [[row["chain"][0]]]
            for _ in range(len(row["chain"]) - 1):
                paths = [p + [n] for p in paths for n in adjacency.get(p[-1], ())]
            count += sum(p[-1] == row["chain"][-1] for p in paths) > 1
    return count


def test_the_fast_answer_is_the_references_through_loads_and_a_retraction(server, country, tmp_path):  # noqa: F811
    agencies = agencies_of(country)[::2]  # one that leads tasks, one that does not exist
    with scratch_graph(server) as store:
        load_paths([country], store)
        first = assert_same_as_reference(store, agencies)

        changed = tmp_path / "changed"
        change_statuses_and_deadlines(country, changed)
        change_dependencies(changed)
        load_paths([changed], store)
        second = assert_same_as_reference(store, agencies)
        assert second != first
        assert_every_kind_tried(first, second)

        assert sum(tied(store, rows) for rows in second.values()) > 0

        source = next(r["sources"] for r in csv.DictReader(
            (changed / "DEPENDS_ON.csv").open(encoding="utf-8")))
        retract_source(source, store)
        assert assert_same_as_reference(store, agencies, DATES[1:3]) != second


def test_a_refresh_of_what_a_load_touched_gives_the_whole_adjacency(server, country, tmp_path, monkeypatch):  # noqa: F811
    with scratch_graph(server) as store:
        load_paths([country], store)
        changed = tmp_path / "changed"
        shutil.copytree(country, changed)
        rewrite(changed / "DEPENDS_ON.csv", lambda rows: rows[:3] + rows[4:])  # one dropped
        with monkeypatch.context() as patched:
            patched.setattr(derived, "STATES", [s for s in derived.STATES if s is not depends_state])
            report = load_paths([changed], store)
        touched = {c.key for c in report.changes if c.kind == "node"}
        touched |= {end for c in report.changes if c.kind == "relationship" for end in c.key[1:]}
        assert depends_state.state(store) is None  # stamped for the revision before
        assert 0 < depends_state.refresh(store, touched) < depends_state.PARTS
        found = depends_state.state(store)
        assert found is not None and found.out == depends_state.compute(store)


def test_without_the_state_the_cypher_answers_and_a_load_repairs_it(server, country):  # noqa: F811
    params = QUERY.bind({"as_of": "2025-10-01", "days": 30})
    with scratch_graph(server) as store:
        load_paths([country], store)
        whole = QUERY.run(store, params).rows
        depends_state.derived_store(store).write("MATCH (s:DependsStamp) DELETE s")  # as a crash leaves it
        assert risk_answer.rows_of(store, params) is None
        assert QUERY.run(store, params).rows == whole
        assert load_paths([country], store).changes == []
        assert risk_answer.rows_of(store, params) is not None  # a load repairs what it finds stale


def test_the_bundled_dataset(bundled_store):
    for as_of in ("2025-05-22", "2025-07-02"):
        for days in (7, 30):
            params = QUERY.bind({"as_of": as_of, "days": days})
            theirs = reference(bundled_store, params)
            assert theirs, "the bundled dataset has tasks at risk"
            assert risk_answer.RiskPath.page(bundled_store, params, timeout_ms=None, limit=None,
                                             skip=0).rows == theirs
