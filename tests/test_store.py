"""The store layer on the real embedded FalkorDB: plain results, atomic batches, read-only reads,
persistence across stop/start and kill -9, no TCP port, clear errors for a bad home."""

from __future__ import annotations

import shutil
from pathlib import Path

import psutil
import pytest

from graph.errors import ConfigError, QueryError, QueryTimeout
from graph.schema import get_schema
from graph.store.embedded import EmbeddedServer
from graph.store.falkor import FalkorStore
from tests.conftest import kill_9, short_tempdir

ROWS = [{"id": "a", "name": "Bộ Tài chính"}, {"id": "b", "name": "Bộ Khoa học và Công nghệ"}]


def _seed(store):
    store.write_batch("UNWIND $rows AS row MERGE (n:Agency {id: row.id}) SET n.name = row.name", ROWS)
    store.write("MATCH (a:Agency {id: 'a'}), (b:Agency {id: 'b'}) "
                "MERGE (a)-[:PART_OF {sources: ['s1']}]->(b)")


def test_results_are_plain_python(store):
    _seed(store)
    row = store.read("MATCH p = (a:Agency)-[r]->(b) RETURN a, r, p, date('2025-05-28') AS d").rows[0]
    node_a = {"id": "a", "labels": ["Agency"], "properties": {"id": "a", "name": "Bộ Tài chính"}}
    rel = {"type": "PART_OF", "start": "a", "end": "b", "properties": {"sources": ["s1"]}}
    assert row["a"] == node_a
    assert row["r"] == rel
    assert row["p"][0] == node_a and row["p"][1] == rel and row["p"][2]["id"] == "b"
    assert row["d"] == "2025-05-28"


def test_relationship_alone_resolves_endpoint_ids(store):
    _seed(store)
    assert store.read("MATCH ()-[r]->() RETURN r").rows == [
        {"r": {"type": "PART_OF", "start": "a", "end": "b", "properties": {"sources": ["s1"]}}}
    ]


def test_failing_batch_writes_nothing(store):
    _seed(store)
    before = store.counts()
    rows = [{"id": f"n{i}", "d": 1} for i in range(100)] + [{"id": "bad", "d": 0}]
    with pytest.raises(QueryError, match="Division by zero"):
        store.write_batch("UNWIND $rows AS row CREATE (n:Agency {id: row.id, v: 1 / row.d})", rows)
    assert store.counts() == before


def test_reads_cannot_write(store):
    _seed(store)
    for statement in ("CREATE (n:Agency {id: 'x'})", "match (n) SET n.name = 'x'",
                      "MATCH (n) DETACH DELETE n", "MERGE (n:Task {id: 'y'}) RETURN n"):
        with pytest.raises(QueryError, match="read-only"):
            store.read(statement)
    assert store.counts() == (2, 1)


def test_row_cap_marks_truncation(store):
    result = store.read("UNWIND range(1, 50) AS i RETURN i", limit=10)
    assert [r["i"] for r in result.rows] == list(range(1, 11))
    assert result.truncated is True
    assert store.read("UNWIND range(1, 5) AS i RETURN i", limit=10).truncated is False


def test_timeout_stops_a_runaway_query(store):
    with pytest.raises(QueryTimeout):
        store.read("UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b "
                   "WITH a, b WHERE a * b % 7 = 3 RETURN count(*)", timeout_ms=5)


def test_setup_indexes_is_idempotent(store):
    store.setup_indexes(get_schema())
    store.setup_indexes(get_schema())
    rows = store.read("CALL db.indexes() YIELD label, properties RETURN label, properties").rows
    indexed = {r["label"] for r in rows if "id" in r["properties"]}
    assert indexed == set(get_schema().labels)




def test_data_survives_stop_and_start(own_server):
    store = FalkorStore(own_server, "g")
    _seed(store)
    own_server.stop()
    assert not own_server.is_running()
    assert FalkorStore(own_server, "g").counts() == (2, 1)  # started again on demand


def test_data_survives_kill_9_of_the_store(own_server):
    """Deterministic: the store fsyncs each write before its reply (appendfsync always), so
    the relationship acknowledged just before the kill is in the file (README, Persistence)."""
    store = FalkorStore(own_server, "g")
    _seed(store)
    pid = own_server.pid()
    kill_9(own_server)
    assert own_server.socket.exists() or own_server.pidfile.exists()  # stale files left behind
    assert own_server.start() is True  # recovers from the stale socket and pidfile
    assert own_server.pid() != pid
    assert FalkorStore(own_server, "g").counts() == (2, 1)


def test_store_listens_on_no_tcp_port(own_server):
    process = psutil.Process(own_server.pid())
    assert process.net_connections(kind="inet") == []
    # read in the store's own network namespace (it has one, see test_hardening_reads)
    net = Path(f"/proc/{own_server.pid()}/net")
    for table in ("tcp", "tcp6"):
        assert (net / table).read_text().splitlines()[1:] == [], table
    assert str(own_server.socket) in (net / "unix").read_text()


def test_start_reuses_a_running_server(own_server):
    pid = own_server.pid()
    assert own_server.start() is False
    assert own_server.pid() == pid


def test_uncreatable_home_gives_a_clear_error():
    home = Path("/proc/policygraph-home")  # not creatable, even by root
    with pytest.raises(ConfigError, match="POLICYGRAPH_HOME") as caught:
        EmbeddedServer(home).start()
    assert str(home) in caught.value.message


def test_home_that_is_a_file_gives_a_clear_error(tmp_path):
    home = tmp_path / "file"
    home.write_text("x")
    with pytest.raises(ConfigError, match="POLICYGRAPH_HOME"):
        EmbeddedServer(home / "sub").start()


def test_too_long_socket_path_gives_a_clear_error():
    parent = short_tempdir("pglong")
    try:
        with pytest.raises(ConfigError, match="shorter path"):
            EmbeddedServer(parent / ("x" * 120)).start()
    finally:
        shutil.rmtree(parent)
