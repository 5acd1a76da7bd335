"""A download whose store fails after the first chunk must not look complete (issue 29,
item 10), on the real routes and the real store: the test's own store server is stopped halfway
through the answer's reads, and the answer is read with httpx from a live uvicorn.

CSV and GraphML end without their terminating chunk (httpx: RemoteProtocolError, an incomplete
read); NDJSON gets a last line `{"error": …}` first. The API logs one line, no traceback.
"""

from __future__ import annotations

import json
import logging
import threading

import httpx
import pytest

from api import row_stream
from api.app import create_app
from api.deps import get_store
from graph import blocking_state, export_stream
from graph.settings import Settings
from graph.store.falkor import FalkorStore
from queries import blocking_answer
from tests.conftest import serve_in_thread

MAY_22 = "2025-05-22"


class _StopsMidway:
    """The real store, whose server is stopped (as `db stop` would) just before read number
    `stop_at`, counting the reads of its derived graph too (`counted`); every read after it
    fails as a store that went away does."""

    def __init__(self, store: FalkorStore, stop_at: int | None = None, *,
                 counter: _StopsMidway | None = None) -> None:
        self._store = store
        self.stop_at = stop_at
        self.reads = 0
        self._lock = threading.Lock()
        self._counter = counter or self

    def __getattr__(self, name):
        return getattr(self._store, name)

    def counted(self, other: FalkorStore) -> _StopsMidway:
        return _StopsMidway(other, counter=self)

    def read(self, *args, **kwargs):
        counter = self._counter
        with counter._lock:
            counter.reads += 1
            if counter.stop_at is not None and counter.reads == counter.stop_at:
                self._store.server.stop()
        return self._store.read(*args, **kwargs)


@pytest.fixture
def own_bundled(own_server):
    from loaders.load import load_paths

    store = FalkorStore(own_server, "bundled")
    load_paths(None, store)
    yield store
    store.close()


@pytest.fixture
def small_pieces(monkeypatch):
    """Many small reads per answer, so the store can fail between two of them."""
    monkeypatch.setattr(export_stream, "CHUNK", 10)  # nodes per read of the export
    monkeypatch.setattr(blocking_answer, "LAWS_PER_READ", 1)  # laws per read of the answer's lines
    monkeypatch.setattr(blocking_answer, "PIECE_ROWS", 2)  # rows per piece of the answer
    monkeypatch.setattr(row_stream, "CHUNK_ROWS", 2)  # rows per chunk sent


CASES = {
    "graphml": ("/api/export", {"format": "graphml"}),
    "csv": ("/api/queries/blocking-laws", {"format": "csv", "as_of": MAY_22}),
    "ndjson": ("/api/queries/blocking-laws", {"format": "ndjson", "as_of": MAY_22}),
}


def _read(base: str, path: str, params: dict) -> tuple[int, bytes, bool]:
    """(status, the body received, whether the transfer ended cleanly), read as the first
    answer after a load is (a whole answer reads its lines from the store then, and keeps
    them for the store's revision)."""
    blocking_state._CACHE = blocking_state._Cache()
    received = bytearray()
    with httpx.stream("GET", base + path, params=params, timeout=30,
                      headers={"Accept-Encoding": "identity"}) as answer:
        try:
            for piece in answer.iter_raw():
                received += piece
        except httpx.RemoteProtocolError:
            return answer.status_code, bytes(received), False
    return answer.status_code, bytes(received), True


@pytest.mark.parametrize("fmt", list(CASES))
def test_a_download_whose_store_fails_midway_does_not_look_complete(
        own_server, own_bundled, small_pieces, fmt, caplog, monkeypatch):
    path, params = CASES[fmt]
    store = _StopsMidway(own_bundled)
    derived = blocking_state.derived_store(own_bundled)
    monkeypatch.setitem(blocking_state._DERIVED, (str(own_server.socket), "bundled"),
                        store.counted(derived))
    app = create_app(Settings(home=own_server.home, graph="bundled"))
    app.dependency_overrides[get_store] = lambda: store
    server_log = logging.getLogger("uvicorn.error")
    with serve_in_thread(app) as base:
        status, whole, clean = _read(base, path, params)  # the answer while the store is up
        assert (status, clean) == (200, True) and store.reads > 6, store.reads
        # near the end of the same reads (the first piece needs the first few of them)
        store.stop_at, store.reads = store.reads - 1, 0
        server_log.addHandler(caplog.handler)
        try:
            with caplog.at_level(logging.INFO):
                status, cut, clean = _read(base, path, params)
        finally:
            server_log.removeHandler(caplog.handler)
    assert status == 200 and cut, "the answer had started before the store went away"
    assert not clean, f"{fmt}: a failed answer ended like a complete one"
    if fmt == "ndjson":
        lines = cut.decode().splitlines()
        rows, last = lines[:-1], json.loads(lines[-1])
        assert rows and all("law_id" in json.loads(line) for line in rows)
        assert last["error"] == "The answer failed before it was complete."
        assert "StoreUnavailable" in last["detail"]
    else:
        assert len(cut) < len(whole) and whole.startswith(cut[:100])
    if fmt == "graphml":
        assert b"</graphml>" not in cut
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    message = errors[0].getMessage()
    assert "failed after it started, connection aborted: StoreUnavailable" in message
    assert "\n" not in message
    assert all(r.exc_info is None for r in caplog.records if r.levelno >= logging.ERROR)
