"""Read paths cannot write, and nothing listens on the network.

Every write form (CREATE, MERGE, SET, DELETE, DETACH DELETE, REMOVE, index DDL, writing
procedures; inside CALL { … } subqueries and UNION branches; any case, odd spacing and
comments) is first shown to be a real write by running it through the write path of a
scratch graph. The same text through `store.read`, `policygraph query --cypher` and
`POST /api/cypher` is then refused by the server itself ("graph.RO_QUERY is to be executed
only on read-only queries": no keyword filter is involved, and a read that merely mentions
CREATE runs), and the graph's counts, property checksum and indexes stay exactly the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.errors import QueryError, refused_write
from graph.settings import Settings
from graph.store.falkor import READ_ONLY_MESSAGE, FalkorStore
from loaders.load import load_paths
from tests.cli_run import run_cli
from tests.conftest import REPO, scratch_graph
from tests.test_loader import VALID

POLICYGRAPH = str(Path(sys.executable).with_name("policygraph"))
REFUSED = refused_write().message
HINT = "Use `policygraph load` to change the graph."
HTTP_HINT = "Send a query that only reads (MATCH … RETURN); the API never changes the graph."

# (name, Cypher, parameters): each one changes the graph when run as a write.
WRITES: list[tuple[str, str, dict]] = [
    ("create", "CREATE (n:Agency {id: 'x', name: 'X', kind: 'ministry'})", {}),
    ("create-lowercase", "create (n:Agency {id: 'x'}) return n", {}),
    ("merge-mixed-case", "MeRgE (t:Task {id: 'task-new'}) RETURN t", {}),
    ("merge-relationship", "MATCH (a:Agency {id: 'bo-khcn'}), (b:Agency {id: 'bo-tai-chinh'}) "
                           "MERGE (b)-[:PART_OF]->(a)", {}),
    ("set-property", "MATCH (n {id: 'bo-tai-chinh'}) SET n.name = 'changed'", {}),
    ("set-label", "MATCH (n:Task) SET n:Obstacle", {}),
    ("set-map", "MATCH (n:Law) SET n += {status: 'stalled'}", {}),
    ("delete", "MATCH ()-[r:PART_OF]->() DELETE r", {}),
    ("detach-delete", "MATCH (n) DETACH DELETE n", {}),
    ("detach-delete-spaced", "match (n)   detach\n\n   delete n", {}),
    ("remove-property", "MATCH (n:Agency) REMOVE n.name_en", {}),
    ("remove-label", "MATCH (n:Task) REMOVE n:Task", {}),
    ("create-index", "CREATE INDEX FOR (n:Topic) ON (n.name)", {}),
    ("create-index-old-syntax", "CREATE INDEX ON :Topic(name)", {}),
    ("drop-index", "DROP INDEX FOR (n:Agency) ON (n.id)", {}),
    ("drop-index-old-syntax", "drop index on :Agency(id)", {}),
    ("create-fulltext-index", "CREATE FULLTEXT INDEX FOR (n:Task) ON (n.name)", {}),
    ("procedure-fulltext-create", "CALL db.idx.fulltext.createNodeIndex('Law', 'name')", {}),
    ("procedure-fulltext-drop", "call DB.IDX.FULLTEXT.DROP('Agency')", {}),
    ("subquery-create", "CALL { CREATE (n:Agency {id: 'x'}) RETURN n } RETURN n", {}),
    ("subquery-set", "MATCH (t:Task) CALL { WITH t SET t.status = 'done' RETURN t AS u } "
                     "RETURN u.id AS id", {}),
    ("subquery-detach-delete", "MATCH (l:Law) CALL { WITH l DETACH DELETE l } RETURN 1 AS x", {}),
    ("union-create", "MATCH (n:Agency) RETURN n.id AS id UNION CREATE (m:Agency {id: 'x'}) "
                     "RETURN m.id AS id", {}),
    ("union-all-merge", "RETURN 'a' AS id UNION ALL MERGE (m:Topic {id: 'y'}) RETURN m.id AS id", {}),
    ("union-delete", "MATCH (n:Law) RETURN n.id AS id UNION MATCH (s:StatusChange) "
                     "DETACH DELETE s RETURN 'gone' AS id", {}),
    ("comments-and-spacing", "/* only reading */ MATCH (n:Agency)\n\t// nothing to see\n  sEt\n"
                             "    n.note   =\t'x'", {}),
    ("foreach", "MATCH (n:Agency) FOREACH (i IN [1] | SET n.count = i)", {}),
    ("unwind-create", "UNWIND range(1, 3) AS i CREATE (:Topic {id: 'topic-' + toString(i)})", {}),
    ("parameters", "CREATE (n:Agency {id: $id, name: $name})", {"id": "p", "name": "P"}),
    ("trailing-semicolon", "CREATE (n:Agency {id: 'x'});", {}),
    ("read-then-merge", "MATCH (n:Agency) WITH n LIMIT 1 MERGE (n)-[:PART_OF]->(n) "
                        "RETURN count(*) AS c", {}),
    ("optional-match-create", "OPTIONAL MATCH (n:Nothing) CREATE (:Agency {id: 'z'})", {}),
]
IDS = [name for name, _, _ in WRITES]


def _prepare(store: FalkorStore) -> None:
    """The fixture dataset plus a full-text index, so index drops have something to drop."""
    load_paths([VALID], store)
    store.write("CALL db.idx.fulltext.createNodeIndex('Agency', 'name')")
    _wait_for_indexes(store)


def _wait_for_indexes(store: FalkorStore) -> None:
    """FalkorDB builds indexes in the background; on a loaded machine `db.indexes()` listed
    them differently while they were under construction, which the fingerprint took for a
    write. Wait until every one is operational."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        statuses = store.read("CALL db.indexes() YIELD status RETURN status").rows
        if all(row["status"] == "OPERATIONAL" for row in statuses):
            return
        time.sleep(0.05)
    raise AssertionError(f"indexes still under construction after 30 s: {statuses}")


def fingerprint(store: FalkorStore) -> dict:
    """Counts, a checksum over every node's and relationship's labels and properties, and
    the indexes: any write at all changes at least one of them."""
    nodes = store.read("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS p "
                       "ORDER BY id").rows
    rels = store.read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                      "properties(r) AS p ORDER BY a, t, b").rows
    indexes = store.read("CALL db.indexes() YIELD label, properties, types, entitytype "
                         "RETURN label, properties, types, entitytype ORDER BY label").rows
    digest = hashlib.sha256(json.dumps([nodes, rels], sort_keys=True, ensure_ascii=False).encode())
    return {"counts": store.counts(), "checksum": digest.hexdigest(),
            "indexes": json.dumps(indexes, sort_keys=True)}


@pytest.fixture
def graph(server, cli_env):
    """The graph the CLI of `cli_env` reads, prepared, with its fingerprint."""
    with scratch_graph(server, cli_env["POLICYGRAPH_GRAPH"]) as store:
        _prepare(store)
        yield store


def test_every_write_form_really_writes_on_the_write_path(server):
    """The proof that the refusals below come from read-only mode, not from a bad statement."""
    for name, cypher, params in WRITES:
        with scratch_graph(server) as scratch:
            _prepare(scratch)
            before = fingerprint(scratch)
            scratch.write(cypher, params)
            assert fingerprint(scratch) != before, f"{name} did not write"


def test_the_store_read_path_refuses_every_write_form(graph):
    before = fingerprint(graph)
    for name, cypher, params in WRITES:
        for limit in (None, 10):  # as written, and with the row cap the CLI and API add
            with pytest.raises(QueryError) as refused:
                graph.read(cypher, params, timeout_ms=5_000, limit=limit)
            assert refused.value.message == REFUSED, name
    assert fingerprint(graph) == before


def test_post_api_cypher_refuses_every_write_form(graph):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: graph
    client = TestClient(app)
    before = fingerprint(graph)
    for name, cypher, params in WRITES:
        response = client.post("/api/cypher", json={"query": cypher, "params": params})
        assert response.status_code == 400, name
        assert response.json() == {"error": REFUSED, "detail": HTTP_HINT}, name
        assert READ_ONLY_MESSAGE not in response.text and "policygraph" not in response.text
    assert fingerprint(graph) == before


def test_cli_query_cypher_refuses_every_write_form(graph, cli_env):
    before = fingerprint(graph)
    for name, cypher, params in WRITES:
        args = ["query", "--cypher", cypher, "--format", "json"]
        for key, value in params.items():
            args += ["--param", f"{key}={json.dumps(value)}"]
        result = run_cli(cli_env, *args)
        assert result.returncode == 1, (name, result.stderr)
        assert result.stdout == "", name
        assert f"Error: {REFUSED}" in result.stderr and HINT in result.stderr, name
        assert "Traceback" not in result.stderr, name
    assert fingerprint(graph) == before


def test_reads_that_mention_write_words_run(graph):
    """No keyword filter stands in for the store: text about writes is just text."""
    rows = graph.read(
        "MATCH (n:Agency) WHERE n.name <> 'CREATE (x) SET y DELETE z' "
        "RETURN 'MERGE' AS word, count(n) AS n // DETACH DELETE n", limit=10).rows
    assert rows == [{"word": "MERGE", "n": 2}]
    app = create_app()
    app.dependency_overrides[get_store] = lambda: graph
    response = TestClient(app).post("/api/cypher", json={
        "query": "/* SET */ MATCH (t:Task) RETURN t.id AS `create`", "params": {}})
    assert response.status_code == 200
    assert response.json()["rows"] == [{"create": "task-1"}]


# -- no network exposure ------------------------------------------------------------------------
def test_the_embedded_store_listens_on_no_tcp_port(server):
    process = psutil.Process(server.pid())
    assert process.net_connections(kind="inet") == []
    net = Path(f"/proc/{server.pid()}/net")  # its own network namespace: read its tables
    for table in ("tcp", "tcp6"):
        assert (net / table).read_text().splitlines()[1:] == [], table
    assert str(server.socket) in (net / "unix").read_text(), "it listens on its unix socket"
    assert oct(os.stat(server.socket).st_mode & 0o777) == "0o600"  # files 600, sockets too (issue 14)


def test_the_api_binds_127_0_0_1_unless_told(cli_env):
    assert Settings.model_fields["host"].default == "127.0.0.1"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**cli_env, "POLICYGRAPH_PORT": str(port)}
    serving = subprocess.Popen([POLICYGRAPH, "serve"], env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        listening = _listening(serving.pid, port)
        assert listening == {"127.0.0.1"}, listening
    finally:
        serving.terminate()
        serving.wait(timeout=30)


def _listening(pid: int, port: int, timeout_s: float = 60) -> set[str]:
    """The addresses process `pid` (or its children) listens on at `port`, once it does."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        process = psutil.Process(pid)
        addresses = {c.laddr.ip for p in [process, *process.children(recursive=True)]
                     for c in p.net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN and c.laddr.port == port}
        if addresses:
            return addresses
        time.sleep(0.2)
    raise AssertionError(f"nothing listened on port {port} within {timeout_s} s")
