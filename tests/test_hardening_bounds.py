"""Bounded queries: a runaway pattern stops at the configured timeout with a clear message,
and answers are capped at the configured row limit with the cut said out loud, through the
CLI (stderr) and `POST /api/cypher` (`truncated`).

The runaway graph is made here with one UNWIND write: 200 tasks in a ring with chords, on
which `MATCH (a)-[*]-(b) RETURN count(*)` enumerates exponentially many paths. The row cap
is applied by the store itself (the server stops after the cap), so five million rows cost
what fifty do; before, the client received and parsed them all (46 s at a 10 s timeout).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.errors import QueryTimeout
from graph.settings import Settings, get_settings
from tests.conftest import REPO, scratch_graph

POLICYGRAPH = str(Path(sys.executable).with_name("policygraph"))
TIMEOUT_MS = 1_500
ROW_LIMIT = 50
RUNAWAY = "MATCH (a)-[*]-(b) RETURN count(*)"
TIMED_OUT = f"The query ran past the {TIMEOUT_MS} ms timeout and was stopped."
TIMEOUT_HINT = ("Narrow it (labels, LIMIT, shorter variable-length patterns) or raise "
                "POLICYGRAPH_QUERY_TIMEOUT_MS.")
MANY_ROWS = "UNWIND range(1, 5000000) AS i RETURN i"
# One write: node i depends on i+1 (a ring) and on 11i+3 (chords; never a loop or a double).
RING = (
    "UNWIND range(0, 199) AS i "
    "MERGE (a:Task {id: 'n' + toString(i)}) "
    "MERGE (b:Task {id: 'n' + toString((i + 1) % 200)}) "
    "MERGE (c:Task {id: 'n' + toString((i * 11 + 3) % 200)}) "
    "CREATE (a)-[:DEPENDS_ON]->(b), (a)-[:DEPENDS_ON]->(c)"
)


@pytest.fixture
def ring(server, cli_env):
    """The runaway graph, in the graph the CLI of `cli_env` reads."""
    with scratch_graph(server, cli_env["POLICYGRAPH_GRAPH"]) as store:
        store.write(RING)
        assert store.counts() == (200, 400)
        yield store


def _client(ring, server, timeout_ms: int = TIMEOUT_MS) -> TestClient:
    app = create_app()
    app.dependency_overrides[get_store] = lambda: ring
    app.dependency_overrides[get_settings] = lambda: Settings(
        home=server.home, graph=ring.graph_name, query_timeout_ms=timeout_ms, row_limit=ROW_LIMIT)
    return TestClient(app)


@pytest.fixture
def client(ring, server):
    return _client(ring, server)


def cli(env: dict[str, str], *args: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {**env, "POLICYGRAPH_QUERY_TIMEOUT_MS": str(TIMEOUT_MS),
           "POLICYGRAPH_ROW_LIMIT": str(ROW_LIMIT)}
    started = time.monotonic()
    result = subprocess.run([POLICYGRAPH, *args], capture_output=True, text=True, env=env,
                            timeout=120, cwd=REPO)
    return result, time.monotonic() - started


# -- timeout ---------------------------------------------------------------------------------------
def test_runaway_pattern_stops_at_the_timeout_in_the_store(ring):
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as stopped:
        ring.read(RUNAWAY, timeout_ms=TIMEOUT_MS, limit=ROW_LIMIT)
    elapsed = time.monotonic() - started
    assert TIMEOUT_MS / 1000 * 0.9 <= elapsed < TIMEOUT_MS / 1000 + 3, elapsed
    assert stopped.value.message == TIMED_OUT and stopped.value.hint == TIMEOUT_HINT
    assert ring.read("RETURN 1 AS ok").rows == [{"ok": 1}], "the store answers right after"


def test_runaway_pattern_stops_at_the_timeout_through_the_cli(ring, cli_env):
    result, elapsed = cli(cli_env, "query", "--cypher", RUNAWAY, "--format", "json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"Error: {TIMED_OUT}" in result.stderr and TIMEOUT_HINT in result.stderr
    assert "Traceback" not in result.stderr
    assert elapsed >= TIMEOUT_MS / 1000 * 0.9


def test_runaway_pattern_stops_at_the_timeout_through_the_api(client):
    started = time.monotonic()
    response = client.post("/api/cypher", json={"query": RUNAWAY})
    elapsed = time.monotonic() - started
    assert response.status_code == 408
    assert response.json() == {"error": TIMED_OUT, "detail": TIMEOUT_HINT}
    assert TIMEOUT_MS / 1000 * 0.9 <= elapsed < TIMEOUT_MS / 1000 + 3, elapsed
    assert client.get("/api/health").json()["nodes"] == 200, "the API answers right after"


# -- row cap --------------------------------------------------------------------------------------
def test_row_cap_is_applied_by_the_store_so_millions_of_rows_cost_nothing(ring):
    started = time.monotonic()
    result = ring.read(MANY_ROWS, timeout_ms=10_000, limit=ROW_LIMIT)
    elapsed = time.monotonic() - started
    assert [row["i"] for row in result.rows] == list(range(1, ROW_LIMIT + 1))
    assert result.truncated is True and result.columns == ["i"]
    assert elapsed < 5, f"{elapsed:.1f} s for {ROW_LIMIT} of 5,000,000 rows"


def test_row_cap_keeps_order_columns_and_the_exact_boundary(ring):
    query = ("MATCH (a:Task)-[:DEPENDS_ON]->(b) RETURN b.id AS to, a.id AS from "
             "ORDER BY from DESC, to")
    everything = ring.read(query).rows
    assert len(everything) == 400
    capped = ring.read(query, limit=ROW_LIMIT)
    assert capped.columns == ["to", "from"]
    assert capped.rows == everything[:ROW_LIMIT] and capped.truncated is True
    exact = ring.read(f"UNWIND range(1, {ROW_LIMIT}) AS i RETURN i", limit=ROW_LIMIT)
    assert len(exact.rows) == ROW_LIMIT and exact.truncated is False
    one_more = ring.read(f"UNWIND range(1, {ROW_LIMIT + 1}) AS i RETURN i", limit=ROW_LIMIT)
    assert len(one_more.rows) == ROW_LIMIT and one_more.truncated is True
    own_limit = ring.read("MATCH (t:Task) RETURN t.id AS id ORDER BY id LIMIT 3", limit=ROW_LIMIT)
    assert [r["id"] for r in own_limit.rows] == ["n0", "n1", "n10"] and not own_limit.truncated


def test_row_cap_of_a_union_counts_every_branch(ring):
    result = ring.read("UNWIND range(1, 30) AS i RETURN i UNION UNWIND range(31, 100) AS i "
                       "RETURN i", limit=ROW_LIMIT)
    assert [row["i"] for row in result.rows] == list(range(1, ROW_LIMIT + 1))
    assert result.truncated is True
    small = ring.read("RETURN 1 AS i UNION RETURN 2 AS i", limit=ROW_LIMIT)
    assert small.rows == [{"i": 1}, {"i": 2}] and small.truncated is False


def test_a_page_is_skipped_to_by_the_store_and_in_a_union(ring):
    numbers = "UNWIND range(1, 100) AS i RETURN i"
    page = ring.read(numbers, limit=10, skip=20)
    assert [row["i"] for row in page.rows] == list(range(21, 31)) and page.truncated is True
    last = ring.read(numbers, limit=10, skip=95)
    assert [row["i"] for row in last.rows] == list(range(96, 101)) and last.truncated is False
    union = ring.read("UNWIND range(1, 30) AS i RETURN i UNION UNWIND range(31, 100) AS i "
                      "RETURN i", limit=10, skip=25)
    assert [row["i"] for row in union.rows] == list(range(26, 36)) and union.truncated is True


def test_row_cap_is_said_on_cli_stderr(ring, cli_env):
    result, elapsed = cli(cli_env, "query", "--cypher", MANY_ROWS, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"i": i} for i in range(1, ROW_LIMIT + 1)]
    assert f"Only the first {ROW_LIMIT} rows are shown (POLICYGRAPH_ROW_LIMIT)." in result.stderr
    small, _ = cli(cli_env, "query", "--cypher", "RETURN 1 AS i", "--format", "json")
    assert json.loads(small.stdout) == [{"i": 1}] and "Only the first" not in small.stderr


def test_row_cap_is_said_in_the_api_answer(client):
    response = client.post("/api/cypher", json={"query": MANY_ROWS})
    assert response.status_code == 200
    body = response.json()
    assert body["truncated"] is True and body["count"] == ROW_LIMIT
    assert body["rows"] == [{"i": i} for i in range(1, ROW_LIMIT + 1)]
    nodes = client.post("/api/cypher", json={"query": "MATCH (t:Task) RETURN t ORDER BY t.id"}).json()
    assert nodes["truncated"] is True and len(nodes["graph"]["nodes"]) == ROW_LIMIT
    small = client.post("/api/cypher", json={"query": "MATCH (t:Task {id: 'n0'}) RETURN t.id AS id"})
    assert small.json()["truncated"] is False and small.json()["rows"] == [{"id": "n0"}]


def test_nested_answers_too_deep_to_read_are_a_clear_400(ring, server):
    """A tiny query can build a list nested 5,000 deep; reading it overflowed Python's stack.
    2,000 levels are past both readers' limits too. Building them is quadratic and took past
    this module's 1.5 s timeout on a loaded machine, so this test's client waits 30 s: what it
    checks is the reading, not the timeout."""
    client = _client(ring, server, timeout_ms=30_000)
    response = client.post("/api/cypher", json={
        "query": "RETURN reduce(x = [], i IN range(1, 2000) | [x]) AS deep"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("The answer is nested too deeply to read")
    deep_param = {"query": "RETURN $p AS p", "params": {"p": json.loads("[" * 500 + "]" * 500)}}
    response = client.post("/api/cypher", json=deep_param)
    assert response.status_code == 400
    assert response.json()["error"] == "Query parameter 'p' is nested more than 64 levels deep."
    assert client.post("/api/cypher", json={"query": "RETURN 1 AS ok"}).json()["rows"] == [{"ok": 1}]


@pytest.mark.parametrize(("params", "error"), [
    ({"p": 2**64}, "Query parameter 'p' holds an integer outside 64 bits."),
    ({"p": {"": 1}}, "Query parameter 'p' has a map key that is empty or holds a backtick or NUL."),
])
def test_parameters_no_store_can_carry_are_a_clear_400(client, params, error):
    response = client.post("/api/cypher", json={"query": "RETURN $p AS p", "params": params})
    assert response.status_code == 400
    assert response.json()["error"] == error


def test_non_finite_numbers_in_the_body_are_a_clear_400(client):
    for literal in ("NaN", "Infinity", "-Infinity"):
        body = '{"query": "RETURN $p AS p", "params": {"p": ' + literal + "}}"
        response = client.post("/api/cypher", content=body,
                               headers={"content-type": "application/json"})
        assert response.status_code == 400, literal
        assert response.json()["error"].startswith("Query parameter 'p' holds "), literal

