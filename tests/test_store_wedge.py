"""A wedged store is killed and restarted, not waited on (issue 29, item 3): a read that gets no
answer within the store's longest query time, from a store that then answers no PING either,
ends in a restart (503 saying so), and the next query is answered by the new server. The wedge
is real: the store's process is frozen (SIGSTOP), alive and deaf, as a parser stuck in a
`NOT NOT … NOT` chain leaves it."""

from __future__ import annotations

import os
import shutil
import signal
import time

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.errors import StoreRestarted
from graph.guard import QueryGuard
from graph.settings import Settings
from graph.store.embedded import READ_GRACE_S, WEDGE_PING_S, EmbeddedServer, StoreLimits
from graph.store.falkor import FalkorStore
from loaders.load import load_paths
from tests.conftest import REPO, short_tempdir


@pytest.fixture
def quick_server():
    """A server of the test's own whose longest query time is 1 s."""
    server = EmbeddedServer(short_tempdir("pgwedge"),
                            limits=StoreLimits(timeout_max_ms=1_000, query_timeout_ms=1_000))
    server.start()
    yield server
    pid = server.pid()
    if pid is not None:  # never leave a frozen process behind
        os.kill(pid, signal.SIGCONT)
    server.stop()
    shutil.rmtree(server.home, ignore_errors=True)


def test_a_wedged_store_is_killed_and_restarted_not_waited_on(quick_server):
    store = FalkorStore(quick_server, "g")
    load_paths([REPO / "tests" / "fixtures" / "load" / "valid.yaml"], store)
    app = create_app(Settings(home=quick_server.home, graph="g", query_timeout_ms=1_000,
                              store_timeout_max_ms=1_000))
    app.dependency_overrides[get_store] = lambda: store
    client = TestClient(app)
    query = {"query": "MATCH (n) RETURN count(n) AS n"}
    first = client.post("/api/cypher", json=query)
    assert first.json()["rows"] == [{"n": 8}], first.text
    wedged = quick_server.pid()
    os.kill(wedged, signal.SIGSTOP)
    started = time.monotonic()
    answer = client.post("/api/cypher", json=query)
    waited = time.monotonic() - started
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"].startswith("The embedded store stopped answering during this query")
    # the read's wait, the PING's, a kill and a start: never the minutes a wedge can last
    assert waited < quick_server.read_wait_s + WEDGE_PING_S + 15, waited
    assert quick_server.read_wait_s == pytest.approx(1 + READ_GRACE_S)
    assert not _alive(wedged), "the wedged process was killed"
    assert quick_server.pid() not in (None, wedged)
    assert client.post("/api/cypher", json=query).json()["rows"] == [{"n": 8}]  # the data is kept


def test_opening_a_graph_on_a_frozen_store_restarts_it_rather_than_waiting(quick_server):
    """A new handle's first command (it makes the graph) waits no longer than a read: it once
    waited for ever on a store that had stopped answering, and hung a whole test run."""
    FalkorStore(quick_server, "g").write("CREATE (:Agency {id: 'a'})")
    frozen = quick_server.pid()
    os.kill(frozen, signal.SIGSTOP)
    started = time.monotonic()
    store = FalkorStore(quick_server, "g", start=False)
    assert time.monotonic() - started < quick_server.read_wait_s + WEDGE_PING_S + 15
    assert not _alive(frozen) and quick_server.pid() not in (None, frozen)
    assert store.read("MATCH (a:Agency) RETURN a.id AS id").rows == [{"id": "a"}]


def test_a_busy_store_that_answers_a_ping_is_left_alone(quick_server):
    """Only a store that answers nothing is restarted: one that answers a PING keeps running."""
    pid = quick_server.pid()
    assert quick_server.restart_if_wedged() is False
    assert quick_server.pid() == pid


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture
def one_thread_server():
    """A server of the test's own with one query thread and a 1 s longest query time."""
    server = EmbeddedServer(short_tempdir("pgwedge1"),
                            limits=StoreLimits(timeout_max_ms=1_000, query_timeout_ms=1_000, threads=1))
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.home, ignore_errors=True)


def test_a_parser_stuck_on_every_query_thread_gets_the_store_restarted(one_thread_server):
    """The wedge the gate refuses (`POLICYGRAPH_QUERY_MAX_CHAIN`), sent past it: 24 `NOT`s keep
    the store's only query thread parsing for many seconds, where no timeout reaches. PING is
    still answered, a trivial query is not: the store is restarted, not waited on."""
    permissive = QueryGuard(max_chain=1_000, max_nesting=1_000, max_depth=1_000)
    store = FalkorStore(one_thread_server, "g", guard=permissive)
    store.write("CREATE (:Agency {id: 'a'})")
    before = one_thread_server.pid()
    started = time.monotonic()
    with pytest.raises(StoreRestarted, match="no answer to a PING or a trivial query"):
        store.read("RETURN " + "NOT " * 24 + "true AS x", timeout_ms=1_000)
    assert time.monotonic() - started < one_thread_server.read_wait_s + WEDGE_PING_S + 15
    assert one_thread_server.pid() not in (None, before)
    assert store.read("MATCH (a:Agency) RETURN a.id AS id").rows == [{"id": "a"}]
