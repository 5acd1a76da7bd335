"""Streamed answers against a live uvicorn (api/held_stream.py, issue 29 items 1 and 10).

A client that goes away mid-body must not keep an export place: after many real HTTP
connections dropped while the answer is being sent, an export still answers 200. An answer
that fails midway is aborted (the client sees a truncated transfer) and logged in one line.
"""

from __future__ import annotations

import logging
import socket
import struct
import time
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from api.deps import get_store
from api.held_stream import HeldStream, quiet_aborts
from api.limits import EXPORTS, ConcurrencyLimit
from graph.errors import QueryError
from graph.settings import Settings
from tests.conftest import serve_in_thread

DROPS = 50


@pytest.fixture(scope="module")
def live(bundled_store, server):
    settings = Settings(home=server.home, graph="bundled", export_concurrency=2)
    app = create_app(settings)
    app.dependency_overrides[get_store] = lambda: bundled_store
    with serve_in_thread(app) as base:
        yield base


def _drop_mid_body(base: str, path: str) -> None:
    """Ask for `path`, read the head and a first piece of the body, then reset the connection."""
    parts = urlsplit(base)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    try:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = sock.recv(4096)
        assert head.startswith(b"HTTP/1.1 200"), head[:200]
    finally:  # RST, not FIN: the way a killed client or a cut network leaves
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


def _settled() -> int:
    return _settled_limit(EXPORTS)


@pytest.mark.parametrize("path", ["/api/export?format=graphml",
                                  "/api/queries/blocking-laws?format=csv"])
def test_dropped_downloads_release_their_place(live, path):
    for drop in range(DROPS):
        _drop_mid_body(live, path)
        # each drop gives its place back (the server notices the reset on its own time: on a
        # loaded machine the next request could otherwise arrive first and rightly get a 429)
        assert _settled() == 0, f"drop {drop + 1} kept its export place"
    answer = httpx.get(live + "/api/export?format=graphml", timeout=60)
    assert answer.status_code == 200
    assert answer.text.rstrip().endswith("</graphml>")


def _failing_app(limit: ConcurrencyLimit, error_line) -> FastAPI:
    app = FastAPI()
    quiet_aborts()

    @app.get("/fails")
    def fails():
        def pieces():
            yield b'{"row": 1}\n'
            raise QueryError("the store went away")
        limit.acquire(1)
        return HeldStream(pieces(), limit, what="Test answer", error_line=error_line,
                          media_type="application/x-ndjson")

    return app


@pytest.mark.parametrize("with_line", [True, False])
def test_a_stream_failing_midway_is_aborted_and_logged_once(with_line, caplog):
    limit = ConcurrencyLimit("tests are", "NONE")
    line = (lambda error: b'{"error": "failed"}\n') if with_line else None
    received = bytearray()
    server_log = logging.getLogger("uvicorn.error")
    with serve_in_thread(_failing_app(limit, line)) as base, caplog.at_level(logging.INFO):
        server_log.addHandler(caplog.handler)  # after uvicorn set its logging up; no propagation
        with pytest.raises(httpx.RemoteProtocolError), \
                httpx.stream("GET", base + "/fails", timeout=10) as answer:
            assert answer.status_code == 200
            for piece in answer.iter_raw():
                received += piece
        assert _settled_limit(limit) == 0
    server_log.removeHandler(caplog.handler)
    expected = b'{"row": 1}\n' + (b'{"error": "failed"}\n' if with_line else b"")
    assert bytes(received) == expected
    records = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in records] == [
        "Test answer failed after it started, connection aborted: QueryError: the store went away"]
    assert records[0].exc_info is None


def _settled_limit(limit: ConcurrencyLimit, deadline_s: float = 10) -> int:
    deadline = time.monotonic() + deadline_s
    while limit.running and time.monotonic() < deadline:
        time.sleep(0.02)
    return limit.running
