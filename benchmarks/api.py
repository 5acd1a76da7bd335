"""The HTTP API on the national graph: neighbourhood latency against the raw store call for the
same subgraph, and the API process's peak memory.

The API runs as a person runs it (`uvicorn api.app:create_app`, one worker, loopback) in its
own process over the bench's store; requests come from one keep-alive HTTP client.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil

from benchmarks.harness import GRAPH, Bench, Figure, latencies_ms, percentile
from graph import explore

log = logging.getLogger(__name__)
REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def api_server(bench: Bench, *, workers: int = 1,
               via_cli: bool = False) -> Iterator[tuple[str, subprocess.Popen]]:
    """The API on a free loopback port, stopped (by its pid) on exit: `uvicorn` directly, or
    `policygraph serve` as a person starts it (`via_cli`)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYGRAPH_", "NEO4J_"))}
    env.update(POLICYGRAPH_HOME=str(bench.home), POLICYGRAPH_GRAPH=GRAPH)
    if via_cli:
        command = [str(Path(sys.executable).with_name("policygraph")), "serve", "--host", "127.0.0.1",
                   "--port", str(port), "--workers", str(workers)]
    else:
        command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
                   "127.0.0.1", "--port", str(port), "--workers", str(workers),
                   "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the API did not start: {process.stderr.read()[-2000:]}")
            time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def peak_rss_mb(process: subprocess.Popen) -> float:
    """Peak resident memory (VmHWM) of the process and its children (workers), in MB."""
    procs = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    return sum(peak_rss_of(proc.pid) for proc in procs)


def peak_rss_of(pid: int | None) -> float:
    """Peak resident memory (VmHWM) of one process since it started, in MB (0: unknown)."""
    with contextlib.suppress(OSError, ValueError, TypeError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sample_node(bench: Bench) -> str:
    """A provincial task: its 2-hop neighbourhood (communes' tasks, statuses, leads) is a
    typical drawable subgraph of a few dozen to a few hundred nodes."""
    rows = bench.store(GRAPH).read(
        "MATCH (t:Task)-[:ASSIGNED_IN]->(:Document {doc_type: 'plan'})-[:IMPLEMENTS]->"
        "(:Document {id: 'syn-doc-02-kh-bcdtw'}) RETURN t.id AS id ORDER BY id LIMIT 1").rows
    return rows[0]["id"]


def measure_api(bench: Bench) -> list[Figure]:
    """Neighbourhood (depth 2) through HTTP vs the same Cypher through the FalkorDB client."""
    node_id = sample_node(bench)
    depth, limit = 2, 500
    runs = 30 if bench.quick else 100
    raw = bench.raw_graph(GRAPH)
    query = explore.neighbourhood_query("Task", depth, None)
    params = {"id": node_id, "labels": None, "limit": limit + 1}
    raw_ms = latencies_ms(lambda: raw.ro_query(query, params), runs=runs, warmup=5)
    with api_server(bench) as (url, process), httpx.Client(base_url=url, timeout=120) as client:
        path = f"/api/graph/neighborhood/{node_id}"

        def call() -> dict:
            response = client.get(path, params={"depth": depth, "limit": limit})
            response.raise_for_status()
            return response.json()

        answer = call()
        api_ms = latencies_ms(call, runs=runs, warmup=5)
        # exercise the heavier endpoints too, so the peak memory covers what people ask: the
        # largest page of blocking-laws the row cap allows
        client.get("/api/search", params={"q": "bo tai chinh"})
        client.get("/api/queries/blocking-laws",
                   params={"as_of": "2025-10-01", "limit": bench.settings.row_limit})
        rss = peak_rss_mb(process)
    store_rss = peak_rss_of(bench.server.pid())
    size = f"{len(answer['nodes'])} nodes, {len(answer['edges'])} edges"
    api_p50, raw_p50 = percentile(api_ms, 50), percentile(raw_ms, 50)
    return [
        Figure("neighborhood_api_p50_ms", round(api_p50, 2), "ms", None,
               f"GET /api/graph/neighborhood/{node_id}?depth={depth}: {size}; {runs} runs"),
        Figure("neighborhood_raw_p50_ms", round(raw_p50, 2), "ms", None,
               "the same Cypher through the FalkorDB client"),
        Figure("neighborhood_api_ratio", round(api_p50 / raw_p50, 2), "", "<= 1.5", "API ÷ raw"),
        Figure("api_rss_mb", round(rss, 1), "MB", None,
               "peak RSS (VmHWM) of the API process after neighbourhood, search and a "
               f"{bench.settings.row_limit}-row page of blocking-laws"),
        Figure("store_rss_mb", round(store_rss, 1), "MB", None,
               "peak RSS (VmHWM) of the FalkorDB server since the bench started it: loads, "
               "raw baselines and every query included"),
    ]


def busiest_law(bench: Bench) -> str:
    """The law most tasks depend on directly: its node page is the heaviest law page."""
    return bench.store(GRAPH).read(
        "MATCH (t:Task)-[:DEPENDS_ON]->(law:Law) RETURN law.id AS id, count(t) AS n "
        "ORDER BY n DESC, id LIMIT 1").rows[0]["id"]


def measure_pages(bench: Bench) -> list[Figure]:
    """Browser pages at national scale over HTTP (loopback, so the time is the server's plus a
    local transfer): node pages of a provincial task and of the busiest law, and the home page
    `GET /` (whatever home page this branch serves), median of several runs each."""
    runs = 5 if bench.quick else 10
    as_of = "2025-10-01"
    pages = {"task": f"/viz/node/{sample_node(bench)}", "law": f"/viz/node/{busiest_law(bench)}"}
    with api_server(bench) as (url, _), httpx.Client(base_url=url, timeout=120) as client:

        def timer(path: str, params: dict) -> list[float]:
            def call() -> None:
                client.get(path, params=params).raise_for_status()
            return latencies_ms(call, runs=runs, warmup=1)

        node_ms = {kind: percentile(timer(path, {}), 50) for kind, path in pages.items()}
        started = time.perf_counter()
        home = client.get("/", params={"as_of": as_of})
        first_ms = (time.perf_counter() - started) * 1000
        home_ms = percentile(timer("/", {"as_of": as_of}), 50) if home.is_success else None
    slowest = max(node_ms, key=node_ms.get)
    figures = [
        Figure("node_page_ms", round(node_ms[slowest], 1), "ms", "<= 200",
               f"GET /viz/node/ID (depth 1, as of today), median of {runs}: task page "
               f"{node_ms['task']:.0f} ms, law page ({pages['law']}) {node_ms['law']:.0f} ms"),
    ]
    if home_ms is None:  # the page itself failed (a timeout): say how, measure nothing
        why = f"GET /?as_of={as_of} answered {home.status_code} after {first_ms:.0f} ms"
        return figures + [Figure("home_page_ms", None, "ms", "<= 1000", why),
                          Figure("home_page_bytes", None, "B", "<= 2000000", why)]
    return figures + [
        Figure("home_page_ms", round(home_ms, 1), "ms", "<= 1000",
               f"GET /?as_of={as_of}, median of {runs} after the first ({first_ms:.0f} ms: "
               "the first since the API started reads the laws' state and the holders)"),
        Figure("home_page_bytes", len(home.content), "B", "<= 2000000", "the same page's HTML"),
    ]


# the briefing questions (issue 32): first pages of the named queries, then the pages and the feed
BRIEFING_QUERIES = (("changes", "until", "changes_query_page_ms"),
                    ("blocking-summary", "as_of", "summary_page_ms"))
BRIEFING_PAGES = (("/risk", "risk_page_ms"), ("/changes", "changes_page_ms"),
                  ("/digest", "digest_page_ms"), ("/feeds/changes.atom", "feed_ms"))
SLOW_S = 5.0  # an answer slower than this (the Cypher at national scale) is timed once


def measure_briefing(bench: Bench) -> list[Figure]:
    """The first page (100 rows) of `changes` and `blocking-summary` over HTTP, and the /risk,
    /changes and /digest pages (the digest of the lead of most tasks) and the Atom feed, each
    on its default dates: the median of several runs after one warm-up (a warm-up slower than
    SLOW_S is the figure itself)."""
    runs = 3 if bench.quick else 7
    agency = busiest_lead(bench)
    figures = []
    with api_server(bench) as (url, _), httpx.Client(base_url=url, timeout=900) as client:

        def median_ms(path: str, params: dict) -> tuple[float | None, str]:
            started = time.perf_counter()
            first = client.get(path, params=params)
            first_ms = (time.perf_counter() - started) * 1000
            if not first.is_success:  # a timeout (408) or a refusal: said, and the others go on
                return None, f"answered {first.status_code} after {first_ms:.0f} ms"
            if first_ms > SLOW_S * 1000:
                return first_ms, "timed once (past SLOW_S)"
            def call() -> None:
                client.get(path, params=params).raise_for_status()
            return percentile(latencies_ms(call, runs=runs, warmup=0), 50), \
                f"median of {runs} after one ({first_ms:.0f} ms)"

        for name, date_param, key in BRIEFING_QUERIES:
            ms, how = median_ms(f"/api/queries/{name}", {date_param: "2025-10-01", "limit": 100})
            figures.append(Figure(key, None if ms is None else round(ms, 1), "ms", "<= 200",
                                  f"GET /api/queries/{name}?{date_param}=2025-10-01&limit=100, {how}"))
        for path, key in BRIEFING_PAGES:
            params = {"agency": agency} if path == "/digest" else {}
            ms, how = median_ms(path, params)
            shown = path + (f"?agency={agency}" if params else "")
            figures.append(Figure(key, None if ms is None else round(ms, 1), "ms", "<= 500",
                                  f"GET {shown}, {how}"))
    return figures


def busiest_lead(bench: Bench) -> str:
    """The agency that leads the most tasks (its digest is the largest)."""
    rows = bench.store(GRAPH).read("MATCH (:Task)-[:LED_BY]->(a:Agency) RETURN a.id AS id, "
                                   "count(*) AS n ORDER BY n DESC, id LIMIT 1").rows
    return rows[0]["id"]


def measure_viz(bench: Bench) -> list[Figure]:
    """The visualisation's own probe (benchmarks/viz.py): a 2,000-node page in headless Chromium."""
    try:
        from benchmarks.viz import measure_viz_interactive_s
    except ImportError as exc:
        return [Figure("viz_interactive_s", None, "s", "<= 3",
                       f"not measured: the visualisation's probe is missing ({exc})")]
    try:
        seconds = measure_viz_interactive_s(2000)
    except Exception as exc:  # a missing browser is a reason to report, not a crash of the run
        return [Figure("viz_interactive_s", None, "s", "<= 3", f"not measured: {exc}")]
    return [Figure("viz_interactive_s", round(seconds, 2), "s", "<= 3",
                   "2,000-node page, headless Chromium: navigation to a click answered")]
