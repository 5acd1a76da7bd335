"""Cytoscape JSON (`.cyjs`: `{data, directed, multigraph, elements}`), which Cytoscape desktop
imports and whose `elements` Cytoscape.js takes as they are."""

from __future__ import annotations

import json
from typing import Any

from graph.export.common import Subgraph, without_computed
from graph.subgraph import to_cytoscape


def cytoscape_document(subgraph: Subgraph) -> dict[str, Any]:
    """Cytoscape JSON: Cytoscape desktop imports it; `elements` is what Cytoscape.js takes.

    Each node's data also has `value` (its id) and each edge's `key` (its type), the fields
    networkx's `cytoscape_graph` reads back.
    """
    elements = to_cytoscape(without_computed(subgraph))
    for node in elements["nodes"]:
        node["data"]["value"] = node["data"]["id"]
    for edge in elements["edges"]:
        edge["data"]["key"] = edge["data"]["type"]
    return {"format_version": "1.0", "generated_by": "policygraph",
            "target_cytoscapejs_version": "~3", "data": {"name": "policygraph"},
            "directed": True, "multigraph": True, "elements": elements}


def cytoscape_bytes(subgraph: Subgraph) -> bytes:
    return (json.dumps(cytoscape_document(subgraph), ensure_ascii=False, indent=1) + "\n").encode()
