"""Graph stores: the embedded FalkorDB (default) and Neo4j (when NEO4J_URI is set).

The server and the settings are imported when first asked for: every module that names the
`Store` protocol (graph.store.base) runs this package first, and the redis client and
pydantic-settings were a third of a plain `policygraph extract`'s start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph.store.base import QueryResult, Store

if TYPE_CHECKING:
    from graph.settings import Settings
    from graph.store.embedded import EmbeddedServer, StoreLimits

__all__ = ["EmbeddedServer", "QueryResult", "Store", "StoreLimits", "open_store", "query_guard"]


def __getattr__(name: str) -> Any:
    if name in ("EmbeddedServer", "StoreLimits"):
        from graph.store import embedded

        return getattr(embedded, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(settings: Settings | None = None, *, start: bool = True) -> Store:
    """The store the settings name; the embedded server is started on demand."""
    from graph.settings import get_settings
    from graph.store.embedded import EmbeddedServer, StoreLimits

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
