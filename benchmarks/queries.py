"""`blocking-laws` at national scale: latency as the API and CLI run it, and the same answer
computed by exporting to networkx and traversing in Python.

The named query is `queries/blocking-laws.cypher`; where it does not exist (an older checkout)
a stand-in written here is timed instead, and the figure's note says so.
"""

from __future__ import annotations

import logging

from benchmarks import networkx_side
from benchmarks.harness import GRAPH, Bench, Figure, latencies_ms, percentile, timed
from graph.errors import NotFound
from queries import NamedQuery, get_query

log = logging.getLogger(__name__)

# dates between the resolution and the horizon: early (little passed), mid-2025, late
AS_OF = ("2025-05-22", "2025-07-02", "2025-10-01", "2026-01-15")
STAND_IN = NamedQuery(
    name="blocking-laws (stand-in)", title="stand-in", params=(),
    text="""
MATCH (law:Law)-[:HAS_STATUS]->(ls:StatusChange) WHERE ls.on <= $as_of
WITH law, ls ORDER BY ls.on DESC, ls.status
WITH law, collect(ls.status)[0] AS law_status
WHERE NOT law_status IN ['passed', 'in_force']
MATCH chain = (task:Task)-[:DEPENDS_ON*1..8]->(law)
WITH law, law_status, task, min(length(chain)) AS hops
OPTIONAL MATCH (task)-[:HAS_STATUS]->(ts:StatusChange) WHERE ts.on <= $as_of
WITH law, law_status, task, hops, ts ORDER BY ts.on DESC, ts.status
WITH law, law_status, task, hops, collect(ts.status)[0] AS task_status
WHERE task_status IS NULL OR task_status <> 'done'
RETURN law.id AS law_id, law_status, task.id AS task_id, task_status, hops
ORDER BY law_id, hops, task_id""")


def blocking_query() -> tuple[NamedQuery, str]:
    """The named query (or the stand-in) and a note saying which."""
    try:
        return get_query("blocking-laws"), "queries/blocking-laws.cypher"
    except NotFound:
        return STAND_IN, "stand-in query in benchmarks/queries.py (queries/blocking-laws.cypher missing)"


def _run(bench: Bench, query: NamedQuery, as_of: str, *, capped: bool):
    settings = bench.settings
    params = {"as_of": as_of}
    store = bench.reader
    if query is STAND_IN:
        return store.read(query.text, params, timeout_ms=60_000,
                          limit=settings.row_limit if capped else None)
    return query.run(store, params, timeout_ms=60_000, limit=settings.row_limit if capped else None)


def measure_blockers(bench: Bench) -> list[Figure]:
    """Median and p95 of `blocking-laws` as the API serves it (row cap of the settings).

    The number of runs fits a time budget (at least 3, at most 20), so a slow query still
    finishes the run; the note says how many there were.
    """
    query, which = blocking_query()
    budget_s = 30 if bench.quick else 90
    dates = iter(AS_OF * 100)
    first_s, first = timed(lambda: _run(bench, query, next(dates), capped=True))
    runs = max(3, min(20, int(budget_s / max(first_s, 1e-3))))
    if first_s >= 1.0:  # a slow query needs no warm-up: its first run is one of the measured
        times = [first_s * 1000] + latencies_ms(
            lambda: _run(bench, query, next(dates), capped=True), runs=runs - 1, warmup=0)
    else:
        times = latencies_ms(lambda: _run(bench, query, next(dates), capped=True), runs=runs,
                             warmup=1)
    cap = bench.settings.row_limit
    cut = f"cut at {cap} rows (POLICYGRAPH_ROW_LIMIT)" if first.truncated else "not cut"
    note = f"{which}; as_of rotating {', '.join(AS_OF)}; {runs} runs; answers {cut}"
    return [
        Figure("blockers_p50_ms", round(percentile(times, 50), 1), "ms", "<= 150", note),
        Figure("blockers_p95_ms", round(percentile(times, 95), 1), "ms", None, "same runs"),
    ]


def measure_networkx(bench: Bench) -> list[Figure]:
    """Their side: export + traverse; ours: the same question, the whole answer (no row cap)."""
    query, which = blocking_query()
    as_of = "2025-10-01"
    ours_s, result = timed(lambda: _run(bench, query, as_of, capped=False))
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
               f"{which}, the whole answer ({len(ours)} rows), as_of {as_of}"),
        Figure("networkx_speedup", round(speedup, 1), "x", ">= 20",
               f"(export + traverse) ÷ ours; answers {agree}: {len(theirs)} rows"),
    ]
