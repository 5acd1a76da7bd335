"""Whole answers kept compressed, per ETag and encoding, so the next client gets the same bytes
without the server making them again.

A whole answer (`format=csv|ndjson`, an export) is the same text for every request with the same
ETag: the tag is made from the graph's revision, today's date, the settings and the request
(api/caching.py). Sending it again cost the server the answer and its compression each time:
the full national blocking-laws NDJSON is 173 MB, 0.16–0.26 s of zstd or ISA-L per request,
as long as the client takes to decode it, and task-status orders its 100,000 tasks before its
first line (issue 33). So:

- `AnswerCacheMiddleware`, outside the compression, keeps the compressed bytes (and the headers
  that describe them) of every streamed 200 answer with an ETag and a Content-Encoding that
  ended whole. No tag: Neo4j, which keeps no revision; no encoding: the client asked for none,
  and the text is ten times larger. An answer that failed midway never ended whole.
- api/caching.py's `conditional`, where the tag is made before the route runs, answers a
  request whose tag and encoding are kept with those bytes (`Replay`), as it answers 304 for a
  client that holds its own copy: nothing is read from the store but the revision.
- A write moves the revision, so an answer from before it is never replayed; it goes as the
  least recently used. At most MAX_BYTES in all; an answer over ENTRY_MAX_BYTES is not kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BYTES = 256 * 1024 * 1024  # per API worker
ENTRY_MAX_BYTES = 64 * 1024 * 1024  # the full national answers are 4–18 MB compressed
KEPT_HEADERS = ("content-type", "content-disposition", "content-encoding", "vary")


class Key(NamedTuple):
    etag: str
    encoding: str


class Kept(NamedTuple):
    headers: dict[str, str]  # KEPT_HEADERS as the answer had them
    body: bytes


class AnswerCache:
    """The least recently used answers, by (ETag, Content-Encoding), within a byte budget."""

    def __init__(self, max_bytes: int = MAX_BYTES, entry_max_bytes: int = ENTRY_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.entry_max_bytes = entry_max_bytes
        self._kept: OrderedDict[Key, Kept] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Key) -> Kept | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
            return kept

    def put(self, key: Key, kept: Kept) -> None:
        if len(kept.body) > self.entry_max_bytes:
            return
        with self._lock:
            old = self._kept.pop(key, None)
            self._size += len(kept.body) - (len(old.body) if old is not None else 0)
            self._kept[key] = kept
            while self._size > self.max_bytes:
                _, evicted = self._kept.popitem(last=False)
                self._size -= len(evicted.body)

    def __len__(self) -> int:
        return len(self._kept)


class Replay(Exception):
    """Answer with the kept bytes in place of the route's answer."""

    def __init__(self, kept: Kept, headers: dict[str, str]) -> None:
        self.kept = kept
        self.headers = headers


def replay_response(exc: Replay) -> Response:
    return Response(content=exc.kept.body, headers={**exc.kept.headers, **exc.headers})


def _key(start: Message) -> Key | None:
    """The key of an answer from its start: a streamed 200 with an ETag and a Content-Encoding."""
    if start["status"] != 200:
        return None
    headers = Headers(raw=start.get("headers", []))
    etag, encoding = headers.get("etag"), headers.get("content-encoding")
    if not etag or not encoding or "content-length" in headers:  # not streamed: a page, a replay
        return None
    return Key(etag, encoding)


class AnswerCacheMiddleware:
    """Keeps each streamed answer that ends whole (see the module's docstring) in `cache`."""

    def __init__(self, app: ASGIApp, cache: AnswerCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key: Key | None = None
        headers: dict[str, str] = {}
        parts: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal key, size
            if message["type"] == "http.response.start":
                key = _key(message)
                if key is not None:
                    given = Headers(raw=message["headers"])
                    headers.update({name: given[name] for name in KEPT_HEADERS if name in given})
            elif message["type"] == "http.response.body" and key is not None:
                body = message.get("body", b"")
                size += len(body)
                if size > self.cache.entry_max_bytes:
                    key, parts[:] = None, []
                else:
                    parts.append(body)
                    if not message.get("more_body", False):
                        self.cache.put(key, Kept(dict(headers), b"".join(parts)))
            await send(message)

        await self.app(scope, receive, keep)
