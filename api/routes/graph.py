"""Nodes and the relationship graphs around them: details, neighbourhoods, shortest paths."""

from __future__ import annotations

from typing import Annotated

import pydantic_core
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.deps import StoreDep
from api.errors import COMMON_RESPONSES, ErrorBody
from api.models import CytoscapeElements, LabelName, NodeDetails, PathAnswer, RelTypeName, Subgraph
from api.params import NOT_NULL
from graph import explore
from graph.subgraph import to_cytoscape
from queries import QueryParam, bind_params

router = APIRouter(prefix="/api", tags=["graph"], responses=COMMON_RESPONSES)
NOT_FOUND = {404: {"model": ErrorBody, "description": "No node with that id."},
             400: {"model": ErrorBody, "description": "The store rejected the request."}}
ENDS = (QueryParam(name="source", type="string", help="Id of one node."),
        QueryParam(name="target", type="string", help="Id of the other node."))
NodeId = Annotated[str, Path(min_length=1, max_length=200, description="A node id, e.g. bo-tai-chinh.")]


def graph_json(answer: dict) -> Response:
    """The answer encoded once, as it is: re-validating a few hundred nodes through the
    response model and encoding them with `json` cost more than the store's own work. The
    model still documents the answer in OpenAPI; NaN and infinities become null as before."""
    return Response(pydantic_core.to_json(answer, inf_nan_mode="null"),
                    media_type="application/json")


@router.get("/nodes/{node_id}", response_model=NodeDetails, responses=NOT_FOUND)
def node(store: StoreDep, node_id: NodeId) -> dict:
    """A node's properties, labels, sources (with titles and URLs) and neighbours by type."""
    return explore.node_details(store, node_id)


@router.get("/graph/neighborhood/{node_id}", response_model=Subgraph | CytoscapeElements,
            responses=NOT_FOUND)
def neighborhood(
    store: StoreDep,
    node_id: NodeId,
    depth: int = Query(1, ge=1, le=explore.MAX_DEPTH, description="Hops from the node."),
    limit: int = Query(500, ge=1, le=5000, description="Most paths read; `truncated` says if reached."),
    labels: list[LabelName] | None = Query(None, description="Keep only nodes with these labels."),
    rel_types: list[RelTypeName] | None = Query(None, description="Follow only these relationships."),
    format: str = Query("graph", pattern="^(graph|cytoscape)$",
                        description="`graph` (nodes/edges) or `cytoscape` (Cytoscape.js elements)."),
) -> Response:
    """The subgraph around a node, in the graph format (or Cytoscape.js elements)."""
    graph = explore.neighbourhood(
        store, node_id, depth=depth, limit=limit,
        labels=[label.value for label in labels] if labels else None,
        rel_types=[t.value for t in rel_types] if rel_types else None,
    )
    if format == "cytoscape":
        return graph_json({**to_cytoscape(graph), "truncated": graph["truncated"]})
    return graph_json(graph)


@router.get("/graph/path", response_model=PathAnswer, responses=NOT_FOUND)
def path(
    store: StoreDep,
    source: str = Query(min_length=1, max_length=200, description="Id of one node.",
                        json_schema_extra=NOT_NULL),
    target: str = Query(min_length=1, max_length=200, description="Id of the other node.",
                        json_schema_extra=NOT_NULL),
    max_hops: int = Query(4, ge=1, le=explore.MAX_HOPS),
) -> dict:
    """Every shortest path between two nodes (either direction), as one subgraph."""
    ends = bind_params("The path", ENDS, {"source": source, "target": target})  # `null`: not given
    source, target = ends["source"], ends["target"]
    return explore.shortest_paths(store, source, target, max_hops=max_hops)
