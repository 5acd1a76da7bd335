"""What every export module shares: the graph format's type, the loader-computed properties
(left out of exports meant for reloading) and the export's error."""

from __future__ import annotations

from typing import Any

from graph.errors import PolicygraphError
from graph.schema import get_schema

Subgraph = dict[str, list[dict[str, Any]]]
# the loader computes these; exports for reloading leave them out (the schema's one list)
COMPUTED = get_schema().internal_properties


class ExportError(PolicygraphError):
    """The graph cannot be written in the asked format."""


def without_computed(subgraph: Subgraph) -> Subgraph:
    """`subgraph` without the properties the loader computes (they are not facts to export)."""
    nodes = [{**n, "properties": {k: v for k, v in n["properties"].items() if k not in COMPUTED}}
             for n in subgraph["nodes"]]
    return {"nodes": nodes, "edges": subgraph["edges"]}
