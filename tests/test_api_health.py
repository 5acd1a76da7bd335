"""The API's health endpoint and its error shape against the real store."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.store.falkor import FalkorStore
from loaders.load import load_paths
from tests.test_loader import VALID


@pytest.fixture
def client(store):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app)


def test_health_counts_the_graph(client, store):
    load_paths([VALID], store)
    assert client.get("/api/health").json() == {
        "status": "ok", "backend": "falkordb", "nodes": 8, "relationships": 8}


def test_unknown_path_has_the_error_shape(client):
    response = client.get("/api/nope")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "detail": None}


def test_health_is_503_while_the_store_is_down_and_recovers(own_server):
    server = own_server
    store = FalkorStore(server, "g")
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    client = TestClient(app)
    try:
        assert client.get("/api/health").status_code == 200
        server.stop()
        down = client.get("/api/health")
        assert down.status_code == 503
        assert "not answering" in down.json()["error"]
        assert down.json()["detail"].startswith("The server's graph store is down")
        server.start()
        assert client.get("/api/health").status_code == 200
    finally:
        server.stop()
