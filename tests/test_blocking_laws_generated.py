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
from tests.generated_history import whole_graph

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
    cypher = country.read(get_query("blocking-laws").text, {"as_of": as_of, "law": None}).rows
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


# -- the national picture's counts (blocking-summary) and one law's tasks (law=ID) ------------
@pytest.fixture(scope="module")
def drawn(country):
    """The generated country read back as a networkx graph (for where each lead sits)."""
    return whole_graph(country)


def out(graph, node: str, rel_type: str) -> list[str]:
    return sorted(t for _, t, key in graph.out_edges(node, keys=True) if key == rel_type)


def holder(reference, agency: str) -> str:
    """Where a lead's tasks are counted: its province (through its own place, or the place of
    the body it is part of), else the agency itself."""
    for body in [agency, *out(reference, agency, "PART_OF")]:
        for place in out(reference, body, "LOCATED_IN"):
            for candidate in [place, *out(reference, place, "LOCATED_IN")]:
                if reference.nodes[candidate].get("kind") in ("province", "city"):
                    return candidate
    return agency


@pytest.mark.parametrize("as_of", AS_OF)
def test_the_summary_counts_the_blocking_laws_answer(country, drawn, as_of):
    reference = drawn
    rows = whole(country, as_of)
    summary = get_query("blocking-summary").run(country, {"as_of": as_of}).rows
    assert summary
    law_tasks: dict[str, set[str]] = {}
    per_holder: dict[tuple[str, str], int] = {}
    for row in rows:
        law_tasks.setdefault(row["law_id"], set()).add(row["task_id"])
        for lead in row["lead_ids"]:
            key = (row["law_id"], holder(reference, lead))
            per_holder[key] = per_holder.get(key, 0) + 1
    assert {(r["law_id"], r["holder_id"]): r["tasks"] for r in summary} == per_holder
    assert {r["law_id"]: r["law_tasks"] for r in summary} == {k: len(v) for k, v in law_tasks.items()}
    assert {r["holder_label"] for r in summary} <= {"Place", "Agency"}
    local = any(reference.nodes[lead].get("kind") == "local" for r in rows for lead in r["lead_ids"])
    assert ("Place" in {r["holder_label"] for r in summary}) == local  # provinces, not 3,000 communes
    order = [(-r["law_tasks"], r["law_id"], -r["tasks"], r["holder_id"]) for r in summary]
    assert order == sorted(order)


def test_blocking_laws_for_one_law_is_that_law_s_part_of_the_answer(country):
    as_of = AS_OF[2]
    rows = whole(country, as_of)
    law = rows[len(rows) // 2]["law_id"]
    one = get_query("blocking-laws").run(country, {"as_of": as_of, "law": law}).rows
    assert one == [r for r in rows if r["law_id"] == law] and one
