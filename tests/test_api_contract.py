"""The API's contract as a client generator and a dashboard read it: one typed operation per
named query in /openapi.json, and one error shape and status rule everywhere."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from api.limits import CYPHER
from graph.settings import Settings, get_settings
from graph.store.falkor import FalkorStore
from loaders.load import load_paths
from queries import library
from tests.test_loader import VALID
from tests.test_request_params import typed

JSON_TYPES = {"string": "string", "date": "string", "int": "integer", "float": "number",
              "bool": "boolean", "list": "array"}
ERROR_KEYS = {"error", "detail", "field"}


@pytest.fixture
def client(store):
    load_paths([VALID], store)
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app)


@pytest.fixture(scope="module")
def schema():
    return TestClient(create_app()).get("/openapi.json").json()


def _resolve(schema: dict, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_each_named_query_is_its_own_typed_operation(schema):
    for name, query in library().items():
        operation = schema["paths"][f"/api/queries/{name}"]["get"]
        assert operation["operationId"] == f"query_{name.replace('-', '_')}"
        assert operation["summary"] == query.title
        by_name = {p["name"]: p for p in operation["parameters"]}
        own = {"limit", "offset", "format", "lean", "bom"}
        assert set(by_name) == {p.name for p in query.params} | own, name
        for param in query.params:
            documented = by_name[param.name]
            assert documented["in"] == "query" and documented["required"] is param.required
            # an optional one is its type or "not given" (empty, null: tests/test_request_params.py)
            kind = typed(documented["schema"])
            assert kind["type"] == JSON_TYPES[param.type], (name, param.name)
            assert param.help and param.help in documented["description"]
            if param.type == "date":
                assert kind["format"] == "date"
            default = documented["schema"].get("default")
            assert default != "null" and default == param.typed_default, (name, param.name)
            if param.typed_default is None:
                assert "default" not in documented["schema"], (name, param.name)
        answer = _resolve(schema, operation["responses"]["200"]["content"]["application/json"]
                          ["schema"]["$ref"])
        row = _resolve(schema, answer["properties"]["rows"]["items"]["$ref"])
        assert row["properties"], name


def test_the_blocking_laws_row_names_its_columns(schema):
    row = schema["components"]["schemas"]["BlockingLawsRow"]
    assert list(row["properties"])[:4] == ["law_id", "law_name", "law_status", "task_id"]


def test_typed_defaults(schema):
    coordination = schema["paths"]["/api/queries/coordination"]["get"]["parameters"]
    min_shared = next(p for p in coordination if p["name"] == "min_shared")
    assert min_shared["schema"]["default"] == 1  # an integer, not "1"
    topic = next(p for p in schema["paths"]["/api/queries/experts-by-topic"]["get"]["parameters"]
                 if p["name"] == "topic")
    assert topic["required"] is False and "default" not in topic["schema"]


def test_the_generic_form_is_kept_but_not_documented(client, schema):
    assert "/api/queries/{name}" not in schema["paths"]
    generic = client.get("/api/queries/blocking-laws", params={"as_of": "2025-05-22"})
    assert generic.status_code == 200 and generic.json()["name"] == "blocking-laws"


def test_every_operation_documents_the_one_error_shape(schema):
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    error = schema["components"]["schemas"]["ErrorBody"]
    assert set(error["properties"]) == ERROR_KEYS and error["required"] == ["error"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert {"422", "429", "503"} <= set(responses), (method, path)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorBody"), (method, path, status)


def _error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) <= ERROR_KEYS and isinstance(body["error"], str) and body["error"]
    assert body["detail"] is None or isinstance(body["detail"], str)
    assert body.get("field") == field
    for cli_words in ("--param", "policygraph search", "policygraph query", "RO_QUERY"):
        assert cli_words not in response.text, response.text
    return body


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/queries/blocking-laws", {"as_of": "soon"}, "as_of"),  # FastAPI's pattern check
    ("/api/queries/blocking-laws", {"as_of": "2025-02-30"}, "as_of"),  # the query's own check
    ("/api/queries/timeline", {"since": "x"}, "since"),
    ("/api/queries/law-impact", {}, "law"),
    ("/api/queries/blocking-laws", {"limit": 0}, "limit"),
    ("/api/queries/blocking-laws", {"limit": 10**9}, "limit"),
    ("/api/graph/neighborhood/task-1", {"depth": 99}, "depth"),
    ("/api/analytics/critical-path", {"as_of": "2025-05-22"}, "task"),
])
def test_invalid_parameters_are_422_with_the_field(client, path, params, field):
    _error(client.get(path, params=params), 422, field)


def test_unknown_query_parameter_through_the_generic_form_is_422(client):
    response = client.get("/api/queries/blocking-laws", params={"as_of": "2025-05-22", "bogus": "1"})
    _error(response, 422, "bogus")


def test_400_404_408_shapes(client, store, server):
    body = _error(client.post("/api/cypher", json={"query": "MATCH (n RETURN n"}), 400)
    assert body["error"].startswith("Syntax error at line 1")  # the store's words are in detail
    write = _error(client.post("/api/cypher", json={"query": "CREATE (n:Agency {id: 'x'})"}), 400)
    assert write["detail"] == "Send a query that only reads (MATCH … RETURN); the API never " \
                              "changes the graph."
    missing = _error(client.get("/api/queries/no-such-query"), 404)
    assert "GET /api/queries" in missing["detail"]
    node = _error(client.get("/api/nodes/no-such-node"), 404)
    assert "/api/search" in node["detail"]
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: Settings(home=server.home, query_timeout_ms=1)
    slow = TestClient(app).post("/api/cypher", json={
        "query": "UNWIND range(1, 5000) AS x UNWIND range(1, 4000) AS y WITH x WHERE (x + y) % 7 = 3 "
                 "RETURN count(x) AS n"})
    assert "timeout" in _error(slow, 408)["error"]


def test_429_shape_with_retry_after(client, server):
    size = Settings(home=server.home).cypher_concurrency
    for _ in range(size):
        CYPHER.acquire(size)
    try:
        busy = client.post("/api/cypher", json={"query": "RETURN 1 AS one"})
        _error(busy, 429)
        assert int(busy.headers["Retry-After"]) >= 1
    finally:
        for _ in range(size):
            CYPHER.release()


def test_503_shape_speaks_http(own_server):
    server = own_server
    store = FalkorStore(server, "g")
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    try:
        server.stop()
        down = _error(TestClient(app).get("/api/queries/graph-summary"), 503)
        assert down["detail"].startswith("The server's graph store is down")
    finally:
        server.stop()
