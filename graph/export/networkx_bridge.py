"""The bridge to networkx: the graph format as a MultiDiGraph, for analytics, notebooks and the
GraphML and GEXF writers (which hold scalar attributes only)."""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from graph.export.common import COMPUTED, Subgraph


def to_networkx(subgraph: Subgraph) -> nx.MultiDiGraph:
    """A MultiDiGraph keyed by node id; edge keys are relationship types; values as stored."""
    graph = nx.MultiDiGraph()
    for node in subgraph["nodes"]:
        props = {k: v for k, v in node["properties"].items() if k != "id" and k not in COMPUTED}
        graph.add_node(node["id"], labels=":".join(node["labels"]), **props)
    for edge in subgraph["edges"]:
        graph.add_edge(edge["source"], edge["target"], key=edge["type"], type=edge["type"],
                       **edge["properties"])
    return graph


def flat_value(value: Any) -> Any:
    """A value GraphML and GEXF can hold: lists and maps become JSON text."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def flat_networkx(subgraph: Subgraph, *, display_labels: bool = False) -> nx.MultiDiGraph:
    """`to_networkx` with scalar attributes only (no None, lists as JSON text).

    With `display_labels` (for GEXF), nodes get `label` = name and edges `label` = type, which
    viewers show, and edges an `id` (`from|TYPE|to`); the edge's `type` attribute is left out,
    as GEXF reserves it for the direction.
    """
    graph = nx.MultiDiGraph()
    full = to_networkx(subgraph)
    for node_id, data in full.nodes(data=True):
        attrs = {k: flat_value(v) for k, v in data.items() if v is not None}
        if display_labels:
            attrs["label"] = str(data.get("name") or node_id)
        graph.add_node(node_id, **attrs)
    for source, target, key, data in full.edges(keys=True, data=True):
        attrs = {k: flat_value(v) for k, v in data.items() if v is not None}
        if display_labels:
            del attrs["type"]
            attrs.update(label=key, id=f"{source}|{key}|{target}")
        graph.add_edge(source, target, key=key, **attrs)
    return graph
