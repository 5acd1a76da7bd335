"""A Cypher script: one statement per line (`MERGE` on id, values inlined) that replays into an
empty store, FalkorDB or Neo4j (`cypher-shell -f FILE`), and gives the same graph."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graph.export.common import ExportError, Subgraph

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CYPHER_BATCH = 500


def cypher_statements(subgraph: Subgraph, *, batch: int = CYPHER_BATCH) -> Iterator[str]:
    """Statements, one per line, that rebuild `subgraph` in an empty store (FalkorDB or Neo4j).

    Values are inlined as Cypher literals, so the file runs without parameters; `MERGE` on id
    makes a second replay change nothing.
    """
    by_label: dict[str, list[dict[str, Any]]] = {}
    label_of: dict[str, str] = {}
    for node in subgraph["nodes"]:
        label = identifier(node["label"] or "")
        label_of[node["id"]] = label
        props = {k: v for k, v in node["properties"].items() if v is not None}
        by_label.setdefault(label, []).append({"id": node["id"], "props": props})
    yield (f"// policygraph export: {len(subgraph['nodes'])} nodes, {len(subgraph['edges'])} "
           "relationships. Replay into an empty graph, one statement per line.")
    for label in sorted(by_label):
        yield f"CREATE INDEX FOR (n:{label}) ON (n.id);"
    for label, rows in sorted(by_label.items()):
        for chunk in _chunks(rows, batch):
            yield (f"UNWIND {cypher_literal(chunk)} AS row "
                   f"MERGE (n:{label} {{id: row.id}}) SET n = row.props;")
    by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for edge in subgraph["edges"]:
        key = (identifier(edge["type"]), label_of[edge["source"]], label_of[edge["target"]])
        props = {k: v for k, v in edge["properties"].items() if v is not None}
        by_type.setdefault(key, []).append({"start": edge["source"], "end": edge["target"],
                                            "props": props})
    for (rel_type, start, end), rows in sorted(by_type.items()):
        for chunk in _chunks(rows, batch):
            yield (f"UNWIND {cypher_literal(chunk)} AS row "
                   f"MATCH (a:{start}) WHERE a.id = row.start MATCH (b:{end}) WHERE b.id = row.end "
                   f"MERGE (a)-[r:{rel_type}]->(b) SET r = row.props;")


def cypher_literal(value: Any) -> str:
    """`value` written as a Cypher literal that FalkorDB and Neo4j read back the same."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ExportError(f"{value} has no Cypher literal.")
        return repr(value)
    if isinstance(value, str):
        return "'" + "".join(_ESCAPES.get(ch, ch if ch >= " " else f"\\u{ord(ch):04x}")
                             for ch in value) + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise ExportError(f"A {type(value).__name__} value has no Cypher literal.")


_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _key(name: str) -> str:
    return name if IDENTIFIER.match(name) else "`" + name.replace("`", "``") + "`"


def identifier(name: str) -> str:
    """`name`, if Cypher takes it bare as a label or relationship type."""
    if not IDENTIFIER.match(name):
        raise ExportError(f"{name!r} cannot be a label or relationship type in Cypher.")
    return name


def _chunks(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def cypher_bytes(subgraph: Subgraph) -> bytes:
    return ("\n".join(cypher_statements(subgraph)) + "\n").encode()
