"""The named query library and read-only ad-hoc Cypher: rows plus the subgraph they mention."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from api.deps import PolicyGraphDep, SettingsDep, StoreDep
from api.errors import COMMON_RESPONSES, QUERY_RESPONSES
from api.limits import CYPHER, STORE_STOPPERS
from api.models import (
    BOM_HELP,
    FORMAT_HELP,
    LEAN_HELP,
    LIMIT_HELP,
    MAX_OFFSET,
    OFFSET_HELP,
    AnswerFormat,
    CypherRequest,
    QueryAnswer,
    QueryInfo,
    QueryList,
    QueryParamInfo,
)
from api.params import REFUSE_UNKNOWN
from api.row_stream import STREAM_FORMATS, stream_answer
from graph import answer_csv
from graph.errors import InvalidParameter, StoreRestarted
from graph.schema_hints import unknown_names
from graph.settings import Settings
from graph.store.base import QueryResult, Store
from graph.subgraph import subgraph_from_rows
from queries import PAGING, NamedQuery, get_query, is_absent, library

router = APIRouter(prefix="/api", tags=["queries"], responses=COMMON_RESPONSES)
ERRORS = QUERY_RESPONSES


def _info(query: NamedQuery) -> QueryInfo:
    return QueryInfo(
        name=query.name, title=query.title, title_vi=query.title_vi, description=query.description,
        description_vi=query.description_vi, row=query.row, cypher=query.text,
        params=[QueryParamInfo.of(p) for p in query.params],
    )


def page_size(settings: Settings, limit: int | None) -> int:
    """Rows for one page: the asked `limit` or the configured page size, never past the row cap."""
    if limit is None:
        return min(settings.page_size, settings.row_limit)
    if limit > settings.row_limit:
        raise InvalidParameter(
            f"limit {limit} is more than the {settings.row_limit} rows an answer may carry.",
            field="limit",
            hint="Ask for fewer and page with offset (each answer gives next_offset), or raise "
                 "POLICYGRAPH_ROW_LIMIT.")
    return limit


def answer(result: QueryResult, name: str | None = None, offset: int = 0) -> QueryAnswer:
    """One page of rows, plus every node and edge they mention, so any client can draw it."""
    count = len(result.rows)
    return QueryAnswer(name=name, columns=result.columns, rows=result.rows, count=count,
                       offset=offset, truncated=result.truncated,
                       next_offset=offset + count if result.truncated else None,
                       graph=subgraph_from_rows(result.rows))


@router.get("/queries", response_model=QueryList, dependencies=REFUSE_UNKNOWN)
def list_queries() -> QueryList:
    """Every named query with its parameters and Cypher."""
    items = [_info(q) for q in library().values()]
    return QueryList(data=items, count=len(items))


@router.get("/queries/{name}", response_model=QueryAnswer, responses=ERRORS, include_in_schema=False)
def run_query(name: str, request: Request, response: Response, store: StoreDep, settings: SettingsDep,
              limit: Annotated[int | None, Query(ge=1, description=LIMIT_HELP)] = None,
              offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description=OFFSET_HELP)] = 0,
              format: Annotated[AnswerFormat, Query(description=FORMAT_HELP)] = "json",
              lean: Annotated[bool, Query(description=LEAN_HELP)] = False,
              bom: Annotated[bool, Query(description=BOM_HELP)] = False,
              ) -> QueryAnswer | Response:
    """Run a named query by name: the generic form of the per-query operations
    (api/routes/named_queries.py), kept for clients that build the name; left out of the
    OpenAPI document, where each query has its own typed operation."""
    return run_named(name, request, store, settings, limit, offset, format, lean, bom, response)


def next_page(request: Request, next_offset: int | None) -> str | None:
    """The URL of the next page: this request's, with `offset` moved on (None on the last),
    without the parameters it left empty or null (not given: the same answer either way)."""
    if next_offset is None:
        return None
    given = [(k, v) for k, v in request.query_params.multi_items() if not is_absent(v) and k != "offset"]
    return str(request.url.replace(query=urlencode([*given, ("offset", next_offset)])))


def run_named(name: str, request: Request, store: Store, settings: Settings, limit: int | None,
              offset: int, fmt: str = "json", lean: bool = False, bom: bool = False,
              response: Response | None = None) -> QueryAnswer | Response:
    """One page of named query `name`; its parameters are query-string parameters
    (`?as_of=2025-05-22`), bound and checked by the query itself. The answer's `next_offset`
    asks for the next page, and `next` (and the RFC 8288 `Link` header) is its URL. `fmt` csv
    or ndjson: the whole answer, streamed (`bom`: a CSV Excel reads as UTF-8). `lean`: without
    the drawing columns, in every format (in JSON the subgraph is then empty)."""
    query = get_query(name)
    params = {k: v for k, v in request.query_params.items() if k not in PAGING}
    if fmt in STREAM_FORMATS:
        return stream_answer(query, store, params, fmt, settings, lean=lean, bom=bom)
    result = query.run(store, params, timeout_ms=settings.query_timeout_ms,
                       limit=page_size(settings, limit), skip=offset, lean=lean)
    page = answer(result, name, offset)
    page.next = next_page(request, page.next_offset)
    link = {"Link": f'<{page.next}>; rel="next"'} if page.next else {}
    if lean:  # sent as it is: the answer model of the query would put its drawing columns back as null
        return Response(page.model_dump_json(), media_type="application/json", headers=link)
    if response is not None:
        response.headers.update(link)
    return page


CYPHER_CSV = {200: {"description": "One page as JSON; with format=csv, the whole answer within "
                                   "the row cap, from `offset`, as a download.",
                    "content": {"text/csv": {"schema": {"type": "string"}}}}}
CYPHER_FORMAT_HELP = ("`json`: one page (`limit`, `offset` in the body) with its subgraph; `csv`: "
                      "every row from `offset` up to the row cap (POLICYGRAPH_ROW_LIMIT), in the "
                      "one CSV shape of the named queries (`X-Policygraph-Truncated` when cut).")


@router.post("/cypher", response_model=QueryAnswer, responses={**ERRORS, **CYPHER_CSV})
def cypher(body: CypherRequest, pg: PolicyGraphDep, request: Request,
           format: Annotated[Literal["json", "csv"], Query(description=CYPHER_FORMAT_HELP)] = "json",
           bom: Annotated[bool, Query(description=BOM_HELP)] = False) -> QueryAnswer | Response:
    """Ad-hoc Cypher, read-only: the store refuses writes; timeout from settings, one page of
    rows (`limit`, `offset` in the body) within the row cap; a few at a time per process
    (429 beyond POLICYGRAPH_CYPHER_CONCURRENCY), and 429 for a client whose queries keep
    stopping the store (POLICYGRAPH_CYPHER_CRASH_STRIKES). `?format=csv`: the whole answer
    within the row cap, for the console's "export whole answer"."""
    settings = pg.settings
    client = request.client.host if request.client else ""
    STORE_STOPPERS.check(client, settings.cypher_crash_strikes, settings.cypher_crash_window_s)
    with CYPHER.hold(settings.cypher_concurrency):  # Neo4j 5 habits: rewritten, or refused
        try:
            limit = settings.row_limit if format == "csv" else page_size(settings, body.limit)
            result, query = pg.cypher(body.query, body.params, limit=limit, skip=body.offset)
        except StoreRestarted:
            STORE_STOPPERS.record(client)
            raise
    if format == "csv":
        headers = {"Content-Disposition": 'attachment; filename="policygraph-query.csv"'}
        if result.truncated:
            headers["X-Policygraph-Truncated"] = (f"cut by the row cap ({settings.row_limit} rows); "
                                                  f"next offset {body.offset + len(result.rows)}")
        return Response(answer_csv.answer_csv(result.columns, result.rows, bom=bom),
                        media_type="text/csv; charset=utf-8", headers=headers)
    return answer(result, offset=body.offset).model_copy(
        update={"notices": list(query.notices), "rewritten": query.query if query.rewritten else None,
                "hints": unknown_names(body.query)})
