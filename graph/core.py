"""The one core object: the store, the query library, the limits and the revision, together.

The CLI, the HTTP API and the notebook client (`policygraph.connect`) are thin faces over a
`PolicyGraph`, as Datasette's command line, web app and test client share one `Datasette(...)`:
what a named query or an ad-hoc read does, and under which limits, is decided here once.

    pg = PolicyGraph(get_settings())
    blocked = pg.query("blocking-laws", {"as_of": "2025-05-22"}).rows
    rows, ran = pg.cypher("MATCH (t:Task WHERE t.deadline < $d) RETURN t.id", {"d": "2025-06-01"})
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from graph.briefing import Limits
from graph.dialect import Portable, portable
from graph.errors import QueryError
from graph.query_errors import explain
from graph.settings import Settings, get_settings
from graph.store import Store, open_store
from graph.store.base import QueryResult
from queries import NamedQuery, get_query, library


class PolicyGraph:
    """The graph as every face uses it: `settings` decide the store and the limits; `store`,
    when given, is used instead of opening one (the API passes its per-process store)."""

    def __init__(self, settings: Settings | None = None, store: Store | None = None, *,
                 start: bool = True) -> None:
        self.settings = settings or get_settings()
        self._store = store
        self._start = start

    @cached_property
    def store(self) -> Store:
        """The store the settings name (the embedded one is started on demand)."""
        return self._store if self._store is not None else open_store(self.settings, start=self._start)

    @property
    def limits(self) -> Limits:
        """The configured query timeout and row cap."""
        return Limits.of(self.settings)

    @staticmethod
    def queries() -> dict[str, NamedQuery]:
        """The named query library, by name."""
        return library()

    def query(self, name: str, params: dict[str, Any] | None = None, *, limit: int | None = None,
              skip: int = 0) -> QueryResult:
        """Named query `name` with `params` (bound and checked by the query), within the
        timeout; `limit` rows after `skip` (default: the row cap)."""
        return get_query(name).run(self.store, params, timeout_ms=self.settings.query_timeout_ms,
                                   limit=self._rows(limit), skip=skip)

    def cypher(self, text: str, params: dict[str, Any] | None = None, *, limit: int | None = None,
               skip: int = 0) -> tuple[QueryResult, Portable]:
        """Ad-hoc read-only Cypher: Neo4j 5 habits rewritten for the store or refused with the
        portable form (`graph/dialect.py`), then read within the timeout and row cap. Returns
        the rows and what was run (with the notices of any rewrite)."""
        query = portable(text, self.store.backend)
        try:
            result = self.store.read(query.query, params or {}, timeout_ms=self.settings.query_timeout_ms,
                                     limit=self._rows(limit), skip=skip)
        except QueryError as error:  # what the store said, in words that say how to fix it
            raise explain(error, query.query, params) from error
        return result, query

    def counts(self, *, timeout_ms: int | None = None) -> tuple[int, int]:
        """How many nodes and relationships the graph holds."""
        return self.store.counts(timeout_ms=timeout_ms)

    def revision(self) -> Any:
        """The graph's revision: bumped by every write batch (None where none is kept)."""
        return self.store.revision()

    def _rows(self, limit: int | None) -> int:
        return self.settings.row_limit if limit is None else limit
