"""Exploring the graph around entities: one node in detail, its neighbourhood, paths between two.

The API, the CLI and the visualisation call these same functions; every query is portable
Cypher and starts from an indexed `(:Label {id})` lookup, never a scan of all nodes.
"""

from __future__ import annotations

from typing import Any

from graph import cypher
from graph.errors import NotFound
from graph.schema import Schema, get_schema
from graph.store.base import Store
from graph.subgraph import SubgraphBuilder, edge_entry, node_entry

MAX_DEPTH = 3
MAX_HOPS = 8


def label_of(store: Store, node_id: str, schema: Schema | None = None) -> str:
    """The label of node `node_id`; NotFound if there is no such node."""
    schema = schema or get_schema()
    rows = store.read(cypher.labels_of_ids(schema.label_names), {"ids": [node_id]}).rows
    if not rows:
        raise NotFound(f"No node with id {node_id!r}.",
                       hint="Search for it by name: `policygraph search`.",
                       http_hint="Search for it by name: /api/search?q=… .")
    return rows[0]["label"]


def node_details(store: Store, node_id: str, schema: Schema | None = None) -> dict[str, Any]:
    """A node with its sources (titles, URLs) and its neighbours counted by relationship type."""
    schema = schema or get_schema()
    label = label_of(store, node_id, schema)
    node = store.read(cypher.node(label), {"id": node_id}).rows[0]["n"]
    entry = node_entry(node)
    source_ids = entry["properties"].get("sources") or []
    sources = store.read(cypher.SOURCES, {"ids": source_ids}).rows
    neighbours = store.read(cypher.neighbour_counts(label), {"id": node_id}).rows
    return {**entry, "sources": sources, "neighbours": neighbours}


def neighbourhood_query(label: str, depth: int, rel_types: list[str] | None,
                        schema: Schema | None = None) -> str:
    """The Cypher behind `neighbourhood` (the benchmark times this same text on the raw store)."""
    schema = schema or get_schema()
    if label not in schema.labels:
        raise ValueError(f"unknown label {label!r}")
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be 1 to {MAX_DEPTH}")
    if rel_types:
        unknown = [t for t in rel_types if t not in schema.relationships]
        if unknown:
            raise ValueError(f"unknown relationship types {unknown}")
    return cypher.neighbourhood(label, depth, rel_types)


def neighbourhood(store: Store, node_id: str, *, depth: int = 1, limit: int = 500,
                  labels: list[str] | None = None, rel_types: list[str] | None = None,
                  schema: Schema | None = None) -> dict[str, Any]:
    """The subgraph within `depth` hops of a node: `{nodes, edges, truncated}`.

    `limit` bounds the paths read (each adds at most one node), so the answer stays drawable;
    `truncated` says it was reached.
    """
    schema = schema or get_schema()
    label = label_of(store, node_id, schema)
    query = neighbourhood_query(label, depth, rel_types, schema)
    result = store.read(query, {"id": node_id, "labels": labels or None, "limit": limit + 1})
    rows = result.rows[:limit]
    builder = SubgraphBuilder()
    if not rows:  # every path starts at the centre; alone, it must be read by itself
        builder.add(store.read(cypher.node(label), {"id": node_id}).rows)
    builder.add(rows)
    return {**builder.build(), "truncated": len(result.rows) > limit}


def shortest_paths(store: Store, source: str, target: str, *, max_hops: int = 4,
                   schema: Schema | None = None) -> dict[str, Any]:
    """Every shortest path (ignoring direction) between two nodes: each as the ordered ids of
    its nodes (source first) and of its relationships, plus the merged subgraph for drawing.
    A node and itself: one path of length 0."""
    schema = schema or get_schema()
    if not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"max_hops must be 1 to {MAX_HOPS}")
    source_label = label_of(store, source, schema)
    target_label = label_of(store, target, schema)
    if source == target:
        rows = store.read(cypher.path_to_itself(source_label), {"source": source}).rows
    else:
        rows = store.read(cypher.shortest_paths(source_label, target_label, max_hops),
                          {"source": source, "target": target}).rows
    builder = SubgraphBuilder()
    builder.add(rows)
    paths = sorted((_path_ids(row["p"]) for row in rows), key=lambda p: (p["nodes"], p["relationships"]))
    return {**builder.build(), "paths": paths, "count": len(paths),
            "hops": len(paths[0]["relationships"]) if paths else None}


def _path_ids(path: list[dict[str, Any]]) -> dict[str, list[str]]:
    """A store path (node, relationship, node, …) as its node ids and relationship ids."""
    return {"nodes": [part["id"] for part in path[::2]],
            "relationships": [edge_entry(part)["id"] for part in path[1::2]]}
