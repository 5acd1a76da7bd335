"""The embedded default store: FalkorDB over a unix socket.

Reads go through GRAPH.RO_QUERY, so the server itself refuses any write on a read path.
Every GRAPH.QUERY is atomic in FalkorDB: a write batch applies whole or not at all.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as FalkorPath
from redis.backoff import NoBackoff
from redis.retry import Retry

from graph.errors import QueryError, QueryTimeout, StoreUnavailable
from graph.schema import Schema
from graph.store.base import QueryResult
from graph.store.embedded import EmbeddedServer
from graph.store.params import check_params
from graph.store.results import node_dict, plain_value, relationship_dict, resolve_endpoints

log = logging.getLogger(__name__)

READ_ONLY_MESSAGE = "graph.RO_QUERY is to be executed only on read-only queries"


class FalkorStore:
    """A graph inside the embedded FalkorDB server (started on demand)."""

    backend = "falkordb"

    def __init__(self, server: EmbeddedServer, graph_name: str, *, start: bool = True) -> None:
        self.server = server
        self.graph_name = graph_name
        if start:
            server.start()
        # One quick retry: after a store restart the first pooled connection is stale.
        self._db = FalkorDB(unix_socket_path=str(server.socket), socket_connect_timeout=2,
                            retry=Retry(NoBackoff(), 1))
        self._graph = self._db.select_graph(graph_name)
        self._ensure_graph()

    # -- the Store interface ------------------------------------------------------------
    def read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        limit: int | None = None,
    ) -> QueryResult:
        if limit is None:
            return self._result(self._call(self._graph.ro_query, query, params, timeout_ms), None)
        return self._result(self._read_capped(query, params, timeout_ms, limit), limit)

    def write(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        return self._result(self._call(self._graph.query, query, params, None), None)

    def write_batch(self, query: str, rows: list[dict[str, Any]], **params: Any) -> QueryResult:
        return self.write(query, {"rows": rows, **params})

    def setup_indexes(self, schema: Schema) -> None:
        existing = {
            (row["label"], row["property"])
            for row in self.read(
                "CALL db.indexes() YIELD label, properties UNWIND properties AS property "
                "RETURN label, property"
            ).rows
        }
        for label in schema.labels:
            if (label, "id") not in existing:
                self.write(f"CREATE INDEX FOR (n:{label}) ON (n.id)")

    def clear(self) -> None:
        try:
            self._graph.delete()
        except redis.ResponseError as exc:
            if "empty key" not in str(exc).lower():
                raise self._error(exc) from exc
        except (redis.ConnectionError, OSError) as exc:
            raise self._unavailable(exc) from exc
        self._ensure_graph()

    def counts(self) -> tuple[int, int]:
        nodes = self.read("MATCH (n) RETURN count(n) AS n").rows[0]["n"]
        rels = self.read("MATCH ()-[r]->() RETURN count(r) AS n").rows[0]["n"]
        return nodes, rels

    def close(self) -> None:
        connection = getattr(self._db, "connection", None)
        if connection is not None:
            connection.close()

    # -- internals ------------------------------------------------------------------------
    def _read_capped(self, query: str, params: dict[str, Any] | None, timeout_ms: int | None,
                     limit: int):
        """Run `query` so that the server itself stops after `limit + 1` rows.

        The client receives and parses every row a query returns (5 million rows took 46 s
        and 1.6 GB, far past any timeout), so cutting rows after they arrived bounds nothing.
        A `LIMIT` appended to the final RETURN makes the server stop early and keeps the
        columns in their order. Where it does not fit (a LIMIT already there, a bare
        procedure call, a UNION, whose appended LIMIT would bind to the last branch only),
        the query runs as written and its rows are cut here.
        """
        capped = capped_query(query, limit + 1)
        if capped is not None:
            try:
                return self._call(self._graph.ro_query, capped, params, timeout_ms)
            except QueryTimeout:
                raise
            except QueryError as exc:
                log.debug("row cap does not fit this query (%s); running it as written", exc)
        return self._call(self._graph.ro_query, query, params, timeout_ms)

    def _ensure_graph(self) -> None:
        """A graph key exists only once written to; reads on a missing key fail, so make it."""
        self._call(self._graph.query, "RETURN 1", None, None)

    def _call(self, method, query: str, params: dict[str, Any] | None, timeout_ms: int | None):
        check_params(params)
        try:
            return method(query, _without_nul(params) or None, timeout=timeout_ms)
        except redis.ResponseError as exc:
            if "empty key" in str(exc) and query != "RETURN 1":
                # An empty graph is not persisted; after a restart it must be made again.
                self._ensure_graph()
                return self._call(method, query, params, timeout_ms)
            raise self._error(exc, timeout_ms) from exc
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise self._unavailable(exc) from exc
        except ValueError as exc:  # the client cannot put these parameters in a query
            raise QueryError(f"Unusable query parameters: {exc}",
                             hint="Parameter names and map keys must be non-empty and "
                                  "hold no backtick.") from exc
        except RecursionError as exc:  # the client reads nested replies recursively
            raise _too_deep() from exc

    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        return StoreUnavailable(
            f"The embedded store at {self.server.socket} is not answering ({exc}).",
            hint="Start it with `policygraph db start` (or `make up`).",
        )

    @staticmethod
    def _error(exc: redis.ResponseError, timeout_ms: int | None = None) -> QueryError:
        message = str(exc)
        if "timed out" in message.lower():
            return QueryTimeout(
                f"The query ran past the {f'{timeout_ms} ms ' if timeout_ms else ''}timeout "
                "and was stopped.",
                hint="Narrow it (labels, LIMIT, shorter variable-length patterns) or raise "
                "POLICYGRAPH_QUERY_TIMEOUT_MS.",
            )
        if READ_ONLY_MESSAGE in message:
            return QueryError(
                f"This path is read-only; the store refused a write: {message}",
                hint="Use `policygraph load` to change the graph.",
            )
        return QueryError(f"The store rejected the query: {message}")

    def _result(self, result, limit: int | None) -> QueryResult:
        try:
            return self._plain_result(result, limit)
        except RecursionError as exc:
            raise _too_deep() from exc

    def _plain_result(self, result, limit: int | None) -> QueryResult:
        columns = [str(column[1]) for column in (result.header or [])]
        raw_rows = result.result_set or []
        truncated = limit is not None and len(raw_rows) > limit
        if truncated:
            raw_rows = raw_rows[:limit]
        known: dict[int, Any] = {}
        for raw in raw_rows:
            for value in raw:
                _collect_nodes(value, known)
        rows = [
            {column: _plain(value, known) for column, value in zip(columns, raw, strict=False)}
            for raw in raw_rows
        ]
        resolve_endpoints(rows, self._ids_of)
        stats = {}
        for key in ("nodes_created", "relationships_created", "properties_set", "nodes_deleted"):
            value = getattr(result, key, 0)
            if value:
                stats[key] = value
        return QueryResult(columns=columns, rows=rows, truncated=truncated, stats=stats)

    def _ids_of(self, handles: list[int]) -> dict[int, Any]:
        rows = self._call(
            self._graph.ro_query,
            "MATCH (n) WHERE id(n) IN $handles RETURN id(n) AS h, n.id AS id",
            {"handles": handles},
            None,
        ).result_set
        return {h: node_id for h, node_id in rows}


def _too_deep() -> QueryError:
    return QueryError("The answer is nested too deeply to read (lists inside lists, hundreds "
                      "of levels down).", hint="Return flatter values, e.g. with UNWIND.")


_UNION = re.compile(r"\bunion\b", re.IGNORECASE)


def capped_query(query: str, rows: int) -> str | None:
    """`query` with `LIMIT rows` appended to its final RETURN, or None where that would not
    mean "the first `rows` rows" (a UNION: the LIMIT would bind to its last branch only)."""
    body = query.rstrip()
    if body.endswith(";"):  # one statement with a terminator; FalkorDB accepts it as written
        body = body[:-1].rstrip()
    if not body or _UNION.search(body):
        return None
    return f"{body}\nLIMIT {int(rows)}"  # on its own line: a trailing // comment stays closed


def _without_nul(value: Any) -> Any:
    """The client inlines parameters into the query text, where a NUL byte ends it early.

    No stored value holds a NUL (the loader refuses control characters), so a NUL in a
    parameter is replaced by U+FFFD: the query runs and simply matches nothing with it.
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {k: _without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_without_nul(v) for v in value]
    return value


def _collect_nodes(value: Any, known: dict[int, Any]) -> None:
    if isinstance(value, Node):
        known[value.id] = value.properties.get("id")
    elif isinstance(value, FalkorPath):
        for node in value.nodes():
            known[node.id] = node.properties.get("id")
    elif isinstance(value, list):
        for item in value:
            _collect_nodes(item, known)
    elif isinstance(value, dict):
        for item in value.values():
            _collect_nodes(item, known)


def _plain(value: Any, known: dict[int, Any]) -> Any:
    if isinstance(value, Node):
        return node_dict(value.labels or [], value.properties)
    if isinstance(value, Edge):
        rel = relationship_dict(value.relation, None, None, value.properties)
        for key, handle in (("start", value.src_node), ("end", value.dest_node)):
            handle = handle.id if isinstance(handle, Node) else handle
            if handle in known:
                rel[key] = known[handle]
            else:
                rel["_" + key] = handle
        return rel
    if isinstance(value, FalkorPath):
        items: list[Any] = []
        nodes, edges = value.nodes(), value.edges()
        for index, node in enumerate(nodes):
            items.append(_plain(node, known))
            if index < len(edges):
                items.append(_plain(edges[index], known))
        return items
    if isinstance(value, list):
        return [_plain(v, known) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, known) for k, v in value.items()}
    return plain_value(value)
