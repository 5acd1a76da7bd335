"""`blocking-laws` at national scale: latency as the API and CLI run it, and the same answer
computed by exporting to networkx and traversing in Python.

The query is the named one, `queries/blocking-laws.cypher`, run as the API and CLI run it.
"""

from __future__ import annotations

import logging

from benchmarks import networkx_side
from benchmarks.harness import GRAPH, Bench, Figure, latencies_ms, percentile, timed
from queries import get_query

log = logging.getLogger(__name__)

# dates between the resolution and the horizon: early (little passed), mid-2025, late
AS_OF = ("2025-05-22", "2025-07-02", "2025-10-01", "2026-01-15")
WHICH = "queries/blocking-laws.cypher"


def _run(bench: Bench, as_of: str, *, capped: bool):
    limit = bench.settings.row_limit if capped else None
    return get_query("blocking-laws").run(bench.reader, {"as_of": as_of}, timeout_ms=60_000,
                                          limit=limit)


def measure_blockers(bench: Bench) -> list[Figure]:
    """Median and p95 of `blocking-laws` as the API serves it (row cap of the settings).

    The number of runs fits a time budget (at least 3, at most 20), so a slow query still
    finishes the run; the note says how many there were.
    """
    budget_s = 30 if bench.quick else 90
    dates = iter(AS_OF * 100)
    first_s, first = timed(lambda: _run(bench, next(dates), capped=True))
    runs = max(3, min(20, int(budget_s / max(first_s, 1e-3))))
    if first_s >= 1.0:  # a slow query needs no warm-up: its first run is one of the measured
        times = [first_s * 1000] + latencies_ms(
            lambda: _run(bench, next(dates), capped=True), runs=runs - 1, warmup=0)
    else:
        times = latencies_ms(lambda: _run(bench, next(dates), capped=True), runs=runs,
                             warmup=1)
    cap = bench.settings.row_limit
    cut = f"cut at {cap} rows (POLICYGRAPH_ROW_LIMIT)" if first.truncated else "not cut"
    note = f"{WHICH}; as_of rotating {', '.join(AS_OF)}; {runs} runs; answers {cut}"
    return [
        Figure("blockers_p50_ms", round(percentile(times, 50), 1), "ms", "<= 150", note),
        Figure("blockers_p95_ms", round(percentile(times, 95), 1), "ms", None, "same runs"),
    ]


def measure_networkx(bench: Bench) -> list[Figure]:
    """Their side: export + traverse; ours: the same question, the whole answer (no row cap)."""
    as_of = "2025-10-01"
    ours_s, result = timed(lambda: _run(bench, as_of, capped=False))
    ours = result.rows
    export_s, graph = timed(lambda: networkx_side.export_graph(bench.raw_graph(GRAPH)))
    traverse_s, theirs = timed(lambda: networkx_side.blocking_laws(graph, as_of))
    same = networkx_side.answer_key(ours) == networkx_side.answer_key(theirs)
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    speedup = (export_s + traverse_s) / ours_s
    agree = "the same" if same else "DIFFERENT (see benchmarks/networkx_side.py)"
    return [
        Figure("networkx_export_s", round(export_s, 2), "s", None,
               f"{nodes} nodes, {edges} edges through the FalkorDB client"),
        Figure("networkx_traverse_s", round(traverse_s, 2), "s", None, f"as_of {as_of}"),
        Figure("blockers_full_answer_s", round(ours_s, 3), "s", None,
               f"{WHICH}, the whole answer ({len(ours)} rows), as_of {as_of}"),
        Figure("networkx_speedup", round(speedup, 1), "x", ">= 20",
               f"(export + traverse) ÷ ours; answers {agree}: {len(theirs)} rows"),
    ]
