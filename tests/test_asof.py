"""One derived status for every task on any date (graph/asof.py), and the named queries that
spell the same rule in Cypher: exact answers on the bundled data (every as-of query against this
module on generated data: tests/test_asof_queries.py)."""

from __future__ import annotations

import pytest

from graph.asof import CATEGORIES, TaskFacts, read_task_facts, today
from loaders.load import load_paths
from queries import get_query
from tests.conftest import REPO, scratch_graph
from tests.generated_history import DATES, all_task_facts, generate_into, whole_graph


# -- the rule, on facts written by hand ----------------------------------------------------------
def test_deadline_in_force_follows_the_latest_move_by_the_date():
    task = TaskFacts("t", deadline="2025-05-28", statuses=(("2025-05-22", "not_done"),),
                     deadline_changes=(("2025-06-10", "2025-07-31"), ("2025-08-01", "2025-09-30")))
    assert [task.deadline_on(d) for d in ("2025-06-01", "2025-06-10", "2025-08-05")] == [
        "2025-05-28", "2025-07-31", "2025-09-30"]
    # overdue from 29 May, back within its deadline once a notice moves it on 10 June
    assert [task.category(d) for d in ("2025-05-28", "2025-05-29", "2025-06-10", "2025-10-01")] == [
        "open_within_deadline", "overdue", "open_within_deadline", "overdue"]
    assert task.slipped("2025-06-09") == 0 and task.slipped("2025-09-01") == 2
    assert task.category("2025-05-21") is None  # not assigned yet


def test_done_on_time_or_late_against_the_deadline_in_force():
    late = TaskFacts("t", deadline="2025-05-28", statuses=(("2025-05-22", "partial"), ("2025-06-15", "done")))
    assert late.category("2025-06-14") == "overdue" and late.progress("2025-06-14") == "partial"
    assert late.category("2025-06-15") == "done_late" and late.finished_on("2025-07-01") == "2025-06-15"
    extended = TaskFacts("t", deadline="2025-05-28", statuses=late.statuses,
                         deadline_changes=(("2025-05-27", "2025-06-30"),))
    assert extended.category("2025-06-15") == "done_on_time"
    # no deadline date: a recorded "overdue" stands for it, before and after completion
    undated = TaskFacts("t", statuses=(("2025-05-22", "overdue"), ("2025-07-02", "done")))
    assert [undated.category(d) for d in ("2025-05-22", "2025-07-02")] == ["overdue", "done_late"]
    assert TaskFacts("t", statuses=(("2025-05-22", "on_track"),)).category("2025-06-01") == "open_no_deadline"
    assert TaskFacts("t", statuses=(("2025-05-22", "done"),)).category("2025-06-01") == "done_on_time"


def test_a_slip_counts_only_moves_to_a_later_date():
    task = TaskFacts("t", deadline="2025-06-30", deadline_changes=(
        ("2025-06-01", "2025-06-15"), ("2025-06-10", "2025-07-15"), ("2025-07-01", "2025-08-15")))
    assert task.slipped("2025-12-31") == 2


# -- exact answers on the bundled data -------------------------------------------------------------
BUNDLED_CATEGORIES = {
    "2025-05-22": {
        "task-25-tb-tgv-1b": "open_within_deadline",        # report due 28 May
        "task-25-tb-tgv-3a1": "open_no_deadline",
        "task-cham-6-dau-viec-luat": "overdue",             # reported late, no deadline date given
        "task-cham-chinh-sach-ppp": "overdue",
        "task-15-tb-bcdtw-bao-cao": "done_on_time",
        "task-2025-07-02-ke-hoach-02": None,                # assigned on 2 July
    },
    "2025-07-02": {
        "task-25-tb-tgv-1b": "overdue",
        "task-25-tb-tgv-4a1": "done_late",                  # done, reported on 2 July, due 28 May
        "task-cham-6-dau-viec-luat": "overdue",
        "task-2025-07-02-ke-hoach-02": "open_within_deadline",  # due 31 Dec 2025
        "task-2025-07-02-ke-hoach-01": "open_no_deadline",
    },
    "today": {
        "task-25-tb-tgv-1b": "overdue",
        "task-25-tb-tgv-4a1": "done_late",
        "task-2025-07-02-ke-hoach-02": "overdue",           # nothing recorded since its deadline
        "task-15-tb-bcdtw-bao-cao": "done_on_time",
    },
}


@pytest.mark.parametrize("day", sorted(BUNDLED_CATEGORIES))
def test_categories_of_named_tasks_on_the_bundled_data(bundled_store, day):
    as_of = today() if day == "today" else day
    expected = BUNDLED_CATEGORIES[day]
    facts = read_task_facts(bundled_store, expected)
    assert {task: facts[task].category(as_of) for task in expected} == expected
    # the named query says the same (a task not assigned yet has no row)
    answer = get_query("task-status").run(bundled_store, {"as_of": as_of}).rows
    rows = {r["task_id"]: r["category"] for r in answer}
    assert {task: rows.get(task) for task in expected} == expected


def test_cham_6_is_overdue_on_22_may_in_the_page_and_in_overdue_tasks(bundled_store):
    """The page drew it overdue while overdue-tasks returned nothing: one rule now gives both."""
    rows = get_query("overdue-tasks").run(bundled_store, {"as_of": "2025-05-22"}).rows
    curated = [r for r in rows if not r["task_id"].startswith(("task-03-nq-cp-", "task-402-cv-vpdu-"))]
    assert [r["task_id"] for r in curated] == [
        "task-cham-6-dau-viec-luat", "task-cham-chinh-sach-ppp", "task-cham-so-tay-dang-vien"]
    assert {r["deadline"] for r in curated} == {None} and {r["status"] for r in curated} == {"overdue"}
    # and 03/NQ-CP's rows whose deadline had passed (no completion recorded), by their deadline,
    # and the rows of the draft under 402-CV/VPĐU due in March or April (done only by 24 May)
    # (and the 03/NQ-CP programme's III.1, the ministries' and provinces' plans due in January 2025)
    grown = [r["task_id"] for r in rows if r not in curated]
    assert grown == ["task-03-nq-cp-iii-1", "task-03-nq-cp-row7", "task-03-nq-cp-row20",
                     "task-03-nq-cp-row110", "task-03-nq-cp-row75", "task-03-nq-cp-row8",
                     "task-402-cv-vpdu-row19", "task-402-cv-vpdu-row4", "task-402-cv-vpdu-row7",
                     "task-402-cv-vpdu-row33"]


def test_28_may_reporting_deadlines_of_25_tb_tgv_are_overdue_on_1_june_unless_done(bundled_store):
    due = bundled_store.read(
        "MATCH (t:Task)-[:ASSIGNED_IN]->(:Document {number: '25-TB/TGV'}) "
        "WHERE t.deadline = '2025-05-28' RETURN t.id AS id").rows
    ids = {r["id"] for r in due}
    assert len(ids) == 19
    facts = read_task_facts(bundled_store, ids)
    done_by_june = {t for t in ids if facts[t].progress("2025-06-01") == "done"}
    overdue = {r["task_id"] for r in get_query("overdue-tasks").run(
        bundled_store, {"as_of": "2025-06-01"}).rows}
    assert done_by_june == set()  # none recorded done by then
    assert ids - done_by_june <= overdue
    assert {t: facts[t].category("2025-06-01") for t in ids} == dict.fromkeys(ids, "overdue")
    # 4a1 was recorded done on 2 July: late, and no longer in the overdue list
    july = {r["task_id"] for r in get_query("overdue-tasks").run(bundled_store, {"as_of": "2025-07-02"}).rows}
    assert "task-25-tb-tgv-4a1" not in july and len(ids & july) == 18


# -- generated data: what tests/test_asof_queries.py holds every as-of query to ---------------------
@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    out = generate_into(tmp_path_factory.mktemp("asof") / "data")
    with scratch_graph(server, "generated-asof") as store:
        load_paths([out], store)
        yield store, all_task_facts(whole_graph(store))


def test_generated_data_has_every_category_and_moved_deadlines(generated):
    _store, facts = generated
    seen = {f.category(d) for f in facts.values() for d in DATES}
    assert set(CATEGORIES) - {"open_no_deadline"} <= seen
    assert sum(1 for f in facts.values() if f.slipped("2026-12-31")) > 20


def test_reading_facts_from_the_store_matches_the_networkx_reading(generated):
    store, facts = generated
    read = read_task_facts(store, facts)
    for task, fact in facts.items():
        got = read[task]
        assert (sorted(got.statuses), sorted(got.deadline_changes), got.deadline, got.assigned_on) == (
            sorted(fact.statuses), sorted(fact.deadline_changes), fact.deadline, fact.assigned_on)


def test_task_status_of_one_agency_on_the_bundled_data(bundled_store):
    rows = get_query("task-status").run(bundled_store, {"as_of": "2025-07-02", "agency": "bo-tai-chinh"}).rows
    by_id = {r["task_id"]: r["category"] for r in rows}
    assert by_id["task-25-tb-tgv-1b"] == "overdue" and by_id["task-cham-chinh-sach-ppp"] == "overdue"
    assert all("bo-tai-chinh" in r["lead_ids"] for r in rows)


def test_the_loader_loads_deadline_moves_and_the_queries_read_them(store):
    load_paths([REPO / "tests" / "fixtures" / "load" / "deadline_moves.yaml"], store)
    status = get_query("task-status")
    answers = {d: status.run(store, {"as_of": d}).rows[0] for d in ("2025-06-01", "2025-06-15", "2025-07-01")}
    standing = {d: (r["category"], r["deadline"], r["deadline_moves"], r["slipped"])
                for d, r in answers.items()}
    assert standing == {
        "2025-06-01": ("overdue", "2025-05-28", 0, 0),
        "2025-06-15": ("open_within_deadline", "2025-06-30", 1, 1),   # the notice moved it
        "2025-07-01": ("overdue", "2025-06-30", 1, 1)}
    assert [r["task_id"] for r in get_query("overdue-tasks").run(store, {"as_of": "2025-06-15"}).rows] == []
    moved = get_query("changes").run(store, {"since": "2025-06-01", "until": "2025-06-30"}).rows
    assert [(r["date"], r["kind"], r["detail"], r["sources"]) for r in moved] == [
        ("2025-06-15", "deadline_moved", "2025-05-28 -> 2025-06-30", ["src-t"])]
