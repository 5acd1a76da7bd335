"""Hints for names the schema does not know (graph.schema_hints), and the console's answer
carrying them: a mistyped property reads as null in every store, so only a hint tells."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.schema_hints import unknown_names


def test_a_mistyped_label_type_and_property_get_the_nearest_known_name():
    hints = unknown_names("MATCH (t:Task)-[:LED_BY]->(a:Agancy) WHERE t.deadlin <= '2025-06-01' "
                          "RETURN t.name, t.staus, a.abbr")
    assert [h.split(" / ")[1] for h in hints] == [
        "Unknown label or relationship type `Agancy`: did you mean `Agency`?",
        "Unknown property `deadlin`: did you mean `deadline`?",
        "Unknown property `staus`: did you mean `status`?"]
    assert hints[1].startswith("Không có thuộc tính `deadlin` trong lược đồ; có phải `deadline`?")


def test_case_and_relationship_types_are_checked_too():
    assert [h.split(" / ")[1] for h in unknown_names("MATCH (t:task)-[:DEPENDS_ONN*1..3]->(l) RETURN t")] == [
        "Unknown label or relationship type `task`: did you mean `Task`?",
        "Unknown label or relationship type `DEPENDS_ONN`: did you mean `DEPENDS_ON`?"]


def test_known_names_strings_comments_and_made_up_keys_are_left_alone():
    assert unknown_names("MATCH (l:Law) WHERE l:Law AND l.name = 'a.deadlin:Agancy' "
                         "WITH l, {n: count(*)} AS m RETURN l.status_on, m.n, 1.5 // t.deadlin") == []
    assert unknown_names("MATCH (t:Task) RETURN t.zzqx") == []  # nothing near: no guess


def test_the_console_answer_carries_the_hints(bundled_store):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    client = TestClient(app)
    answer = client.post("/api/cypher", json={"query": "MATCH (t:Task) RETURN t.deadlin AS d LIMIT 3"})
    assert answer.status_code == 200
    body = answer.json()
    assert [row["d"] for row in body["rows"]] == [None] * len(body["rows"]) and body["rows"]
    assert body["hints"] == unknown_names("MATCH (t:Task) RETURN t.deadlin AS d LIMIT 3")
    assert "did you mean `deadline`?" in body["hints"][0]
    fine = client.post("/api/cypher", json={"query": "MATCH (t:Task) RETURN t.deadline AS d LIMIT 1"})
    assert fine.json()["hints"] == []
