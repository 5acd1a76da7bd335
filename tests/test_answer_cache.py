"""Whole answers kept compressed and replayed (api/answer_cache.py): the same bytes for the same
tag and encoding, never an answer from before a write, never one that failed midway, within
its byte budget."""

from __future__ import annotations

import asyncio

import pytest
import zstandard
from fastapi.testclient import TestClient

from api.answer_cache import AnswerCache, AnswerCacheMiddleware, Kept, Key
from api.app import create_app
from api.deps import get_store
from loaders.load import load_paths
from tests.test_loader import VALID

WHOLE = ("/api/queries/blocking-laws", {"as_of": "2025-05-22", "format": "ndjson"})
ZSTD = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def _client(store) -> TestClient:
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app)


def _raw(client: TestClient, path: str, params: dict, headers: dict):
    with client.stream("GET", path, params=params, headers=headers) as response:
        return response, b"".join(response.iter_raw())


def test_a_whole_answer_asked_again_is_the_kept_bytes(bundled_store):
    client = _client(bundled_store)
    cache = client.app.state.answer_cache
    first, first_wire = _raw(client, *WHOLE, ZSTD)
    assert first.headers["content-encoding"] == "zstd" and "content-length" not in first.headers
    assert len(cache) == 1
    again, again_wire = _raw(client, *WHOLE, ZSTD)
    # replayed whole, in one piece: a length, not chunks; the headers that describe the bytes
    assert again_wire == first_wire and again.headers["content-length"] == str(len(first_wire))
    for name in ("etag", "content-type", "content-encoding", "vary", "cache-control",
                 "content-security-policy"):
        assert again.headers[name] == first.headers[name], name
    plain = client.get(WHOLE[0], params=WHOLE[1], headers={"Accept-Encoding": "identity"})
    assert zstandard.ZstdDecompressor().decompressobj().decompress(again_wire) == plain.content
    assert len(cache) == 1  # an uncompressed answer is not kept
    # a gzip client gets gzip, kept apart; its tag still answers 304
    gz, _ = _raw(client, *WHOLE, {"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip" and len(cache) == 2
    assert client.get(WHOLE[0], params=WHOLE[1], headers={
        **ZSTD, "If-None-Match": first.headers["etag"]}).status_code == 304
    # other parameters are another answer
    other, _ = _raw(client, WHOLE[0], {**WHOLE[1], "as_of": "2025-07-02"}, ZSTD)
    assert other.headers["etag"] != first.headers["etag"] and len(cache) == 3


def test_after_a_write_the_answer_is_made_again(store, tmp_path):
    load_paths([VALID], store)
    client = _client(store)
    params = {"format": "graphml"}  # streamed while read (a csv export is a zip: not compressed)
    _, before = _raw(client, "/api/export", params, ZSTD)
    assert len(client.app.state.answer_cache) == 1  # kept, and would be replayed as it is
    more = tmp_path / "more.yaml"
    more.write_text(
        "nodes:\n"
        "  - {label: Source, id: src-kept, name: A later report, sources: [src-kept]}\n"
        "  - {label: Agency, id: agency-kept, name: Cơ quan mới, kind: other, sources: [src-kept]}\n",
        encoding="utf-8")
    load_paths([more], store)
    after, wire = _raw(client, "/api/export", params, ZSTD)
    text = zstandard.ZstdDecompressor().decompressobj().decompress(wire)
    assert "content-length" not in after.headers and b"agency-kept" in text
    assert b"agency-kept" not in zstandard.ZstdDecompressor().decompressobj().decompress(before)


def _streamed_app(pieces: list[bytes], fail_after: int | None = None):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"etag", b'W/"t"'), (b"content-encoding", b"zstd"), (b"content-type", b"text/csv")]})
        for index, piece in enumerate(pieces):
            if fail_after is not None and index == fail_after:
                raise RuntimeError("the store went away")
            await send({"type": "http.response.body", "body": piece,
                        "more_body": index < len(pieces) - 1})
    return app


def _run(app) -> None:
    async def receive():
        return {"type": "http.disconnect"}

    async def send(_message):
        return None

    asyncio.run(app({"type": "http", "method": "GET", "headers": []}, receive, send))


def test_an_answer_that_failed_midway_is_not_kept():
    cache = AnswerCache()
    with pytest.raises(RuntimeError):
        _run(AnswerCacheMiddleware(_streamed_app([b"a" * 10, b"b" * 10], fail_after=1), cache))
    assert len(cache) == 0
    _run(AnswerCacheMiddleware(_streamed_app([b"a" * 10, b"b" * 10]), cache))
    assert cache.get(Key('W/"t"', "zstd")).body == b"a" * 10 + b"b" * 10


def test_the_cache_keeps_within_its_budget_least_recently_used_out():
    cache = AnswerCache(max_bytes=25, entry_max_bytes=12)
    keys = [Key(f"t{i}", "zstd") for i in range(3)]
    cache.put(keys[0], Kept({}, b"x" * 10))
    cache.put(keys[1], Kept({}, b"y" * 10))
    assert cache.get(keys[0]) is not None  # now the most recently used
    cache.put(keys[2], Kept({}, b"z" * 10))  # 30 bytes: the least recently used goes
    assert cache.get(keys[1]) is None and cache.get(keys[0]) and cache.get(keys[2])
    cache.put(Key("big", "zstd"), Kept({}, b"w" * 13))  # over an entry's budget: not kept
    assert cache.get(Key("big", "zstd")) is None and len(cache) == 2
    _run(AnswerCacheMiddleware(_streamed_app([b"a" * 10, b"b" * 10]), cache))
    assert cache.get(Key('W/"t"', "zstd")) is None  # streamed past the entry budget
