"""Every named query answers a page (limit and offset) on the bundled data through the store's
paging rewrite. The rewrite once put `WITH * LIMIT …` before `deadline-risk`'s RETURN, and
FalkorDB 4.16 crashed on it: the home page then took the store down on every load."""

from __future__ import annotations

import pytest

from queries import library

# a value for each required parameter, from the bundled dataset
REQUIRED = {"law": "law-khcn-dmst", "task": "task-25-tb-tgv-1b", "meeting": "meeting-2025-05-22",
            "document": "doc-25-tb-tgv", "source": "src-25-tb-tgv", "id": "bo-tai-chinh",
            "since": "2025-05-22", "until": "2025-07-02"}


@pytest.mark.parametrize("name", sorted(library()))
def test_every_named_query_answers_a_page(bundled_store, name):
    query = library()[name]
    raw = {p.name: REQUIRED[p.name] for p in query.params if p.required}
    whole = query.run(bundled_store, raw).rows
    page = query.run(bundled_store, raw, limit=2, skip=1)
    assert page.rows == whole[1:3]
    assert page.truncated == (len(whole) > 3)
    assert bundled_store.read("RETURN 1 AS up").rows == [{"up": 1}]  # the store is still there
