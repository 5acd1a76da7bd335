"""One documented operation per named query, generated at start-up from its `.cypher` header:
`GET /api/queries/blocking-laws?as_of=…` with each parameter's type, default and help in
/openapi.json, and its row columns in the response schema, so a client generator makes a typed
call per question. They run exactly what `GET /api/queries/{name}` runs (`run_query`)."""

from __future__ import annotations

import functools
import inspect
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ConfigDict, Field, create_model

from api.deps import SettingsDep, StoreDep
from api.errors import COMMON_RESPONSES, QUERY_RESPONSES
from api.models import (
    BOM_HELP,
    FORMAT_HELP,
    LEAN_HELP,
    LIMIT_HELP,
    MAX_OFFSET,
    OFFSET_HELP,
    AnswerFormat,
    QueryAnswer,
)
from api.params import signature_parameter
from api.routes.queries import run_named
from graph.store.paging import final_columns
from queries import NamedQuery, library

STREAMED = {200: {"description": "One page as JSON; with format=csv or ndjson, the whole answer "
                                 "as a download.",
                  "content": {"text/csv": {"schema": {"type": "string"}},
                              "application/x-ndjson": {"schema": {"type": "string"}}}}}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


def answer_model(query: NamedQuery) -> type[QueryAnswer]:
    """QueryAnswer whose rows name the query's columns (read from its final RETURN)."""
    return _answer_model(query.name, query.text)


@functools.cache
def _answer_model(name: str, text: str) -> type[QueryAnswer]:
    """Built once per query text: pydantic models are immutable, and building them is most of
    what an app costs to create (each test, each worker)."""
    columns = final_columns(text)
    if not columns:
        return QueryAnswer
    row = create_model(f"{_camel(name)}Row", __config__=ConfigDict(extra="allow"),
                       **{c: (Any, Field(default=None)) for c in columns})
    return create_model(f"{_camel(name)}Answer", __base__=QueryAnswer,
                        rows=(list[row], ...))  # type: ignore[valid-type]


def _endpoint(query: NamedQuery, row_limit: int):
    def endpoint(request: Request, response: Response, store: StoreDep, settings: SettingsDep,
                 limit: int | None, offset: int, format: str, lean: bool, bom: bool,
                 **params: Any) -> QueryAnswer | Response:
        return run_named(query.name, request, store, settings, limit, offset, format, lean, bom,
                         response)

    fixed = [
        inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
        inspect.Parameter("response", inspect.Parameter.KEYWORD_ONLY, annotation=Response),
        inspect.Parameter("store", inspect.Parameter.KEYWORD_ONLY, annotation=StoreDep),
        inspect.Parameter("settings", inspect.Parameter.KEYWORD_ONLY, annotation=SettingsDep),
        inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=Annotated[int | None, Query(ge=1, le=row_limit,
                                                                 description=LIMIT_HELP)]),
        inspect.Parameter("offset", inspect.Parameter.KEYWORD_ONLY, default=0,
                          annotation=Annotated[int, Query(ge=0, le=MAX_OFFSET, description=OFFSET_HELP)]),
        inspect.Parameter("format", inspect.Parameter.KEYWORD_ONLY, default="json",
                          annotation=Annotated[AnswerFormat, Query(description=FORMAT_HELP)]),
        inspect.Parameter("lean", inspect.Parameter.KEYWORD_ONLY, default=False,
                          annotation=Annotated[bool, Query(description=LEAN_HELP)]),
        inspect.Parameter("bom", inspect.Parameter.KEYWORD_ONLY, default=False,
                          annotation=Annotated[bool, Query(description=BOM_HELP)]),
    ]
    endpoint.__signature__ = inspect.Signature([*fixed, *(signature_parameter(p) for p in query.params)])
    endpoint.__name__ = f"query_{query.name.replace('-', '_')}"
    return endpoint


_BUILT: dict[int, tuple[dict[str, NamedQuery], APIRouter]] = {}  # row_limit -> (library, router)


def build_router(row_limit: int) -> APIRouter:
    """The operations, `limit` documented up to `row_limit` (the row cap of this server).

    Built once per row cap and library: every `create_app` asks (the tests make about 170
    apps, the notebook and the server one each) and a build took 0.05 s. An APIRouter may be
    included in many apps: each app's include keeps its own view of the routes."""
    queries = library()
    built = _BUILT.get(row_limit)
    if built is None or built[0] is not queries:
        built = _BUILT[row_limit] = (queries, _router(row_limit, queries))
    return built[1]


def _router(row_limit: int, queries: dict[str, NamedQuery]) -> APIRouter:
    router = APIRouter(prefix="/api", tags=["named queries"], responses=COMMON_RESPONSES)
    for query in queries.values():
        description = "\n\n".join(part for part in (query.description, f"Rows: {query.row}"
                                                    if query.row else "") if part)
        router.add_api_route(
            f"/queries/{query.name}", _endpoint(query, row_limit), methods=["GET"],
            response_model=answer_model(query), responses={**QUERY_RESPONSES, **STREAMED},
            summary=query.title, description=description,
            operation_id=f"query_{query.name.replace('-', '_')}")
    return router
