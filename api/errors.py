"""One JSON shape for every error: `{"error": what went wrong, "detail": what to do or more,
"field": the parameter at fault, when one is}`.

The status rule: 422 for any request parameter that cannot be used (a query-string value, a
body field, a named query's parameter: FastAPI's own validation and ours alike), 400 for a
request the store refuses as written (Cypher it rejects), 404 for what does not exist, 408 for
a query past its timeout, 429 for too many expensive requests at once, 503 when the store is
not answering. Messages speak HTTP: the API sends an error's `http_hint` when it has one.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import Busy, InvalidParameter, PolicygraphError, ValidationFailed


class ErrorBody(BaseModel):
    error: str = Field(description="What went wrong.")
    detail: str | None = Field(default=None, description="What to do, or more about it.")
    field: str | None = Field(default=None, description="The request parameter at fault, "
                                                        "when one is (absent otherwise).")


def _doc(description: str) -> dict:
    return {"model": ErrorBody, "description": description}


# Documented on every operation, so /openapi.json shows the error shape we really send.
COMMON_RESPONSES: dict[int | str, dict] = {
    422: _doc("A request parameter cannot be used; `field` names it."),
    429: _doc("Too many expensive requests at once; see Retry-After."),
    503: _doc("The graph store is not answering."),
}
QUERY_RESPONSES: dict[int | str, dict] = {
    400: _doc("The store refused the query as written."),
    404: _doc("No such named query, node or resource."),
    408: _doc("The query ran past the timeout and was stopped."),
}


def error_response(status: int, error: str, detail: str | None = None,
                   field: str | None = None) -> JSONResponse:
    content: dict = {"error": error, "detail": detail}
    if field is not None:
        content["field"] = field
    return JSONResponse(status_code=status, content=content)


def _location(loc: tuple) -> str:
    """A parameter's name from FastAPI's error location: ("query", "depth") → "depth"."""
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header", "cookie")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PolicygraphError)
    async def _ours(_: Request, exc: PolicygraphError) -> JSONResponse:
        detail = exc.hint_for_http()
        if isinstance(exc, ValidationFailed):
            detail = "; ".join(str(p) for p in exc.problems)
        field = exc.field if isinstance(exc, InvalidParameter) else None
        response = error_response(exc.status_code, exc.message, detail, field)
        if isinstance(exc, Busy):
            response.headers["Retry-After"] = str(exc.retry_after_s)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        field = _location(tuple(first.get("loc", ())))
        detail = "; ".join(f"{_location(tuple(e.get('loc', ())))}: {e.get('msg')}" for e in errors)
        return error_response(422, f"Invalid request parameter {field!r}.", detail or None, field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), None)
