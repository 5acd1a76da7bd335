"""The README's schema tables are the schema declaration, word for word."""

from __future__ import annotations

from graph.schema import get_schema
from graph.schema_doc import README, readme_section, schema_markdown


def test_readme_schema_matches_the_declaration():
    section = readme_section(README.read_text(encoding="utf-8"))
    assert section == schema_markdown(get_schema()), (
        "README.md's schema tables differ from graph/schema.yaml: run "
        "`.venv/bin/python -m graph.schema_doc --write` (and write a migration note if a "
        "label, type or property changed)."
    )


def test_schema_declares_the_contract_of_domain_md():
    schema = get_schema()
    assert set(schema.labels) == {"Agency", "Person", "Expert", "Law", "Document", "Task", "Meeting",
                                  "Topic", "Obstacle", "Place", "Source", "StatusChange", "DeadlineChange"}
    assert schema.enum_values("Law", "status") == (
        "drafting", "submitted", "amending", "passed", "in_force", "stalled")
    assert schema.enum_values("Task", "status") == ("done", "on_track", "partial", "not_done", "overdue")
    assert schema.relationships["DEPENDS_ON"].to_labels == ("Law", "Task", "Document")
    assert schema.relationships["HAS_DEADLINE"].to_labels == ("DeadlineChange",)
    assert len(schema.relationships) == 21


def test_readme_documents_every_setting():
    from graph.settings import Settings

    readme = README.read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        env = alias.choices[0] if alias is not None else f"POLICYGRAPH_{name.upper()}"
        assert f"`{env}`" in readme, f"README's configuration table lacks {env}"
