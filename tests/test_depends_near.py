"""The DEPENDS_ON links near a set of ids, read a frontier at a time (graph.depends_near), give
what the whole graph's links give: the same dependents within MAX_HOPS, and from each of them
the same fewest links to every law it reaches (blocking_state.law_hops)."""

from __future__ import annotations

from graph import blocking_state, cypher, depends_near, derived_reads
from loaders.generate import GenerateConfig, generate
from loaders.load import load_paths
from tests.conftest import scratch_graph

COUNTRY = GenerateConfig(provinces=3, communes=12, tasks=200, experts=5)


def whole_dependents(rows: list[dict], starts: set[str]) -> set[str]:
    into: dict[str, list[str]] = {}
    for row in rows:
        into.setdefault(row["on"], []).append(row["task"])
    return set(starts) | {node for start in starts for node in depends_near.hops_from(start, into)}


def test_near_reads_agree_with_the_whole_graphs_links(server, tmp_path):
    generate(tmp_path / "country", COUNTRY)
    with scratch_graph(server) as store:
        load_paths([tmp_path / "country"], store)
        rows = store.read(cypher.DEPENDS_FACTS).rows
        laws = [row["id"] for row in store.read(cypher.BLOCKING_FACTS["laws"]).rows]
        tasks = sorted({row["task"] for row in rows})
        derived_reads.forget()
        try:
            every = blocking_state.law_hops(store)
            law = next(law for law in laws if every[law])  # one that tasks depend on
            starts = {*tasks[::17], law, "no-such-node"}
            near = depends_near.dependents(store, starts)
            assert near == whole_dependents(rows, starts)
            assert len(near) > len(starts)
            links = depends_near.forward(store, near)
            assert set(every[law]) <= near  # what depends on the law
            for task in near:
                hops = depends_near.hops_from(task, links)
                assert {law: hops[law] for law in laws if law in hops} == \
                    {law: every[law][task] for law in laws if task in every[law]}, task
        finally:
            derived_reads.forget()
