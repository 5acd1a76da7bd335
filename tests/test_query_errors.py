"""The console's errors, translated (graph.query_errors): a missing `$parameter` named with
how to set it, a syntax error with the line and a caret, a type mismatch in plain words, the
store's own words kept underneath. Through the real app and the real embedded store."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.query_errors import caret, missing_parameters


@pytest.fixture(scope="module")
def client(bundled_store):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    return TestClient(app)


def _run(client, query: str, params: dict | None = None):
    return client.post("/api/cypher", json={"query": query, "params": params or {}})


def test_missing_parameters_are_read_from_the_query_not_its_strings():
    assert missing_parameters("MATCH (t) WHERE t.a = $as_of AND t.b = '$x' RETURN $law, $as_of",
                              {"law": 1}) == ["as_of"]
    assert caret("MATCH (a)\nRETURN b", 2, 8) == "RETURN b\n       ^"


def test_a_missing_parameter_is_named_with_the_field_to_fill(client):
    reply = _run(client, "MATCH (t:Task) WHERE t.deadline <= $as_of RETURN t.id LIMIT 2")
    assert reply.status_code == 422
    body = reply.json()
    assert body["error"] == "$as_of is not set: the query reads it, the parameters do not give it."
    assert body["field"] == "as_of" and '{"as_of": "2025-05-22"}' in body["detail"]
    assert "the store said: Missing parameters" in body["detail"]
    given = _run(client, "MATCH (t:Task) WHERE t.deadline <= $as_of RETURN t.id LIMIT 2",
                 {"as_of": "2025-06-01"})
    assert given.status_code == 200


def test_a_syntax_error_points_at_its_line_and_column(client):
    body = _run(client, "MATCH (t:Task)\nWHERE t.deadlin > '2025'\nRETURN t LIMIT 1 +").json()
    assert body["error"].startswith("Syntax error at line 3, column 19: expected ")
    assert body["error"].endswith(" at end of input.")
    lines = body["detail"].split("\n")
    assert lines[:2] == ["RETURN t LIMIT 1 +", " " * 18 + "^"]
    assert any("did you mean `deadline`?" in line for line in lines)  # schema hints ride along
    assert lines[-1].startswith("Kho dữ liệu báo / the store said: errMsg: Invalid input")
    body = _run(client, "MATCH (t:Task RETURN t").json()
    assert body["error"] == ("Syntax error at line 1, column 15: expected a label, '{', a parameter "
                             "or ')', found 'R'.")
    assert body["detail"].split("\n")[:2] == ["MATCH (t:Task RETURN t", " " * 14 + "^"]


def test_a_type_mismatch_is_said_in_plain_words(client):
    body = _run(client, "RETURN range(1, 'a') AS r").json()
    assert body["error"] == "A value has the wrong type: the query gives String where Integer is needed."
    assert "dates are 'YYYY-MM-DD' text" in body["detail"]
    assert body["detail"].endswith("the store said: Type mismatch: expected Integer but was String")
