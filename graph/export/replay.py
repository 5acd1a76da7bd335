"""Replaying an exported Cypher script into a store, statement by statement."""

from __future__ import annotations

from collections.abc import Iterable

from graph.store.base import Store


def replay_cypher(lines: Iterable[str], store: Store) -> int:
    """Run an exported Cypher file's statements on `store`, in order; the number run."""
    count = 0
    for line in lines:
        statement = line.strip()
        if not statement or statement.startswith("//"):
            continue
        store.write(statement.removesuffix(";"))
        count += 1
    return count
