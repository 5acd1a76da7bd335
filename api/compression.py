"""gzip for every answer over GZIP_MIN_BYTES, with ISA-L's deflate instead of zlib's.

Starlette's middleware decides what is compressed and how it is streamed (a large piece in a
worker thread, each piece flushed so the client can read it at once); only the compressor is
ours. ISA-L at level 1 writes the same gzip format 3x faster than zlib at its fastest: the
whole national blocking-laws answer (24 MB of NDJSON) in 20 ms against 67 ms, and smaller
(2.39 MB against 2.47 MB). Any gzip reader reads it.
"""

from __future__ import annotations

from isal import isal_zlib
from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import Receive, Scope, Send

GZIP_MIN_BYTES = 1024  # below this, gzip's header and the CPU cost more than they save
# ISA-L's levels are 0-3; at 1 it compresses the national answer to 2.39 MB in 20 ms, at 0 to
# 2.75 MB in 16 ms, at 3 to 2.3 MB in about 4 times as long. The server mostly runs on the
# analyst's machine or a LAN, where the CPU is the wait, not the bytes (README, Performance).
GZIP_LEVEL = 1


class IsalGZipResponder(GZipResponder):
    """Starlette's responder, its compressor ISA-L's (the same calls as zlib's)."""

    @property
    def compressor(self):  # noqa: ANN201 - isal's compress object has no public type
        if self._compressor is None:
            self._compressor = isal_zlib.compressobj(self.compresslevel, isal_zlib.DEFLATED,
                                                     16 + isal_zlib.MAX_WBITS)
        return self._compressor


class IsalGZipMiddleware(GZipMiddleware):
    """Starlette's GZipMiddleware answering with `IsalGZipResponder`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "gzip" in Headers(scope=scope).get("Accept-Encoding", ""):
            responder: IdentityResponder = IsalGZipResponder(
                self.app, self.minimum_size, compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types)
        else:
            responder = IdentityResponder(self.app, self.minimum_size,
                                          exclude_content_types=self.exclude_content_types)
        await responder(scope, receive, send)
