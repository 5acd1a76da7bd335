"""Graph stores: the embedded FalkorDB (default) and Neo4j (when NEO4J_URI is set)."""

from __future__ import annotations

from graph.settings import Settings, get_settings
from graph.store.base import QueryResult, Store
from graph.store.embedded import EmbeddedServer, StoreLimits

__all__ = ["EmbeddedServer", "QueryResult", "Store", "StoreLimits", "open_store", "query_guard"]


def open_store(settings: Settings | None = None, *, start: bool = True) -> Store:
    """The store the settings name; the embedded server is started on demand."""
    settings = settings or get_settings()
    if settings.neo4j_uri:
        from graph.store.neo4j_store import Neo4jStore

        return Neo4jStore(
            settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database,
            guard=query_guard(settings),
        )
    from graph.store.falkor import FalkorStore

    return FalkorStore(EmbeddedServer(settings.home, StoreLimits.from_settings(settings)),
                       settings.graph, start=start, guard=query_guard(settings))


def query_guard(settings: Settings):
    """The read-query guard with the settings' limits."""
    from graph.guard import QueryGuard

    return QueryGuard(max_length=settings.query_max_length, max_depth=settings.query_max_depth,
                      answer_max_bytes=settings.answer_max_bytes,
                      max_tokens=settings.query_max_tokens, max_chain=settings.query_max_chain,
                      max_case_depth=settings.query_max_case_depth,
                      max_nesting=settings.query_max_nesting,
                      max_list_items=settings.query_max_list_items)
