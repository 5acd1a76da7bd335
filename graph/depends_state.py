"""Derived DEPENDS_ON adjacency: what each task depends on, for `deadline-risk` without a walk.

`queries/deadline-risk.cypher` is the definition. Per task at risk it follows DEPENDS_ON up to
8 links both ways (the laws and tasks in the way, the open tasks that depend on it, a shortest
chain); at national scale (100,000 tasks) those walks cost the store about 7 s a page (issue
32). The dated facts of every task are graph.task_state's and the laws not passed on a date
graph.blocking_state's; what they lack is the adjacency between tasks, which this state keeps:
per task, the ids of the nodes it DEPENDS_ON (sorted, once each), in the derived graph beside
theirs, in parts by a hash of the task's id so a load that touches a few tasks rewrites a few.

Its terms (issue 21, as graph.task_state's): written only by the loader (`graph.derived` keeps
it current around a load's writes): the stamp goes first, the parts that differ are written
after the facts, then the stamp (the revision of the analysts' graph). Where the stamp is not
the graph's revision every read answers None and the Cypher answers. Internal (the derived
graph), embedded store only. tests/test_risk_state.py holds the answer built on it equal to
the reference Cypher through loads that change dependencies and a retraction.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import orjson

from graph import cypher
from graph import derived_reads as shared
from graph.asof import MAX_HOPS
from graph.blocking_state import derived_store
from graph.errors import Busy
from graph.gc_pause import gc_paused
from graph.state_parts import compact_json
from graph.store.base import Store

LINE_FORMAT = "1"  # of the parts `refresh` writes; a state of another format is not read
PARTS = 16

def part_of(task_id: str) -> int:
    return zlib.crc32(task_id.encode()) % PARTS


def compute(store: Store, task_ids: list[str] | None = None) -> dict[str, list[str]]:
    """`{task id: the ids it DEPENDS_ON, sorted}` of every task with one, or of those among
    `task_ids` (a task with none, or gone, has no entry)."""
    rows = (shared.read(store, cypher.DEPENDS_FACTS) if task_ids is None  # as blocking_state's
            else store.read(cypher.DEPENDS_OF, {"ids": sorted(task_ids)}).rows)
    targets: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["task"] is not None and row["on"] is not None:
            targets[row["task"]].append(row["on"])
    return {task: sorted(set(on)) if len(on) > 1 else on for task, on in targets.items()}


def _stamp(revision: str | None) -> str:
    return f"{revision}/{LINE_FORMAT}"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def refresh(store: Store, touched: set[str] | None = None) -> int:
    """Recompute the adjacency and write the parts that differ, then the stamp; returns the
    parts written. With `touched` (both ends of every relationship a load wrote or removed are
    in it, so every task whose DEPENDS_ON changed is) only those ids' entries are read again."""
    derived = derived_store(store)
    if derived is None:
        return 0
    digests = {row["part"]: row["digest"] for row in derived.read(cypher.DEPENDS_DIGESTS).rows}
    if touched is not None and set(digests) == set(range(PARTS)):
        parts = sorted({part_of(task) for task in touched})
        old = {row["part"]: orjson.loads(row["rows"]) for row in
               derived.read(cypher.DEPENDS_OF_PARTS, {"parts": parts}).rows} if parts else {}
        fresh = compute(store, sorted(touched)) if touched else {}
        wanted = {}
        for part in parts:
            entries = {t: e for t, e in old.get(part, {}).items() if t not in touched}
            entries.update((t, e) for t, e in fresh.items() if part_of(t) == part)
            wanted[part] = compact_json(dict(sorted(entries.items())))
    else:
        by_part: dict[int, dict[str, list[str]]] = {part: {} for part in range(PARTS)}
        for task, targets in compute(store).items():
            by_part[part_of(task)][task] = targets
        wanted = {part: compact_json(dict(sorted(entries.items()))) for part, entries in by_part.items()}
    changed = [{"part": part, "rows": text, "digest": digest} for part, text in sorted(wanted.items())
               if digests.get(part) != (digest := _digest(text))]
    for start in range(0, len(changed), 4):
        derived.write(cypher.DEPENDS_WRITE, {"rows": changed[start:start + 4]})
    derived.write(cypher.DEPENDS_SET_STAMP, {"revision": _stamp(store.revision())})
    return len(changed)


def is_current(store: Store) -> bool:
    derived = derived_store(store)
    if derived is None:
        return False
    rows = derived.read(cypher.DEPENDS_STAMP).rows
    return bool(rows) and rows[0]["revision"] == _stamp(store.revision())


def clear(store: Store) -> None:
    """Mark the state out of date (no stamp) before facts change (`graph.derived`)."""
    derived = derived_store(store)
    if derived is not None:
        derived.write(cypher.DEPENDS_CLEAR_STAMP)


# -- reading it ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Depends:
    """The adjacency of one revision: what each task depends on, and what depends on each node;
    what a node reaches each way is worked out once per revision (no date changes it)."""

    out: dict[str, list[str]]
    into: dict[str, list[str]]
    _up: dict[str, dict[str, int]] = field(default_factory=dict, compare=False, repr=False)
    _down: dict[str, dict[str, int]] = field(default_factory=dict, compare=False, repr=False)

    def upstream(self, node: str) -> dict[str, int]:
        """`{node it depends on: fewest links}` (see `reach`); not to be changed."""
        found = self._up.get(node)
        if found is None:
            found = self._up[node] = reach(node, self.out)
        return found

    def downstream(self, node: str) -> dict[str, int]:
        """`{node that depends on it: fewest links}` (see `reach`); not to be changed."""
        found = self._down.get(node)
        if found is None:
            found = self._down[node] = reach(node, self.into)
        return found


def reach(start: str, step: dict[str, list[str]]) -> dict[str, int]:
    """`{node: fewest links from start}` over `step`, 1 to MAX_HOPS links (`start` itself only
    when a cycle leads back to it), as `DEPENDS_ON*1..8` reaches them."""
    found: dict[str, int] = {}
    frontier = {start}
    for hops in range(1, MAX_HOPS + 1):
        # set operations run in C: a national answer walks about 10,000 tasks' dependants,
        # 2.5 s a node at a time in Python (the order of `found` is not part of its meaning)
        following: set[str] = set()
        for node in frontier:
            targets = step.get(node)
            if targets:
                following.update(targets)
        following.difference_update(found)
        if not following:
            break
        found.update(dict.fromkeys(following, hops))
        frontier = following
    return found


class _Cache:
    """The parsed adjacency of the latest revision of each graph."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[Any, tuple[str, Depends]] = {}

    def get(self, store: Store, timeout_ms: int | None) -> Depends | None:
        derived = derived_store(store)
        if derived is None:
            return None
        revision = store.revision()
        key = (str(getattr(store.server, "socket", "")), store.graph_name)
        with self._lock:
            held = self._held.get(key)
        if held is not None and held[0] == revision:
            stamp = derived.read(cypher.DEPENDS_STAMP, timeout_ms=timeout_ms).rows
            return held[1] if stamp and stamp[0]["revision"] == _stamp(revision) else None
        parts = derived.read(cypher.DEPENDS_ALL_PARTS, timeout_ms=timeout_ms).rows
        stamps = {row["rows"] for row in parts if row["part"] is None}
        if stamps != {_stamp(revision)}:
            return None  # computed for another revision, or not at all: the Cypher answers
        texts = {row["part"]: row["rows"] for row in parts if row["part"] is not None}
        if set(texts) != set(range(PARTS)):
            raise Busy("The graph is being loaded; its dependency state is being recomputed.",
                       hint="Ask again in a few seconds.", retry_after_s=5)
        with gc_paused():
            out: dict[str, list[str]] = {}
            for text in texts.values():
                out.update(orjson.loads(text))
            into: dict[str, list[str]] = defaultdict(list)
            for task in sorted(out):
                for target in out[task]:
                    into[target].append(task)
        found = Depends(out, dict(into))
        with self._lock:
            self._held[key] = (revision, found)
        return found


_CACHE = _Cache()


def state(store: Store, timeout_ms: int | None = None) -> Depends | None:
    """The adjacency for the graph as it is now; None when it is not there (the Cypher answers)."""
    return _CACHE.get(store, timeout_ms)
