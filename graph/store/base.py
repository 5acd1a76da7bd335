"""The one small interface every graph store implements, and the plain result it returns."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from graph.schema import Schema


@dataclass
class QueryResult:
    """Rows of a query as plain Python: column name -> value.

    Nodes come back as `{"id", "labels", "properties"}`, relationships as
    `{"type", "start", "end", "properties"}` (start/end are node ids), paths as a list
    alternating nodes and relationships; dates as ISO strings. `truncated` says the row
    cap cut the answer.
    """

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False
    stats: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    """A graph store: the embedded FalkorDB or a Neo4j server, behind the same calls."""

    backend: str

    def read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        limit: int | None = None,
        skip: int = 0,
    ) -> QueryResult:
        """Run `query` read-only (the store itself refuses writes); with `limit`, at most that
        many rows after the first `skip` ones (a page), `truncated` saying more follow."""
        ...

    def write(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run one write statement in one transaction: it applies whole or not at all."""
        ...

    def write_batch(self, query: str, rows: list[dict[str, Any]], **params: Any) -> QueryResult:
        """Run `UNWIND $rows AS row …` over `rows` in one transaction."""
        ...

    def setup_indexes(self, schema: Schema) -> None:
        """Create what the schema needs (an id index or constraint per label); idempotent."""
        ...

    def write_lock(self, *, timeout_s: float, waiting: Callable[[str], None] | None = None
                   ) -> AbstractContextManager[None]:
        """Hold the graph's one write lock for a block (a load, a retraction): a second
        writer waits up to `timeout_s` (told once through `waiting`), then StoreBusy."""
        ...

    def check_persistence(self) -> None:
        """Raise PersistenceFailed when the store reports that it could not make the last
        writes durable (the embedded store's append-only file); a no-op where the server
        guarantees it itself (Neo4j commits are durable when acknowledged)."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship of the graph."""
        ...

    def counts(self, *, timeout_ms: int | None = None) -> tuple[int, int]:
        """(nodes, relationships) in the graph; with `timeout_ms`, within that time however
        busy the store is, else `Busy`."""
        ...

    def revision(self) -> str | None:
        """The graph's revision: changes with every write (a load's every batch, a clear), kept
        in the store so that every process serving it sees the same one; None when the
        backend keeps none (then answers carry no ETag)."""
        ...

    def close(self) -> None:
        """Release connections (the embedded server keeps running)."""
        ...
