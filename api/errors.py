"""One JSON shape for every error: `{"error": what went wrong, "detail": what to do or more}`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import Busy, PolicygraphError, ValidationFailed


class ErrorBody(BaseModel):
    error: str
    detail: str | list | dict | None = None


# Documented on every router, so /openapi.json shows the error shape we really send.
COMMON_RESPONSES: dict[int | str, dict] = {
    422: {"model": ErrorBody, "description": "Invalid request parameters."},
    429: {"model": ErrorBody, "description": "Too many expensive requests at once; see Retry-After."},
    503: {"model": ErrorBody, "description": "The graph store is not answering."},
}


def error_response(status: int, error: str, detail=None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": error, "detail": detail})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PolicygraphError)
    async def _ours(_: Request, exc: PolicygraphError) -> JSONResponse:
        detail = [p.as_dict() for p in exc.problems] if isinstance(exc, ValidationFailed) else exc.hint
        response = error_response(exc.status_code, exc.message, detail)
        if isinstance(exc, Busy):
            response.headers["Retry-After"] = str(exc.retry_after_s)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg")}
                  for e in exc.errors()]
        return error_response(422, "Invalid request parameters.", detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), None)
