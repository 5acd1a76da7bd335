"""The derived change state (graph/change_state.py) and the `changes` answers shaped from it
(queries/changes_answer.py) against the definition, the Cypher of `queries/changes.cypher`:
the same rows, in its order, for many windows (since given or the last meeting's, an empty
window), for the whole country and for agencies, after a first load, after loads that change
task statuses, deadlines and law statuses, and after a retraction; where the state is not
current, the Cypher answers.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter

import pytest

from graph import briefing, change_state, cypher
from graph.asof import latest_status
from loaders.generate import GenerateConfig, generate
from loaders.load import load_paths, retract_source
from queries import changes_answer, get_query
from tests.conftest import scratch_graph

COUNTRY = GenerateConfig(provinces=4, communes=24, tasks=300, experts=10, deadline_moves=0.3)
WINDOWS = ((None, "2025-07-02"), ("2025-03-01", "2025-06-30"), ("2024-01-01", "2027-01-01"),
           (None, "2026-03-01"), ("2025-10-01", "2025-10-01"), ("2025-09-01", "2026-06-30"))
QUERY = get_query("changes")


def reference(store, params: dict) -> list[dict]:
    return store.read(QUERY.text, QUERY.bind(params)).rows


def order(rows: list[dict]) -> list[tuple]:
    return [(r["date"], r["kind"], r["task_id"], r["law_id"]) for r in rows]


def alike(rows: list[dict]) -> list[str]:
    """The rows as comparable text, ties of the order's keys put in one order."""
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


def agencies(store) -> list[str | None]:
    """The whole country, the lead most held up by laws, and the last law drafter."""
    blocked = store.read(get_query("blocking-laws").text, {"as_of": "2026-03-01", "law": None}).rows
    busiest = Counter(lead for row in blocked for lead in row["lead_ids"]).most_common(1)[0][0]
    drafter = store.read("MATCH (:Law)-[:DRAFTED_BY]->(a:Agency) RETURN a.id AS id ORDER BY id").rows
    return [None, busiest, drafter[-1]["id"]]


def assert_same_as_reference(store) -> dict:
    """Every window, with every agency: the fast rows (with their nodes) are the reference's,
    in its order; a first page is the whole answer's first rows."""
    answers, blocking = {}, 0
    for agency in agencies(store):
        for since, until in WINDOWS:
            params = {"since": since, "until": until, "agency": agency}
            ours = changes_answer.ChangesPath.page(store, QUERY.bind(params), timeout_ms=None,
                                                   limit=None, skip=0)
            assert ours is not None, "the loader left the derived state in place"
            theirs = reference(store, params)
            assert ours.columns == (list(theirs[0]) if theirs else ours.columns)
            assert order(ours.rows) == order(theirs)
            assert alike(ours.rows) == alike(theirs)
            first = QUERY.run(store, params, limit=5, lean=True)
            assert first.rows == [{c: r[c] for c in first.columns} for r in ours.rows[:5]]
            assert first.truncated == (len(theirs) > 5)
            # the next page, from the window's items kept since the whole answer
            kept = change_state.state(store).windows
            assert any(key[1:] == (until, agency) for key in kept)
            second = QUERY.run(store, params, limit=5, skip=5, lean=True)
            assert second.rows == [{c: r[c] for c in second.columns} for r in ours.rows[5:10]]
            assert order(second.rows) == order(theirs[5:10]) and second.truncated == (len(theirs) > 10)
            answers[agency, since, until] = alike(theirs)
            if agency is not None and since is None:  # two dates are enough for this
                blocking += assert_digest_blocking_as_reference(store, agency, until)
    assert sum(map(len, answers.values())) > 100 and blocking > 0
    # more windows than a state keeps were asked: the first, no longer kept, is worked out again
    assert len(change_state.state(store).windows) == change_state.WINDOWS_KEPT
    (agency, since, until), theirs = next(iter(answers.items()))
    again = QUERY.run(store, {"since": since, "until": until, "agency": agency})
    assert alike(again.rows) == theirs
    return answers


def kinds(*answers: dict) -> set[str]:
    return {json.loads(r)["kind"] for answer in answers for rows in answer.values() for r in rows}


def assert_digest_blocking_as_reference(store, agency: str, as_of: str) -> int:
    """The digest's blocking rows (from the blocking state) are blocking-laws' rows that the
    agency leads, filtered by the store, in order; and so is a capped answer's start."""
    wrapped = cypher.filtered(get_query("blocking-laws").text, "$agency IN lead_ids",
                              briefing.BLOCKING_COLUMNS)
    params = {"as_of": as_of, "law": None, "agency": agency}
    assert briefing.blocking(store, agency, as_of) == store.read(wrapped, params).rows
    capped = store.read(wrapped, params, limit=3).rows
    assert briefing.blocking(store, agency, as_of, briefing.Limits(rows=3)) == capped
    return len(capped)


@pytest.fixture
def country(tmp_path):
    folder = tmp_path / "country"
    generate(folder, COUNTRY)
    return folder


def rewrite(path, change) -> None:
    """Rewrite a CSV file row by row: `change(rows) -> rows`."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def latest_statuses(folder, laws: list[dict]) -> list[dict]:
    """Laws whose status and status_on are their history's latest (as the loader wants)."""
    entries = {row["id"]: row for row in csv.DictReader((folder / "StatusChange.csv").open(encoding="utf-8"))}
    history: dict[str, list] = {}
    for row in csv.DictReader((folder / "HAS_STATUS.csv").open(encoding="utf-8")):
        history.setdefault(row["from"], []).append((entries[row["to"]]["on"], entries[row["to"]]["status"]))
    for law in laws:
        if law["id"] in history:
            on = max(day for day, _ in history[law["id"]])
            law["status"], law["status_on"] = latest_status(history[law["id"]], on), on
    return laws


def test_the_fast_path_gives_the_references_rows_through_loads_and_a_retraction(server, country, tmp_path):
    with scratch_graph(server) as store:
        load_paths([country], store)
        first = assert_same_as_reference(store)
        # a law without history counts by its status from status_on
        store.write("MATCH (law:Law)-[r:HAS_STATUS]->() WITH law, r ORDER BY law.id LIMIT 1 DELETE r")
        load_paths([country], store)
        assert change_state.is_current(store) and assert_same_as_reference(store) == first

        # a second version: task and law statuses changed, deadlines moved
        changed = tmp_path / "changed"
        shutil.copytree(country, changed)

        def statuses(rows):
            for i, row in enumerate(rows):
                if row["id"].startswith("syn-law"):
                    if i % 2:
                        row["status"] = {"passed": "submitted"}.get(row["status"], "passed")
                elif i % 5 == 0:
                    row["status"] = "done" if row["status"] != "done" else "overdue"
            return rows

        def moves(rows):
            for i, row in enumerate(rows):
                if i % 2 == 0:
                    row["deadline"], row["on"] = "2025-09-30", "2025-07-01"
            return rows

        def deadlines(rows):
            for i, row in enumerate(rows):
                if i % 3 == 0:
                    row["deadline"] = "2025-09-30" if i % 2 else ""
            return rows

        rewrite(changed / "StatusChange.csv", statuses)
        rewrite(changed / "DeadlineChange.csv", moves)
        rewrite(changed / "Task.csv", deadlines)
        rewrite(changed / "Law.csv", lambda rows: latest_statuses(changed, rows))
        report = load_paths([changed], store)
        assert {c.action for c in report.changes} >= {"changed"}
        second = assert_same_as_reference(store)
        assert second != first
        assert kinds(first, second) == set(change_state.RANKS)  # every kind of item was compared

        # loading the same files again changes nothing, the state included
        assert load_paths([changed], store).changes == []
        assert change_state.is_current(store)

        # a retraction removes what one source alone said
        source = next(csv.DictReader((changed / "StatusChange.csv").open(encoding="utf-8")))["sources"]
        retract_source(source, store)
        assert assert_same_as_reference(store) != second


def test_without_a_current_state_the_cypher_answers_and_a_load_repairs_it(server, country):
    with scratch_graph(server) as store:
        load_paths([country], store)
        params = {"since": "2025-03-01", "until": "2025-12-31", "agency": None}
        before = reference(store, params)
        store.write("MATCH (t:Task)-[r:HAS_STATUS]->() WITH r LIMIT 20 DELETE r")  # not by the loader
        after = reference(store, params)
        assert alike(after) != alike(before)
        assert not change_state.is_current(store)
        assert changes_answer.window(store, QUERY.bind(params)) is None
        assert alike(QUERY.run(store, params).rows) == alike(after)
        load_paths([country], store)  # puts the 20 back, and the state with them
        assert change_state.is_current(store)
        assert alike(QUERY.run(store, params).rows) == alike(before)
        # a window reversed is the Cypher's own answer
        reversed_window = {"since": "2025-12-31", "until": "2025-03-01", "agency": None}
        assert changes_answer.window(store, QUERY.bind(reversed_window)) is None
        assert alike(QUERY.run(store, reversed_window).rows) == alike(reference(store, reversed_window))


def test_the_state_is_internal(server, country):
    with scratch_graph(server) as store:
        report = load_paths([country], store)
        assert store.counts() == (report.node_count, report.relationship_count)
        derived = change_state.derived_store(store)
        assert derived.read("MATCH (c:Changes) RETURN count(c) AS n").rows[0]["n"] >= 2
