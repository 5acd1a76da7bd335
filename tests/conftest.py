"""Fixtures: the real embedded FalkorDB, started once per session in a short temporary home.

Each test that writes gets a clean graph of its own name; `bundled_store` holds the bundled
dataset, loaded once. Nothing here is a mock: tests talk to the real server over its socket.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.store.embedded import EmbeddedServer
from graph.store.falkor import FalkorStore

REPO = Path(__file__).resolve().parents[1]
# Starlette's TestClient and schemathesis' ASGI transport send `Host: testserver`; the host
# allow-list (api/security.py) must let the in-process tests in. Live servers use 127.0.0.1.
os.environ.setdefault("POLICYGRAPH_ALLOWED_HOSTS", '["localhost", "127.0.0.1", "::1", "testserver"]')


def short_tempdir(prefix: str = "pg") -> Path:
    """Unix socket paths are limited to 107 bytes, so keep homes short (not pytest's tmp_path)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))


CRASH_LOGS = REPO / ".pytest_cache" / "store-crashes"


def keep_crash_logs(server: EmbeddedServer) -> None:
    """Copy the store's log out of its home before the home is removed when it holds a bug
    report: a crash of the shared store shows in one test as a restart, and its stack trace
    would otherwise go with the temporary directory."""
    try:
        text = server.logfile.read_text(errors="replace")
    except OSError:
        return
    if "BUG REPORT START" in text:
        CRASH_LOGS.mkdir(parents=True, exist_ok=True)
        (CRASH_LOGS / f"{time.strftime('%Y%m%dT%H%M%S')}-{server.home.name}.log").write_text(text)


@pytest.fixture(scope="session")
def server():
    home = short_tempdir("pgtest")
    embedded = EmbeddedServer(home)
    embedded.start()
    yield embedded
    embedded.stop()
    keep_crash_logs(embedded)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def settings(server) -> Settings:
    return Settings(home=server.home, graph="policygraph")


@contextlib.contextmanager
def scratch_graph(server: EmbeddedServer, name: str | None = None, **options) -> Iterator[FalkorStore]:
    """A graph of the test's own (a fresh name unless given), deleted afterwards."""
    graph = FalkorStore(server, name or f"t{uuid.uuid4().hex[:12]}", **options)
    try:
        yield graph
    finally:
        graph.clear()
        graph._graph.delete()
        graph.close()


@pytest.fixture
def store(server):
    """A clean graph of its own, deleted after the test."""
    with scratch_graph(server) as graph:
        yield graph


def lowest_priority() -> None:
    """`preexec_fn` for a process a test kills at a point it polls for: at nice 19 it cannot
    race past that point while the polling test waits for a core (it did once with three
    workers on two cores: a load killed "among its node batches" had written them all)."""
    os.nice(19)


def kill_9(server: EmbeddedServer) -> None:
    """SIGKILL the store and wait until that process is gone, not only deaf: a dying process
    (a loaded machine takes a while to tear down its memory) is alive and does not answer,
    which the store rightly reports as wedged rather than restarting it. A concurrent client
    may restart the store meanwhile (a new process): that is not waited for."""
    kill_and_wait(server, signal.SIGKILL)


def kill_and_wait(server: EmbeddedServer, sig: int) -> None:
    """Send the store's process `sig` and wait until it is gone (`kill_9`'s wait; a crash
    signal first has the store write its bug report)."""
    from graph.store.embedded import _alive

    pid = server.pid()
    os.kill(pid, sig)
    deadline = time.monotonic() + 30
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(pid), f"the store's process {pid} survived {signal.Signals(sig).name} for 30 s"


@pytest.fixture(autouse=True)
def no_strikes_carried_over():
    """The API's count of clients whose queries stopped the store lives in the process: a test
    that stops the store on purpose must not get the next test's client (every TestClient is
    'testclient') refused with 429."""
    from api.limits import STORE_STOPPERS

    yield
    STORE_STOPPERS._times.clear()


@pytest.fixture
def own_server():
    """A server of its own, for tests that stop or kill it."""
    server = EmbeddedServer(short_tempdir("pgown"))
    server.start()
    yield server
    server.stop()
    shutil.rmtree(server.home, ignore_errors=True)


@pytest.fixture(scope="session")
def bundled_store(server):
    """The bundled dataset, loaded once for the whole session (tests only read it)."""
    from loaders.load import load_paths

    graph = FalkorStore(server, "bundled")
    graph.clear()
    load_paths(None, graph)
    yield graph
    graph.close()


@pytest.fixture
def cli_env(server) -> dict[str, str]:
    """Environment for running the `policygraph` command against the session's server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYGRAPH_", "NEO4J_"))}
    env["POLICYGRAPH_HOME"] = str(server.home)
    env["POLICYGRAPH_GRAPH"] = f"cli{uuid.uuid4().hex[:10]}"
    return env


@contextlib.contextmanager
def serve_in_thread(app) -> Iterator[str]:
    """`app` on 127.0.0.1:<free port> in a thread, for the browser tests; yields its base URL."""
    import socket
    import threading

    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start within 30 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
