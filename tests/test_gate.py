"""The read-query gate (issue 29, items 2 and 3): what makes the store's parser or allocator
blow up is refused from the query's tokens before the store sees it, with a 400 that names
the limit and its setting; and the store keeps answering everyone else.

The bombs go to a server of the test's own, capped by address space (RLIMIT_AS, set by the
test), so a guard that let one through would kill only that server.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.guard import QueryGuard, QueryRefused
from graph.settings import Settings, get_settings
from graph.store import query_guard
from graph.store.embedded import EmbeddedServer, StoreLimits
from graph.store.falkor import FalkorStore
from tests.conftest import serve_in_thread, short_tempdir

NOTS = "RETURN " + "NOT " * 24 + "true AS x"
MINUSES = "RETURN " + "- " * 30 + "1 AS x"
CASES = "RETURN " + "CASE WHEN true THEN " * 20 + "1" + " END" * 20 + " AS x"
RANGE_LITERAL = "UNWIND range(1, 1000000000) AS x RETURN count(x) AS c"
RANGE_SIZE = "RETURN size(range(1, 300000000)) AS s"
RANGE_PARAM = "UNWIND range(1, $n) AS x RETURN count(x) AS c"
RANGE_ARITHMETIC = "RETURN size(range(0, 1000 * 1000 * (1000 + 1), 1)) AS s"


@pytest.fixture(scope="module")
def capped():
    """A store of the module's own under a 2 GB address-space cap, and a graph in it."""
    server = EmbeddedServer(short_tempdir("pggate"), StoreLimits(query_memory_mb=64,
                                                                 store_memory_mb=2048))
    server.start()
    limits = Path(f"/proc/{server.pid()}/limits").read_text()
    line = next(row for row in limits.splitlines() if row.startswith("Max address space"))
    assert line.split()[3] == "2147483648", "never send a bomb to an uncapped store"
    store = FalkorStore(server, "gate", guard=query_guard(Settings(home=server.home)))
    yield server, store
    store.close()
    server.stop()
    shutil.rmtree(server.home, ignore_errors=True)


@pytest.mark.parametrize(("query", "params", "said", "setting"), [
    (NOTS, {}, "24 prefix operators (NOT, unary - or +) in a row", "POLICYGRAPH_QUERY_MAX_CHAIN"),
    (MINUSES, {}, "30 prefix operators", "POLICYGRAPH_QUERY_MAX_CHAIN"),
    (CASES, {}, "nests CASE 20 levels deep", "POLICYGRAPH_QUERY_MAX_CASE_DEPTH"),
    ("RETURN " + "NOT (" * 6 + "NOT NOT NOT NOT NOT NOT true" + ")" * 6 + " AS x", {},
     "nests expressions 18 levels deep", "POLICYGRAPH_QUERY_MAX_NESTING"),
    ("RETURN " + " + ".join(["1"] * 3000) + " AS x", {}, "6,002 tokens",
     "POLICYGRAPH_QUERY_MAX_TOKENS"),
    (RANGE_LITERAL, {}, "range(1, 1000000000) makes a list of 1,000,000,000 numbers",
     "POLICYGRAPH_QUERY_MAX_LIST_ITEMS"),
    (RANGE_SIZE, {}, "a list of 300,000,000 numbers", "POLICYGRAPH_QUERY_MAX_LIST_ITEMS"),
    (RANGE_PARAM, {"n": 10**9}, "range(1, $n) makes a list of 1,000,000,000",
     "POLICYGRAPH_QUERY_MAX_LIST_ITEMS"),
    (RANGE_ARITHMETIC, {}, "a list of 1,001,000,001 numbers", "POLICYGRAPH_QUERY_MAX_LIST_ITEMS"),
])
def test_a_bomb_is_refused_before_the_store_and_the_store_lives_on(capped, query, params,
                                                                   said, setting):
    server, store = capped
    pid = server.pid()
    with pytest.raises(QueryRefused) as refused:
        store.read(query, params, timeout_ms=5_000)
    assert said in refused.value.message
    assert setting in refused.value.hint
    assert store.read("RETURN 1 AS ok").rows == [{"ok": 1}] and server.pid() == pid


def test_strings_comments_and_names_do_not_count_and_small_shapes_pass(capped):
    _, store = capped
    quoted = ("RETURN 'NOT NOT NOT NOT NOT NOT NOT NOT NOT NOT range(1, 1000000000)' AS `- - - - "
              "- - - - - -` // CASE CASE CASE CASE CASE NOT NOT NOT NOT NOT NOT NOT NOT NOT")
    assert store.read(quoted).columns == ["- - - - - - - - - -"]
    # the most each limit lets through, answered by the real store
    assert store.read("RETURN " + "NOT " * 8 + "true AS x").rows == [{"x": True}]
    assert store.read("RETURN " + "- " * 8 + "1 AS x").rows == [{"x": 1}]
    nested_case = "RETURN " + "CASE WHEN true THEN " * 4 + "7" + " END" * 4 + " AS x"
    assert store.read(nested_case).rows == [{"x": 7}]
    assert store.read("RETURN size(range(1, $n)) AS s", {"n": 1_000}).rows == [{"s": 1_000}]
    assert store.read("RETURN 3 - -2 AS x").rows == [{"x": 5}]


def test_every_named_query_passes_the_gate():
    from queries import library

    guard = QueryGuard()
    for query in library().values():
        guard.check(query.text)  # raises for a shipped query the gate would refuse


def test_twenty_bombs_from_one_client_leave_another_answered_within_a_second(capped):
    """Issue 29's done-when: the bombs answer 400 with the limit, the store never restarts,
    and another client's query answers at once."""
    server, store = capped
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: Settings(home=server.home, graph="gate")
    pid = server.pid()
    with TestClient(app) as attacker, TestClient(app) as other:
        for query in [RANGE_LITERAL, RANGE_SIZE, NOTS, MINUSES, CASES] * 4:
            response = attacker.post("/api/cypher", json={"query": query})
            assert response.status_code == 400, response.text
            assert "POLICYGRAPH_QUERY_MAX_" in response.json()["detail"]
        started = time.monotonic()
        answer = other.post("/api/cypher", json={"query": "RETURN 41 + 1 AS n"})
        took = time.monotonic() - started
    assert answer.status_code == 200 and answer.json()["rows"] == [{"n": 42}]
    assert took < 1.0, f"another client waited {took:.2f} s"
    assert server.pid() == pid, "the store was never killed"


def test_a_list_parameter_past_the_bound_is_refused(capped):
    server, _ = capped
    small = FalkorStore(server, "gate", guard=query_guard(
        Settings(home=server.home, query_max_list_items=1_000)))
    try:
        with pytest.raises(QueryRefused) as refused:
            small.read("UNWIND $ids AS i RETURN count(i) AS c", {"ids": list(range(1_001))})
        assert refused.value.message == ("Query parameter 'ids' is a list of 1,001 items; read "
                                         "queries may pass lists of at most 1,000.")
        assert small.read("UNWIND $ids AS i RETURN count(i) AS c",
                          {"ids": list(range(1_000))}).rows == [{"c": 1_000}]
    finally:
        small.close()


def test_a_client_whose_queries_keep_stopping_the_store_is_refused_and_others_are_answered(capped):
    """A bomb the gate cannot see (its bound comes through a variable) stops the store; after
    POLICYGRAPH_CYPHER_CRASH_STRIKES of them the same client gets 429 without reaching the
    store, and another client's query answers within a second (issue 29's done-when). Over
    real HTTP, the two clients told apart as a reverse proxy in front of the API tells them
    (X-Forwarded-For, which uvicorn takes from a proxy on 127.0.0.1)."""
    from api.limits import STORE_STOPPERS

    server, store = capped
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: Settings(
        home=server.home, graph="gate", cypher_crash_strikes=2, cypher_crash_window_s=60)
    hidden = "WITH 1000000000 AS n RETURN size(range(1, n)) AS s"
    attacker, other = {"X-Forwarded-For": "192.0.2.7"}, {"X-Forwarded-For": "192.0.2.8"}
    try:
        with serve_in_thread(app) as base, httpx.Client(base_url=base, timeout=60) as http:
            statuses = []
            for _ in range(20):
                pid = server.pid()
                response = http.post("/api/cypher", json={"query": hidden}, headers=attacker)
                statuses.append(response.status_code)
                if response.status_code == 429:
                    assert server.pid() == pid, "a refused client's query never reaches the store"
                    assert int(response.headers["Retry-After"]) >= 1
                    assert "POLICYGRAPH_CYPHER_CRASH_STRIKES" in response.json()["detail"]
            assert statuses == [503, 503] + [429] * 18
            started = time.monotonic()
            answer = http.post("/api/cypher", json={"query": "RETURN 41 + 1 AS n"}, headers=other)
            took = time.monotonic() - started
        assert answer.status_code == 200 and answer.json()["rows"] == [{"n": 42}]
        assert took < 1.0, f"another client waited {took:.2f} s"
    finally:
        STORE_STOPPERS._times.pop("192.0.2.7", None)  # no state left for other tests


@pytest.mark.parametrize(("query", "params"), [
    ("UNWIND range(1, 1000000) AS x RETURN x UNION RETURN 1 AS x", {}),
    ("UNWIND range(1, 1000000) AS x RETURN x LIMIT $n", {"n": 10**9}),
])
def test_the_row_cap_holds_for_union_and_a_parameter_limit_through_the_api(capped, query, params):
    """Issue 29, item 4: both shapes fetched every row (3.68 GB RSS); the page is the store's
    (a million rows here, under the test store's 64 MB query cap)."""
    server, store = capped
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: Settings(home=server.home, graph="gate",
                                                              row_limit=100)
    response = TestClient(app).post("/api/cypher", json={"query": query, "params": params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == 100 and body["truncated"] is True and body["next_offset"] == 100
    assert body["columns"] == ["x"] and len({row["x"] for row in body["rows"]}) == 100
