"""One CSV shape (issue 31 §4): flat columns, lists joined with "; ", nested maps as `field.sub`
columns, a UTF-8 BOM on request; the named queries, the query pages and the console's
whole-answer export all write it. Paging answers name the next page's URL."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph import answer_csv
from graph.settings import Settings, get_settings

NODE = {"id": 7, "labels": ["Agency"], "properties": {"id": "bo-tai-chinh", "name": "Bộ Tài chính"}}
REL = {"type": "LED_BY", "start": "task-1", "end": "bo-tai-chinh", "properties": {}}


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_maps_spread_into_field_sub_columns_and_lists_join():
    rows = [{"n": 1, "p": {"id": "a", "when": {"on": "2025-05-22"}}, "xs": ["x", "y"], "ok": True},
            {"n": 2.0, "p": {"id": "b", "extra": 3}, "xs": [NODE, REL], "ok": None},
            {"n": 2.5, "p": None, "xs": [{"k": "v"}], "ok": False}]
    text = answer_csv.answer_csv(["n", "p", "xs", "ok"], rows)
    assert read(text) == [
        ["n", "p.id", "p.when.on", "p.extra", "xs", "ok"],
        ["1", "a", "2025-05-22", "", "x; y", "true"],
        ["2", "b", "", "3", "bo-tai-chinh; task-1|LED_BY|bo-tai-chinh", ""],
        ["2.5", "", "", "", '{"k":"v"}', "false"],
    ]
    assert text.endswith("\r\n") and not text.startswith(answer_csv.BOM)
    assert answer_csv.answer_csv(["n"], [{"n": "Bộ"}], bom=True).startswith("\ufeffn\r\nBộ")


def test_a_column_null_everywhere_stays_one_column():
    assert read(answer_csv.answer_csv(["a", "b"], [{"a": None, "b": 1}])) == [["a", "b"], ["", "1"]]
    assert read(answer_csv.answer_csv(["a"], [])) == [["a"]]


@pytest.fixture(scope="module")
def app_client(bundled_store):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    return TestClient(app)


@pytest.fixture
def small(bundled_store, server):
    """The bundled graph behind a row cap of 5 and pages of 3."""
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    app.dependency_overrides[get_settings] = lambda: Settings(
        home=server.home, graph="bundled", row_limit=5, page_size=3)
    return TestClient(app)


def test_named_query_csv_and_the_query_page_csv_are_one_shape(app_client):
    api = app_client.get("/api/queries/agency-workload", params={"as_of": "2025-05-22", "format": "csv"})
    page = app_client.get("/queries/agency-workload.csv", params={"as_of": "2025-05-22"})
    assert api.status_code == page.status_code == 200
    assert api.text == page.text
    table = read(api.text)
    assert "{" not in api.text  # no JSON blobs in cells
    assert len(table) > 3 and all(len(r) == len(table[0]) for r in table)


def test_bom_is_asked_for(app_client):
    plain = app_client.get("/api/queries/agency-workload", params={"as_of": "2025-05-22", "format": "csv"})
    excel = app_client.get("/api/queries/agency-workload",
                           params={"as_of": "2025-05-22", "format": "csv", "bom": "1"})
    assert excel.content.startswith(b"\xef\xbb\xbf") and not plain.content.startswith(b"\xef\xbb\xbf")
    assert excel.content[3:] == plain.content
    page = app_client.get("/queries/agency-workload.csv", params={"as_of": "2025-05-22", "bom": "1"})
    assert page.content == excel.content
    # a fast-path query too (its rows come from the derived state, not the Cypher)
    fast = app_client.get("/api/queries/blocking-laws",
                          params={"as_of": "2025-05-22", "format": "csv", "bom": "true", "lean": "1"})
    assert fast.content.startswith(b"\xef\xbb\xbf") and fast.content.count(b"\xef\xbb\xbf") == 1
    assert read(fast.content.decode("utf-8-sig"))[0][:2] == ["law_id", "law_name"]


def test_console_whole_answer_csv_is_every_row_within_the_row_cap(small, bundled_store):
    query = "MATCH (a:Agency) RETURN a.id AS id, properties(a) AS p, a.aliases AS aliases ORDER BY id"
    every = bundled_store.read(query).rows
    assert len(every) > 5
    page = small.post("/api/cypher", json={"query": query})
    assert page.json()["count"] == 3  # JSON: one page
    whole = small.post("/api/cypher?format=csv&bom=1", json={"query": query})
    assert whole.status_code == 200 and whole.headers["content-type"].startswith("text/csv")
    assert whole.content.startswith(b"\xef\xbb\xbf")
    table = read(whole.content.decode("utf-8-sig"))
    assert "p.id" in table[0] and "p.name" in table[0] and "p" not in table[0]
    assert [r[0] for r in table[1:]] == [r["id"] for r in every[:5]]  # the row cap, not a page
    assert "next offset 5" in whole.headers["x-policygraph-truncated"]
    with_alias = next(r for r in every[:5] if r["aliases"])
    row = next(r for r in table[1:] if r[0] == with_alias["id"])
    assert row[table[0].index("aliases")] == "; ".join(with_alias["aliases"])
    later = small.post("/api/cypher?format=csv", json={"query": query, "offset": 5})
    assert read(later.text)[1][0] == every[5]["id"]
    refused = small.post("/api/cypher?format=xlsx", json={"query": query})
    assert refused.status_code == 422


def test_pages_name_the_next_page_in_json_and_a_link_header(small, bundled_store):
    first = small.get("/api/queries/overdue-tasks", params={"as_of": "2025-07-02"})
    body = first.json()
    assert body["truncated"] and body["next_offset"] == 3
    assert body["next"].endswith("offset=3") and "as_of=2025-07-02" in body["next"]
    assert first.headers["link"] == f'<{body["next"]}>; rel="next"'
    second = small.get(body["next"])
    assert second.status_code == 200 and second.json()["offset"] == 3
    assert second.json()["rows"][0] != body["rows"][0]
    generic = small.get("/api/queries/overdue-tasks", params={"as_of": "2025-07-02", "limit": 2})
    assert generic.json()["next"].endswith("offset=2") and "limit=2" in generic.json()["next"]
    last = small.get("/api/queries/overdue-tasks", params={"as_of": "2025-07-02", "limit": 5, "offset": 0})
    while last.json()["next"]:
        last = small.get(last.json()["next"])
    assert last.json()["next"] is None and "link" not in last.headers
