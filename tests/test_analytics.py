"""Analytics over networkx graphs read from the real embedded store: exact answers on the fixture
graph, cycles reported as data errors, the bundled dataset, the CLI and the API."""

from __future__ import annotations

import json
import subprocess

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.deps import get_store
from graph.analytics import (
    ANALYTICS,
    CyclicDependencies,
    agency_centrality,
    agency_communities,
    coordination_graph,
    critical_path,
    dependency_cycles,
    dependency_graph,
    get_analytic,
    longest_chains,
)
from graph.asof import assigned_on, status_as_of
from graph.errors import NotFound, PolicygraphError
from graph.export import read_graph, to_networkx
from loaders.load import load_paths
from queries import get_query
from tests.cli_run import run_cli
from tests.conftest import scratch_graph
from tests.test_queries import FIXTURE, JUL_2, MAY_22


def run(env, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    return run_cli(env, *args, check=check)


CYCLE = ("relationships:\n"
         "  - {type: DEPENDS_ON, from: task-3nha-laws, to: task-hitech-plan, sources: [src-review]}\n")


@pytest.fixture(scope="module")
def fixture_store(server):
    with scratch_graph(server) as store:
        load_paths([FIXTURE], store)
        yield store


@pytest.fixture(scope="module")
def whole(fixture_store) -> nx.MultiDiGraph:
    return to_networkx(read_graph(fixture_store))


@pytest.fixture
def cyclic(store, tmp_path):
    """The fixture graph plus one DEPENDS_ON edge that closes a cycle of three tasks."""
    extra = tmp_path / "cycle.yaml"
    extra.write_text(CYCLE, encoding="utf-8")
    load_paths([FIXTURE, extra], store)
    return store


# -- builders -------------------------------------------------------------------------------
def test_coordination_graph(whole):
    coordination = coordination_graph(whole)
    assert sorted(coordination.nodes) == ["ban-to-chuc-tw", "bo-gddt", "bo-khcn", "bo-ngoai-giao",
                                          "bo-tai-chinh", "ubnd-ha-noi"]
    assert coordination.nodes["bo-khcn"]["tasks"] == 6
    assert coordination["bo-khcn"]["bo-tai-chinh"] == {
        "weight": 2, "tasks": ["task-3nha-finance", "task-3nha-laws"]}
    assert coordination.number_of_edges() == 5


def test_status_as_of_agrees_with_the_named_queries(whole, fixture_store):
    """The Python rule and the Cypher rule give the same task statuses on every date."""
    for as_of in ("2025-05-21", MAY_22, "2025-05-24", "2025-06-14", JUL_2, "2026-01-01"):
        rows = get_query("blocking-laws").run(fixture_store, {"as_of": as_of}).rows
        for row in rows:
            assert status_as_of(whole, row["task_id"], as_of) == row["task_status"], (as_of, row["task_id"])
            assert status_as_of(whole, row["law_id"], as_of) == row["law_status"], (as_of, row["law_id"])
            assert assigned_on(whole, row["task_id"]) == row["assigned_on"], row["task_id"]
    assert status_as_of(whole, "law-cong-nghe-cao", "2009-06-30") is None
    assert status_as_of(whole, "law-cong-nghe-cao", "2009-07-01") == "in_force"
    assert status_as_of(whole, "law-khcn-dmst", "2025-06-27") == "passed"


def test_dependency_graph_statuses_and_finished(whole):
    deps = dependency_graph(whole, JUL_2)
    assert sorted(deps.edges("task-3nha-finance")) == [("task-3nha-finance", "law-ngan-sach"),
                                                        ("task-3nha-finance", "task-3nha-laws")]
    assert deps.nodes["law-khcn-dmst"]["finished"] and not deps.nodes["law-ngan-sach"]["finished"]
    assert deps.nodes["task-ai-strategy"] | {} == {
        "label": "Task", "name": "Chiến lược quốc gia về trí tuệ nhân tạo", "deadline": "2025-05-28",
        "status": "done", "category": "done_late", "finished": True}
    assert "task-ppp" in deps  # every task, with or without dependencies
    assert "task-sub-law-texts" in deps and "task-sub-law-texts" not in dependency_graph(whole, MAY_22)
    assert assigned_on(whole, "task-hitech-plan") == MAY_22  # the meeting behind notice 25-TB/TGV
    assert assigned_on(whole, "task-sub-law-texts") == JUL_2
    assert assigned_on(whole, "task-foreign-experts") == MAY_22
    assert assigned_on(whole, "task-ppp") == "2025-01-20"  # Plan 01's issue date


# -- algorithms -------------------------------------------------------------------------------
def test_centrality_finds_the_bottleneck(whole):
    rows = agency_centrality(coordination_graph(whole))
    assert rows[0] == {"agency_id": "bo-khcn", "agency_name": "Bộ Khoa học và Công nghệ", "tasks": 6,
                       "partners": 4, "shared_tasks": 6, "degree_centrality": 0.8, "betweenness": 0.5}
    assert [(r["agency_id"], r["betweenness"], r["partners"]) for r in rows[1:]] == [
        ("bo-tai-chinh", 0.0, 2), ("bo-gddt", 0.0, 2), ("bo-ngoai-giao", 0.0, 1),
        ("ubnd-ha-noi", 0.0, 1), ("ban-to-chuc-tw", 0.0, 0)]
    assert agency_centrality(nx.Graph()) == []


def test_communities(whole):
    rows = agency_communities(coordination_graph(whole))
    assert [(r["community"], r["agency_ids"], r["shared_tasks_inside"]) for r in rows] == [
        (1, ["bo-khcn", "bo-ngoai-giao", "ubnd-ha-noi"], 3),
        (2, ["bo-gddt", "bo-tai-chinh"], 1),
        (3, ["ban-to-chuc-tw"], 0),
    ]
    assert rows[0]["agency_names"][0] == "Bộ Khoa học và Công nghệ"


def test_longest_chains(whole):
    rows = longest_chains(dependency_graph(whole, MAY_22))
    assert [(r["start_id"], r["hops"], r["chain_ids"], r["unfinished"]) for r in rows] == [
        ("task-hitech-plan", 3,
         ["task-hitech-plan", "task-3nha-finance", "task-3nha-laws", "law-khcn-dmst"], 4),
        ("task-ai-strategy", 1, ["task-ai-strategy", "law-cn-so"], 2),
    ]  # the task assigned on 2 July is not there on 22 May
    assert rows[0]["end_label"] == "Law"
    assert len(longest_chains(dependency_graph(whole, MAY_22), limit=1)) == 1
    with pytest.raises(PolicygraphError, match="limit must be at least 1"):
        longest_chains(dependency_graph(whole, MAY_22), limit=0)
    july = longest_chains(dependency_graph(whole, JUL_2))
    assert [(r["start_id"], r["unfinished"]) for r in july] == [
        ("task-hitech-plan", 3), ("task-ai-strategy", 0), ("task-sub-law-texts", 1)]


def test_critical_path_skips_what_is_finished(whole):
    may = critical_path(dependency_graph(whole, MAY_22), "task-hitech-plan")
    assert [(r["step"], r["id"], r["status"], r["finished"]) for r in may] == [
        (0, "task-hitech-plan", None, False), (1, "task-3nha-finance", None, False),
        (2, "task-3nha-laws", None, False), (3, "law-khcn-dmst", "amending", False)]
    # by 2 July the S&T law had passed: the path runs to the IP law, still being amended
    july = critical_path(dependency_graph(whole, JUL_2), "task-hitech-plan")
    assert [r["id"] for r in july] == ["task-hitech-plan", "task-3nha-finance", "task-3nha-laws",
                                       "law-so-huu-tri-tue"]
    assert [r["id"] for r in critical_path(dependency_graph(whole, JUL_2), "task-ai-strategy")] == [
        "task-ai-strategy"]
    # tasks carry their category on the date (graph.asof): due 28 May, open on 22 May
    assert [r["category"] for r in may] == ["open_within_deadline"] * 3 + [None]
    everything = critical_path(dependency_graph(whole, JUL_2), "task-ai-strategy", unfinished_only=False)
    assert [(r["id"], r["finished"]) for r in everything] == [("task-ai-strategy", True), ("law-cn-so", True)]
    with pytest.raises(NotFound, match="No task 'law-cn-so' assigned by 2025-07-02"):
        critical_path(dependency_graph(whole, JUL_2), "law-cn-so")
    with pytest.raises(NotFound, match="No task 'task-sub-law-texts' assigned by 2025-05-22"):
        critical_path(dependency_graph(whole, MAY_22), "task-sub-law-texts")


def test_cycles_are_reported_as_data_errors(cyclic):
    deps = dependency_graph(to_networkx(read_graph(cyclic)), JUL_2)
    assert dependency_cycles(deps) == [{
        "cycle": 1, "length": 3, "ids": ["task-3nha-finance", "task-3nha-laws", "task-hitech-plan"],
        "names": ["Hướng dẫn cơ chế tài chính cho mô hình 3 Nhà",
                  "Hoàn thiện sửa đổi các luật cho mô hình 3 Nhà",
                  "Hoàn thiện kế hoạch phát triển Khu Công nghệ cao"],
        "problem": "DEPENDS_ON cycle task-3nha-finance -> task-3nha-laws -> task-hitech-plan -> "
                   "task-3nha-finance: none of these can finish first; fix the data.",
    }]
    with pytest.raises(CyclicDependencies) as caught:
        longest_chains(deps)
    assert caught.value.status_code == 409 and "analytics cycles" in caught.value.hint
    with pytest.raises(CyclicDependencies):
        critical_path(deps, "task-hitech-plan")
    # a task whose upstream has no cycle still has a critical path
    assert [r["id"] for r in critical_path(deps, "task-ai-strategy", unfinished_only=False)] == [
        "task-ai-strategy", "law-cn-so"]


def test_registry_binds_parameters(fixture_store):
    assert set(ANALYTICS) == {"centrality", "communities", "longest-chains", "critical-path", "cycles"}
    path = get_analytic("critical-path")
    assert path.bind({"task": "t", "as_of": MAY_22, "unfinished_only": "false"}) == {
        "task": "t", "as_of": MAY_22, "unfinished_only": False}
    with pytest.raises(PolicygraphError, match="needs the parameter 'task'"):
        path.bind({})
    with pytest.raises(PolicygraphError, match="has no parameter limit"):
        path.bind({"task": "t", "limit": "3"})
    with pytest.raises(NotFound, match="Known analytics"):
        get_analytic("pagerank")
    rows = get_analytic("longest-chains").run(fixture_store, {"as_of": MAY_22, "limit": "2"})
    assert [r["start_id"] for r in rows] == ["task-hitech-plan", "task-ai-strategy"]
    for analytic in ANALYTICS.values():
        params = {"task": "task-hitech-plan"} if analytic.name == "critical-path" else {}
        for row in analytic.run(fixture_store, params):
            assert tuple(row) == analytic.columns, analytic.name


# -- the bundled dataset ----------------------------------------------------------------------
def test_bundled_dataset_analytics(bundled_store):
    whole = to_networkx(read_graph(bundled_store))
    assert dependency_cycles(dependency_graph(whole, JUL_2)) == []  # DEPENDS_ON is acyclic
    central = agency_centrality(coordination_graph(whole))
    by_id = {r["agency_id"]: r for r in central}
    # MOST leads or supports the most tasks of any ministry and works with MOF on the 3-Nha laws
    ministries = [r for r in central if whole.nodes[r["agency_id"]].get("kind") == "ministry"]
    assert max(ministries, key=lambda r: r["tasks"])["agency_id"] == "bo-khcn"
    assert by_id["bo-khcn"]["partners"] >= 3 and by_id["bo-tai-chinh"]["partners"] >= 2
    communities = agency_communities(coordination_graph(whole))
    assert sum(r["size"] for r in communities) == len(central)
    path = critical_path(dependency_graph(whole, MAY_22), "task-25-tb-tgv-1b")
    assert [r["id"] for r in path] == ["task-25-tb-tgv-1b", "law-ngan-sach-nha-nuoc"]


# -- command line and API -------------------------------------------------------------------
def test_cli_analytics(bundled_store, cli_env):
    env = {**cli_env, "POLICYGRAPH_GRAPH": bundled_store.graph_name}
    listed = json.loads(run(env, "analytics", "--list", "-f", "json", check=True).stdout)
    assert [a["name"] for a in listed] == list(ANALYTICS)
    path = json.loads(run(env, "analytics", "critical-path", "-p", "task=task-25-tb-tgv-1b",
                          "-p", f"as_of={MAY_22}", "-f", "json", check=True).stdout)
    assert [(r["step"], r["id"]) for r in path] == [(0, "task-25-tb-tgv-1b"), (1, "law-ngan-sach-nha-nuoc")]
    csv_lines = run(env, "analytics", "cycles", "-f", "csv", check=True).stdout.splitlines()
    assert csv_lines == ["cycle,length,ids,names,problem"]
    missing = run(env, "analytics", "critical-path")
    assert missing.returncode == 1 and "needs the parameter 'task'" in missing.stderr
    unknown = run(env, "analytics", "pagerank")
    assert unknown.returncode == 1 and "No analytic 'pagerank'" in unknown.stderr
    assert "Traceback" not in missing.stderr + unknown.stderr


def _client(store) -> TestClient:
    from api.app import create_app
    from api.routes import analysis

    app = create_app()
    if not any(getattr(r, "path", "") == "/api/analytics" for r in app.routes):
        app.include_router(analysis.router)  # until api/app.py includes it
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app)


def test_api_analytics(fixture_store):
    client = _client(fixture_store)
    listed = client.get("/api/analytics").json()
    assert listed["count"] == 5 and listed["data"][3]["params"][0] == {
        "name": "task", "type": "string", "default": None, "required": True, "help": "the id of the task"}
    body = client.get("/api/analytics/centrality").json()
    assert body["name"] == "centrality" and body["count"] == 6
    assert body["rows"][0]["agency_id"] == "bo-khcn" and body["columns"][0] == "agency_id"
    path = client.get("/api/analytics/critical-path",
                      params={"task": "task-hitech-plan", "as_of": JUL_2}).json()
    assert [r["id"] for r in path["rows"]][-1] == "law-so-huu-tri-tue"
    missing = client.get("/api/analytics/critical-path")
    assert missing.status_code == 422 and missing.json()["error"].startswith("Analytic 'critical-path' needs")
    assert client.get("/api/analytics/pagerank").status_code == 404
    bad_date = client.get("/api/analytics/longest-chains", params={"as_of": "31/02/2025"})
    assert bad_date.status_code == 422 and "not a valid date" in bad_date.json()["error"]


def test_api_analytics_cycle_is_409(cyclic):
    response = _client(cyclic).get("/api/analytics/longest-chains")
    assert response.status_code == 409
    assert response.json()["error"].startswith("DEPENDS_ON has cycles")
    cycles = _client(cyclic).get("/api/analytics/cycles").json()
    assert cycles["count"] == 1 and cycles["rows"][0]["length"] == 3
