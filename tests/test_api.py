"""Every endpoint through the app against the real embedded store, asserting exact contents."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from loaders.load import load_paths
from tests.test_loader import VALID


@pytest.fixture
def client(store):
    load_paths([VALID], store)
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app)


def test_search_puts_the_right_entity_first(client):
    body = client.get("/api/search", params={"q": "bo tai chinh"}).json()
    assert body["data"][0] == {"id": "bo-tai-chinh", "label": "Agency", "name": "Bộ Tài chính",
                               "name_en": "Ministry of Finance", "score": 100, "matched": "Bộ Tài chính"}
    assert body["count"] == len(body["data"])
    laws = client.get("/api/search", params={"q": "ngan sach", "label": "Law"}).json()
    assert [hit["id"] for hit in laws["data"]] == ["law-ngan-sach"]


def test_node_details_with_sources_and_neighbours(client):
    body = client.get("/api/nodes/bo-tai-chinh").json()
    assert body["label"] == "Agency" and body["name_en"] == "Ministry of Finance"
    assert body["sources"] == [{"id": "src-test", "name": "Test source", "title": "A test source",
                                "publisher": None, "published_on": "2025-05-24", "url": None}]
    assert body["neighbours"] == [
        {"type": "DRAFTED_BY", "direction": "in", "count": 1},
        {"type": "LED_BY", "direction": "in", "count": 1},
        {"type": "PART_OF", "direction": "in", "count": 1},
    ]


def test_unknown_node_is_404_with_the_error_shape(client):
    response = client.get("/api/nodes/no-such-node")
    assert response.status_code == 404
    assert response.json()["error"] == "No node with id 'no-such-node'."
    assert client.get("/api/graph/neighborhood/no-such-node").status_code == 404


def test_neighbourhood_depth_and_filters(client):
    one = client.get("/api/graph/neighborhood/task-1").json()
    assert sorted(n["id"] for n in one["nodes"]) == [
        "bo-khcn", "bo-tai-chinh", "law-ngan-sach", "task-1", "task-1--2025-05-22-not_done"]
    assert sorted((e["source"], e["type"], e["target"]) for e in one["edges"]) == [
        ("task-1", "DEPENDS_ON", "law-ngan-sach"), ("task-1", "HAS_STATUS", "task-1--2025-05-22-not_done"),
        ("task-1", "LED_BY", "bo-tai-chinh"), ("task-1", "SUPPORTED_BY", "bo-khcn")]
    assert one["truncated"] is False
    two = client.get("/api/graph/neighborhood/task-1",
                     params={"depth": 2, "labels": ["Agency", "Law"]}).json()
    assert sorted(n["id"] for n in two["nodes"]) == ["bo-khcn", "bo-tai-chinh", "law-ngan-sach", "task-1"]
    assert ("law-ngan-sach", "DRAFTED_BY", "bo-tai-chinh") in {
        (e["source"], e["type"], e["target"]) for e in two["edges"]}
    only = client.get("/api/graph/neighborhood/task-1", params={"rel_types": "LED_BY"}).json()
    assert [e["type"] for e in only["edges"]] == ["LED_BY"]
    cut = client.get("/api/graph/neighborhood/task-1", params={"limit": 2}).json()
    assert cut["truncated"] is True and len(cut["edges"]) == 2


def test_neighbourhood_as_cytoscape_elements(client):
    body = client.get("/api/graph/neighborhood/bo-khcn", params={"format": "cytoscape"}).json()
    edge = {"id": "bo-khcn|PART_OF|bo-tai-chinh", "source": "bo-khcn", "target": "bo-tai-chinh",
            "label": "PART_OF", "type": "PART_OF", "sources": ["src-test"]}
    assert {"data": edge, "classes": "PART_OF"} in body["edges"]
    assert {n["data"]["id"] for n in body["nodes"]} == {"bo-khcn", "bo-tai-chinh", "task-1"}
    finance = next(n for n in body["nodes"] if n["data"]["id"] == "bo-tai-chinh")
    # Cytoscape's convention: the label is what to show, the kind is a type and a class
    assert finance["data"]["label"] == "Bộ Tài chính" and finance["data"]["type"] == "Agency"
    assert finance["classes"] == "Agency"


def test_shortest_path_between_two_nodes(client):
    body = client.get("/api/graph/path", params={"source": "bo-khcn", "target": "law-ngan-sach"}).json()
    assert body["hops"] == 2 and body["count"] == 2  # via task-1 and via the Ministry of Finance
    assert body["paths"] == [
        {"nodes": ["bo-khcn", "bo-tai-chinh", "law-ngan-sach"],
         "relationships": ["bo-khcn|PART_OF|bo-tai-chinh", "law-ngan-sach|DRAFTED_BY|bo-tai-chinh"]},
        {"nodes": ["bo-khcn", "task-1", "law-ngan-sach"],
         "relationships": ["task-1|SUPPORTED_BY|bo-khcn", "task-1|DEPENDS_ON|law-ngan-sach"]},
    ]
    assert {n["id"] for n in body["nodes"]} == {"bo-khcn", "task-1", "bo-tai-chinh", "law-ngan-sach"}
    edge_ids = {e["id"] for e in body["edges"]}
    assert all(set(path["relationships"]) <= edge_ids for path in body["paths"])
    none = client.get("/api/graph/path", params={"source": "bo-khcn", "target": "src-test"}).json()
    assert none == {"nodes": [], "edges": [], "truncated": False, "paths": [], "count": 0, "hops": None}
    itself = client.get("/api/graph/path", params={"source": "task-1", "target": "task-1"}).json()
    assert itself["paths"] == [{"nodes": ["task-1"], "relationships": []}]
    assert (itself["count"], itself["hops"], [n["id"] for n in itself["nodes"]]) == (1, 0, ["task-1"])


def test_named_queries_listed_and_run_with_their_subgraph(client):
    listed = client.get("/api/queries").json()
    names = [q["name"] for q in listed["data"]]
    assert "node-relationships" in names and listed["count"] == len(names)
    body = client.get("/api/queries/node-relationships", params={"id": "bo-khcn"}).json()
    assert body["rows"] == [
        {"relationship": "PART_OF", "direction": "out", "other_id": "bo-tai-chinh",
         "other_label": "Agency", "other_name": "Bộ Tài chính"},
        {"relationship": "SUPPORTED_BY", "direction": "in", "other_id": "task-1",
         "other_label": "Task", "other_name": "Báo cáo cơ chế PPP"}]
    assert body["count"] == 2 and body["truncated"] is False


def test_ad_hoc_cypher_comes_a_page_at_a_time(client):
    body = client.post("/api/cypher", json={"query": "UNWIND range(1, 7) AS i RETURN i",
                                            "limit": 3, "offset": 3}).json()
    assert [row["i"] for row in body["rows"]] == [4, 5, 6]
    assert (body["count"], body["offset"], body["truncated"], body["next_offset"]) == (3, 3, True, 6)
    last = client.post("/api/cypher", json={"query": "UNWIND range(1, 7) AS i RETURN i",
                                            "offset": 6}).json()
    assert last["rows"] == [{"i": 7}] and last["truncated"] is False and last["next_offset"] is None
    assert client.post("/api/cypher", json={"query": "RETURN 1 AS i", "limit": 0}).status_code == 422


@pytest.mark.parametrize(("path", "status", "error", "field"), [
    ("/api/queries/nope", 404, "No named query 'nope'.", None),
    ("/api/queries/node-relationships", 422, "Invalid request parameter 'id'.", "id"),
    ("/api/queries/node-relationships?id=x&colour=red", 422,
     "Query 'node-relationships' has no parameter colour.", "colour"),
    ("/api/graph/neighborhood/task-1?depth=4", 422, "Invalid request parameter 'depth'.", "depth"),
    ("/api/search?q=x&label=Ministry", 422, "Invalid request parameter 'label'.", "label"),
])
def test_bad_requests_are_4xx_with_the_error_shape(client, path, status, error, field):
    response = client.get(path)
    assert response.status_code == status
    expected = {"error", "detail"} | ({"field"} if field else set())
    assert set(response.json()) == expected and response.json()["error"] == error
    assert response.json().get("field") == field


def test_ad_hoc_cypher_reads_and_returns_the_subgraph(client):
    body = client.post("/api/cypher", json={
        "query": "MATCH (t:Task)-[r:LED_BY]->(a) WHERE a.id = $a RETURN t.id AS task, t, r, a",
        "params": {"a": "bo-tai-chinh"}}).json()
    assert body["columns"] == ["task", "t", "r", "a"] and body["rows"][0]["task"] == "task-1"
    assert [(e["source"], e["target"]) for e in body["graph"]["edges"]] == [("task-1", "bo-tai-chinh")]
    assert {n["id"] for n in body["graph"]["nodes"]} == {"task-1", "bo-tai-chinh"}


@pytest.mark.parametrize("query", [
    "CREATE (n:Agency {id: 'x'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Agency) SET n.name = 'x' RETURN n",
    "merge (n:Task {id: 'y'})",
])
def test_ad_hoc_cypher_write_is_400_and_changes_nothing(client, store, query):
    before = store.counts()
    response = client.post("/api/cypher", json={"query": query})
    assert response.status_code == 400
    assert "read-only" in response.json()["error"]
    assert store.counts() == before


def test_ad_hoc_cypher_syntax_error_is_400_with_the_store_message(client):
    response = client.post("/api/cypher", json={"query": "MATCH (n RETURN n"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Syntax error at line 1, column 10:")
    assert "the store said: errMsg: Invalid input" in response.json()["detail"]  # kept underneath


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/health", "/api/search", "/api/nodes/{node_id}", "/api/graph/neighborhood/{node_id}",
                 "/api/graph/path", "/api/queries", "/api/queries/blocking-laws", "/api/cypher"):
        assert path in paths
    assert client.get("/docs").status_code == 200
