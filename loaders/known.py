"""What the graph already holds that an extraction is matched against (its reads are
`graph.cypher.KNOWN_TASKS` and `graph.cypher.SOURCES_PRESENT`)."""

from __future__ import annotations

from graph import cypher
from graph.store.base import Store
from loaders.matching import KnownTask


def known_tasks(store: Store) -> list[KnownTask]:
    """Every task in the store, with its documents, leads, topics and sources."""
    return [KnownTask(id=r["id"], name=r["name"] or r["id"], summary=r["summary"], item=r["item"],
                      deadline=r["deadline"], documents=list(r["documents"] or []),
                      numbers=[n for n in r["numbers"] or [] if n],
                      leads=list(r["leads"] or []), topics=list(r["topics"] or []),
                      sources=list(r["sources"] or []))
            for r in store.read(cypher.KNOWN_TASKS, {}).rows]


def sources_present(store: Store, ids: set[str]) -> set[str]:
    """Which of the Sources `ids` the store holds."""
    return {r["id"] for r in store.read(cypher.SOURCES_PRESENT, {"ids": sorted(ids)}).rows}
