"""Internal properties (graph/schema.yaml's `internal_properties`, e.g. the loader's
`search_key`) are in the store, and in no answer, drawing or export."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.schema import get_schema
from loaders.load import load_paths
from tests.test_loader import VALID


def test_the_schema_lists_them_and_the_store_keeps_them(store):
    assert "search_key" in get_schema().internal_properties
    load_paths([VALID], store)
    kept = store.read("MATCH (n {id: 'bo-tai-chinh'}) RETURN n.search_key AS key").rows
    assert kept[0]["key"]  # search needs it in the store


def test_no_answer_carries_them(store):
    load_paths([VALID], store)
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    client = TestClient(app)
    internal = get_schema().internal_properties
    answers = [
        client.get("/api/nodes/bo-tai-chinh"),
        client.get("/api/graph/neighborhood/task-1", params={"depth": 2}),
        client.get("/api/graph/neighborhood/task-1", params={"format": "cytoscape"}),
        client.get("/api/graph/path", params={"source": "bo-khcn", "target": "law-ngan-sach"}),
        client.get("/api/queries/node-relationships", params={"id": "bo-khcn"}),
        client.get("/api/queries/blocking-laws", params={"as_of": "2025-05-22"}),
        client.post("/api/cypher", json={"query": "MATCH (n)-[r]->(m) RETURN n, r, m"}),
        client.get("/api/export", params={"format": "cytoscape"}),
        client.get("/api/export", params={"format": "graphml"}),
        client.get("/viz/node/bo-tai-chinh"),
    ]
    for response in answers:
        assert response.status_code == 200, (response.url, response.text[:300])
        for name in internal:  # as a key or attribute name (the page's script may name it)
            assert f'"{name}"' not in response.text, response.url
    cypher = answers[6].json()
    assert cypher["rows"] and all("search_key" not in json.dumps(row) for row in cypher["rows"])
