"""The named query library and read-only ad-hoc Cypher: rows plus the subgraph they mention."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import SettingsDep, StoreDep
from api.errors import COMMON_RESPONSES, ErrorBody
from api.models import CypherRequest, QueryAnswer, QueryInfo, QueryList, QueryParamInfo
from graph.store.base import QueryResult
from graph.subgraph import subgraph_from_rows
from queries import NamedQuery, get_query, library

router = APIRouter(prefix="/api", tags=["queries"], responses=COMMON_RESPONSES)
ERRORS = {400: {"model": ErrorBody}, 404: {"model": ErrorBody}, 408: {"model": ErrorBody}}


def _info(query: NamedQuery) -> QueryInfo:
    return QueryInfo(
        name=query.name, title=query.title, title_vi=query.title_vi, description=query.description,
        description_vi=query.description_vi, row=query.row, cypher=query.text,
        params=[QueryParamInfo(name=p.name, type=p.type, default=p.default, required=p.required,
                               help=p.help) for p in query.params],
    )


def answer(result: QueryResult, name: str | None = None) -> QueryAnswer:
    """Rows, plus every node and edge they mention, so any client can draw the answer."""
    return QueryAnswer(name=name, columns=result.columns, rows=result.rows, count=len(result.rows),
                       truncated=result.truncated, graph=subgraph_from_rows(result.rows))


@router.get("/queries", response_model=QueryList)
def list_queries() -> QueryList:
    """Every named query with its parameters and Cypher."""
    items = [_info(q) for q in library().values()]
    return QueryList(data=items, count=len(items))


@router.get("/queries/{name}", response_model=QueryAnswer, responses=ERRORS)
def run_query(name: str, request: Request, store: StoreDep, settings: SettingsDep) -> QueryAnswer:
    """Run a named query; its parameters are query-string parameters (`?as_of=2025-05-22`)."""
    query = get_query(name)
    result = query.run(store, dict(request.query_params), timeout_ms=settings.query_timeout_ms,
                       limit=settings.row_limit)
    return answer(result, name)


@router.post("/cypher", response_model=QueryAnswer, responses=ERRORS)
def cypher(body: CypherRequest, store: StoreDep, settings: SettingsDep) -> QueryAnswer:
    """Ad-hoc Cypher, read-only: the store refuses writes; timeout and row cap from settings."""
    result = store.read(body.query, body.params, timeout_ms=settings.query_timeout_ms,
                        limit=settings.row_limit)
    return answer(result)
