"""What changed, and what is at risk: the `changes` and `deadline-risk` named queries, the
`graph.briefing` helpers and their HTTP endpoints. Exact answers on the bundled data, and
`changes` against a recomputation in Python on generated data."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph import briefing
from graph.asof import FINISHED_LAW, ISO_START, TaskFacts
from loaders.load import load_paths
from queries import get_query
from tests.cli_run import run_cli
from tests.conftest import scratch_graph
from tests.generated_history import all_task_facts, generate_into, whole_graph

MAY_22, JUL_2 = "2025-05-22", "2025-07-02"


# -- changes on the bundled data -----------------------------------------------------------------
def items(answer: dict, kind: str) -> list[tuple]:
    return [(i["date"], i["task_id"], i["law_id"], i["detail"]) for i in answer["items"] if i["kind"] == kind]


def test_changes_between_22_may_and_2_july(bundled_store):
    answer = briefing.changes(bundled_store, since=MAY_22, until=JUL_2)
    assert (answer["since"], answer["until"]) == (MAY_22, JUL_2)
    assert items(answer, "law_status") == [
        (JUL_2, None, "law-cong-nghiep-cong-nghe-so", "passed"), (JUL_2, None, "law-khcn-dmst", "passed")]
    # the tasks the S&T and Innovation Law no longer blocks once it passed (both still wait on others)
    # (and 03/NQ-CP's row 26 on the same law; its rows 14 and 21, the two bills, are done by then:
    # the draft report under 402-CV/VPĐU records them done on 24 May, so no law unblocks them;
    # and Resolution 57's III.2-1, the amendment of the laws it names, this one among them)
    assert items(answer, "unblocked") == [
        (JUL_2, "task-03-nq-cp-row26", "law-khcn-dmst", "law-khcn-dmst passed"),
        (JUL_2, "task-25-tb-tgv-1a1", "law-khcn-dmst", "law-khcn-dmst passed"),
        (JUL_2, "task-57-nq-tw-iii-2-1", "law-khcn-dmst", "law-khcn-dmst passed"),
        (JUL_2, "task-cham-6-dau-viec-luat", "law-khcn-dmst", "law-khcn-dmst passed")]
    done = items(answer, "done")
    assert (JUL_2, "task-25-tb-tgv-4a1", None, "done_late") in done
    # the draft under 402-CV/VPĐU: 12 of 03/NQ-CP's rows and 7 of its own rows done by 24 May
    drafted = [d for d in done if d[0] == "2025-05-24"]
    assert len(done) == 20 and len(drafted) == 19
    assert sum(d[1].startswith("task-03-nq-cp-") for d in drafted) == 12
    assert ("2025-05-24", "task-03-nq-cp-row14", None, "done_on_time") in drafted
    assert ("2025-05-24", "task-402-cv-vpdu-row7", None, "done_late") in drafted  # due March
    overdue = items(answer, "overdue")
    texts = ("task-03-nq-cp-", "task-877-qd-btp-", "task-402-cv-vpdu-")
    curated = [o for o in overdue if not o[1].startswith(texts)]
    assert len(curated) == 18 and {o[0] for o in curated} == {"2025-05-28"}
    # 03/NQ-CP's 8 rows due in June 2025 not recorded done (the draft under 402-CV/VPĐU records
    # 7 of the 15 of before done), 877/QĐ-BTP's row II.2 (due June) and the draft's 8 own rows
    # due in May and in progress on 24 May
    grown = [o for o in overdue if o not in curated]
    programme = [o for o in grown if o[1].startswith("task-03-nq-cp-iii-")]
    # and the programme's III.3, the first half-yearly report (due 15 June), not recorded done
    assert programme == [("2025-06-15", "task-03-nq-cp-iii-3", None, "due 2025-06-15")]
    grown = [o for o in grown if o not in programme]
    assert len(grown) == 17 and {o[0] for o in grown} == {"2025-05-31", "2025-06-30"}
    assert sum(o[1].startswith("task-03-nq-cp-") for o in grown) == 8
    assert sum(o[1].startswith("task-402-cv-vpdu-") for o in grown) == 8
    assert ("2025-06-30", "task-877-qd-btp-ii-2", None) in [o[:3] for o in grown]
    assigned = [i for i in answer["items"] if i["kind"] == "assigned"]
    assert len(assigned) == 15 and {i["date"] for i in assigned} == {JUL_2}
    assert all("meeting-2025-07-02" in i["via"] for i in assigned)
    assert all(i["sources"] for i in answer["items"])  # every item cites its sources
    passed = next(i for i in answer["items"] if i["kind"] == "law_status" and i["law_id"] == "law-khcn-dmst")
    assert passed["sources"] == ["src-nghean-review"]


def test_since_defaults_to_the_last_meeting_before_until(bundled_store):
    assert briefing.default_since(bundled_store, JUL_2) == "2025-05-28"
    assert briefing.default_since(bundled_store, "2025-01-20") == ISO_START
    answer = briefing.changes(bundled_store, until=JUL_2)
    assert answer["since"] == "2025-05-28"
    # the query alone applies the same rule
    rows = get_query("changes").run(bundled_store, {"until": JUL_2}).rows
    assert {r["since"] for r in rows} == {"2025-05-28"}
    assert briefing.plain(rows) == briefing.plain(answer["items"])


def test_changes_for_one_agency(bundled_store):
    answer = briefing.changes(bundled_store, since=MAY_22, until=JUL_2, agency="bo-tai-chinh")
    tasks = {i["task_id"] for i in answer["items"] if i["task_id"]}
    assert "task-25-tb-tgv-1b" in tasks and "task-cham-6-dau-viec-luat" in tasks
    assert all("bo-tai-chinh" in i["lead_ids"] for i in answer["items"] if i["task_id"])
    assert ("law-khcn-dmst" in {i["law_id"] for i in answer["items"] if i["kind"] == "law_status"})


def test_bad_windows_are_clear_errors(bundled_store):
    with pytest.raises(Exception, match="since 2025-07-02 is after until 2025-05-22"):
        briefing.changes(bundled_store, since=JUL_2, until=MAY_22)
    with pytest.raises(Exception, match="'soon' is not a valid date"):
        briefing.changes(bundled_store, until="soon")
    with pytest.raises(Exception, match="No agency with id 'nope'"):
        briefing.changes(bundled_store, agency="nope")


# -- deadline risk on the bundled data ---------------------------------------------------------------
# the Ministry of Finance's rows of 71/NQ-CP in the draft under 402-CV/VPĐU, due 31 May 2025
FINANCE_402 = [
    "task-402-cv-vpdu-row10", "task-402-cv-vpdu-row15", "task-402-cv-vpdu-row16", "task-402-cv-vpdu-row8"]


def test_risk_on_22_may_ranks_blocked_tasks_due_soon_first(bundled_store):
    rows = briefing.risk(bundled_store, as_of=MAY_22)["rows"]
    finance = [(r["rank"], r["task_id"], r["level"]) for r in rows if r["agency_id"] == "bo-tai-chinh"]
    # both due 28 May; 1b is blocked by the State Budget and Public Asset laws, 2b is not; then
    # four of 71/NQ-CP's rows the draft under 402-CV/VPĐU lists, due 31 May (none recorded yet)
    assert finance == [(1, "task-25-tb-tgv-1b", 1), (2, "task-25-tb-tgv-2b-bo-tai-chinh", 3),
                       (3, "task-402-cv-vpdu-row10", 3), (4, "task-402-cv-vpdu-row15", 3),
                       (5, "task-402-cv-vpdu-row16", 3), (6, "task-402-cv-vpdu-row8", 3)]
    first = next(r for r in rows if r["task_id"] == "task-25-tb-tgv-1b")
    assert first["blocking_laws"] == ["law-ngan-sach-nha-nuoc", "law-quan-ly-tai-san-cong"]
    assert first["days_left"] == 6 and first["chain"] == ["task-25-tb-tgv-1b", "law-ngan-sach-nha-nuoc"]
    assert first["reasons"][:2] == [
        "due in 6 days (2025-05-28)",
        "blocked by laws not passed: law-ngan-sach-nha-nuoc, law-quan-ly-tai-san-cong"]
    most = [r for r in rows if r["agency_id"] == "bo-khcn"]
    assert [r["level"] for r in most] == sorted(r["level"] for r in most)
    assert most[0]["task_id"] == "task-25-tb-tgv-1a1"
    waits = next(r for r in rows if r["task_id"] == "task-25-tb-tgv-3a2")
    assert waits["waiting_on"] == ["task-25-tb-tgv-3a1"] and waits["dependants"] == 1
    assert rows[0]["level"] == 1  # agencies with the most level-1 risks come first


def test_risk_a_week_later_and_within_a_shorter_horizon(bundled_store):
    assert briefing.risk(bundled_store, as_of="2025-05-22", days=5)["rows"] == []  # due in 6 days
    later = briefing.risk(bundled_store, as_of="2025-06-01")["rows"]
    # past 28 May nothing is due soon; what remains is overdue with open dependants
    texts = ("task-03-nq-cp-", "task-877-qd-btp-")
    assert {(r["task_id"], r["level"]) for r in later if not r["task_id"].startswith(texts)} == {
        ("task-25-tb-tgv-3a2", 2)}
    # 03/NQ-CP's rows due by 30 June and not done, all due soon (3); row 21 (the Digital
    # Technology bill), which waited for its law, is done by the draft under 402-CV/VPĐU
    grown = {(r["task_id"], r["level"]) for r in later if r["task_id"].startswith("task-03-nq-cp-row")}
    assert len(grown) == 8 and {g[1] for g in grown} == {3} and ("task-03-nq-cp-row21", 1) not in grown
    # the programme's section III: its first half-yearly report (due 15 June) is due soon too
    assert {(r["task_id"], r["level"]) for r in later if r["task_id"].startswith("task-03-nq-cp-iii-")} == {
        ("task-03-nq-cp-iii-3", 3)}
    # 877/QĐ-BTP's row II.2 (the Ministry of Justice's legal review, due 30 June) is due soon
    assert {(r["task_id"], r["level"]) for r in later if r["task_id"].startswith("task-877-qd-btp-")} == {
        ("task-877-qd-btp-ii-2", 3)}
    later = [r for r in later if not r["task_id"].startswith(texts)]
    assert later[0]["days_left"] == -4 and later[0]["reasons"][0] == "overdue by 4 days (due 2025-05-28)"


def test_due_soon_and_blocked_has_one_row_per_task(bundled_store):
    rows = briefing.due_soon_and_blocked(briefing.risk(bundled_store, as_of=MAY_22)["rows"])
    # all due in 6 days; 3a2 first: a task depends on it
    assert [r["task_id"] for r in rows] == [
        "task-25-tb-tgv-3a2", "task-25-tb-tgv-1a1", "task-25-tb-tgv-1b", "task-25-tb-tgv-3b"]


# -- over HTTP -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(bundled_store):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    with TestClient(app) as test_client:
        yield test_client


def test_changes_risk_and_digest_endpoints(client):
    answer = client.get("/api/changes", params={"since": MAY_22, "until": JUL_2}).json()
    # 38 of the curated data, 9 of 03/NQ-CP (1 unblocked, 8 overdue), 1 of 877/QĐ-BTP (overdue),
    # 27 of the draft under 402-CV/VPĐU (19 done on 24 May, 8 overdue), 1 of the 03/NQ-CP
    # programme's section III (overdue) and 1 of Resolution 57 (unblocked)
    assert answer["count"] == len(answer["data"]) == 77 and answer["since"] == MAY_22
    assert "task" not in answer["data"][0] and {"date", "kind", "sources"} <= set(answer["data"][0])
    risk = client.get("/api/risk", params={"as_of": MAY_22, "agency": "bo-tai-chinh"}).json()
    assert [r["task_id"] for r in risk["data"]] == ["task-25-tb-tgv-1b", "task-25-tb-tgv-2b-bo-tai-chinh",
                                                   *FINANCE_402]
    digest = client.get("/api/digest", params={"agency": "bo-khcn", "since": MAY_22, "until": JUL_2}).json()
    assert digest["agency"]["id"] == "bo-khcn"
    assert {r["task_id"] for r in digest["overdue"]} >= {"task-25-tb-tgv-1a2", "task-cham-6-dau-viec-luat"}
    assert any(c["kind"] == "law_status" and c["law_id"] == "law-khcn-dmst" for c in digest["changes"])
    assert {b["law_id"] for b in digest["blocking"]} >= {"law-so-huu-tri-tue"}


@pytest.mark.parametrize(("path", "params", "status", "message"), [
    ("/api/changes", {"until": "soon"}, 422, "Parameter 'until': 'soon' is not a valid date."),
    ("/api/changes", {"since": JUL_2, "until": MAY_22}, 422, "since 2025-07-02 is after until 2025-05-22."),
    ("/api/risk", {"agency": "nope"}, 404, "No agency with id 'nope'."),
    ("/api/digest", {}, 422, "Invalid request parameter 'agency'."),
    ("/api/risk", {"days": "-1"}, 422, "Parameter 'days': -1 is outside 0..3660."),
])
def test_endpoint_errors_have_the_one_shape(client, path, params, status, message):
    response = client.get(path, params=params)
    assert response.status_code == status and response.json()["error"] == message
    assert set(response.json()) <= {"error", "detail", "field"}


# -- changes against a recomputation in Python on generated data ---------------------------------------------
def _out(graph: nx.MultiDiGraph, node: str, rel_type: str) -> list[str]:
    return [t for _, t, k in graph.out_edges(node, keys=True) if k == rel_type]


def law_record(graph: nx.MultiDiGraph, law: str, day: str) -> tuple | None:
    """(on, status, sources) of a law's status on `day`: its latest change, else its status_on."""
    changes = [graph.nodes[c] for c in _out(graph, law, "HAS_STATUS")]
    if not changes:
        data = graph.nodes[law]
        on = data.get("status_on")
        return (on, data.get("status"), data.get("sources")) if on is not None and on <= day else None
    dated = [(c["on"], c["status"], c.get("sources")) for c in changes if c["on"] <= day]
    if not dated:
        return None
    latest = max(c[0] for c in dated)
    return min((c for c in dated if c[0] == latest), key=lambda c: c[1])


def task_record(graph: nx.MultiDiGraph, task: str, day: str) -> tuple | None:
    changes = [(graph.nodes[c]["on"], graph.nodes[c]["status"], graph.nodes[c].get("sources"))
               for c in _out(graph, task, "HAS_STATUS") if graph.nodes[c]["on"] <= day]
    if not changes:
        return None
    latest = max(c[0] for c in changes)
    return min((c for c in changes if c[0] == latest), key=lambda c: c[1])


def srcs(sources: list[str] | None) -> tuple[str, ...]:
    return tuple(sorted(sources or []))


def upstream_laws(graph: nx.MultiDiGraph, task: str) -> set[str]:
    """Laws reachable from `task` by DEPENDS_ON chains of 1 to 8 steps."""
    seen, frontier, laws = {task}, [task], set()
    for _ in range(8):
        frontier = [t for n in frontier for t in _out(graph, n, "DEPENDS_ON")]
        for node in frontier:
            if graph.nodes[node].get("labels") == "Law":
                laws.add(node)
        frontier = [n for n in frontier if n not in seen and not seen.add(n)]
    return laws


def expected_changes(graph: nx.MultiDiGraph, facts: dict[str, TaskFacts], since: str, until: str) -> set:
    found = set()
    for task, fact in facts.items():
        src = tuple(sorted(graph.nodes[task].get("sources") or []))
        assigned = fact.assigned_on
        if assigned is not None and since < assigned <= until:
            found.add((assigned, "assigned", task, None, None, src))
        finished = fact.finished_on(until)
        if finished is not None and finished > since:
            record = next(c for c in _out(graph, task, "HAS_STATUS")
                          if graph.nodes[c]["on"] == finished and graph.nodes[c]["status"] == "done")
            found.add((finished, "done", task, None, fact.category(until),
                       tuple(sorted(graph.nodes[record].get("sources") or []))))
        if fact.category(until) == "overdue" and fact.category(since) != "overdue":
            deadline = fact.deadline_on(until)
            if deadline is not None:
                found.add((deadline, "overdue", task, None, f"due {deadline}", src))
            else:
                on = max(on for on, status in fact.statuses if status == "overdue" and on <= until)
                record = next(c for c in _out(graph, task, "HAS_STATUS")
                              if graph.nodes[c]["on"] == on and graph.nodes[c]["status"] == "overdue")
                found.add((on, "overdue", task, None, "recorded overdue",
                           tuple(sorted(graph.nodes[record].get("sources") or []))))
        moves = sorted((graph.nodes[c]["on"], graph.nodes[c]["deadline"], c)
                       for c in _out(graph, task, "HAS_DEADLINE"))
        for index, (on, deadline, node) in enumerate(moves):
            if since < on <= until:
                previous = moves[index - 1][1] if index else fact.deadline
                found.add((on, "deadline_moved", task, None, f"{previous or '?'} -> {deadline}",
                           tuple(sorted(graph.nodes[node].get("sources") or []))))
        for law in upstream_laws(graph, task):
            blocked = []
            for day in (since, until):
                law_now, task_now = law_record(graph, law, day), task_record(graph, task, day)
                blocked.append((law_now is None or law_now[1] not in FINISHED_LAW)
                               and fact.exists_on(day) and (task_now is None or task_now[1] != "done"))
            if blocked[0] == blocked[1]:
                continue
            law_now, task_now = law_record(graph, law, until), task_record(graph, task, until)
            if blocked[1]:
                new = assigned is not None and assigned > since
                by_assignment = (assigned, graph.nodes[task].get("sources")) if new else None
                causes = [c for c in (by_assignment, law_now and (law_now[0], law_now[2]),
                                      task_now and (task_now[0], task_now[2])) if c]
                latest = max(c[0] for c in causes)
                cause = next(c for c in causes if c[0] == latest)
                found.add((cause[0], "blocked", task, law, f"blocked by {law}", srcs(cause[1])))
            elif law_now[1] in FINISHED_LAW and (task_now is None or task_now[1] != "done"):
                found.add((law_now[0], "unblocked", task, law, f"{law} {law_now[1]}", srcs(law_now[2])))
    for law, data in graph.nodes(data=True):
        if data.get("labels") == "Law":
            for change in _out(graph, law, "HAS_STATUS"):
                c = graph.nodes[change]
                if since < c["on"] <= until:
                    found.add((c["on"], "law_status", None, law, c["status"], srcs(c.get("sources"))))
    return found


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    out = generate_into(tmp_path_factory.mktemp("changes") / "data")
    with scratch_graph(server, "generated-changes") as store:
        load_paths([out], store)
        graph = whole_graph(store)
        yield store, graph, all_task_facts(graph)


WINDOWS = [("2025-01-20", "2025-03-15"), ("2025-03-15", "2025-06-01"), ("2025-05-22", "2025-07-02"),
           ("2025-07-02", "2025-12-31"), ("2025-12-31", "2026-07-01"), ("2024-12-01", "2026-07-01")]


@pytest.mark.parametrize(("since", "until"), WINDOWS)
def test_changes_agree_with_a_recomputation_in_python(generated, since, until):
    store, graph, facts = generated
    query = get_query("changes")
    expected = expected_changes(graph, facts, since, until)
    # the Cypher itself (the definition), and the answer from the loader's derived state
    for rows in (store.read(query.text, query.bind({"since": since, "until": until})).rows,
                 query.run(store, {"since": since, "until": until}).rows):
        ours = {(r["date"], r["kind"], r["task_id"], r["law_id"], r["detail"],
                 tuple(sorted(r["sources"] or []))) for r in rows}
        assert len(ours) == len(rows)  # no item twice
        assert ours == expected
        keys = [(r["date"], r["task_id"] or "", r["law_id"] or "") for r in rows]
        assert [k[0] for k in keys] == sorted(k[0] for k in keys)


def test_the_windows_hold_every_kind_of_change(generated):
    store, _graph, _facts = generated
    kinds = {r["kind"] for since, until in WINDOWS
             for r in get_query("changes").run(store, {"since": since, "until": until}).rows}
    assert kinds == {"assigned", "done", "overdue", "deadline_moved", "law_status", "unblocked", "blocked"}


def test_changes_for_one_generated_agency_are_a_part_of_the_whole(generated):
    store, graph, _facts = generated
    agency = max((a for a, d in graph.nodes(data=True) if d.get("labels") == "Agency"),
                 key=lambda a: sum(1 for _, t, k in graph.in_edges(a, keys=True) if k == "LED_BY"))
    whole = get_query("changes").run(store, {"since": "2025-03-15", "until": "2025-12-31"}).rows
    part = get_query("changes").run(
        store, {"since": "2025-03-15", "until": "2025-12-31", "agency": agency}).rows
    key = ("date", "kind", "task_id", "law_id", "detail")
    assert part and {tuple(r[k] for k in key) for r in part} <= {tuple(r[k] for k in key) for r in whole}
    assert all(agency in r["lead_ids"] for r in part if r["task_id"])


# -- the command line --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bundled_cli_env(server):
    import os
    import uuid

    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYGRAPH_", "NEO4J_"))}
    env["POLICYGRAPH_HOME"] = str(server.home)
    env["POLICYGRAPH_GRAPH"] = f"cli{uuid.uuid4().hex[:10]}"
    run_cli(env, "load", check=True)
    yield env


def test_cli_changes_risk_and_digest(bundled_cli_env):
    changed = run_cli(bundled_cli_env, "changes", "--until", JUL_2, "-f", "json", check=True)
    rows = json.loads(changed.stdout)
    assert "Changes after 2025-05-28 up to 2025-07-02" in changed.stderr  # since the last meeting
    assert {"kind": "law_status", "law_id": "law-khcn-dmst", "detail": "passed"}.items() <= next(
        r for r in rows if r["law_id"] == "law-khcn-dmst" and r["kind"] == "law_status").items()
    named = json.loads(run_cli(bundled_cli_env, "query", "changes", "-p", f"until={JUL_2}", "-f", "json",
                               check=True).stdout)
    assert [(r["date"], r["kind"], r["task_id"], r["law_id"]) for r in named] == [
        (r["date"], r["kind"], r["task_id"], r["law_id"]) for r in rows]
    risk = json.loads(run_cli(bundled_cli_env, "risk", "--as-of", MAY_22, "--agency", "bo-tai-chinh",
                              "-f", "json", check=True).stdout)
    assert [r["task_id"] for r in risk] == [
        "task-25-tb-tgv-1b", "task-25-tb-tgv-2b-bo-tai-chinh", *FINANCE_402]
    digest = run_cli(bundled_cli_env, "digest", "--agency", "bo-khcn", "--since", MAY_22, "--until", JUL_2,
                     "-f", "csv", check=True)
    lines = digest.stdout.splitlines()
    assert lines[0] == "section,date,kind,task_id,law_id,detail,sources"
    assert {line.split(",")[0] for line in lines[1:]} == {"changed", "overdue", "blocked_by"}
    missing = run_cli(bundled_cli_env, "digest", "--agency", "nope")
    assert missing.returncode == 1 and "No agency with id 'nope'." in missing.stderr
    assert "Traceback" not in missing.stderr


def test_digest_blocking_is_blocking_laws_for_the_agency(bundled_store):
    digest = briefing.digest(bundled_store, "bo-tai-chinh", since=MAY_22, until=JUL_2)
    expected = [(r["law_id"], r["task_id"]) for r in get_query("blocking-laws").run(
        bundled_store, {"as_of": JUL_2}).rows if "bo-tai-chinh" in r["lead_ids"]]
    assert [(r["law_id"], r["task_id"]) for r in digest["blocking"]] == expected and expected
    overdue = {r["task_id"] for r in digest["overdue"]}
    late = get_query("overdue-tasks").run(bundled_store, {"as_of": JUL_2}).rows
    assert overdue == {r["task_id"] for r in late if "bo-tai-chinh" in r["lead_ids"]}
