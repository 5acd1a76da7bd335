"""Request and response models of the API; enums come from the schema declaration."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from graph.schema import get_schema
from queries import QueryParam

ParamName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")]

_schema = get_schema()
LabelName = StrEnum("LabelName", {name: name for name in _schema.label_names})
RelTypeName = StrEnum("RelTypeName", {name: name for name in _schema.relationship_names})


class GraphNode(BaseModel):
    id: str | None
    label: str | None
    labels: list[str]
    name: str | None = None
    name_en: str | None = None
    properties: dict[str, Any]


class GraphEdge(BaseModel):
    id: str
    type: str
    source: str | None
    target: str | None
    properties: dict[str, Any]


class Subgraph(BaseModel):
    """The graph format every endpoint uses: nodes and edges, edges by node id."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = False


class PathIds(BaseModel):
    nodes: list[str] = Field(description="The path's node ids in order, source first.")
    relationships: list[str] = Field(description="Its relationship ids in order (the `id` of "
                                                 "the subgraph's edges), one fewer than nodes.")


class PathAnswer(Subgraph):
    """Every shortest path, and the subgraph they make together (for drawing)."""

    paths: list[PathIds] = Field(description="Every shortest path (at most 100), ordered by "
                                             "node ids; one path of length 0 when source is target.")
    count: int = Field(description="How many shortest paths were found.")
    hops: int | None = Field(description="Their length; null when the nodes are not connected.")


class CytoscapeElements(BaseModel):
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    truncated: bool = False


class SearchHit(BaseModel):
    id: str
    label: str
    name: str | None
    name_en: str | None
    score: int
    matched: str | None


class SearchAnswer(BaseModel):
    data: list[SearchHit]
    count: int


class SourceRef(BaseModel):
    id: str
    name: str | None = None
    title: str | None = None
    publisher: str | None = None
    published_on: str | None = None
    url: str | None = None


class NeighbourCount(BaseModel):
    type: str
    direction: str
    count: int


class NodeDetails(GraphNode):
    sources: list[SourceRef]
    neighbours: list[NeighbourCount]


class QueryParamInfo(BaseModel):
    """One parameter of a named query or an analytic (both are `queries.QueryParam`)."""

    name: str
    type: str
    default: str | None
    required: bool
    help: str

    @classmethod
    def of(cls, param: QueryParam) -> QueryParamInfo:
        return cls(name=param.name, type=param.type, default=param.default,
                   required=param.required, help=param.help)


class QueryInfo(BaseModel):
    name: str
    title: str
    title_vi: str
    description: str
    description_vi: str
    row: str
    params: list[QueryParamInfo]
    cypher: str


class QueryList(BaseModel):
    data: list[QueryInfo]
    count: int


class QueryAnswer(BaseModel):
    name: str | None = None
    columns: list[str]
    rows: list[dict[str, Any]]
    count: int = Field(description="Rows on this page.")
    offset: int = Field(default=0, description="Rows of the whole answer before this page.")
    truncated: bool = Field(description="More rows follow this page.")
    next_offset: int | None = Field(default=None,
                                    description="The `offset` of the next page; null on the last.")
    next: str | None = Field(default=None,
                             description="The URL of the next page (a GET answer's; also in its "
                                         "`Link: <…>; rel=\"next\"` header); null on the last.")
    graph: Subgraph
    notices: list[str] = Field(default_factory=list,
                               description="Neo4j 5 constructs rewritten to the portable form.")
    rewritten: str | None = Field(default=None,
                                  description="The query as run, when it was rewritten; else null.")
    hints: list[str] = Field(default_factory=list,
                             description="Labels, types or properties the schema does not know, "
                                         "each with the nearest known name (a mistyped property "
                                         "reads as null, which no store reports).")


AnswerFormat = Literal["json", "csv", "ndjson"]
FORMAT_HELP = ("`json`: one page (`limit`, `offset`) with its subgraph; `csv` or `ndjson`: every "
               "row of the whole answer, past the row cap, streamed as a download.")
LEAN_HELP = ("Leave out the columns of nodes, relationships and chains (for drawing), keeping "
             "the ids, names, dates and statuses a table needs; in `json` the `graph` they "
             "would draw is then empty.")
BOM_HELP = ("With `csv`: start with the UTF-8 byte-order mark, so Excel opens the Vietnamese text as "
            "written instead of as mojibake.")
LIMIT_HELP = "Rows on this page (default POLICYGRAPH_PAGE_SIZE, at most POLICYGRAPH_ROW_LIMIT)."
OFFSET_HELP = "Rows to pass over first: the `next_offset` of the previous page."
MAX_OFFSET = 10_000_000


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=100_000, description="Read-only Cypher.")
    params: dict[ParamName, Any] = Field(default_factory=dict,
                                         description="Query parameters, by Cypher parameter name.")
    limit: int | None = Field(default=None, ge=1, description=LIMIT_HELP)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description=OFFSET_HELP)
