"""Every as-of named query (every `queries/*.cypher` with an `as_of` parameter) against the one
Python definition, `graph/asof.py`, on generated data at many dates: the Cypher files spell the
rule again (analysts copy them whole), and this is what keeps the two from drifting.

Each oracle computes a query's answer from the networkx reading of the graph with `graph.asof`
alone; `test_every_as_of_query_has_an_oracle` fails when a new as-of query has none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from graph.asof import (
    DONE,
    blocked,
    chain_lengths,
    latest_status,
    law_blocks,
    status_as_of,
    task_facts,
)
from loaders.load import load_paths
from queries import get_query, library
from tests.conftest import scratch_graph
from tests.generated_history import DATES, generate_into, whole_graph


@pytest.fixture(scope="module")
def country(server, tmp_path_factory):
    out = generate_into(tmp_path_factory.mktemp("asof-queries") / "data")
    with scratch_graph(server, "generated-asof-queries") as store:
        load_paths([out], store)
        _ANSWERS.clear()
        yield store, whole_graph(store)
        _ANSWERS.clear()


# (the query's answer, the oracle's) by query and date: the module's country is only read, so
# each is worked out once, for the check of that query and date and for the exercise check
_ANSWERS: dict[tuple[str, str], tuple] = {}


def answer(country, name: str, as_of: str) -> tuple:
    store, graph = country
    if (name, as_of) not in _ANSWERS:
        _ANSWERS[name, as_of] = ORACLES[name](store, graph, as_of)
    return _ANSWERS[name, as_of]


def _label(graph, node: str) -> str:
    return graph.nodes[node].get("labels")


def _of(graph, label: str) -> list[str]:
    return sorted(n for n, data in graph.nodes(data=True) if data.get("labels") == label)


def _targets(graph, node: str, rel_type: str) -> list[str]:
    return sorted(t for _, t, key in graph.out_edges(node, keys=True) if key == rel_type)


def _depended_on(graph, node: str) -> bool:
    return any(key == "DEPENDS_ON" for *_, key in graph.in_edges(node, keys=True))


def _history_status(graph, node: str, as_of: str) -> str | None:
    """The latest StatusChange by `as_of` only (what law-impact reports for any dependent)."""
    changes = [graph.nodes[c] for c in _targets(graph, node, "HAS_STATUS")]
    return latest_status(((c.get("on"), c.get("status")) for c in changes), as_of)


# -- one oracle per query: (the query's rows, as compared) and (graph.asof's answer) ---------------
Answer = Callable[[Any, Any, str], tuple[Any, Any]]


def blocking_laws(store, graph, as_of):
    rows = get_query("blocking-laws").run(store, {"as_of": as_of}).rows
    got = {(r["law_id"], r["task_id"]): (r["hops"], r["law_status"], r["task_status"], r["category"],
                                         r["deadline"], r["first_deadline"], r["assigned_on"],
                                         r["lead_ids"]) for r in rows}
    assert len(got) == len(rows)
    facts = {b.task: task_facts(graph, b.task) for b in blocked(graph, as_of)}
    want = {(b.law, b.task): (b.hops, b.law_status, b.task_status, facts[b.task].category(as_of),
                              facts[b.task].deadline_on(as_of), facts[b.task].deadline,
                              b.assigned_on, _targets(graph, b.task, "LED_BY"))
            for b in blocked(graph, as_of)}
    return got, want


def task_status(store, graph, as_of):
    rows = get_query("task-status").run(store, {"as_of": as_of}).rows
    got = {r["task_id"]: (r["category"], r["progress"], r["deadline"], r["finished_on"], r["slipped"],
                          r["assigned_on"]) for r in rows}
    facts = {t: task_facts(graph, t) for t in _of(graph, "Task")}
    want = {t: (f.category(as_of), f.progress(as_of), f.deadline_on(as_of), f.finished_on(as_of),
                f.slipped(as_of), f.assigned_on) for t, f in facts.items() if f.exists_on(as_of)}
    return got, want


def overdue_tasks(store, graph, as_of):
    rows = get_query("overdue-tasks").run(store, {"as_of": as_of}).rows
    got = {r["task_id"]: (r["deadline"], r["status"], r["first_deadline"], r["deadline_moves"]) for r in rows}
    want = {}
    for task in _of(graph, "Task"):
        f = task_facts(graph, task)
        if f.category(as_of) == "overdue":
            want[task] = (f.deadline_on(as_of), f.progress(as_of), f.deadline,
                          sum(1 for on, _ in f.deadline_changes if on <= as_of))
    return got, want


def agency_workload(store, graph, as_of):
    rows = get_query("agency-workload").run(store, {"as_of": as_of}).rows
    got = {r["agency_id"]: r["overdue_led"] for r in rows if r["overdue_led"]}
    want: dict[str, int] = {}
    for task in _of(graph, "Task"):
        if task_facts(graph, task).category(as_of) == "overdue":
            for lead in _targets(graph, task, "LED_BY"):
                want[lead] = want.get(lead, 0) + 1
    return got, want


def law_impact(store, graph, as_of):
    got, want = {}, {}
    for law in _of(graph, "Law"):
        for r in get_query("law-impact").run(store, {"law": law, "as_of": as_of}).rows:
            got[law, r["id"]] = (r["hops"], r["status"], r["lead_ids"])
        for node, hops in chain_lengths(graph, law, upstream=False).items():
            want[law, node] = (hops, _history_status(graph, node, as_of), _targets(graph, node, "LED_BY"))
    return got, want


def task_dependencies(store, graph, as_of):
    tasks = [t for t in _of(graph, "Task") if _targets(graph, t, "DEPENDS_ON")][:12]
    tasks += [t for t in _of(graph, "Task") if _depended_on(graph, t)][:12]
    got, want = {}, {}
    for task in tasks:
        for r in get_query("task-dependencies").run(store, {"task": task, "as_of": as_of}).rows:
            got[task, r["direction"], r["id"]] = (r["hops"], r["status"])
        for direction, upstream in (("upstream", True), ("downstream", False)):
            for node, hops in chain_lengths(graph, task, upstream=upstream).items():
                want[task, direction, node] = (hops, status_as_of(graph, node, as_of))
    return got, want


def obstacles(store, graph, as_of):
    rows = get_query("obstacles").run(store, {"as_of": as_of}).rows
    got = {r["obstacle_id"]: (r["root_law_ids"], r["root_law_statuses"], r["unresolved_root_laws"],
                              r["hinders_ids"]) for r in rows}
    want = {}
    for obstacle in _of(graph, "Obstacle"):
        laws = _targets(graph, obstacle, "ROOTED_IN")
        statuses = [status_as_of(graph, law, as_of) for law in laws]
        want[obstacle] = (laws, statuses, sum(1 for s in statuses if law_blocks(s)),
                          _targets(graph, obstacle, "HINDERS"))
    return got, want


RISK_DAYS = 30


def deadline_risk(store, graph, as_of):
    rows = get_query("deadline-risk").run(store, {"as_of": as_of, "days": RISK_DAYS}).rows
    got = {(r["agency_id"], r["task_id"]): (
        r["level"], r["category"], r["progress"], r["deadline"], r["days_left"], r["blocking_laws"],
        r["waiting_on"], r["dependants"], r["slipped"]) for r in rows}
    day = dt.date.fromisoformat(as_of)
    want = {}
    for task in _of(graph, "Task"):
        f = task_facts(graph, task)
        if not f.exists_on(as_of) or f.progress(as_of) == DONE:
            continue
        deadline = f.deadline_on(as_of)
        days_left = (dt.date.fromisoformat(deadline) - day).days if deadline else None
        due_soon = days_left is not None and 0 <= days_left <= RISK_DAYS
        category = f.category(as_of)
        if days_left is not None and days_left > RISK_DAYS:
            continue
        upstream = chain_lengths(graph, task)
        laws = sorted(n for n in upstream if _label(graph, n) == "Law"
                      and law_blocks(status_as_of(graph, n, as_of)))
        waiting = sorted(n for n in upstream if _label(graph, n) == "Task"
                         and task_facts(graph, n).progress(as_of) != DONE)
        downstream = [task_facts(graph, n) for n in chain_lengths(graph, task, upstream=False)]
        dependants = sum(1 for d in downstream if d.exists_on(as_of) and d.progress(as_of) != DONE)
        direct = _depended_on(graph, task)
        if not ((due_soon or direct) and (due_soon or category == "overdue")):
            continue
        level = (1 if due_soon and (laws or waiting) else 2 if category == "overdue" and dependants
                 else 3 if due_soon else None)
        if level is None:
            continue
        for lead in _targets(graph, task, "LED_BY") or [None]:
            want[lead, task] = (level, category, f.progress(as_of), deadline, days_left, laws, waiting,
                                dependants, f.slipped(as_of))
    return got, want


def _holder(graph, lead: str) -> str:
    """Where a lead's tasks count in the national picture: the province or city it (or the
    body it is part of) sits in, reached through at most one more LOCATED_IN; else itself."""
    bodies = [lead] + [b for b in _targets(graph, lead, "PART_OF") if _label(graph, b) == "Agency"]
    provinces = {p for body in bodies for place in _targets(graph, body, "LOCATED_IN")
                 for p in [place, *_targets(graph, place, "LOCATED_IN")]
                 if _label(graph, p) == "Place" and graph.nodes[p].get("kind") in ("province", "city")}
    assert len(provinces) <= 1, (lead, provinces)
    return next(iter(provinces), lead)


def blocking_summary(store, graph, as_of):
    rows = store.read(get_query("blocking-summary").text, {"as_of": as_of}).rows  # the Cypher itself
    got = {(r["law_id"], r["holder_id"]): (r["law_status"], r["law_tasks"], r["holder_label"], r["tasks"])
           for r in rows}
    assert len(got) == len(rows)
    per_law: dict[str, set[str]] = {}
    per_holder: dict[tuple[str, str], int] = {}
    status: dict[str, str | None] = {}
    for b in blocked(graph, as_of):
        per_law.setdefault(b.law, set()).add(b.task)
        status[b.law] = b.law_status
        for lead in _targets(graph, b.task, "LED_BY"):
            key = (b.law, _holder(graph, lead))
            per_holder[key] = per_holder.get(key, 0) + 1
    want = {(law, holder): (status[law], len(per_law[law]), _label(graph, holder), tasks)
            for (law, holder), tasks in per_holder.items()}
    return got, want


ORACLES: dict[str, Answer] = {
    "blocking-laws": blocking_laws, "task-status": task_status, "overdue-tasks": overdue_tasks,
    "agency-workload": agency_workload, "law-impact": law_impact,
    "task-dependencies": task_dependencies, "obstacles": obstacles, "deadline-risk": deadline_risk,
    "blocking-summary": blocking_summary,
}


def test_every_as_of_query_has_an_oracle():
    as_of_queries = {q.name for q in library().values() if any(p.name == "as_of" for p in q.params)}
    assert as_of_queries == set(ORACLES)


@pytest.mark.parametrize("as_of", DATES)
@pytest.mark.parametrize("name", sorted(ORACLES))
def test_the_query_gives_graph_asof_answer(country, name, as_of):
    got, want = answer(country, name, as_of)
    assert got == want


def test_the_generated_data_exercises_every_oracle(country):
    """Not a vacuous agreement: on some date each query has rows, and answers change over time."""
    for name in ORACLES:
        answers = [answer(country, name, d)[1] for d in DATES]
        assert any(answers), name
        assert len({repr(sorted(a.items())) for a in answers}) > 1, name


def test_blocking_laws_says_a_tasks_standing_as_task_status_does(country, bundled_store):
    """issue 29 item 16: the same task on the same date has the same `category`, progress
    (blocking-laws' task_status, task-status's progress), deadline (in force on the date) and
    first_deadline in both answers, fast path and Cypher alike (task-25-tb-tgv-1b on
    2025-06-01: overdue)."""
    seen, moved = set(), 0
    for store, dates in ((country[0], DATES), (bundled_store, ["2025-05-22", "2025-06-01", "2025-07-02"])):
        blocking = get_query("blocking-laws")
        for as_of in dates:
            standing = {r["task_id"]: (r["category"], r["progress"], r["deadline"], r["first_deadline"])
                        for r in get_query("task-status").run(store, {"as_of": as_of}).rows}
            fast = blocking.run(store, {"as_of": as_of}).rows
            assert fast == store.read(blocking.text, {"as_of": as_of, "law": None}).rows
            for row in fast:
                mine = (row["category"], row["task_status"], row["deadline"], row["first_deadline"])
                assert mine == standing[row["task_id"]], (as_of, row)
                seen.add(row["category"])
                moved += row["deadline"] != row["first_deadline"]
    assert seen >= {"overdue", "open_within_deadline"}, seen
    assert moved, "some blocked task's deadline was moved, so the two deadlines differ"
    on_june_1 = get_query("blocking-laws").run(bundled_store, {"as_of": "2025-06-01"}).rows
    assert {r["category"] for r in on_june_1 if r["task_id"] == "task-25-tb-tgv-1b"} == {"overdue"}
