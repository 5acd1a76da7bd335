"""Loader throughput against the raw store writing the very same rows.

Ours: `load_paths` on the generated CSV folder, end to end (read, validate every record with
its sources, compute search keys, write). Raw: the FalkorDB client sending plain
`UNWIND $rows AS row MERGE …` batches of the rows our validator produced, into a fresh graph
with the same id indexes, nothing else. `load_ratio` = our rows/s ÷ raw rows/s.
"""

from __future__ import annotations

import csv
import gc
import logging
import tempfile
import time
from collections import Counter
from pathlib import Path

import redis

from benchmarks.harness import GRAPH, Bench, Figure, timed
from graph import writes
from graph.csv_spec import LIST_SEPARATOR
from graph.gc_pause import gc_paused
from graph.schema import get_schema
from loaders.generate import generate
from loaders.load import load_paths
from loaders.read import read_paths
from loaders.validate import Plan, validate

log = logging.getLogger(__name__)
RAW_GRAPH = "raw"


def measure_generate(bench: Bench) -> list[Figure]:
    """Write the synthetic country into the bench's home."""
    bench.dataset = bench.home / "dataset"
    seconds, report = timed(lambda: generate(bench.dataset, bench.config))
    bench.facts["nodes"] = report.node_count
    bench.facts["relationships"] = report.relationship_count
    size = f"{bench.config.provinces} provinces, {bench.config.communes} communes, seed {bench.config.seed}"
    return [
        Figure("tasks", report.nodes["Task"], "", None, size),
        Figure("nodes", report.node_count),
        Figure("relationships", report.relationship_count, "", None,
               f"{len(report.files)} CSV files"),
        Figure("generate_s", round(seconds, 1), "s", None, "policygraph generate"),
    ]


def raw_write(bench: Bench, plan: Plan, batch_size: int) -> tuple[float, float]:
    """Seconds to write `plan` with the bare client: (nodes phase, relationships phase)."""
    schema = get_schema()
    graph = bench.raw_graph(RAW_GRAPH)
    graph.query("RETURN 1")
    for label in schema.labels:
        graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.id)")

    def send(groups):
        for query, rows in groups:
            for start in range(0, len(rows), batch_size):
                graph.query(query, {"rows": rows[start:start + batch_size]})

    node_s, _ = timed(lambda: send((writes.merge_nodes(label, schema), rows)
                                   for label, rows in plan.nodes.items()))
    rel_s, _ = timed(lambda: send((writes.merge_relationships(t, a, b, schema), rows)
                                  for (t, a, b), rows in plan.relationships.items()))
    graph.delete()
    return node_s, rel_s


def measure_load(bench: Bench) -> list[Figure]:
    """Raw baseline before and after our loader (the faster raw run counts, so noise from other
    work on the machine cannot flatter us), each on a fresh graph; ours ends in `national`."""
    assert bench.dataset is not None, "measure_generate first"
    batch_size = bench.settings.batch_size
    with gc_paused():
        plan, problems = validate(read_paths([bench.dataset]), get_schema())
    if problems:
        raise RuntimeError(f"the generated dataset does not validate: {problems[:3]}")
    nodes, rels = plan.node_count, plan.relationship_count
    raws = [raw_write(bench, plan, batch_size)]
    gc.collect()
    store = bench.store(GRAPH)
    store.clear()
    ours_s, report = timed(lambda: load_paths([bench.dataset], store, batch_size=batch_size))
    assert (report.node_count, report.relationship_count) == (nodes, rels)
    assert store.counts() == (nodes, rels), "the loader wrote other counts than it validated"
    raws.append(raw_write(bench, plan, batch_size))
    data_mb, written_mb = data_dir_mb(bench)
    reload_s, again = timed(lambda: load_paths([bench.dataset], store, batch_size=batch_size))
    assert again.changes == [], "loading the same files again changed the graph"
    one_source, ones = one_source_loads(bench, store)
    assert store.counts() == (nodes, rels), "loading one source's files back changed the counts"
    derived_s, one_s = report.derived_s, max(one.derived_s for one in ones)
    raw_node_s, raw_rel_s = min(raws, key=sum)
    raw_s = raw_node_s + raw_rel_s
    ratio = raw_s / ours_s
    how = f"batches of {batch_size}"
    return [
        Figure("load_s", round(ours_s, 1), "s", None, "read + validate + provenance + write, " + how),
        Figure("load_nodes_per_s", round(nodes / ours_s), "nodes/s", None, "whole load time"),
        Figure("load_relationships_per_s", round(rels / ours_s), "rels/s", None, "whole load time"),
        Figure("raw_nodes_per_s", round(nodes / raw_node_s), "nodes/s", None,
               "FalkorDB client, UNWIND … MERGE, " + how),
        Figure("raw_relationships_per_s", round(rels / raw_rel_s), "rels/s", None,
               "FalkorDB client, UNWIND … MATCH … MERGE, " + how),
        Figure("raw_load_s", round(raw_s, 1), "s", None,
               "write phase only, same rows; faster of runs before and after ours "
               f"({sum(raws[0]):.1f} s, {sum(raws[1]):.1f} s)"),
        Figure("load_ratio", round(ratio, 3), "", ">= 0.5", "our rows/s ÷ raw rows/s"),
        Figure("reload_s", round(reload_s, 1), "s", None,
               "loading the same files again, nothing written since (loaders.fingerprint: "
               "their bytes are read and hashed, nothing is written)"),
        Figure("reload_ratio", round(reload_s / ours_s, 3), "", "<= 0.5", "reload_s ÷ load_s"),
        Figure("derived_state_s", round(derived_s, 1), "s", None,
               "of load_s: computing the derived states (graph/derived.py) whole, "
               + ", ".join(f"{k} {v:.1f} s" for k, v in report.derived_refreshed.items())),
        Figure("derived_one_source_s", round(one_s, 2), "s", None,
               f"of a load of one source's files ({one_source}: {len(ones[0].changes)} changes), "
               "keeping the derived states current; the slower of the load and of the load back"),
        Figure("derived_one_source_ratio", round(one_s / derived_s, 3), "", "<= 0.1",
               "derived_one_source_s ÷ derived_state_s"),
        Figure("data_dir_mb", round(data_mb, 1), "MB", None,
               f"the store's files after the national load, its append-only file rewritten "
               f"(as written by the load and the raw baselines: {written_mb:.0f} MB)"),
    ]


def one_source_loads(bench: Bench, store) -> tuple[str, list]:
    """Load the files of the source that states the most tasks with its tasks' names changed
    and every seventh deadline moved, then its files as they were (the graph is then the
    dataset's again): (that source, the two load reports)."""
    assert bench.dataset is not None
    tasks = Counter(source for row in _rows(bench.dataset / "Task.csv")
                    for source in row["sources"].split(LIST_SEPARATOR))
    source = tasks.most_common(1)[0][0]
    with tempfile.TemporaryDirectory(prefix="pg-one-source-") as folder:
        edited, original = Path(folder) / "edited", Path(folder) / "original"
        for path in sorted(bench.dataset.rglob("*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                columns, rows = list(reader.fieldnames or []), list(reader)
            if "sources" in columns:
                rows = [row for row in rows if source in row["sources"].split(LIST_SEPARATOR)]
            else:  # Source.csv
                rows = [row for row in rows if row["id"] == source]
            _write_rows(original / path.relative_to(bench.dataset), columns, rows)
            if path.name == "Task.csv":
                rows = [{**row, "name": row["name"] + " (sửa)",
                         "deadline": "2025-09-30" if i % 7 == 0 else row["deadline"]}
                        for i, row in enumerate(rows)]
            _write_rows(edited / path.relative_to(bench.dataset), columns, rows)
        reports = [load_paths([edited], store), load_paths([original], store)]
    return source, reports


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def data_dir_mb(bench: Bench) -> tuple[float, float]:
    """MB of the store's files (the dataset folder left out): (after an append-only file
    rewrite, which is what the store keeps of the graph, before it)."""
    def size() -> float:
        files = (p for p in bench.home.rglob("*") if p.is_file() and "dataset" not in p.parts)
        return sum(p.stat().st_size for p in files) / 2**20

    before = size()
    client = redis.Redis(unix_socket_path=str(bench.server.socket))
    try:
        _rewrite_settled(client)  # the store may be rewriting on its own (its growth rule)
        client.bgrewriteaof()
        _rewrite_settled(client)
    finally:
        client.close()
    return size(), before


def _rewrite_settled(client: redis.Redis, timeout_s: float = 300) -> None:
    """Wait until no append-only file rewrite is running or scheduled: a second request while
    one runs is refused ("already in progress"), and the size is only final after it."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        info = client.info("persistence")
        if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
            return
        time.sleep(0.2)
    raise TimeoutError(f"the store's append-only file rewrite did not end in {timeout_s:.0f} s")
