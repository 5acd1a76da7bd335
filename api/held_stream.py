"""A streamed answer that holds a concurrency place (api/limits.py) only while it is sent.

Starlette reads a plain iterator in a worker thread and, when the client goes away, cancels
the send without closing the iterator: the place it held was given back only if the garbage
collector got to it, and two dropped downloads left every export answering 429. Here the
place is given back in `finally` of the response itself, whatever ended it: the last piece,
a dropped connection, a cancellation or a failed read.

A read that fails after the answer has started cannot change its status any more. It must
not look like a complete file either, so the connection is aborted (no final chunk: curl,
httpx and browsers report a truncated transfer); an NDJSON answer first gets a last line
`{"error": ...}` for readers that stop at a line. The failure is logged once, one line.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator

import anyio.to_thread
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from api.limits import ConcurrencyLimit

log = logging.getLogger("policygraph.api")
_END = object()


class StreamAborted(Exception):
    """Raised to make the server drop a connection whose answer failed midway (already
    logged in one line; `quiet_aborts` keeps uvicorn from logging it again)."""


class HeldStream(StreamingResponse):
    """`pieces` sent one by one, holding an already acquired place in `limit` until the
    response ends, however it ends. `error_line(error)`: a last piece for a failure midway."""

    def __init__(self, pieces: Iterator[bytes], limit: ConcurrencyLimit, *, what: str,
                 error_line: Callable[[Exception], bytes] | None = None, **kwargs) -> None:
        self._pieces = pieces
        self._limit = limit
        self._held = True
        self._what = what
        self._error_line = error_line
        super().__init__(self._send_pieces(), **kwargs)

    def _give_back(self) -> None:
        if self._held:
            self._held = False
            self._limit.release()

    async def _send_pieces(self) -> AsyncIterator[bytes]:
        try:
            while True:  # each read in a worker thread; a cancellation waits for the read
                piece = await anyio.to_thread.run_sync(next, self._pieces, _END)
                if piece is _END:
                    return
                yield piece
        except Exception as error:
            log.error("%s failed after it started, connection aborted: %s: %s",
                      self._what, type(error).__name__, one_line(error))
            if self._error_line is not None:
                yield self._error_line(error)
            raise StreamAborted(self._what) from None
        finally:
            close = getattr(self._pieces, "close", None)
            if close is not None:
                await anyio.to_thread.run_sync(close)
            self._give_back()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self.body_iterator.aclose()  # type: ignore[attr-defined]
            self._give_back()


def one_line(error: Exception) -> str:
    """The error's message on one line (ours without the hint that follows it)."""
    return " ".join(str(getattr(error, "message", error)).split())


def _is_abort(exc: BaseException | None) -> bool:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, StreamAborted):
            return True
        if isinstance(exc, BaseExceptionGroup):
            return any(_is_abort(e) for e in exc.exceptions)
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


class _QuietAborts(logging.Filter):
    """Drops the server's traceback for a `StreamAborted` (its one line is already logged)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _is_abort(record.exc_info[1] if record.exc_info else None)


def quiet_aborts() -> None:
    """Install the filter on uvicorn's error log once (idempotent)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietAborts) for f in logger.filters):
        logger.addFilter(_QuietAborts())
