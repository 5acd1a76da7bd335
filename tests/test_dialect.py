"""Neo4j 5 habits on the embedded store (graph/dialect.py): each construct is run as written
(the store rejects it) and as rewritten (the rows Neo4j 5 gives for the original, on a small
graph built here), or refused with a message that names it and shows the portable form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.dialect import NotPortable, portable, tokens
from graph.errors import QueryError
from tests.conftest import scratch_graph

GRAPH = """
CREATE (t1:Task {id: 't1', due_on: '2025-06-30'}), (t2:Task {id: 't2', due_on: '2025-12-31'}),
       (t3:Task {id: 't3'}),
       (m:Agency {id: 'most', kind: 'ministry'}), (p:Agency {id: 'hanoi', kind: 'province'}),
       (l:Law {id: 'law-1', status: 'drafting'}),
       (t1)-[:LED_BY]->(m), (t2)-[:LED_BY]->(p), (t1)-[:DEPENDS_ON]->(l), (t2)-[:DEPENDS_ON]->(t1),
       (t3)-[:DEPENDS_ON]->(t2)
"""


@pytest.fixture(scope="module")
def small(server):
    with scratch_graph(server) as graph:
        graph.write(GRAPH)
        yield graph


def rows(store, query: str) -> list[dict]:
    return store.read(query).rows


def both_forms(store, query: str) -> tuple[list[dict], tuple[str, ...]]:
    """The store rejects `query` as written; rewritten, it runs: its rows and notices."""
    with pytest.raises(QueryError):
        store.read(query)
    result = portable(query)
    assert result.rewritten and result.query != query
    return store.read(result.query).rows, result.notices


def test_tokens_respect_strings_comments_and_backticks():
    found = [t.text for t in tokens("RETURN 'EXISTS {' AS `COUNT {`, 1 // EXISTS { (n) }\n/* x */")]
    assert found == ["RETURN", "'EXISTS {'", "AS", "`COUNT {`", ",", "1"]
    query = "MATCH (n) RETURN 'COUNT { (n) }' AS s // EXISTS { (n) }"
    assert portable(query).query == query and not portable(query).notices


def test_exists_subquery_becomes_a_pattern_predicate(small):
    got, notices = both_forms(small, "MATCH (t:Task) WHERE EXISTS { MATCH (t)-[:LED_BY]->(:Agency) } "
                                     "RETURN t.id AS id ORDER BY id")
    assert got == [{"id": "t1"}, {"id": "t2"}]
    assert notices == ("EXISTS { … } rewritten as a pattern predicate.",)
    got, _ = both_forms(small, "MATCH (t:Task) WHERE NOT EXISTS { (t)-[:LED_BY]->() } RETURN t.id AS id")
    assert got == [{"id": "t3"}]
    assert portable("MATCH (t:Task) WHERE NOT EXISTS { (t)-[:LED_BY]->() } RETURN t.id").query == \
        "MATCH (t:Task) WHERE NOT (t)-[:LED_BY]->() RETURN t.id"


def test_exists_with_a_condition_or_in_return_becomes_a_comprehension(small):
    got, notices = both_forms(small, "MATCH (t:Task) RETURN t.id AS id, EXISTS { (t)-[:LED_BY]->(a:Agency) "
                                     "WHERE a.kind = 'ministry' } AS ministry ORDER BY id")
    assert got == [{"id": "t1", "ministry": True}, {"id": "t2", "ministry": False},
                   {"id": "t3", "ministry": False}]
    assert "size([pattern | 1]) > 0" in notices[0]


def test_count_subquery_becomes_size_of_a_comprehension(small):
    got, notices = both_forms(small, "MATCH (t:Task) RETURN t.id AS id, COUNT { (t)-[:DEPENDS_ON]->() } "
                                     "AS deps ORDER BY id")
    assert got == [{"id": "t1", "deps": 1}, {"id": "t2", "deps": 1}, {"id": "t3", "deps": 1}]
    got, _ = both_forms(small, "MATCH (a:Agency) RETURN a.id AS id, COUNT { MATCH (t:Task)-[:LED_BY]->(a) "
                               "WHERE t.due_on < '2025-07-01' } AS early ORDER BY id")
    assert got == [{"id": "hanoi", "early": 0}, {"id": "most", "early": 1}]
    assert notices == ("COUNT { … } rewritten as size([pattern | 1]), a pattern comprehension.",)


def test_label_predicate_in_a_pattern_moves_to_where(small):
    got, notices = both_forms(small, "MATCH (t:Task WHERE t.due_on < '2025-07-01')-[:LED_BY]->(a) "
                                     "RETURN t.id AS t, a.id AS a")
    assert got == [{"t": "t1", "a": "most"}]
    assert notices == ("A WHERE inside a node pattern, (n:Label WHERE …), moved to the MATCH's WHERE.",)
    # two of them, and a WHERE already there with an OR that must keep its meaning
    got, _ = both_forms(small, "MATCH (t:Task WHERE t.id <> 't3')-[:LED_BY]->(a:Agency WHERE a.kind = "
                               "'province') WHERE t.id = 't2' OR t.id = 't1' RETURN t.id AS t")
    assert got == [{"t": "t2"}]


def test_shortest_path_in_match_moves_to_with(small):
    query = ("MATCH p = shortestPath((a:Task {id: 't3'})-[:DEPENDS_ON*..5]->(b:Law {id: 'law-1'})) "
             "RETURN length(p) AS hops")
    got, notices = both_forms(small, query)
    assert got == [{"hops": 3}]
    assert notices[0].startswith("shortestPath in MATCH moved to WITH")
    # no path: MATCH drops the row in Neo4j, so must the rewrite
    got, _ = both_forms(small, "MATCH (x:Agency), p = shortestPath((a:Law {id: 'law-1'})-[*..5]->(b:Task)) "
                               "RETURN x.id, length(p)")
    assert got == []


def test_all_shortest_paths_in_match_gets_its_ends_bound_first(small):
    got, notices = both_forms(small, "MATCH p = allShortestPaths((a:Task {id: 't3'})-[*..5]-(b:Agency "
                                     "{id: 'most'})) RETURN length(p) AS hops")
    assert got == [{"hops": 3}]
    assert notices[0].startswith("allShortestPaths in MATCH")


@pytest.mark.parametrize(("query", "named", "fix"), [
    ("MATCH (n) RETURN elementId(n) LIMIT 1", "elementId()", "n.id"),
    ("MATCH (t:Task) WHERE t.due_on < toString(datetime()) RETURN t", "datetime()", "$as_of"),
    ("CALL db.schema.visualization()", "db.schema.visualization()", "CALL db.labels()"),
    ("CALL db.index.fulltext.queryNodes('names', 'x')", "db.index.fulltext.queryNodes()", "/api/search"),
    ("MATCH p = shortestPath((a:Task {id: 't3'})-[*]-(b:Law)) RETURN p", "shortestPath in MATCH",
     "WITH a, b, shortestPath((a)-[*..6]->(b)) AS p"),
    ("MATCH p = shortestPath((a:Task)-[*]->(b:Law)) WHERE length(p) > 1 RETURN p", "shortestPath",
     "WITH a, b"),
    ("MATCH (t) WHERE EXISTS { MATCH (t)-->(x) RETURN x } RETURN t", "EXISTS { … } with RETURN",
     "WHERE (t)-[:LED_BY]->(:Agency)"),
])
def test_refused_constructs_are_named_with_their_portable_form(small, query, named, fix):
    with pytest.raises(QueryError):
        small.read(query)  # the store's own error, which the analyst saw before
    with pytest.raises(NotPortable) as refused:
        portable(query)
    assert named in refused.value.message
    assert fix in refused.value.hint


def test_portable_queries_pass_through_unchanged():
    for query in ("MATCH (t:Task) WHERE (t)-[:LED_BY]->() RETURN t.id",
                  "MATCH (a), (b) WITH a, b, shortestPath((a)-[*]->(b)) AS p RETURN p",
                  "CALL db.labels() YIELD label RETURN label",
                  "MATCH (n) WHERE any(x IN n.aliases WHERE x = 'a') RETURN n",
                  "MATCH (a {id: 'x'}) WITH * MATCH p = allShortestPaths((a)-[*]-(b)) RETURN p"):
        assert portable(query).query == query
        assert portable(query).notices == ()
    assert portable("MATCH (n) RETURN elementId(n)", backend="neo4j").query == \
        "MATCH (n) RETURN elementId(n)"


# -- the three doors: the API, the CLI (the console calls the API) ------------------------------
@pytest.fixture
def api(small):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.deps import get_store

    app = create_app()
    app.dependency_overrides[get_store] = lambda: small
    return TestClient(app)


def test_api_answers_a_rewritten_query_and_says_so(api):
    body = api.post("/api/cypher", json={"query": "MATCH (t:Task) WHERE NOT EXISTS { (t)-[:LED_BY]->() } "
                                                  "RETURN t.id AS id"}).json()
    assert body["rows"] == [{"id": "t3"}]
    assert body["notices"] == ["EXISTS { … } rewritten as a pattern predicate."]
    assert body["rewritten"] == "MATCH (t:Task) WHERE NOT (t)-[:LED_BY]->() RETURN t.id AS id"
    plain = api.post("/api/cypher", json={"query": "RETURN 1 AS one"}).json()
    assert (plain["notices"], plain["rewritten"]) == ([], None)


def test_api_refuses_with_the_one_error_shape_and_the_portable_form(api):
    response = api.post("/api/cypher", json={"query": "MATCH (n) RETURN elementId(n) AS e"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "elementId() is Neo4j's internal id; the embedded store has none.",
        "detail": "Ids are the contract: use n.id (e.g. RETURN n.id AS id), the same on both stores."}


def test_cli_notes_the_rewrite_on_stderr_and_refuses_cleanly(cli_env):
    from tests.cli_run import run_cli as run

    result = run(cli_env, "query", "--cypher", "MATCH (t:Task WHERE t.id = 'x') RETURN count(t) AS n",
                 "-f", "json", check=True)
    assert result.stdout.strip() == '[{"n": 0}]'
    assert "note: A WHERE inside a node pattern" in result.stderr
    assert "ran: MATCH (t:Task) WHERE t.id = 'x' RETURN count(t) AS n" in result.stderr
    refused = run(cli_env, "query", "--cypher", "RETURN datetime() AS now")
    assert refused.returncode == 1 and refused.stdout == ""
    assert "datetime() is not in the common subset" in refused.stderr and "$as_of" in refused.stderr
    assert "Traceback" not in refused.stderr


WORDS = ["MATCH", "OPTIONAL", "WHERE", "EXISTS", "COUNT", "{", "}", "(", ")", "[", "]", "-", "->", "<-", ":",
         "n", "t", "Task", "shortestPath", "allShortestPaths", "=", "p", ",", "RETURN", "WITH", "*", "CALL",
         "db",
         ".", "labels", "schema", "elementId", "datetime", "'x'", "//c\n", "/*", "*/", "|", "1", "AND", "NOT",
         "AS", ";", "`a b`", '"s"']


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30))
def test_any_token_soup_is_passed_rewritten_or_refused_never_a_crash(parts):
    try:
        result = portable(" ".join(parts))
    except NotPortable as refused:
        assert refused.hint
    else:
        assert isinstance(result.query, str)


def test_every_procedure_the_embedded_store_lists_is_let_through(small):
    listed = [row["name"] for row in small.read("CALL dbms.procedures() YIELD name RETURN name").rows]
    assert len(listed) > 10
    for name in listed:
        assert portable(f"CALL {name}()").query == f"CALL {name}()"
    with pytest.raises(NotPortable):
        portable("CALL apoc.meta.schema()")
