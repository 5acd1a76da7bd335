"""Validate everything, then write what changes in parameterised UNWIND batches merged on id.

Nothing is written unless the whole input is valid. The input replaces what the sources it
defines said before (loaders.statements); only entities whose state differs are written.
Each batch is one transaction that sets an entity's whole state or deletes it, so a load
that was killed half-way and run again converges to the graph a clean load gives, and
loading the same files twice changes nothing.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import cypher, derived
from graph.errors import NotFound, ValidationFailed
from graph.gc_pause import gc_paused
from graph.schema import Schema, get_schema
from graph.store.base import Store
from graph.store.locks import Waiting
from loaders import fingerprint
from loaders.aliases import DATA_DIR
from loaders.read import read_paths
from loaders.records import Batch, RowTotals
from loaders.statements import Change
from loaders.sync import Sync, defined_sources, incoming, plan_sync, write_sync
from loaders.validate import Plan, validate

Progress = Callable[[int, int], None]  # (rows written now, rows in all)
WriteBatch = tuple[str, dict[str, Any], int]  # (statement, its parameters, rows it writes)
# Batches sent before the first is acknowledged: one serialised by us while the store runs one.
IN_FLIGHT = 2
LOCK_TIMEOUT_S = 600.0  # the default of POLICYGRAPH_WRITE_LOCK_TIMEOUT_S


@dataclass
class LoadReport(RowTotals):
    """What a load wrote (or would write, on a dry run)."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)  # the diff, applied or (dry run) not
    # when the files are the last load's and nothing was written since: that load's time
    # (UTC, ISO); nothing was read beyond the files' bytes, nothing written (loaders.fingerprint)
    unchanged_since: str | None = None
    derived_s: float = 0.0  # of `seconds`: keeping the derived state current (graph.derived)
    derived_refreshed: dict[str, float] = field(default_factory=dict)  # of that: per state's refresh


def store_lookup(store: Store, schema: Schema) -> Callable[[list[str]], dict[str, str]]:
    """The labels of ids already in the store, one indexed query per label."""
    query = cypher.labels_of_ids(schema.label_names)

    def lookup(ids: list[str]) -> dict[str, str]:
        return {row["id"]: row["label"] for row in store.read(query, {"ids": ids}).rows}

    return lookup


def plan_batch(batch: Batch, store: Store | None, schema: Schema) -> Plan:
    """Validate `batch` (against the store's nodes too); raise ValidationFailed with every problem."""
    lookup = store_lookup(store, schema) if store is not None else None
    plan, problems = validate(batch, schema, lookup=lookup, search_keys=False)
    if problems:
        raise ValidationFailed(problems)
    return plan


def load_paths(paths: list[Path] | None, store: Store | None, *, dry_run: bool = False,
               batch_size: int = 5_000, progress: Progress | None = None,
               schema: Schema | None = None, lock_timeout_s: float = LOCK_TIMEOUT_S,
               waiting: Waiting | None = None) -> LoadReport:
    """Load files and folders (default: the bundled dataset) into `store`; when they are the
    last load's and nothing was written since, write nothing (`report.unchanged_since`)."""
    started = time.perf_counter()
    paths = list(paths or [DATA_DIR])
    schema = schema or get_schema()
    print_ = fingerprint.fingerprint(paths, schema) if not dry_run and store is not None else None
    with gc_paused():  # the records are freed before it ends, so no collection scans them
        return _load(lambda: read_paths(paths), store, dry_run=dry_run, batch_size=batch_size,
                     progress=progress, schema=schema, lock_timeout_s=lock_timeout_s,
                     waiting=waiting, print_=print_, started=started,
                     # a file changed while it was read: the record would not be of what was
                     again=lambda: fingerprint.fingerprint(paths, schema))


def load_batch(batch: Batch, store: Store | None, *, dry_run: bool = False,
               batch_size: int = 5_000, progress: Progress | None = None,
               schema: Schema | None = None, lock_timeout_s: float = LOCK_TIMEOUT_S,
               waiting: Waiting | None = None) -> LoadReport:
    """Validate `batch` completely, work out what it changes (`report.changes`, the diff),
    then (unless `dry_run`) write exactly that.

    The input replaces the statements of every Source it defines (loaders.statements). A
    write holds the graph's write lock from validation (which reads the store) to the last
    batch, so a second writer waits (`waiting` is told) up to `lock_timeout_s`, then gives up.
    """
    return _load(lambda: batch, store, dry_run=dry_run, batch_size=batch_size,
                 progress=progress, schema=schema or get_schema(),
                 lock_timeout_s=lock_timeout_s, waiting=waiting, print_=None, again=None,
                 started=time.perf_counter())


def _load(read: Callable[[], Batch], store: Store | None, *, dry_run: bool, batch_size: int,
          progress: Progress | None, schema: Schema, lock_timeout_s: float,
          waiting: Waiting | None, print_: str | None,
          again: Callable[[], str | None] | None, started: float) -> LoadReport:
    """`load_batch` of what `read()` returns, unless `print_` (the inputs' fingerprint) says
    the load would write nothing: then nothing is read (loaders.fingerprint). After the
    writes, `print_` is recorded if `again()` still gives it."""
    writing = not dry_run and store is not None
    lock = store.write_lock(timeout_s=lock_timeout_s, waiting=waiting) if writing \
        else contextlib.nullcontext()
    with lock, gc_paused():
        last = fingerprint.unchanged(store, print_) if writing else None
        if last is not None and derived.current(store):
            return LoadReport(nodes=dict(last.nodes), relationships=dict(last.relationships),
                              unchanged_since=last.at, seconds=time.perf_counter() - started)
        plan = plan_batch(read(), store, schema)
        report = LoadReport(
            nodes={label: len(rows) for label, rows in plan.nodes.items()},
            relationships=_count_by_type(plan),
            dry_run=dry_run,
        )
        new_nodes, new_rels = incoming(plan)
        published = {row["id"]: row["props"].get("published_on")
                     for row in plan.nodes.get("Source", [])}
        sync = plan_sync(store, schema, new_nodes, new_rels, defined_sources(plan), published)
        report.changes = sync.changes
        if writing:
            work = apply_sync(sync, store, schema=schema, batch_size=batch_size, progress=progress)
            report.derived_s, report.derived_refreshed = work.seconds, work.refreshed
            if print_ is not None and again is not None and again() == print_:
                fingerprint.record(store, print_, report.nodes, report.relationships)
    report.seconds = time.perf_counter() - started
    return report


def apply_sync(sync: Sync, store: Store, *, schema: Schema, batch_size: int,
               progress: Progress | None) -> derived.Work:
    """Write what `sync` says, in confirmed batches; two in flight (see `_write_pipelined`).
    Returns what keeping the derived state current took."""
    total = sync.write_count
    done = 0

    def written(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    if total:
        fingerprint.forget(store)  # no record claims the graph until a load ends (its own)
    # derived state (graph.derived): cleared before facts change, updated for what they touch
    with derived.kept_current(store, changes=total > 0, touched=lambda: sync.touched) as work, \
            ThreadPoolExecutor(max_workers=IN_FLIGHT, thread_name_prefix="load") as pool:
        write_sync(sync, store, schema, batch_size=batch_size,
                   write=lambda batches: _write_pipelined(pool, store, iter(batches), written))
    return work


def _write_pipelined(pool: ThreadPoolExecutor, store: Store, batches: Iterator[WriteBatch],
                     written: Callable[[int], None]) -> None:
    """Send `batches` with at most IN_FLIGHT outstanding, so the client prepares one while
    the store executes the other (each is still its own transaction); return when all are
    written.

    The first failure stops further sends and is raised once the batches in flight are done.
    Each batch counts as written once the store also says its append-only file is intact.
    """
    in_flight: deque[tuple[Future, int]] = deque()

    def confirm(future: Future, rows: int) -> None:
        future.result()
        store.check_persistence()  # written in memory is not enough: in the file, or stop
        written(rows)

    try:
        for query, params, count in batches:
            if len(in_flight) >= IN_FLIGHT:
                confirm(*in_flight.popleft())
            in_flight.append((pool.submit(store.write, query, params), count))
        while in_flight:
            confirm(*in_flight.popleft())
    finally:
        for future, _ in in_flight:  # after a failure: let the other batch finish, unreported
            future.exception()


def _count_by_type(plan: Plan) -> dict[str, int]:
    counts: dict[str, int] = {}
    for (rel_type, _, _), rows in plan.relationships.items():
        counts[rel_type] = counts.get(rel_type, 0) + len(rows)
    return counts


def retract_source(source_id: str, store: Store, *, dry_run: bool = False,
                   batch_size: int = 5_000, progress: Progress | None = None,
                   schema: Schema | None = None, lock_timeout_s: float = LOCK_TIMEOUT_S,
                   waiting: Waiting | None = None) -> LoadReport:
    """Withdraw a Source: everything loses its statements; what only it supported is deleted
    (the Source node too). `report.changes` is the diff, applied unless `dry_run`."""
    schema = schema or get_schema()
    started = time.perf_counter()
    lock = store.write_lock(timeout_s=lock_timeout_s, waiting=waiting) if not dry_run \
        else contextlib.nullcontext()
    with lock, gc_paused():
        if not store.read(cypher.CITED_SOURCE, {"id": source_id}).rows:  # a Source, or what still cites it
            raise NotFound(f"The graph holds no Source {source_id!r}.",
                           hint="List them with: policygraph query --cypher "
                                "'MATCH (s:Source) RETURN s.id, s.name'")
        sync = plan_sync(store, schema, {}, {}, {source_id})
        report = LoadReport(dry_run=dry_run, changes=sync.changes)
        if not dry_run:
            work = apply_sync(sync, store, schema=schema, batch_size=batch_size, progress=progress)
            report.derived_s, report.derived_refreshed = work.seconds, work.refreshed
    report.seconds = time.perf_counter() - started
    return report
