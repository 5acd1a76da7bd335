"""The request body limit: a body over POLICYGRAPH_REQUEST_MAX_BYTES gets 413 before it is read.

A 1 GB `POST /api/cypher` body took the API to 3.97 GB (issue 29): FastAPI reads a body whole
before it validates it. A declared `Content-Length` over the limit is refused at once, without
reading a byte; a body sent without one (chunked) is counted as it arrives and refused at the
first chunk past the limit, so at most the limit plus one chunk is ever held.

A document sent to the review desk is bigger than any query: signed notices come as 1–4 MB
PDFs. Its route has a limit of its own (POLICYGRAPH_UPLOAD_MAX_BYTES), refused the same way.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response

BODY_HINT = ("Send a smaller body (pass long lists in parts), or raise "
             "POLICYGRAPH_REQUEST_MAX_BYTES.")
UPLOAD_HINT = "Send a smaller file, or raise POLICYGRAPH_UPLOAD_MAX_BYTES."


class BodyTooLarge(Exception):
    """Raised into the app when a streamed body passes the limit."""


class BodyLimit:
    """413 for a request body larger than `max_bytes`, or than `uploads[path]` on an upload
    route."""

    def __init__(self, app: ASGIApp, max_bytes: int, uploads: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.uploads = uploads or {}

    @staticmethod
    def _refusal(size: int | None, limit: int, hint: str):
        said = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
        return error_response(
            413, f"The request body is {said}; the API reads at most {limit:,}.", hint)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path")
        limit, hint = ((self.uploads[path], UPLOAD_HINT) if path in self.uploads
                       else (self.max_bytes, BODY_HINT))
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await self._refusal(int(declared), limit, hint)(scope, receive, send)
            return
        state = {"received": 0, "too_big": False, "started": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    state["too_big"] = True
                    raise BodyTooLarge
            return message

        async def unless_refused(message: Message) -> None:
            if state["too_big"]:
                return  # the app's answer to the cut body (a 400 or 500) gives way to the 413
            state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted, unless_refused)
        except Exception:
            if not state["too_big"]:
                raise
        if state["too_big"] and not state["started"]:
            await self._refusal(None, limit, hint)(scope, receive, send)
