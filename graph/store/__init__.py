"""Graph stores: the embedded FalkorDB (default) and Neo4j (when NEO4J_URI is set)."""

from __future__ import annotations

from graph.settings import Settings, get_settings
from graph.store.base import QueryResult, Store
from graph.store.embedded import EmbeddedServer

__all__ = ["EmbeddedServer", "QueryResult", "Store", "open_store"]


def open_store(settings: Settings | None = None, *, start: bool = True) -> Store:
    """The store the settings name; the embedded server is started on demand."""
    settings = settings or get_settings()
    if settings.neo4j_uri:
        from graph.store.neo4j_store import Neo4jStore

        return Neo4jStore(
            settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database
        )
    from graph.store.falkor import FalkorStore

    return FalkorStore(EmbeddedServer(settings.home), settings.graph, start=start)
