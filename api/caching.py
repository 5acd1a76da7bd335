"""Conditional GETs: a weak ETag from the graph's revision plus the request, `If-None-Match`
answered with 304 before any query runs, a whole answer kept from an earlier request replayed
(api/answer_cache.py), and `Cache-Control` on API answers.

The revision lives in the store (`Store.revision()`), so every worker serving one graph tags
alike, and every write batch changes it. Today's date is part of the tag: a parameter that
defaults to today gives another answer tomorrow on the same graph.
"""

from __future__ import annotations

import hashlib

from fastapi import Depends, FastAPI, Request, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.answer_cache import AnswerCache, AnswerCacheMiddleware, Key, Replay, replay_response
from api.compression import accepted_encoding
from api.deps import PolicyGraphDep
from graph.asof import today

CACHE_CONTROL = "private, no-cache"  # keep it, but ask again each time (the ETag makes that cheap)


class NotModified(Exception):
    """The client's copy is current: answer 304 with these headers."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers


def etag_for(revision: str, request: Request, settings_key: str) -> str:
    parts = [revision, today(), settings_key, request.method,
             request.url.path, str(sorted(request.query_params.multi_items()))]
    return 'W/"' + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + '"'


def conditional(request: Request, response: Response, pg: PolicyGraphDep) -> None:
    """A router dependency for GET answers: 304 when `If-None-Match` holds this answer's tag,
    else the tag and Cache-Control on the answer."""
    if request.method not in ("GET", "HEAD"):
        return
    revision = pg.revision()
    if revision is None:
        return
    tag = etag_for(revision, request, pg.settings.model_dump_json())
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    # Only a tag names a copy the client holds. `*` ("any copy") was answered 304 here, before
    # the route ran, so a 404 or 422 looked current; it is not an answer we know to exist, so
    # the request gets its real status (RFC 9110 lets a GET do without 304 there).
    asked = [t.strip() for t in request.headers.get("if-none-match", "").split(",")]
    if tag in asked:
        raise NotModified(headers)
    cache: AnswerCache | None = getattr(request.app.state, "answer_cache", None)
    encoding = accepted_encoding(request.headers.get("accept-encoding", ""))
    kept = cache.get(Key(tag, encoding)) if cache is not None and encoding else None
    if kept is not None:
        raise Replay(kept, headers)  # this very answer, compressed as this client takes it
    response.headers.update(headers)
    request.state.conditional_headers = headers  # for routes that return a Response themselves


CONDITIONAL = [Depends(conditional)]


class TagAnswers:
    """Puts the tag on a successful answer that a route built as its own `Response` (FastAPI
    only copies the dependency's headers onto answers it builds): without it
    `/api/graph/neighborhood` and the streamed answers had no ETag."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                headers = scope.get("state", {}).get("conditional_headers")
                if headers:
                    answer = MutableHeaders(scope=message)
                    for name, value in headers.items():
                        if name not in answer:
                            answer[name] = value
            await send(message)

        await self.app(scope, receive, tagged)


def install_not_modified(app: FastAPI) -> None:
    app.add_middleware(TagAnswers)

    @app.exception_handler(NotModified)
    async def _not_modified(_: Request, exc: NotModified) -> Response:
        return Response(status_code=304, headers=exc.headers)

    @app.exception_handler(Replay)
    async def _replay(_: Request, exc: Replay) -> Response:
        return replay_response(exc)


def install_answer_cache(app: FastAPI) -> None:
    """Whole answers kept compressed (api/answer_cache.py): the keeper must sit outside the
    compression, so this is added after it."""
    app.state.answer_cache = AnswerCache()
    app.add_middleware(AnswerCacheMiddleware, cache=app.state.answer_cache)
