"""`create_app(settings)` reads the store those settings name, not the environment's."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from graph.settings import Settings


def test_an_app_made_for_other_settings_answers_from_their_graph(server, store, monkeypatch):
    store.write("CREATE (:Agency {id: 'ag-only-here', name: 'Chỉ ở đây'})", {})
    monkeypatch.setenv("POLICYGRAPH_GRAPH", "another-graph")  # the environment names another
    app = create_app(Settings(home=server.home, graph=store.graph_name, warm_on_start=False))
    with TestClient(app) as client:
        answer = client.post("/api/cypher", json={"query": "MATCH (a:Agency) RETURN a.id AS id"})
    assert answer.status_code == 200, answer.text
    assert [row["id"] for row in answer.json()["rows"]] == ["ag-only-here"]
