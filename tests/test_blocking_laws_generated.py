"""`blocking-laws` on a generated country in miniature: the same answer as an independent
traversal in Python (the bench's plain script over the CSV files), from the fast path and from
the Cypher alike, in its documented order, and pages that add up to the whole answer.

The query produces its order law by law (no final sort, so a first page stops early); these
tests are what holds that order and those pages to the single-query answer.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from benchmarks import diy_script
from benchmarks.queries import AS_OF
from graph.settings import Settings, get_settings
from loaders.generate import GenerateConfig, generate
from loaders.load import load_paths
from queries import get_query
from tests.conftest import scratch_graph

# the bench's smoke size: its rows once crashed FalkorDB 4.16 (see the query's comments)
COUNTRY = GenerateConfig(provinces=34, communes=40, tasks=400, experts=20)
GRAPH = "generated-blockers"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("country") / "data"
    generate(out, COUNTRY)
    return out


@pytest.fixture(scope="module")
def country(server, folder):
    with scratch_graph(server, GRAPH) as store:
        load_paths([folder], store)
        yield store


@pytest.fixture(scope="module")
def reference(folder):
    """The CSV files read into dicts, as an analyst without a graph store would read them."""
    return diy_script.Country(folder)


def whole(store, as_of: str) -> list[dict]:
    return get_query("blocking-laws").run(store, {"as_of": as_of}).rows


def order_key(row: dict) -> tuple:
    return row["law_id"], row["hops"], row["deadline"] or "9999-12-31", row["task_id"]


@pytest.mark.parametrize("as_of", AS_OF)
def test_same_answer_as_a_traversal_in_python(country, reference, as_of):
    theirs = diy_script.answer_key(reference.blocking_laws(as_of))
    assert theirs, "the generated country has tasks blocked on every benchmark date"
    fast = whole(country, as_of)
    cypher = country.read(get_query("blocking-laws").text, {"as_of": as_of}).rows
    assert len(fast) == len(cypher) == len(theirs)
    assert diy_script.answer_key(fast) == diy_script.answer_key(cypher) == theirs


@pytest.mark.parametrize("as_of", AS_OF)
def test_rows_come_in_the_documented_order_with_a_shortest_chain(country, as_of):
    rows = whole(country, as_of)
    assert [order_key(r) for r in rows] == sorted(order_key(r) for r in rows)
    for row in rows:
        nodes = [part["id"] for part in row["chain"] if "labels" in part]
        steps = [part["type"] for part in row["chain"] if "type" in part]
        assert nodes[0] == row["task_id"] and nodes[-1] == row["law_id"]
        assert len(nodes) - 1 == len(steps) == row["hops"] and set(steps) == {"DEPENDS_ON"}
        assert [lead["id"] for lead in row["leads"]] == row["lead_ids"] == sorted(row["lead_ids"])


@pytest.mark.parametrize("size", [37, 101])
@pytest.mark.parametrize("as_of", AS_OF[2:])
def test_pages_add_up_to_the_whole_answer(country, as_of, size):
    expected = whole(country, as_of)
    query, pages, skip = get_query("blocking-laws"), [], 0
    while True:
        page = query.run(country, {"as_of": as_of}, limit=size, skip=skip)
        pages.extend(page.rows)
        skip += len(page.rows)
        if not page.truncated:
            break
        assert len(page.rows) == size
    assert pages == expected and len(expected) > size


def test_the_api_pages_with_next_offset(country, server):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: country
    app.dependency_overrides[get_settings] = lambda: Settings(
        home=server.home, graph=GRAPH, page_size=50, row_limit=120)
    client = TestClient(app)
    as_of = AS_OF[2]
    seen, offset, pages = [], 0, 0
    while offset is not None:
        body = client.get("/api/queries/blocking-laws",
                          params={"as_of": as_of, "offset": offset}).json()
        assert body["offset"] == offset and body["count"] == len(body["rows"]) <= 50
        assert {n["id"] for n in body["graph"]["nodes"]} >= {r["task_id"] for r in body["rows"]}
        seen += [(r["law_id"], r["task_id"]) for r in body["rows"]]
        offset, pages = body["next_offset"], pages + 1
    assert seen == [(r["law_id"], r["task_id"]) for r in whole(country, as_of)]
    assert pages == -(-len(seen) // 50)
    big = client.get("/api/queries/blocking-laws", params={"as_of": as_of, "limit": 121})
    assert big.status_code == 422
    assert big.json()["error"] == "limit 121 is more than the 120 rows an answer may carry."
