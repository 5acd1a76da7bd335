"""Compression and conditional GETs: zstd or gzip over a threshold, as the client accepts; a
weak ETag from the graph's revision (kept in the store) plus the request, 304 on a repeat, a
new tag after a load."""

from __future__ import annotations

import gzip

import pytest
import zstandard
from fastapi.testclient import TestClient

from api.app import MIN_BYTES, create_app
from api.compression import accepted_encoding
from api.deps import get_store
from graph.store.falkor import FalkorStore
from loaders.load import load_paths
from tests.test_loader import VALID


def _client(store) -> TestClient:
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app)


@pytest.fixture
def client(store):
    load_paths([VALID], store)
    return _client(store)


def test_a_large_answer_is_gzipped_a_small_one_not(bundled_store):
    client = _client(bundled_store)
    with client.stream("GET", "/api/queries/blocking-laws", params={"as_of": "2025-05-22"},
                       headers={"Accept-Encoding": "gzip"}) as big:
        wire = b"".join(big.iter_raw())  # the bytes as sent, before httpx decodes them
        assert big.headers["content-encoding"] == "gzip"
    plain = client.get("/api/queries/blocking-laws", params={"as_of": "2025-05-22"},
                       headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(wire) == plain.content and len(wire) < len(plain.content) / 3
    small = client.get("/api/health", headers={"Accept-Encoding": "gzip"})
    assert len(small.content) < MIN_BYTES and "content-encoding" not in small.headers


def test_a_streamed_answer_is_gzipped_by_isa_l(bundled_store):
    """A whole answer streamed as NDJSON is compressed chunk by chunk by ISA-L, not zlib (on a
    LAN, compressing the national answer was the slowest step; api/compression.py)."""
    client = _client(bundled_store)
    params = {"as_of": "2025-05-22", "format": "ndjson", "lean": "true"}
    with client.stream("GET", "/api/queries/blocking-laws", params=params,
                       headers={"Accept-Encoding": "gzip"}) as streamed:
        wire = b"".join(streamed.iter_raw())
        assert streamed.headers["content-encoding"] == "gzip"
    plain = client.get("/api/queries/blocking-laws", params=params,
                       headers={"Accept-Encoding": "identity"})
    assert plain.content.count(b"\n") > 5 and gzip.decompress(wire) == plain.content
    # the gzip header's XFL byte: ISA-L leaves it 0; zlib writes 4 at level 1, 2 at level 9
    assert wire[:2] == b"\x1f\x8b" and wire[8] == 0


@pytest.mark.parametrize(("header", "chosen"), [
    ("gzip, deflate, br, zstd", "zstd"),  # what httpx and browsers send: zstd on a tie
    ("gzip", "gzip"),
    ("zstd;q=0, gzip", "gzip"),  # q=0 refuses
    ("gzip;q=1.0, zstd;q=0.5", "gzip"),  # the client's preference wins over ours
    ("*", "zstd"),
    ("*;q=0.2, gzip;q=0.1", "zstd"),  # `*` stands for every encoding not named
    ("identity", None),
    ("", None),
    ("br", None),  # not ours
    ("gzip;q=nonsense, zstd", "zstd"),  # an unreadable weight refuses that one only
])
def test_the_encoding_is_the_clients_best_of_ours(header, chosen):
    assert accepted_encoding(header) == chosen


def test_a_streamed_answer_in_zstd_is_the_same_text(bundled_store):
    """httpx (with zstandard installed) and browsers ask for zstd too; a whole answer streamed
    in zstd decodes to exactly the uncompressed text, the full and the lean shape."""
    client = _client(bundled_store)
    for lean in ("false", "true"):
        params = {"as_of": "2025-05-22", "format": "ndjson", "lean": lean}
        with client.stream("GET", "/api/queries/blocking-laws", params=params,
                           headers={"Accept-Encoding": "gzip, deflate, br, zstd"}) as streamed:
            wire = b"".join(streamed.iter_raw())
            assert streamed.headers["content-encoding"] == "zstd"
            assert "accept-encoding" in streamed.headers["vary"].lower()
        plain = client.get("/api/queries/blocking-laws", params=params,
                           headers={"Accept-Encoding": "identity"})
        decoded = zstandard.ZstdDecompressor().decompressobj().decompress(wire)
        assert plain.content.count(b"\n") > 5 and decoded == plain.content
        assert len(wire) < len(plain.content) / 3


def test_a_repeat_with_the_etag_is_304(client):
    first = client.get("/api/queries/graph-summary")
    tag = first.headers["etag"]
    assert tag.startswith('W/"') and first.headers["cache-control"] == "private, no-cache"
    again = client.get("/api/queries/graph-summary", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = client.get("/api/queries/graph-summary", params={"limit": 1}, headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag
    node = client.get("/api/nodes/task-1")
    assert client.get("/api/nodes/task-1", headers={"If-None-Match": node.headers["etag"]}).status_code == 304


def test_a_load_gives_a_new_etag(client, store, tmp_path):
    tag = client.get("/api/queries/graph-summary").headers["etag"]
    # the fixture's files again change no statement, so nothing is written and the tag holds
    load_paths([VALID], store)
    same = client.get("/api/queries/graph-summary", headers={"If-None-Match": tag})
    assert same.status_code == 304
    more = tmp_path / "more.yaml"
    more.write_text(
        "nodes:\n"
        "  - {label: Source, id: src-etag, name: A later report, sources: [src-etag]}\n"
        "  - {label: Agency, id: agency-etag, name: Cơ quan mới, kind: other, sources: [src-etag]}\n",
        encoding="utf-8")
    load_paths([more], store)  # new facts: a new revision
    after = client.get("/api/queries/graph-summary", headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag


def test_the_revision_is_kept_in_the_store_for_every_worker(store, server):
    other_worker = FalkorStore(server, store.graph_name)
    try:
        before = store.revision()
        assert other_worker.revision() == before
        store.write("CREATE (:Agency {id: 'x', name: 'X', kind: 'ministry'})")
        assert other_worker.revision() != before
        assert other_worker.revision() == store.revision()
        seen = store.revision()
        store.clear()
        assert other_worker.revision() != seen
    finally:
        other_worker.close()


def test_errors_carry_no_etag(client):
    missing = client.get("/api/nodes/no-such-node")
    assert missing.status_code == 404 and "etag" not in missing.headers


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/api/nodes/no-such-node", {}, 404),
    ("/api/queries/graph-summary", {"limit": 0}, 422),
    ("/api/queries/graph-summary", {}, 200),
])
def test_if_none_match_star_gets_the_real_status(client, path, params, status):
    """`*` names no copy the client holds: a missing or refused answer keeps its status."""
    answer = client.get(path, params=params, headers={"If-None-Match": "*"})
    assert answer.status_code == status
    if status == 200:
        assert answer.json()["rows"] and answer.headers["etag"].startswith('W/"')
    else:
        assert answer.json()["error"]


def test_a_neighbourhood_has_an_etag_and_answers_304(client):
    """The route returns its own Response; the tag must be on it all the same."""
    first = client.get("/api/graph/neighborhood/task-1")
    assert first.status_code == 200 and first.json()["nodes"]
    tag = first.headers["etag"]
    assert tag.startswith('W/"') and first.headers["cache-control"] == "private, no-cache"
    again = client.get("/api/graph/neighborhood/task-1", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    deeper = client.get("/api/graph/neighborhood/task-1", params={"depth": 2},
                        headers={"If-None-Match": tag})
    assert deeper.status_code == 200 and deeper.headers["etag"] != tag
    missing = client.get("/api/graph/neighborhood/no-such-node")
    assert missing.status_code == 404 and "etag" not in missing.headers
