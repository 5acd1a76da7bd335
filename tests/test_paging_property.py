"""Paging, as a property: whatever the page size and wherever a client starts, the pages it
gets by following `next_offset` are exactly the rest of the whole answer, and `truncated` /
`next_offset` say "more" exactly when more rows follow.

The whole answer is the query run without any page (no rewrite); the pages go through the API,
so the store's page rewrite (graph/store/paging.py) and the answer's `next_offset` are both
held to it. Bundled data (several named queries and dates) and a generated country.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.deps import get_store
from graph.settings import Settings
from loaders.generate import GenerateConfig, generate
from loaders.load import load_paths
from queries import get_query
from tests.conftest import scratch_graph

BUNDLED_CASES = [
    ("blocking-laws", {"as_of": "2025-05-22"}),  # the reported one: limit=1 and 2 stopped early
    ("blocking-laws", {"as_of": "2025-07-02"}),
    ("overdue-tasks", {"as_of": "2025-10-01"}),
    ("timeline", {"since": "2025-05-01", "until": "2025-07-31"}),
    ("obstacles", {"as_of": "2025-05-22"}),
    ("graph-summary", {}),
]
GENERATED_CASES = [("blocking-laws", {"as_of": "2025-10-01"}), ("overdue-tasks", {"as_of": "2026-01-15"}),
                   ("agency-workload", {"as_of": "2025-10-01"})]
SMALL_COUNTRY = GenerateConfig(provinces=4, communes=8, tasks=150, experts=5, laws=12, meetings=4,
                               obstacles=6)
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@contextlib.contextmanager
def _client(store, server, graph: str) -> Iterator[TestClient]:
    """One client for the module, its event loop kept between requests (a TestClient outside
    `with` starts one per request); no warm-up at start, so the first page is read cold."""
    app = create_app(Settings(home=server.home, graph=graph, page_size=50, row_limit=5000,
                              warm_on_start=False))
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def bundled(bundled_store, server):
    with _client(bundled_store, server, "bundled") as client:
        yield bundled_store, client


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    out = tmp_path_factory.mktemp("small-country") / "data"
    generate(out, SMALL_COUNTRY)
    with scratch_graph(server, "paging-generated") as store:
        load_paths([out], store)
        with _client(store, server, "paging-generated") as client:
            yield store, client


def whole(store, name: str, params: dict) -> list[dict]:
    rows = get_query(name).run(store, params).rows
    assert rows, f"{name} {params} has rows to page through"
    return rows


def walk(client: TestClient, name: str, params: dict, limit: int, offset: int, total: int) -> list[dict]:
    """Every page from `offset` on, following next_offset, checking each page's bookkeeping."""
    seen = []
    while offset is not None:
        body = client.get(f"/api/queries/{name}", params={**params, "limit": limit, "offset": offset})
        assert body.status_code == 200, body.text
        page = body.json()
        left = max(0, total - offset)
        assert page["count"] == len(page["rows"]) == min(limit, left)
        assert page["truncated"] is (offset + limit < total)
        assert page["next_offset"] == (offset + limit if offset + limit < total else None)
        seen += page["rows"]
        offset = page["next_offset"]
    return seen


def test_every_page_of_the_reported_answer(bundled):
    """Every limit from 1 to the row count and every offset, on the answer that was reported."""
    store, _ = bundled
    query, params = get_query("blocking-laws"), {"as_of": "2025-05-22"}
    rows = whole(store, "blocking-laws", params)
    # 11 of the curated data, 12 of 03/NQ-CP and 3260-KH/ĐĐQH15, 11 of Resolution 57 (III.2-1, IV.3)
    assert len(rows) == 34
    for limit in range(1, len(rows) + 1):
        for offset in range(len(rows) + 1):
            page = query.run(store, params, limit=limit, skip=offset)
            assert page.rows == rows[offset:offset + limit], (limit, offset)
            assert page.truncated is (offset + limit < len(rows)), (limit, offset)


def _property(fixture_name: str, cases):
    @PROPERTY
    @given(case=st.sampled_from(cases), data=st.data())
    def check(request, case, data):
        store, client = request.getfixturevalue(fixture_name)
        name, params = case
        rows = _whole_cached(store, name, params)
        limit = data.draw(st.integers(1, len(rows)), label="limit")
        offset = data.draw(st.integers(0, len(rows)), label="offset")
        assert walk(client, name, params, limit, offset, len(rows)) == rows[offset:]
    return check


_WHOLE: dict = {}


def _whole_cached(store, name: str, params: dict) -> list[dict]:
    key = (store.graph_name, name, tuple(sorted(params.items())))
    if key not in _WHOLE:
        _WHOLE[key] = whole(store, name, params)
    return _WHOLE[key]


test_pages_concatenate_to_the_whole_answer_on_bundled_data = _property("bundled", BUNDLED_CASES)
# slow: generated examples, each paging a whole answer on generated data
test_pages_concatenate_to_the_whole_answer_on_generated_data = pytest.mark.slow(
    _property("generated", GENERATED_CASES))


@pytest.mark.parametrize("query", [
    # a sort, then clauses that make more rows than they take: the page's LIMIT must not reach it
    "UNWIND range(1, 5) AS x WITH x ORDER BY x "
    "CALL { WITH x UNWIND range(1, CASE WHEN x < 3 THEN 0 ELSE 3 END) AS y RETURN y } RETURN x, y",
    "UNWIND range(1, 5) AS x WITH x ORDER BY x "
    "UNWIND range(1, CASE WHEN x < 3 THEN 0 ELSE 2 END) AS y RETURN x, y",
])
def test_a_page_never_cuts_a_sort_before_rows_multiply(store, query):
    rows = store.read(query).rows
    for limit in range(1, len(rows) + 1):
        page = store.read(query, limit=limit)
        assert page.rows == rows[:limit] and page.truncated is (limit < len(rows))
