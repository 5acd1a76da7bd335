"""One graph format for everything that draws or exports: `{nodes: [...], edges: [...]}`.

A node is `{id, label, labels, name, name_en, properties}`; an edge is
`{id, type, source, target, properties}` with `source`/`target` node ids. The API serves it,
the visualisation draws it and the exports write it; `to_cytoscape` gives Cytoscape.js elements.
"""

from __future__ import annotations

from typing import Any

from graph.store.base import QueryResult

_NODE_KEYS = frozenset({"id", "labels", "properties"})
_EDGE_KEYS = frozenset({"type", "start", "end", "properties"})


def _is_node(value: Any) -> bool:
    return isinstance(value, dict) and value.keys() == _NODE_KEYS


def _is_edge(value: Any) -> bool:
    return isinstance(value, dict) and value.keys() == _EDGE_KEYS


def _edge_id(rel: dict[str, Any]) -> str:
    return f"{rel['start']}|{rel['type']}|{rel['end']}"


def node_entry(node: dict[str, Any]) -> dict[str, Any]:
    props = node["properties"]
    labels = node["labels"]
    return {"id": node["id"], "label": labels[0] if labels else None, "labels": labels,
            "name": props.get("name"), "name_en": props.get("name_en"), "properties": props}


def edge_entry(rel: dict[str, Any]) -> dict[str, Any]:
    return {"id": _edge_id(rel), "type": rel["type"],
            "source": rel["start"], "target": rel["end"], "properties": rel["properties"]}


class SubgraphBuilder:
    """Collects nodes and edges once each, in the order first seen."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[str, dict[str, Any]] = {}

    def add(self, value: Any) -> None:
        """Add every node, relationship and path found anywhere inside `value`."""
        if _is_node(value):
            if value["id"] is not None and value["id"] not in self.nodes:
                self.nodes[value["id"]] = node_entry(value)
        elif _is_edge(value):
            if _edge_id(value) not in self.edges:
                self.edges[_edge_id(value)] = edge_entry(value)
        elif isinstance(value, dict):
            for item in value.values():
                self.add(item)
        elif isinstance(value, list):
            for item in value:
                self.add(item)

    def build(self, *, drop_dangling: bool = True) -> dict[str, list[dict[str, Any]]]:
        edges = list(self.edges.values())
        if drop_dangling:
            edges = [e for e in edges if e["source"] in self.nodes and e["target"] in self.nodes]
        return {"nodes": list(self.nodes.values()), "edges": edges}


def drawing_columns(rows: list[dict[str, Any]]) -> set[str]:
    """The columns that carry nodes, relationships or paths (for drawing, not for a table)."""
    def graphy(value: Any) -> bool:
        if isinstance(value, dict):
            return {"labels", "properties"} <= set(value) or {"type", "start", "end"} <= set(value)
        return isinstance(value, list) and any(graphy(v) for v in value)
    return {c for row in rows for c, v in row.items() if graphy(v)}


def lean(result: QueryResult) -> QueryResult:
    """`result` without its drawing columns (`drawing_columns`): ids, names, dates and statuses."""
    drawing = drawing_columns(result.rows)
    if not drawing:
        return result
    return QueryResult(columns=[c for c in result.columns if c not in drawing],
                       rows=[{k: v for k, v in row.items() if k not in drawing} for row in result.rows],
                       truncated=result.truncated)


def subgraph_from_rows(rows: list[dict[str, Any]] | QueryResult) -> dict[str, list[dict[str, Any]]]:
    """The nodes and edges that query rows mention (rows as plain store results)."""
    if isinstance(rows, QueryResult):
        rows = rows.rows
    builder = SubgraphBuilder()
    builder.add(rows)
    return builder.build()


def to_cytoscape(subgraph: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Cytoscape.js elements: `{nodes: [{data: …, classes}], edges: [{data: …, classes}]}`.

    As Cytoscape styles expect, `data.label` is what to show (a node's name, else its id; an
    edge's type) and the kind is `data.type` and the element's class (`node.Agency`)."""
    return {
        "nodes": [{"data": {**_scalar(n["properties"]), "id": n["id"], "label": n["name"] or n["id"],
                            "type": n["label"], "name": n["name"], "name_en": n["name_en"]},
                   "classes": n["label"] or ""}
                  for n in subgraph["nodes"]],
        "edges": [{"data": {**_scalar(e["properties"]), "id": e["id"], "source": e["source"],
                            "target": e["target"], "label": e["type"], "type": e["type"]},
                   "classes": e["type"]}
                  for e in subgraph["edges"]],
    }


def _scalar(props: dict[str, Any]) -> dict[str, Any]:
    reserved = {"id", "source", "target", "label", "type"}
    return {k: v for k, v in props.items() if k not in reserved}
