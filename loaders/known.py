"""What the graph already holds that an extraction is matched against: the Cypher the
extraction path reads the store with, in one place (`KNOWN_TASKS`, `SOURCES_PRESENT`)."""

from __future__ import annotations

from graph.store.base import Store
from loaders.matching import KnownTask

# Every task with what matching compares. Each pattern comprehension has its own variable:
# FalkorDB 4.16 gave an empty list for the second of two comprehensions that shared one.
KNOWN_TASKS = (
    "MATCH (t:Task) RETURN t.id AS id, t.name AS name, t.summary AS summary, t.item AS item, "
    "t.deadline AS deadline, t.sources AS sources, "
    "[(t)-[:ASSIGNED_IN]->(d:Document) | d.id] AS documents, "
    "[(t)-[:ASSIGNED_IN]->(n:Document) | n.number] AS numbers, "
    "[(t)-[:LED_BY]->(a:Agency) | a.id] AS leads, "
    "[(t)-[:ABOUT]->(p:Topic) | p.id] AS topics"
)
SOURCES_PRESENT = "MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id"


def known_tasks(store: Store) -> list[KnownTask]:
    """Every task in the store, with its documents, leads, topics and sources."""
    return [KnownTask(id=r["id"], name=r["name"] or r["id"], summary=r["summary"], item=r["item"],
                      deadline=r["deadline"], documents=list(r["documents"] or []),
                      numbers=[n for n in r["numbers"] or [] if n],
                      leads=list(r["leads"] or []), topics=list(r["topics"] or []),
                      sources=list(r["sources"] or []))
            for r in store.read(KNOWN_TASKS, {}).rows]


def sources_present(store: Store, ids: set[str]) -> set[str]:
    """Which of the Sources `ids` the store holds."""
    return {r["id"] for r in store.read(SOURCES_PRESENT, {"ids": sorted(ids)}).rows}
