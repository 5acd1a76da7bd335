"""The Neo4j backend against a real Neo4j 5 server: run with NEO4J_URI (and NEO4J_PASSWORD) set.

No Neo4j server can be installed where the suite normally runs, so these tests run only when
one is configured (e.g. the compose file in the README); the logic above the store is shared
and tested on the embedded FalkorDB.
"""

from __future__ import annotations

import os
import uuid

import pytest

from graph.errors import QueryError
from graph.schema import get_schema
from graph.settings import Settings
from loaders.load import load_paths
from tests.test_loader import VALID

pytestmark = pytest.mark.skipif(not os.environ.get("NEO4J_URI"),
                                reason="needs a Neo4j 5 server: set NEO4J_URI")


@pytest.fixture
def neo4j_store():
    from graph.store import open_store

    store = open_store(Settings())
    assert store.backend == "neo4j"
    store.clear()
    yield store
    store.clear()
    store.close()


def test_load_and_read_plain_results(neo4j_store):
    load_paths([VALID], neo4j_store)
    assert neo4j_store.counts() == (8, 8)
    row = neo4j_store.read("MATCH (t:Task)-[r:LED_BY]->(a) RETURN t.id AS t, r, a").rows[0]
    assert row["t"] == "task-1"
    assert row["r"] == {"type": "LED_BY", "start": "task-1", "end": "bo-tai-chinh",
                        "properties": {"sources": ["src-test"]}}
    assert row["a"]["labels"] == ["Agency"]


def test_reads_cannot_write(neo4j_store):
    with pytest.raises(QueryError):
        neo4j_store.read(f"CREATE (n:Agency {{id: '{uuid.uuid4().hex}'}})")
    assert neo4j_store.counts() == (0, 0)


def test_failing_batch_writes_nothing(neo4j_store):
    rows = [{"id": f"n{i}", "d": 1} for i in range(10)] + [{"id": "bad", "d": 0}]
    with pytest.raises(QueryError):
        neo4j_store.write_batch("UNWIND $rows AS row CREATE (n:Agency {id: row.id, v: 1 / row.d})", rows)
    assert neo4j_store.counts() == (0, 0)


def test_constraints_are_idempotent(neo4j_store):
    neo4j_store.setup_indexes(get_schema())
    neo4j_store.setup_indexes(get_schema())
    rows = neo4j_store.read("SHOW CONSTRAINTS YIELD labelsOrTypes RETURN labelsOrTypes").rows
    assert {r["labelsOrTypes"][0] for r in rows} >= set(get_schema().labels)
