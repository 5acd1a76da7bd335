"""What the workbench's reference pages read of the store: the schema contract beside what the
store holds (/schema), the Source nodes loaded (/about), an id to fill a sample query with.

The statements are in `graph/cypher.py`; the pages (`api/workbench/guide.py`) only render.
"""

from __future__ import annotations

from typing import Any

from graph import cypher
from graph.schema import Property, Schema
from graph.store.base import Store

SAMPLE_NODES = 200  # nodes of a label read to find an example value of each property
MAX_SOURCES = 500  # Source nodes listed on /about


def example(value: Any) -> str:
    """An example value, short enough for a table cell."""
    text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _properties(declared: dict[str, Property], samples: list[dict[str, Any]],
                hidden: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each declared property with how many sampled items carry it and one value they hold."""
    rows = []
    for name, prop in declared.items():
        if name in hidden:
            continue
        held = [s[name] for s in samples if s.get(name) not in (None, "", [])]
        rows.append({"name": name, "type": prop.type, "required": prop.required, "help": prop.help,
                     "enum": prop.values, "example": example(held[0]) if held else "",
                     "present": len(held)})
    return rows


def schema_view(schema: Schema, store: Store, timeout_ms: int) -> dict[str, Any]:
    """Labels and relationship types of the contract, with what the store holds of each: a
    count, and for each property one example value and how many of the sampled items have it."""
    hidden = schema.internal_properties
    labels = []
    for name, label in schema.labels.items():
        count = store.read(cypher.label_count(name), timeout_ms=timeout_ms).rows[0]["c"]
        samples = store.read(cypher.label_samples(name), timeout_ms=timeout_ms, limit=SAMPLE_NODES).rows
        labels.append({"name": name, "help": label.help, "count": count, "sampled": len(samples),
                       "properties": _properties(schema.node_properties(name),
                                                 [r["p"] for r in samples], hidden)})
    relationships = []
    for name, rel in schema.relationships.items():
        count = store.read(cypher.relationship_count(name), timeout_ms=timeout_ms).rows[0]["c"]
        samples = store.read(cypher.relationship_samples(name), timeout_ms=timeout_ms,
                             limit=SAMPLE_NODES).rows
        relationships.append({"name": name, "help": rel.help, "count": count, "sampled": len(samples),
                              "from": rel.from_labels, "to": rel.to_labels,
                              "properties": _properties(schema.relationship_properties(name),
                                                        [r["p"] for r in samples], hidden)})
    return {"labels": labels, "relationships": relationships}


def loaded_sources(store: Store, timeout_ms: int) -> tuple[list[dict[str, Any]], bool]:
    """The Source nodes in the store, newest first, and whether the list was cut."""
    result = store.read(cypher.SOURCES_LOADED, timeout_ms=timeout_ms, limit=MAX_SOURCES)
    return result.rows, result.truncated


def first_id(store: Store, label: str, timeout_ms: int) -> str:
    """The smallest id of a node of `label` (a schema name), or "" when there is none."""
    rows = store.read(cypher.first_id(label), timeout_ms=timeout_ms, limit=1).rows
    return rows[0]["id"] if rows else ""
