"""Figures for the read limits of issue 14, on stores of its own with low caps:

    python -m benchmarks.read_limits [--export-nodes 76000]

- how long the guard takes to refuse 23 and 1,000 nested parentheses (the store took 16-20 s
  to parse 23);
- the store's peak RSS and the answer for memory bombs under a 64 MB per-query cap and a
  2 GB address-space cap (the billion-number range stops the store, which is restarted);
- /api/health latency while two runaway queries run, and with the store's only thread taken;
- the row cap on the LIMIT-bypass query;
- peak RSS of a whole-graph GraphML export built in memory and streamed (each in a process
  of its own).
"""

from __future__ import annotations

import argparse
import logging
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.guard import QueryGuard
from graph.settings import Settings, get_settings
from graph.store.embedded import EmbeddedServer, StoreLimits
from graph.store.falkor import FalkorStore

RUNAWAY = "MATCH (a)-[*]-(b) RETURN count(*)"
RING = ("UNWIND range(0, 199) AS i MERGE (a:Task {id: 'n' + toString(i)}) "
        "MERGE (b:Task {id: 'n' + toString((i + 1) % 200)}) "
        "MERGE (c:Task {id: 'n' + toString((i * 11 + 3) % 200)}) "
        "CREATE (a)-[:DEPENDS_ON]->(b), (a)-[:DEPENDS_ON]->(c)")


def _server(limits: StoreLimits) -> EmbeddedServer:
    server = EmbeddedServer(Path(tempfile.mkdtemp(prefix="pgrl", dir="/tmp")), limits)
    server.start()
    return server


def _done(server: EmbeddedServer) -> None:
    server.stop()
    shutil.rmtree(server.home, ignore_errors=True)


def _client(store: FalkorStore, server: EmbeddedServer, **settings) -> TestClient:
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: Settings(home=server.home, graph=store.graph_name,
                                                              **settings)
    return TestClient(app)


def guard_figures() -> None:
    guard = QueryGuard()
    for pairs in (23, 1000):
        query = "RETURN " + "(" * pairs + "1" + ")" * pairs + " AS x"
        started = time.perf_counter()
        try:
            guard.check(query)
        except Exception as refused:  # noqa: BLE001 - reported, whatever it is
            print(f"guard: {pairs} nested pairs refused in {(time.perf_counter() - started) * 1000:.2f} ms: "
                  f"{refused}".splitlines()[0])


def _peak_rss_during(server: EmbeddedServer, work: Callable[[], object]) -> tuple[str, float, int]:
    pid, peak, stop = server.pid(), [0], threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS"):
                        peak[0] = max(peak[0], int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.perf_counter()
    try:
        work()
        outcome = "answered"
    except Exception as exc:  # noqa: BLE001 - reported, whatever it is
        outcome = type(exc).__name__
    elapsed = time.perf_counter() - started
    stop.set()
    watcher.join()
    return outcome, elapsed, peak[0] // 1024


def memory_figures() -> None:
    server = _server(StoreLimits(query_memory_mb=64, store_memory_mb=2048))
    try:
        store = FalkorStore(server, "g")
        for query in ("WITH 5000000 AS n RETURN size(range(1, n)) AS s",
                      "UNWIND range(1, 3000000) AS x RETURN collect(x)[0] AS f",
                      "UNWIND range(1, 1000000000) AS x RETURN count(x) AS c"):
            outcome, elapsed, peak = _peak_rss_during(
                server, lambda q=query: store.read(q, timeout_ms=10_000))
            print(f"memory: {query}: {outcome} after {elapsed:.2f} s, store peak RSS {peak} MB")
        print("memory: after that, RETURN 1 gives", store.read("RETURN 1 AS ok").rows)
    finally:
        _done(server)


def health_figures() -> None:
    for threads in (4, 1):
        server = _server(StoreLimits(threads=threads))
        try:
            store = FalkorStore(server, "g")
            store.write(RING)
            client = _client(store, server, query_timeout_ms=5_000)
            runaways = [threading.Thread(target=client.post, args=("/api/cypher",),
                                         kwargs={"json": {"query": RUNAWAY}})
                        for _ in range(2 if threads > 1 else 1)]
            for thread in runaways:
                thread.start()
            time.sleep(0.7)
            latencies, answer = [], None
            for _ in range(5):
                started = time.perf_counter()
                answer = client.get("/api/health").json()
                latencies.append(round((time.perf_counter() - started) * 1000))
                time.sleep(0.2)
            for thread in runaways:
                thread.join()
            print(f"health: {len(runaways)} runaway quer{'ies' if len(runaways) > 1 else 'y'}, "
                  f"{threads} store threads: {latencies} ms, status {answer['status']}")
            if threads > 1:
                started = time.perf_counter()
                body = client.post("/api/cypher", json={
                    "query": "WITH range(1,100) AS l UNWIND range(1,200000) AS x RETURN x, l "
                             "LIMIT 100000000"}).json()
                print(f"row cap: the LIMIT-bypass query answers {body['count']} rows, truncated "
                      f"{body['truncated']}, in {time.perf_counter() - started:.2f} s")
        finally:
            _done(server)


def export_figures(nodes: int) -> None:
    server = _server(StoreLimits())
    try:
        store = FalkorStore(server, "g")
        store.write("CREATE INDEX FOR (n:Task) ON (n.id)")
        store.write(f"UNWIND range(1, {nodes}) AS i CREATE (:Task {{id: 't' + toString(i), "
                    "name: 'Nhiệm vụ số ' + toString(i), deadline: '2025-05-28', sources: ['src-a']})")
        store.write(f"UNWIND range(1, {nodes - 1}) AS i MATCH (a:Task {{id: 't' + toString(i)}}) "
                    "MATCH (b:Task {id: 't' + toString(i + 1)}) "
                    "CREATE (a)-[:DEPENDS_ON {sources: ['src-a']}]->(b)")
        for way in ("memory", "stream"):
            done = subprocess.run([sys.executable, "-m", "benchmarks.read_limits", "--export-child",
                                   way, str(server.home)], capture_output=True, text=True, check=True)
            print(f"export: {nodes} nodes as graphml, {done.stdout.strip()}")
    finally:
        _done(server)


def export_child(way: str, home: str) -> None:
    store = FalkorStore(EmbeddedServer(Path(home)), "g", start=False)
    started = time.perf_counter()
    if way == "stream":
        from graph.export_stream import stream_export

        size = sum(len(piece) for piece in stream_export(store, "graphml", timeout_ms=10_000))
    else:
        from graph.export import read_graph, render

        size = len(render(read_graph(store, timeout_ms=10_000), "graphml"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{way}: {size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s, peak RSS {peak} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export-nodes", type=int, default=76_000)
    parser.add_argument("--export-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.export_child:
        export_child(*args.export_child)
        return
    guard_figures()
    memory_figures()
    health_figures()
    export_figures(args.export_nodes)


if __name__ == "__main__":
    main()
