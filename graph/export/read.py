"""Reading what to export from the store: the whole graph, a selection of labels and types, or
the subgraph of named queries; then the relationships among its nodes and the sources it cites."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph import cypher
from graph.export.common import ExportError, Subgraph
from graph.schema import get_schema
from graph.store.base import Store
from graph.subgraph import SubgraphBuilder, node_entry, subgraph_from_rows

log = logging.getLogger(__name__)


def read_graph(store: Store, *, timeout_ms: int | None = None) -> Subgraph:
    """The whole graph in the graph format: every node and every relationship, all properties;
    each of the two reads within `timeout_ms` (the store's longest otherwise)."""
    nodes = store.read(cypher.ALL_NODES, timeout_ms=timeout_ms).rows
    rels = store.read(cypher.ALL_RELATIONSHIPS, timeout_ms=timeout_ms).rows
    builder = SubgraphBuilder()
    for row in sorted(nodes, key=lambda r: str(r["properties"].get("id"))):
        props = row["properties"]
        builder.nodes.setdefault(props.get("id"), node_entry(
            {"id": props.get("id"), "labels": sorted(row["labels"]), "properties": props}))
    for row in sorted(rels, key=lambda r: (str(r["source"]), r["type"], str(r["target"]))):
        builder.add({"type": row["type"], "start": row["source"], "end": row["target"],
                     "properties": row["properties"]})
    graph = builder.build()
    log.info("read %d nodes and %d relationships", len(graph["nodes"]), len(graph["edges"]))
    return graph


def read_selection(store: Store, nodes: Mapping[str, Sequence[str]], rel_types: Sequence[str]) -> Subgraph:
    """Only what an analysis needs: the nodes of some labels with some of their properties
    (`{"Task": ["name", "deadline"]}`; `id` always) and the relationships of some types, without
    their properties. Much faster than `read_graph` on a large store: fewer values to transfer.

    A relationship keeps its endpoints' ids even when those nodes were not read (an analysis
    may need a task's id but none of its properties).
    """
    schema = get_schema()
    builder = SubgraphBuilder()
    for label, props in nodes.items():
        _checked(label, schema.label_names)
        known = tuple(schema.node_properties(label))
        columns = ["id", *(_checked(p, known) for p in props if p != "id")]
        for row in sorted(store.read(cypher.label_columns(label, columns)).rows, key=lambda r: str(r["id"])):
            values = {k: v for k, v in row.items() if v is not None}
            builder.nodes.setdefault(row["id"], node_entry(
                {"id": row["id"], "labels": [label], "properties": values}))
    for rel_type in rel_types:
        _checked(rel_type, schema.relationship_names)
        rows = store.read(cypher.endpoints(rel_type)).rows
        for row in sorted(rows, key=lambda r: (str(r["source"]), str(r["target"]))):
            builder.add({"type": rel_type, "start": row["source"], "end": row["target"], "properties": {}})
    graph = builder.build(drop_dangling=False)
    log.info("read %d nodes and %d relationships", len(graph["nodes"]), len(graph["edges"]))
    return graph


def _checked(name: str, allowed: tuple[str, ...]) -> str:
    if name not in allowed:
        raise ExportError(f"{name!r} is not in the schema.", hint=f"Known: {', '.join(allowed)}.")
    return name


def query_subgraph(store: Store, names: Iterable[str], params: dict[str, Any] | None = None, *,
                   timeout_ms: int | None = None, limit: int | None = None,
                   induced: bool = True) -> Subgraph:
    """The nodes that the rows of the named queries mention, merged, with the relationships among
    them (`induced`: every stored one, e.g. a task's LED_BY to its lead; otherwise only those
    the rows hold).

    `params` are shared: each query takes the ones it declares; a parameter that no query
    declares is an error, so a typo is not silently ignored.
    """
    from queries import get_query

    params = dict(params or {})
    queries = [get_query(name) for name in names]
    declared = {p.name for q in queries for p in q.params}
    unused = sorted(set(params) - declared)
    if unused:
        raise ExportError(f"No chosen query has the parameter {', '.join(unused)}.",
                          hint="policygraph query --list shows each query's parameters.",
                          http_hint="GET /api/queries lists each query's parameters.")
    rows: list[dict[str, Any]] = []
    for query in queries:
        own = {k: v for k, v in params.items() if k in {p.name for p in query.params}}
        result = query.run(store, own, timeout_ms=timeout_ms, limit=limit)
        if result.truncated:
            log.warning("query %s was cut at %s rows; the export holds only those", query.name, limit)
        rows.extend(result.rows)
    graph = subgraph_from_rows(rows)
    return relationships_among(store, graph, timeout_ms=timeout_ms) if induced else graph


def relationships_among(store: Store, subgraph: Subgraph, *, timeout_ms: int | None = None) -> Subgraph:
    """`subgraph` with every stored relationship between two of its nodes."""
    ids = sorted(n["id"] for n in subgraph["nodes"])
    builder = SubgraphBuilder()
    for node in subgraph["nodes"]:
        builder.nodes[node["id"]] = node
    for edge in subgraph["edges"]:
        builder.edges[edge["id"]] = edge
    if len(ids) > 1:
        rows = store.read(cypher.RELATIONSHIPS_AMONG, {"ids": ids}, timeout_ms=timeout_ms).rows
        for row in sorted(rows, key=lambda r: (r["source"], r["type"], r["target"])):
            builder.add({"type": row["type"], "start": row["source"], "end": row["target"],
                         "properties": row["properties"]})
    return builder.build()


def with_sources(store: Store, subgraph: Subgraph, *, timeout_ms: int | None = None) -> Subgraph:
    """`subgraph` plus the Source nodes its nodes and edges cite, so the loader accepts it alone."""
    present = {n["id"] for n in subgraph["nodes"]}
    cited = {s for item in [*subgraph["nodes"], *subgraph["edges"]]
             for s in item["properties"].get("sources") or []} - present
    if not cited:
        return subgraph
    found = store.read(cypher.SOURCE_NODES, {"ids": sorted(cited)}, timeout_ms=timeout_ms).rows
    extra = sorted((node_entry(row["s"]) for row in found), key=lambda n: n["id"])
    return {"nodes": [*subgraph["nodes"], *extra], "edges": subgraph["edges"]}
