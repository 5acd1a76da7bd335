"""`GET /api/queries/NAME?format=csv|ndjson`: every row of the whole answer, past the row cap,
read a chunk at a time and sent as a download."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

import queries
from api import row_stream
from api.app import create_app
from api.deps import get_store
from graph.settings import Settings, get_settings
from queries import get_query

AS_OF = {"as_of": "2025-05-22"}


def ids(cell: str) -> list[str]:
    """A list cell of the CSV ("a; b"), the empty cell being the empty list (a task with no lead)."""
    return cell.split("; ") if cell else []


@pytest.fixture
def client(bundled_store, server, monkeypatch):
    monkeypatch.setattr(row_stream, "CHUNK_ROWS", 4)  # 34 rows: nine chunks
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    app.dependency_overrides[get_settings] = lambda: Settings(
        home=server.home, graph="bundled", row_limit=3, page_size=3)
    return TestClient(app)


def test_ndjson_has_every_row_past_the_row_cap(client, bundled_store):
    whole = get_query("blocking-laws").run(bundled_store, AS_OF).rows
    response = client.get("/api/queries/blocking-laws", params={**AS_OF, "format": "ndjson"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.headers["content-disposition"] == 'attachment; filename="blocking-laws.ndjson"'
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert len(rows) == len(whole) == 34 and rows == whole
    assert all("search_key" not in line for line in response.text.splitlines())
    paged = client.get("/api/queries/blocking-laws", params=AS_OF).json()
    assert paged["count"] == 3 and paged["truncated"] is True  # JSON keeps its page


def test_csv_has_a_header_and_every_row(client, bundled_store):
    whole = get_query("blocking-laws").run(bundled_store, AS_OF).rows
    response = client.get("/api/queries/blocking-laws", params={**AS_OF, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="blocking-laws.csv"'
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["task_id"] for r in table] == [r["task_id"] for r in whole]
    assert [ids(r["lead_ids"]) for r in table] == [r["lead_ids"] for r in whole]  # one shape
    assert list(table[0]) == list(whole[0])
    assert [r["law"] for r in table] == [r["law"]["properties"]["id"] for r in whole]  # a node: its id


def test_a_bad_parameter_is_an_error_answer_not_a_broken_download(client):
    response = client.get("/api/queries/blocking-laws", params={"as_of": "2025-02-30", "format": "csv"})
    assert response.status_code == 422 and response.json()["field"] == "as_of"
    assert client.get("/api/queries/blocking-laws", params={"format": "xlsx"}).status_code == 422


def test_format_is_an_enum_in_openapi(client):
    operation = client.get("/openapi.json").json()["paths"]["/api/queries/blocking-laws"]["get"]
    fmt = next(p for p in operation["parameters"] if p["name"] == "format")
    assert fmt["schema"]["enum"] == ["json", "csv", "ndjson"] and fmt["schema"]["default"] == "json"
    assert {"text/csv", "application/x-ndjson"} <= set(operation["responses"]["200"]["content"])


@pytest.mark.parametrize("fmt", ["ndjson", "csv"])
def test_lean_rows_leave_out_the_drawing_columns(client, bundled_store, fmt):
    whole = get_query("blocking-laws").run(bundled_store, AS_OF).rows
    response = client.get("/api/queries/blocking-laws", params={**AS_OF, "format": fmt, "lean": "true"})
    assert response.status_code == 200
    if fmt == "ndjson":
        rows = [json.loads(line) for line in response.text.splitlines()]
    else:
        rows = [{**r, "hops": int(r["hops"]), "lead_ids": ids(r["lead_ids"])}
                for r in csv.DictReader(io.StringIO(response.text))]
    drawing = {"law", "task", "leads", "chain"}
    assert len(rows) == len(whole) == 34
    assert all(set(row) == set(whole[0]) - drawing for row in rows)
    assert [(r["law_id"], r["task_id"], r["hops"], r["lead_ids"]) for r in rows] == [
        (r["law_id"], r["task_id"], r["hops"], r["lead_ids"]) for r in whole]


def test_lean_rows_of_a_query_without_a_fast_path_drop_its_node_columns(client, bundled_store, monkeypatch):
    monkeypatch.delitem(queries.FAST_PATHS, "overdue-tasks")  # its Cypher (its fast path: test_task_state)
    response = client.get("/api/queries/overdue-tasks", params={**AS_OF, "format": "ndjson", "lean": "1"})
    full = client.get("/api/queries/overdue-tasks", params={**AS_OF, "format": "ndjson"})
    lean = [json.loads(line) for line in response.text.splitlines()]
    rows = [json.loads(line) for line in full.text.splitlines()]
    assert lean and len(lean) == len(rows)
    dropped = set(rows[0]) - set(lean[0])
    assert dropped and all(isinstance(rows[0][c], dict | list) for c in dropped)
    assert lean == [{k: v for k, v in row.items() if k not in dropped} for row in rows]


def test_lean_ndjson_lines_are_the_rows_json(bundled_store):
    """The fast path writes each lean row's text itself: the very bytes of encoding the row."""
    text = b"".join(get_query("blocking-laws").fast_ndjson(bundled_store, AS_OF))
    rows = list(get_query("blocking-laws").fast_rows(bundled_store, AS_OF, lean=True)[1])
    assert len(rows) == 34 and text.count(b"\n") == 34
    assert text == row_stream._encode("ndjson", list(rows[0]), rows, True)


class _CountingStore:
    """The real store, counting its reads (the streamed answer must run its query once)."""

    def __init__(self, store) -> None:
        self._store, self.reads = store, 0

    def __getattr__(self, name):
        return getattr(self._store, name)

    def read(self, *args, **kwargs):
        self.reads += 1
        return self._store.read(*args, **kwargs)


def test_an_answer_without_a_fast_path_runs_its_query_once(bundled_store, server, monkeypatch):
    monkeypatch.setattr(row_stream, "CHUNK_ROWS", 1)  # a chunk per row
    monkeypatch.delitem(queries.FAST_PATHS, "overdue-tasks")  # its Cypher
    counting = _CountingStore(bundled_store)
    app = create_app(Settings(home=server.home, graph="bundled"))
    app.dependency_overrides[get_store] = lambda: counting
    response = TestClient(app).get("/api/queries/overdue-tasks",
                                   params={**AS_OF, "format": "ndjson"})
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert rows == get_query("overdue-tasks").run(bundled_store, AS_OF).rows
    assert len(rows) > 2 * row_stream.CHUNK_ROWS
    assert counting.reads == 1


@pytest.mark.parametrize("name", ["blocking-laws", "overdue-tasks"])  # the fast path, the Cypher
def test_lean_json_pages_leave_out_the_drawing_columns_too(client, name):
    """issue 29 item 16: `lean=true` changed nothing in a JSON answer."""
    full = client.get(f"/api/queries/{name}", params={**AS_OF, "limit": 3}).json()
    thin = client.get(f"/api/queries/{name}", params={**AS_OF, "limit": 3, "lean": "true"})
    lean = thin.json()
    drawing = set(full["columns"]) - set(lean["columns"])
    assert drawing and drawing <= {"law", "task", "leads", "chain", "agency"}
    assert lean["rows"] == [{k: v for k, v in row.items() if k not in drawing} for row in full["rows"]]
    assert len(lean["rows"]) == 3 and (lean["next_offset"], lean["truncated"]) == (3, True)
    assert full["graph"]["nodes"] and lean["graph"] == {"nodes": [], "edges": [], "truncated": False}
    assert len(thin.content) < len(client.get(f"/api/queries/{name}",
                                              params={**AS_OF, "limit": 3}).content) / 2
