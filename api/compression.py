"""Compression for every answer over MIN_BYTES: zstd for clients that accept it, else gzip
with ISA-L's deflate instead of zlib's.

Starlette's middleware decides what is compressed and how it is streamed (a large piece in a
worker thread, each piece flushed so the client can read it at once); only the choice of
encoding and the compressors are ours.

- gzip: ISA-L at level 1 writes the same gzip format 3x faster than zlib at its fastest (the
  national blocking-laws lean answer, 24 MB of NDJSON, in 20 ms against 67 ms, and smaller).
  Any gzip reader reads it.
- zstd (RFC 8878): for a whole answer the wait is the client's decompression, not the wire.
  The full national blocking-laws answer is 173 MB of NDJSON; zlib inflates its gzip in about
  0.38 s, zstd decodes it in about 0.2 s, and it compresses in less time than ISA-L (issue 33,
  README Performance). Browsers (Chrome 123+, Firefox 126+), curl and httpx with `zstandard`
  ask for it.
"""

from __future__ import annotations

import zstandard
from isal import isal_zlib
from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import Receive, Scope, Send

MIN_BYTES = 1024  # below this, a header and the CPU cost more than compressing saves
# ISA-L's levels are 0-3; at 1 it compresses the national answer to 2.39 MB in 20 ms, at 0 to
# 2.75 MB in 16 ms, at 3 to 2.3 MB in about 4 times as long. The server mostly runs on the
# analyst's machine or a LAN, where the CPU is the wait, not the bytes (README, Performance).
GZIP_LEVEL = 1
ZSTD_LEVEL = 1  # 173 MB → 8.9 MB in 0.16 s; negative levels are barely faster and 40 % larger
ENCODINGS = ("zstd", "gzip")  # ours, the preferred first when a client accepts both as much


def accepted_encoding(header: str) -> str | None:
    """The encoding to answer in from an Accept-Encoding header (RFC 9110 §12.5.3): the one
    of ours with the highest q-value above 0, zstd on a tie; `*` stands for any not named."""
    weights: dict[str, float] = {}
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name.strip():
            weights[name.strip().lower()] = q
    best = None
    for encoding in ENCODINGS:
        q = weights.get(encoding, weights.get("*", 0.0))
        if q > 0 and (best is None or q > best[1]):
            best = (encoding, q)
    return best[0] if best else None


class IsalGZipResponder(GZipResponder):
    """Starlette's responder, its compressor ISA-L's (the same calls as zlib's)."""

    @property
    def compressor(self):  # noqa: ANN201 - isal's compress object has no public type
        if self._compressor is None:
            self._compressor = isal_zlib.compressobj(self.compresslevel, isal_zlib.DEFLATED,
                                                     16 + isal_zlib.MAX_WBITS)
        return self._compressor


class ZstdResponder(GZipResponder):
    """Starlette's gzip responder writing one zstd frame instead: each streamed piece ends a
    block (the client can decode it at once), the last ends the frame."""

    content_encoding = "zstd"

    @property
    def compressor(self):  # noqa: ANN201 - zstandard's compress object has no public type
        if self._compressor is None:
            self._compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
        return self._compressor

    def _compress_body(self, body: bytes, more_body: bool) -> bytes:
        end = zstandard.COMPRESSOBJ_FLUSH_BLOCK if more_body else zstandard.COMPRESSOBJ_FLUSH_FINISH
        return self.compressor.compress(body) + self.compressor.flush(end)


class CompressionMiddleware(GZipMiddleware):
    """Starlette's GZipMiddleware answering in the encoding `accepted_encoding` picks."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        encoding = accepted_encoding(Headers(scope=scope).get("Accept-Encoding", ""))
        responder: IdentityResponder
        if encoding is None:
            responder = IdentityResponder(self.app, self.minimum_size,
                                          exclude_content_types=self.exclude_content_types)
        else:
            kind = ZstdResponder if encoding == "zstd" else IsalGZipResponder
            responder = kind(self.app, self.minimum_size, compresslevel=self.compresslevel,
                             thread_minimum_size=self.thread_minimum_size,
                             exclude_content_types=self.exclude_content_types)
        await responder(scope, receive, send)
