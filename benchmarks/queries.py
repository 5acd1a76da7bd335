"""`blocking-laws` at national scale: latency as the API serves it (its first page), and the
whole answer against the same answer computed by exporting to networkx and traversing in Python.

The query is the named one, `queries/blocking-laws.cypher`, run as the API and CLI run it.
"""

from __future__ import annotations

import gc
import logging
import time

import httpx

from benchmarks import networkx_side
from benchmarks.api import api_server
from benchmarks.harness import GRAPH, Bench, Figure, percentile, timed
from queries import get_query

log = logging.getLogger(__name__)

# dates between the resolution and the horizon: early (little passed), mid-2025, late
AS_OF = ("2025-05-22", "2025-07-02", "2025-10-01", "2026-01-15")
WHICH = "queries/blocking-laws.cypher"
PATH = "/api/queries/blocking-laws"


def _run(bench: Bench, as_of: str):
    """The whole answer, as the CLI gives it with no row cap."""
    return get_query("blocking-laws").run(bench.reader, {"as_of": as_of}, timeout_ms=120_000)


def measure_blockers(bench: Bench) -> list[Figure]:
    """Median and p95 of `GET /api/queries/blocking-laws?as_of=…` as the API serves it: over
    HTTP, its default page (POLICYGRAPH_PAGE_SIZE rows), `as_of` rotating over four dates.

    The note gives the page's size and each date's median.
    """
    per_date = 5 if bench.quick else 10
    dates = iter(AS_OF * (per_date + 1))
    times: dict[str, list[float]] = {day: [] for day in AS_OF}
    with api_server(bench) as (url, _), httpx.Client(base_url=url, timeout=120) as client:

        def call() -> dict:
            as_of = next(dates)
            started = time.perf_counter()
            response = client.get(PATH, params={"as_of": as_of})
            times[as_of].append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            return response.json()

        first = [call() for _ in AS_OF]  # warm-up: one per date, not measured
        for day in AS_OF:
            times[day].clear()
        for _ in range(per_date * len(AS_OF)):
            call()
    every = [ms for day in AS_OF for ms in times[day]]
    rows = first[0]["count"]
    medians = ", ".join(f"{day} {percentile(times[day], 50):.0f} ms" for day in AS_OF)
    note = (f"GET {PATH}, first page ({rows} rows, POLICYGRAPH_PAGE_SIZE) over HTTP; "
            f"{len(every)} runs; median by as_of: {medians}")
    return [
        Figure("blockers_p50_ms", round(percentile(every, 50), 1), "ms", "<= 150", note),
        Figure("blockers_p95_ms", round(percentile(every, 95), 1), "ms", None, "same runs"),
    ]


def measure_networkx(bench: Bench) -> list[Figure]:
    """Their side: export + traverse; ours: the same question, the whole answer (no row cap)."""
    as_of = "2025-10-01"
    ours_s, result = timed(lambda: _run(bench, as_of))
    ours_key, ours_rows = networkx_side.answer_key(result.rows), len(result.rows)
    # Their side starts clean: with our millions of row objects still held, Python's collector
    # walks them again and again during their export (25-27 s instead of 17.5 s, measured).
    del result
    gc.collect()
    export_s, graph = timed(lambda: networkx_side.export_graph(bench.raw_graph(GRAPH)))
    traverse_s, theirs = timed(lambda: networkx_side.blocking_laws(graph, as_of))
    same = ours_key == networkx_side.answer_key(theirs)
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    speedup = (export_s + traverse_s) / ours_s
    agree = "the same" if same else "DIFFERENT (see benchmarks/networkx_side.py)"
    return [
        Figure("networkx_export_s", round(export_s, 2), "s", None,
               f"{nodes} nodes, {edges} edges through the FalkorDB client"),
        Figure("networkx_traverse_s", round(traverse_s, 2), "s", None, f"as_of {as_of}"),
        Figure("blockers_full_answer_s", round(ours_s, 3), "s", None,
               f"{WHICH}, the whole answer ({ours_rows} rows), as_of {as_of}"),
        Figure("networkx_speedup", round(speedup, 1), "x", ">= 20",
               f"(export + traverse) ÷ ours; answers {agree}: {len(theirs)} rows"),
    ]
