"""Every write statement, built in one place from the schema: parameterised, batched, merged on id.

Labels and types are interpolated only after they were checked against the schema, so no
input text reaches the query text; all values travel as parameters.
"""

from __future__ import annotations

from graph.schema import Schema, get_schema


def _checked(name: str, allowed: tuple[str, ...], what: str) -> str:
    if name not in allowed:
        raise ValueError(f"unknown {what} {name!r}")
    return name


def merge_nodes(label: str, schema: Schema | None = None) -> str:
    """`UNWIND $rows` of `{id, props}`: create or replace each node's properties."""
    schema = schema or get_schema()
    label = _checked(label, schema.label_names, "label")
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props"


def merge_relationships(rel_type: str, start_label: str, end_label: str,
                        schema: Schema | None = None) -> str:
    """`UNWIND $rows` of `{start, end, props}`: one relationship of a type per node pair."""
    schema = schema or get_schema()
    rel_type = _checked(rel_type, schema.relationship_names, "relationship type")
    start_label = _checked(start_label, schema.label_names, "label")
    end_label = _checked(end_label, schema.label_names, "label")
    return (
        f"UNWIND $rows AS row MATCH (a:{start_label} {{id: row.start}}) "
        f"MATCH (b:{end_label} {{id: row.end}}) "
        f"MERGE (a)-[r:{rel_type}]->(b) SET r = row.props"
    )


def labels_of_ids(schema: Schema | None = None) -> str:
    """Which label each of `$ids` has: one indexed lookup per label, not a scan of all nodes."""
    schema = schema or get_schema()
    parts = [
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id, '{label}' AS label"
        for label in schema.label_names
    ]
    return " UNION ALL ".join(parts)
