"""`policygraph.connect`: the README's notebook example, run against the embedded store of a
home folder and against a running API (a real uvicorn on loopback), with the same answers."""

from __future__ import annotations

import re
import socket
import threading
import time

import networkx as nx
import pandas as pd
import pytest
import uvicorn

import policygraph
from api.app import create_app
from api.deps import get_store
from graph.errors import PolicygraphError
from graph.settings import Settings
from queries import get_query
from tests.conftest import REPO

URL = "http://127.0.0.1:8000"


def readme_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- notebook example -->", 1)[1].split("<!-- end notebook example -->", 1)[0]
    return re.search(r"```python\n(.*?)```", block, re.S).group(1)


@pytest.fixture(scope="module")
def api_url(bundled_store):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def run_example(target: str, settings: Settings | None = None) -> dict:
    code = readme_example()
    assert URL in code
    scope: dict = {}
    if settings is None:
        exec(compile(code.replace(URL, target), "README.md", "exec"), scope)
    else:  # the home folder form, on the session's store and the bundled graph
        original = policygraph.connect
        scope["__builtins__"] = __builtins__
        code = code.replace(f'policygraph.connect("{URL}")', "connect_home()")
        scope["connect_home"] = lambda: original(settings=settings)
        exec(compile(code, "README.md", "exec"), scope)
    return scope


@pytest.mark.parametrize("where", ["http", "home"])
def test_the_readme_example_runs(where, api_url, bundled_store, server):
    scope = run_example(api_url) if where == "http" else run_example(
        "", Settings(home=server.home, graph="bundled"))
    whole = get_query("blocking-laws").run(bundled_store, {"as_of": "2025-05-22"}).rows
    blocked = scope["blocked"]
    assert isinstance(blocked, pd.DataFrame) and len(blocked) == len(whole) == 34
    assert list(blocked["task_id"]) == [r["task_id"] for r in whole]
    assert list(blocked.columns[:3]) == ["law_id", "law_name", "law_status"]
    assert scope["per_law"].sum() == 34
    assert list(scope["leads"].columns) == ["task"] and len(scope["leads"]) >= 1
    around = scope["around"]
    assert isinstance(around, nx.MultiDiGraph) and "bo-tai-chinh" in around
    assert all("search_key" not in data for _, data in around.nodes(data=True))
    assert scope["best"]["id"] == "bo-tai-chinh"


def test_errors_are_policygraph_errors(api_url, server):
    over_http = policygraph.connect(api_url)
    with pytest.raises(PolicygraphError, match="No named query 'nope'"):
        over_http.query("nope")
    with pytest.raises(PolicygraphError, match="not a valid date"):
        policygraph.connect(settings=Settings(home=server.home, graph="bundled")).query(
            "blocking-laws", as_of="2025-02-30")


def test_connect_to_a_home_folder(server, bundled_store, monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_GRAPH", "bundled")  # the graph the session's fixture loaded
    pg = policygraph.connect(str(server.home))
    summary = pg.query("graph-summary")
    counted = bundled_store.read("MATCH (n) RETURN count(n) AS n").rows[0]["n"]
    assert summary["nodes"].sum() == counted
    assert pg.cypher("UNWIND range(1, 12001) AS i RETURN i")["i"].tolist() == list(range(1, 12002))
