"""Analytics (`/api/analytics/{name}`) and exports (`/api/export?format=`) over HTTP.

The same analytics and export formats as `policygraph analytics` and `policygraph export`;
parameters are query-string parameters, as for the named queries.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api.deps import SettingsDep, StoreDep
from api.errors import COMMON_RESPONSES, ErrorBody
from api.held_stream import HeldStream
from api.limits import EXPORTS
from api.models import QueryParamInfo
from api.params import REFUSE_UNKNOWN
from graph.analytics import ANALYTICS, Analytic, get_analytic
from graph.errors import InvalidParameter
from graph.export import query_subgraph, read_graph, render, with_sources
from graph.export_formats import FORMATS, MEDIA_TYPES, STREAMED, SUFFIXES, formats_help
from graph.export_stream import stream_export

router = APIRouter(prefix="/api", tags=["analysis"], responses=COMMON_RESPONSES)
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad parameter, or the store rejected a query."},
    404: {"model": ErrorBody, "description": "No such analytic or named query."},
    408: {"model": ErrorBody, "description": "A query ran past the timeout."},
    409: {"model": ErrorBody, "description": "The data has DEPENDS_ON cycles."},
}
EXPORT_OWN = {"format", "query"}


class AnalyticInfo(BaseModel):
    name: str
    title: str
    description: str
    columns: list[str]
    params: list[QueryParamInfo]


class AnalyticList(BaseModel):
    data: list[AnalyticInfo]
    count: int


class AnalyticAnswer(BaseModel):
    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    count: int


def _info(analytic: Analytic) -> AnalyticInfo:
    return AnalyticInfo(
        name=analytic.name, title=analytic.title, description=analytic.description,
        columns=list(analytic.columns),
        params=[QueryParamInfo.of(p) for p in analytic.params])


@router.get("/analytics", response_model=AnalyticList, dependencies=REFUSE_UNKNOWN)
def list_analytics() -> AnalyticList:
    """Every analytic, with its parameters and columns."""
    items = [_info(a) for a in ANALYTICS.values()]
    return AnalyticList(data=items, count=len(items))


@router.get("/analytics/{name}", response_model=AnalyticAnswer, responses=ERRORS)
def run_analytic(name: str, request: Request, store: StoreDep) -> AnalyticAnswer:
    """Run an analytic over the whole graph; its parameters go in the query string."""
    analytic = get_analytic(name)
    rows = analytic.run(store, dict(request.query_params))
    return AnalyticAnswer(name=name, columns=list(analytic.columns), rows=rows, count=len(rows))


@router.get("/export", responses={**ERRORS, 200: {
    "description": "The export file (csv: a zip of the loader's CSV files).",
    "content": {media: {} for media in sorted(set(MEDIA_TYPES.values()))}}},
    response_class=Response)
def export(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    format: str = Query(pattern=f"^({'|'.join(FORMATS)})$",
                        description=formats_help() + " (csv: a zip)."),
    query: list[str] | None = Query(None, description="Export only what these named queries' "
                                                      "answers mention; default: the whole graph."),
) -> Response:
    """The whole graph, or the subgraph of named queries, as a file to download; each read
    within the query timeout, a few exports at a time per process (429 beyond
    POLICYGRAPH_EXPORT_CONCURRENCY). The whole graph (except csv) is sent while it is read.

    Other query-string parameters are the named queries' parameters (`?as_of=2025-05-22`).
    """
    params = {k: v for k, v in request.query_params.items() if k not in EXPORT_OWN}
    if not query and params:
        raise InvalidParameter(f"Unknown parameter {', '.join(sorted(params))} without a query.",
                               field=sorted(params)[0],
                               hint="Query parameters go with query=NAME, e.g. "
                                    "?format=graphml&query=blocking-laws&as_of=2025-05-22")
    timeout_ms = settings.query_timeout_ms
    filename = "policygraph" + SUFFIXES[format]
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if not query and format in STREAMED:  # the whole graph, written while it is read
        EXPORTS.acquire(settings.export_concurrency)
        try:
            pieces = stream_export(store, format, timeout_ms=timeout_ms)
        except BaseException:
            EXPORTS.release()
            raise
        return HeldStream(pieces, EXPORTS, what=f"Export ({format})",
                          media_type=MEDIA_TYPES[format], headers=headers)
    with EXPORTS.hold(settings.export_concurrency):
        if query:
            graph = query_subgraph(store, query, params, timeout_ms=timeout_ms,
                                   limit=settings.row_limit)
            if format == "csv":
                graph = with_sources(store, graph, timeout_ms=timeout_ms)
        else:
            graph = read_graph(store, timeout_ms=timeout_ms)
        body = render(graph, format)
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)
