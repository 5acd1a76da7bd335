"""The DEPENDS_ON links near what a load touched, read a frontier at a time.

After a load of one source's files the blocking and change states need only the links within
MAX_HOPS of what the load wrote: which tasks depend on a touched node (their hops and laws may
change) and how far each of those tasks is from the laws it reaches. Reading the whole graph's
links for that (110,000 rows nationally, about 1 s with their decoding) made a one-source
update cost an eighth of a full rebuild (issue 32); these reads follow the links out from the
touched ids instead, one query per link of distance, so they cost what the load touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from graph import cypher
from graph import derived_reads as shared
from graph.asof import MAX_HOPS
from graph.schema import get_schema
from graph.store.base import Store


def _into_queries() -> list[str]:
    """One query per label a DEPENDS_ON may point at (by the schema), so each seeks an index."""
    targets = get_schema().relationships["DEPENDS_ON"].to_labels
    return [cypher.DEPENDS_INTO.format(label=label) for label in targets]


def _kept(store: Store, name: str, starts: set[str], make: Callable[[], Any]) -> Any:
    """`make()`, once per revision and `starts` (the blocking and change states ask the same)."""
    held = shared.kept(store, "depends_near", dict)
    if held is None:
        return make()
    key = (name, frozenset(starts))
    if key not in held:
        held[key] = make()
    return held[key]


def dependents(store: Store, starts: set[str]) -> set[str]:
    """`starts` and every node that reaches one of them within MAX_HOPS DEPENDS_ON links ; not to be
    changed."""
    return _kept(store, "dependents", starts, lambda: _dependents(store, starts))


def _dependents(store: Store, starts: set[str]) -> set[str]:
    seen = set(starts)
    frontier = sorted(starts)
    queries = _into_queries()
    for _ in range(MAX_HOPS):
        if not frontier:
            break
        found = {row["task"] for query in queries
                 for row in store.read(query, {"ids": frontier}).rows if row["task"] is not None}
        frontier = sorted(found - seen)
        seen.update(frontier)
        queries = [cypher.DEPENDS_INTO.format(label="Task")]  # only a task depends on anything
    return seen


def forward(store: Store, starts: set[str]) -> dict[str, list[str]]:
    """`{task: what it DEPENDS_ON}` of every task within MAX_HOPS - 1 links of `starts` along
    DEPENDS_ON (`starts` included): enough to walk MAX_HOPS links from each of them; not to be
    changed."""
    return _kept(store, "forward", starts, lambda: _forward(store, starts))


def _forward(store: Store, starts: set[str]) -> dict[str, list[str]]:
    links: dict[str, list[str]] = defaultdict(list)
    seen = set(starts)
    frontier = sorted(starts)
    for _ in range(MAX_HOPS):
        if not frontier:
            break
        rows = store.read(cypher.DEPENDS_OF, {"ids": frontier}).rows
        for row in rows:
            if row["task"] is not None and row["on"] is not None:
                links[row["task"]].append(row["on"])
        found = {row["on"] for row in rows if row["on"] is not None}
        frontier = sorted(found - seen)
        seen.update(frontier)
    return dict(links)


def hops_from(start: str, links: dict[str, list[str]]) -> dict[str, int]:
    """`{node: fewest links from start}` along `links`, 1 to MAX_HOPS (`start` left out), as
    `blocking_state._hops_from` gives each law's dependents their distance."""
    found: dict[str, int] = {}
    seen = {start}
    frontier = [start]
    for hops in range(1, MAX_HOPS + 1):
        following = {n for node in frontier for n in links.get(node, ()) if n not in seen}
        if not following:
            break
        seen |= following
        found.update(dict.fromkeys(following, hops))
        frontier = list(following)
    return found
