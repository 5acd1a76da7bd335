"""Hardening, round two (issue 14, items 1-6): no read query can crash, wedge or reach out
of the store, hold every store thread, or make an answer or an export unbounded.

Memory bombs run only against a store of the test's own, started with a low per-query cap
(QUERY_MEM_CAPACITY, 64 MB) and a low address-space cap (RLIMIT_AS, 2 GB) that the test
checks in /proc before it sends anything: a bomb can kill that store, never the machine.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from api.limits import CYPHER, EXPORTS
from graph.errors import QueryTooBig, StoreUnavailable
from graph.guard import QueryGuard, QueryRefused
from graph.settings import Settings, get_settings
from graph.store import query_guard
from graph.store.embedded import EmbeddedServer, StoreLimits
from graph.store.falkor import FalkorStore
from tests.conftest import REPO, scratch_graph, short_tempdir
from tests.test_hardening_bounds import RING, RUNAWAY

POLICYGRAPH = str(Path(sys.executable).with_name("policygraph"))
NESTED_23 = "RETURN " + "(" * 23 + "1" + ")" * 23 + " AS x"
# its bound comes through a variable, which the guard does not follow (literal or parameter
# bounds it refuses: tests/test_gate.py), so this one still reaches the store
BILLION = "WITH 1000000000 AS n UNWIND range(1, n) AS x RETURN count(x) AS c"


def client_for(store, server, **settings) -> TestClient:
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: Settings(
        home=server.home, graph=store.graph_name, **settings)
    return TestClient(app)


# -- 1. memory: a per-query cap, an address-space cap, and a restart ----------------------------
@pytest.fixture
def capped_server():
    server = EmbeddedServer(short_tempdir("pgcap"), StoreLimits(query_memory_mb=64,
                                                                store_memory_mb=2048))
    server.start()
    limits = Path(f"/proc/{server.pid()}/limits").read_text()
    line = next(row for row in limits.splitlines() if row.startswith("Max address space"))
    assert line.split()[3:5] == ["2147483648", "2147483648"], "never send a bomb to an uncapped store"
    yield server
    server.stop()
    shutil.rmtree(server.home, ignore_errors=True)


def test_the_store_starts_with_the_configured_bounds(capped_server):
    store = FalkorStore(capped_server, "g")
    config = dict(store._db.connection.execute_command("GRAPH.CONFIG", "GET", "*"))
    assert config["QUERY_MEM_CAPACITY"] == 64 * 1024 * 1024
    assert config["THREAD_COUNT"] == Settings.model_fields["store_threads"].default
    assert config["MAX_QUEUED_QUERIES"] == Settings.model_fields["store_queue"].default
    assert config["TIMEOUT_MAX"] == config["TIMEOUT_DEFAULT"] == 120_000
    assert config["IMPORT_FOLDER"] == f"{capped_server.home}/import/"
    import_dir = capped_server.home / "import"
    assert import_dir.stat().st_mode & 0o777 == 0o700 and list(import_dir.iterdir()) == []


def test_a_query_past_its_memory_cap_stops_with_a_message_and_the_store_lives_on(capped_server):
    store = FalkorStore(capped_server, "g")
    for query in ("WITH 5000000 AS n RETURN size(range(1, n)) AS s",  # 80 MB in one list
                  "UNWIND range(1, 3000000) AS x RETURN collect(x)[0] AS first"):
        with pytest.raises(QueryTooBig) as stopped:
            store.read(query, timeout_ms=10_000)
        assert stopped.value.message == ("The query needed more memory than one query may use "
                                         "in the store, and was stopped.")
        assert "POLICYGRAPH_QUERY_MEMORY_MB" in stopped.value.hint
    assert store.read("RETURN 1 AS ok").rows == [{"ok": 1}]


def test_a_store_killed_by_a_bomb_is_restarted_by_itself_with_a_log_line(capped_server, caplog):
    """range(1, 1e9) asks for 16 GB in one block, before FalkorDB's per-query check: under the
    address-space cap that allocation fails and the store aborts; the next call restarts it."""
    store = FalkorStore(capped_server, "g")
    store.write("CREATE (:Task {id: 'kept'})")
    first_pid = capped_server.pid()
    client = client_for(store, capped_server)
    with caplog.at_level(logging.WARNING, logger="graph.store.embedded"):
        response = client.post("/api/cypher", json={"query": BILLION})
    assert response.status_code == 503
    assert response.json()["error"] == (
        "The embedded store had stopped (out of memory, or killed), during this query or "
        "before it, and has been restarted; the query was not run again.")
    assert any("had stopped without being asked to" in r.message for r in caplog.records)
    assert any("was restarted" in r.message for r in caplog.records)
    assert capped_server.pid() not in (None, first_pid)
    assert client.get("/api/health").json()["nodes"] == 1, "the written node survived"
    rows = client.post("/api/cypher", json={"query": "MATCH (t:Task) RETURN t.id AS id"}).json()
    assert rows["rows"] == [{"id": "kept"}]


def test_a_stopped_store_is_not_taken_for_a_crashed_one(capped_server):
    capped_server.stop()
    assert capped_server.crashed() is False and capped_server.restart_if_crashed() is False
    assert capped_server.ping() is False


# -- 2. nesting and length, refused before the store ---------------------------------------------
def test_deep_nesting_is_refused_before_the_store_parses_it(store):
    started = time.monotonic()
    with pytest.raises(QueryRefused) as refused:
        store.read(NESTED_23)
    assert time.monotonic() - started < 1, "refused without the 16-20 s parse"
    assert refused.value.message == ("The query nests brackets 23 levels deep; read queries "
                                     "may nest (), [] and {} at most 8 levels.")
    assert "POLICYGRAPH_QUERY_MAX_DEPTH" in refused.value.hint
    for opener, closer in (("[", "]"), ("{a: ", "}"), ("size(", ")")):
        with pytest.raises(QueryRefused):
            store.read("RETURN " + opener * 9 + "[1]" + closer * 9 + " AS x")
    with pytest.raises(QueryRefused) as deep_param:
        store.read("RETURN $p AS p", {"p": [[[[[[[[[[1]]]]]]]]]]})
    assert deep_param.value.message == "Query parameter 'p' nests lists or maps more than 8 levels deep."


def test_brackets_in_strings_and_comments_do_not_count(store):
    text = "(" * 30 + "[" * 30
    query = (f"RETURN '{text}' AS a, \"{text}\" AS b, size('it\\'s {text}') AS c "
             f"// {text}\n/* {text} */")
    assert store.read(query).rows == [{"a": text, "b": text, "c": len(text) + 5}]
    assert store.read("RETURN " + "(" * 8 + "1" + ")" * 8 + " AS x").rows == [{"x": 1}]


def test_a_too_long_query_is_refused(store):
    long = "RETURN 1 AS x" + " " * 20_000
    with pytest.raises(QueryRefused) as refused:
        store.read(long)
    assert refused.value.message == ("The query is 20,013 characters long; read queries may "
                                     "have at most 20,000.")


def test_the_guard_applies_through_the_api_the_cli_and_named_queries(store, server, cli_env):
    client = client_for(store, server)
    response = client.post("/api/cypher", json={"query": NESTED_23})
    assert response.status_code == 400
    assert response.json()["error"].startswith("The query nests brackets 23 levels deep")
    env = {**cli_env, "POLICYGRAPH_GRAPH": store.graph_name}
    result = subprocess.run([POLICYGRAPH, "query", "--cypher", NESTED_23], capture_output=True,
                            text=True, env=env, timeout=60, cwd=REPO)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "The query nests brackets 23 levels deep" in result.stderr
    from queries import get_query

    # the guard is in the store's read: a named query goes through it too, and passes
    assert get_query("graph-summary").run(store).rows == []
    with pytest.raises(QueryRefused):
        QueryGuard(max_depth=2).check(get_query("blocking-laws").text)


# -- 3. LOAD CSV and procedures that reach out ----------------------------------------------------
@pytest.mark.parametrize("query", [
    "LOAD CSV FROM 'https://127.0.0.1:9/x.csv' AS row RETURN row",
    "load csv from 'file:///etc/passwd' as row return row",
    "LoAd\t\n CsV WITH HEADERS FROM 'https://127.0.0.1:9/x' AS r RETURN r",
    "LOAD/* a comment */CSV FROM 'https://127.0.0.1:9/x' AS r RETURN r",
    "LOAD // a comment\nCSV FROM 'https://127.0.0.1:9/x' AS r RETURN r",
    "WITH 1 AS x CALL { LOAD CSV FROM 'file://x.csv' AS r RETURN r } RETURN r",
    "CALL apoc.load.json('https://127.0.0.1:9/x') YIELD value RETURN value",
    "CALL `apoc`.`load`.json('https://127.0.0.1:9/x') YIELD value RETURN value",
])
def test_load_csv_and_loading_procedures_are_refused_on_read_paths(store, server, query):
    with pytest.raises(QueryRefused) as refused:
        store.read(query)
    assert "is not allowed in a read query: it makes the store read files or reach the network." \
        in refused.value.message
    response = client_for(store, server).post("/api/cypher", json={"query": query})
    assert response.status_code == 400 and "is not allowed in a read query" in response.json()["error"]


def test_the_words_load_and_csv_elsewhere_are_fine(store):
    rows = store.read("WITH 'LOAD CSV' AS load, 2 AS csv RETURN load, csv, `load` + ' CSV' AS q "
                      "// LOAD CSV").rows
    assert rows == [{"load": "LOAD CSV", "csv": 2, "q": "LOAD CSV CSV"}]


def test_the_store_runs_without_network_so_load_csv_reaches_no_host(own_server):
    """Even the write path, which has no guard, cannot connect anywhere: the store runs in a
    network namespace of its own. A listener on this machine's loopback gets no connection."""
    import socket

    assert Path(f"/proc/{own_server.pid()}/ns/net").readlink() != Path("/proc/self/ns/net").readlink()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(2)
    port = listener.getsockname()[1]
    store = FalkorStore(own_server, "g")
    try:
        loaded = store.write(f"LOAD CSV FROM 'https://127.0.0.1:{port}/x.csv' AS row RETURN row")
        assert loaded.rows == []  # FalkorDB answers an unreachable URL with no rows
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()
    assert store.read("RETURN 1 AS ok").rows == [{"ok": 1}], "clients still reach it"


def test_the_store_itself_loads_no_file_outside_its_empty_import_folder(own_server):
    """Even the write path (no guard there) finds nothing to load: IMPORT_FOLDER is empty."""
    (own_server.home / "secret.csv").write_text("a,b\n1,2\n")
    store = FalkorStore(own_server, "g")
    for path in ("file://secret.csv", "file://../secret.csv", "file:///etc/passwd"):
        with pytest.raises(Exception) as failed:
            store.write(f"LOAD CSV FROM '{path}' AS row RETURN row")
        assert "Error opening CSV URI" in str(failed.value)


# -- 4. concurrency: 429 beyond the limit, and a health check that does not queue -----------------
@pytest.fixture
def ring_store(server):
    store = FalkorStore(server, f"ring{time.monotonic_ns()}")
    store.write(RING)
    yield store
    store.clear()
    store._graph.delete()
    store.close()


def test_ad_hoc_cypher_beyond_the_limit_gets_429_and_health_still_answers(ring_store, server):
    client = client_for(ring_store, server, query_timeout_ms=4_000, cypher_concurrency=2)
    answers: list[int] = []
    runaways = [threading.Thread(target=lambda: answers.append(
        client.post("/api/cypher", json={"query": RUNAWAY}).status_code)) for _ in range(2)]
    for thread in runaways:
        thread.start()
    deadline = time.monotonic() + 3  # both runaways hold their slots (a busy machine is slow)
    while CYPHER.running < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert CYPHER.running == 2
    third = client.post("/api/cypher", json={"query": "RETURN 1 AS ok"})
    assert third.status_code == 429
    assert third.headers["Retry-After"] == "2"
    assert third.json()["error"] == ("2 ad-hoc Cypher queries are already running in this "
                                     "process; try again in 2 s.")
    started = time.monotonic()
    health = client.get("/api/health")
    elapsed = time.monotonic() - started
    assert health.status_code == 200 and health.json()["status"] in ("ok", "busy")
    assert elapsed < 2, f"health took {elapsed:.1f} s while two runaway queries ran"
    for thread in runaways:
        thread.join()
    assert answers == [408, 408]
    assert client.post("/api/cypher", json={"query": "RETURN 1 AS ok"}).json()["rows"] == [{"ok": 1}]


def test_health_reports_busy_rather_than_waiting(ring_store, server):
    """With every store thread taken, the counts wait in the store's queue: health does not."""
    own = EmbeddedServer(short_tempdir("pgbusy"), StoreLimits(threads=1))
    own.start()
    try:
        store = FalkorStore(own, "g")
        store.write(RING)
        client = client_for(store, own, query_timeout_ms=3_000)
        runaway = threading.Thread(target=lambda: client.post("/api/cypher", json={"query": RUNAWAY}))
        runaway.start()
        time.sleep(0.5)
        health = client.get("/api/health")
        runaway.join()
        assert health.json() == {"status": "busy", "backend": "falkordb", "nodes": None,
                                 "relationships": None}
        assert client.get("/api/health").json()["status"] == "ok"
    finally:
        own.stop()
        shutil.rmtree(own.home, ignore_errors=True)


# -- 5. the row cap however a query ends, and a byte cap -------------------------------------------
def test_the_row_cap_holds_with_the_querys_own_limit_and_with_union(store, server):
    client = client_for(store, server, row_limit=100)
    own_limit = client.post("/api/cypher", json={
        "query": "WITH range(1,100) AS l UNWIND range(1,200000) AS x RETURN x, l LIMIT 100000000"})
    body = own_limit.json()
    assert own_limit.status_code == 200 and body["count"] == 100 and body["truncated"] is True
    assert [row["x"] for row in body["rows"]] == list(range(1, 101)) and body["columns"] == ["x", "l"]
    union = store.read("UNWIND range(1, 5000000) AS x RETURN x, 0 AS b UNION ALL "
                       "UNWIND range(1, 10) AS x RETURN x, 1 AS b", limit=50)
    assert union.columns == ["x", "b"] and union.truncated is True
    assert [row["x"] for row in union.rows] == list(range(1, 51))
    param_limit = store.read("UNWIND range(1, 5000000) AS x RETURN x LIMIT $n", {"n": 10**9},
                             limit=20, skip=5)
    assert [row["x"] for row in param_limit.rows] == list(range(6, 26)) and param_limit.truncated
    own_page = store.read("UNWIND range(1, 100) AS x RETURN x SKIP 10 LIMIT 15", limit=10, skip=10)
    assert [row["x"] for row in own_page.rows] == list(range(21, 26)) and not own_page.truncated


def test_an_answer_is_cut_at_its_byte_cap_and_says_so(server):
    settings = Settings(home=server.home, answer_max_bytes=10_000)
    with scratch_graph(server, guard=query_guard(settings)) as store:
        answer_is_cut(client_for(store, server, answer_max_bytes=10_000))


def answer_is_cut(client: TestClient) -> None:
    query = "UNWIND range(1, 50) AS i RETURN i, [k IN range(1, 200) | 'abcd'] AS words"
    response = client.post("/api/cypher", json={"query": query})
    body = response.json()
    assert response.status_code == 200 and body["truncated"] is True
    row_bytes = len(json.dumps(body["rows"][0]).encode())  # every row is the same size here
    assert body["count"] == 10_000 // row_bytes < 50 and body["next_offset"] == body["count"]
    following = client.post("/api/cypher", json={"query": query, "offset": body["count"]}).json()
    assert following["rows"][0]["i"] == body["count"] + 1


# -- 6. exports: limited per process, and bounded by the query timeout ---------------------------
def test_exports_beyond_the_limit_get_429(store, server):
    client = client_for(store, server, export_concurrency=1)
    with EXPORTS.hold(1):
        response = client.get("/api/export?format=graphml")
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"
    assert response.json()["error"] == "1 exports are already running in this process; try again in 2 s."
    assert client.get("/api/export?format=graphml").status_code == 200


def test_an_export_stops_at_the_query_timeout(store, server):
    store.write("UNWIND range(1, 100000) AS i CREATE (:Task {id: 'n' + toString(i), name: 'x'})")
    client = client_for(store, server, query_timeout_ms=1)
    response = client.get("/api/export?format=gexf")
    assert response.status_code == 408
    assert response.json()["error"] == "The query ran past the 1 ms timeout and was stopped."


def test_store_unavailable_is_still_a_503_when_nobody_crashed(capped_server):
    store = FalkorStore(capped_server, "g")
    capped_server.stop()
    with pytest.raises(StoreUnavailable) as down:
        store.read("RETURN 1")
    assert "is not answering" in down.value.message


def test_the_readme_security_section_states_every_read_limit_with_its_setting():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    security = readme[readme.index("## Security and deployment"):readme.index("## Production: Neo4j")]
    for setting in ("QUERY_MAX_LENGTH", "QUERY_MAX_DEPTH", "QUERY_TIMEOUT_MS", "STORE_TIMEOUT_MAX_MS",
                    "QUERY_MEMORY_MB", "STORE_MEMORY_MB", "CYPHER_CONCURRENCY",
                    "EXPORT_CONCURRENCY", "STORE_THREADS", "STORE_QUEUE", "ROW_LIMIT",
                    "ANSWER_MAX_BYTES"):
        assert f"`POLICYGRAPH_{setting}`" in security, setting
    for limit in ("length", "nesting", "files and network", "time", "memory", "concurrency",
                  "answer size", "exports"):
        assert f"| {limit} |" in security, limit


# -- 6. whole-graph exports are streamed, and read back as the in-memory ones ----------------------
def _streamed(client: TestClient, fmt: str) -> bytes:
    response = client.get(f"/api/export?format={fmt}")
    assert response.status_code == 200, response.text
    assert "content-length" not in response.headers, "sent while it is read, not built first"
    return response.content


def _xml_graph(data: bytes, reader) -> tuple[list, list]:
    graph = reader(io.BytesIO(data))
    return (sorted(graph.nodes(data=True)),
            sorted((a, b, str(k), sorted(d.items())) for a, b, k, d in graph.edges(keys=True, data=True)))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "cytoscape"])
def test_streamed_exports_read_back_as_the_in_memory_ones(bundled_store, server, fmt, monkeypatch):
    import networkx as nx

    import graph.export_stream as export_stream
    from graph.export import read_graph, render

    monkeypatch.setattr(export_stream, "CHUNK", 37)  # many chunks, some empty
    client = client_for(bundled_store, server)
    streamed = _streamed(client, fmt)
    in_memory = render(read_graph(bundled_store), fmt)
    if fmt == "cytoscape":
        ours, theirs = json.loads(streamed), json.loads(in_memory)
        for doc in (ours, theirs):
            for kind in ("nodes", "edges"):
                doc["elements"][kind].sort(key=lambda e: e["data"]["id"])
        assert ours == theirs
        return
    reader = {"graphml": lambda f: nx.read_graphml(f, force_multigraph=True), "gexf": nx.read_gexf}[fmt]
    nodes, edges = _xml_graph(streamed, reader)
    assert (nodes, edges) == _xml_graph(in_memory, reader)
    assert len(nodes) == bundled_store.counts()[0] and len(edges) == bundled_store.counts()[1]


def test_a_streamed_cypher_export_replays_into_the_same_graph(bundled_store, server, monkeypatch):
    import graph.export_stream as export_stream
    from graph.export import replay_cypher
    from tests.test_hardening_readonly import fingerprint

    monkeypatch.setattr(export_stream, "CHUNK", 50)
    text = _streamed(client_for(bundled_store, server), "cypher").decode()
    with scratch_graph(server) as empty:
        replay_cypher(text.splitlines(), empty)
        ours, theirs = fingerprint(empty), fingerprint(bundled_store)
        assert ours["counts"] == theirs["counts"] and ours["checksum"] == theirs["checksum"]


@pytest.mark.slow  # CLI exports of a generated graph
def test_the_cli_streams_a_whole_graph_export_and_leaves_no_half_file(server, cli_env, tmp_path):
    import networkx as nx

    with scratch_graph(server, cli_env["POLICYGRAPH_GRAPH"]) as store:
        store.write("UNWIND range(1, 100000) AS i CREATE (:Task {id: 'n' + toString(i), name: 'x'})")
        out = tmp_path / "all.graphml"
        done = subprocess.run([POLICYGRAPH, "export", "-f", "graphml", "-o", str(out)],
                              capture_output=True, text=True, env=cli_env, timeout=300, cwd=REPO)
        assert done.returncode == 0, done.stderr
        assert f"Wrote 100000 nodes and 0 relationships as graphml to {out}" in done.stderr
        assert nx.read_graphml(out).number_of_nodes() == 100_000
        slow = {**cli_env, "POLICYGRAPH_QUERY_TIMEOUT_MS": "1"}
        failed = subprocess.run([POLICYGRAPH, "export", "-f", "gexf", "-o", str(tmp_path / "x.gexf")],
                                capture_output=True, text=True, env=slow, timeout=300, cwd=REPO)
        assert failed.returncode == 1 and "timeout and was stopped" in failed.stderr
        assert "Traceback" not in failed.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["all.graphml"]
