"""The production store: Neo4j 5 through the official `neo4j` driver (Bolt, `neo4j://` routing).

py2neo is end-of-life and is not used. Reads run in managed READ transactions, so a
cluster routes them to readers and the server refuses writes; write batches run in
managed write transactions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import neo4j
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable, SessionExpired
from neo4j.graph import Node, Path, Relationship

from graph.errors import Busy, QueryError, QueryTimeout, StoreUnavailable
from graph.gc_pause import gc_paused
from graph.guard import QueryGuard
from graph.schema import Schema
from graph.store.base import QueryResult
from graph.store.locks import LeaseLock
from graph.store.params import check_params
from graph.store.results import (
    cut_to_bytes,
    node_dict,
    plain_value,
    relationship_dict,
    resolve_endpoints,
)


class Neo4jStore:
    """A Neo4j database reached with the official driver."""

    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str | None, database: str | None, *,
                 guard: QueryGuard | None = None) -> None:
        self.uri = uri
        self.database = database
        self.guard = guard or QueryGuard()
        auth = (user, password) if password is not None else None
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=auth)
            self._driver.verify_connectivity()
        except (ServiceUnavailable, OSError, ValueError) as exc:
            raise StoreUnavailable(
                f"Cannot reach Neo4j at {uri}: {exc}",
                hint="Check NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD, or unset NEO4J_URI "
                "to use the embedded store.",
            ) from exc

    def read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        limit: int | None = None,
        skip: int = 0,
    ) -> QueryResult:
        check_params(params)
        self.guard.check(query, params)
        timeout = timeout_ms / 1000 if timeout_ms else None

        @neo4j.unit_of_work(timeout=timeout)
        def work(tx):
            result = tx.run(query, params or {})
            keys = list(result.keys())
            records, size = [], 0
            for position, record in enumerate(result):
                if position < skip:
                    continue
                records.append(record)
                if limit is not None and len(records) > limit:
                    break
                # The driver streams records: a page's bytes are bounded while it is read
                # (the row past the cap is cut below by cut_to_bytes, and the page says so).
                if limit is not None:
                    size += len(json.dumps(record.data(), default=str))
                    if size > self.guard.answer_max_bytes and len(records) > 1:
                        break
            return keys, records

        with gc_paused():
            keys, records = self._session_call(neo4j.READ_ACCESS, work)
            result = self._result(keys, records, limit)
        return result if limit is None else cut_to_bytes(result, self.guard.answer_max_bytes)

    def write_lock(self, *, timeout_s: float, waiting: Callable[[str], None] | None = None):
        """A lease node taken in a write transaction (graph.store.locks.LeaseLock): Neo4j is
        shared by machines that share no directory."""
        return LeaseLock(self.write).hold(what=f"the Neo4j database at {self.uri}",
                                          timeout_s=timeout_s, waiting=waiting)

    def check_persistence(self) -> None:
        """Nothing to check: Neo4j acknowledges a commit once its transaction log is flushed."""

    def write(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        check_params(params)

        def work(tx):
            result = tx.run(query, params or {})
            return list(result.keys()), list(result)

        keys, records = self._session_call(neo4j.WRITE_ACCESS, work)
        return self._result(keys, records, None)

    def write_batch(self, query: str, rows: list[dict[str, Any]], **params: Any) -> QueryResult:
        return self.write(query, {"rows": rows, **params})

    def setup_indexes(self, schema: Schema) -> None:
        for label in schema.labels:
            self._run_auto(
                f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            )

    def clear(self) -> None:
        self._run_auto("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")

    def counts(self, *, timeout_ms: int | None = None) -> tuple[int, int]:
        try:
            nodes = self.read("MATCH (n) RETURN count(n) AS n", timeout_ms=timeout_ms).rows[0]["n"]
            rels = self.read("MATCH ()-[r]->() RETURN count(r) AS n",
                             timeout_ms=timeout_ms).rows[0]["n"]
        except QueryTimeout as exc:
            raise Busy(f"Neo4j did not count the graph within {timeout_ms} ms.") from exc
        return nodes, rels

    def revision(self) -> str | None:
        return None  # Neo4j keeps no revision here yet: its answers carry no ETag

    def close(self) -> None:
        self._driver.close()

    # -- internals ------------------------------------------------------------------------
    def _session(self, mode: str):
        return self._driver.session(database=self.database, default_access_mode=mode)

    def _session_call(self, mode: str, work):
        try:
            with self._session(mode) as session:
                if mode == neo4j.READ_ACCESS:
                    return session.execute_read(work)
                return session.execute_write(work)
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not answering: {exc}") from exc
        except Neo4jError as exc:
            raise _error(exc) from exc

    def _run_auto(self, query: str) -> None:
        """DDL and CALL … IN TRANSACTIONS need an auto-commit transaction."""
        try:
            with self._session(neo4j.WRITE_ACCESS) as session:
                session.run(query).consume()
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not answering: {exc}") from exc
        except Neo4jError as exc:
            raise _error(exc) from exc

    def _result(self, keys: list[str], records: list, limit: int | None) -> QueryResult:
        truncated = limit is not None and len(records) > limit
        if truncated:
            records = records[:limit]
        rows = [{key: _plain(record[key]) for key in keys} for record in records]
        resolve_endpoints(rows, self._ids_of)
        return QueryResult(columns=keys, rows=rows, truncated=truncated)

    def _ids_of(self, handles: list[str]) -> dict[str, Any]:
        rows = self.read(
            "MATCH (n) WHERE elementId(n) IN $handles RETURN elementId(n) AS h, n.id AS id",
            {"handles": handles},
        ).rows
        return {row["h"]: row["id"] for row in rows}


def _error(exc: Neo4jError) -> QueryError:
    code = exc.code or ""
    if "TransactionTimedOut" in code or "Timeout" in code:
        return QueryTimeout(
            "The query ran past the timeout and was stopped.",
            hint="Narrow it or raise POLICYGRAPH_QUERY_TIMEOUT_MS.",
        )
    message = (exc.message or "").lower()
    refused_write = "ForbiddenOnReadOnlyDatabase" in code or "WriteOnReadOnlyAccessDatabase" in code
    if refused_write or (isinstance(exc, ClientError) and "read" in message and "write" in message):
        return refused_write()
    return QueryError(f"The store rejected the query: {exc.message or exc}")


def _plain(value: Any) -> Any:
    if isinstance(value, Node):
        return node_dict(value.labels, dict(value))
    if isinstance(value, Relationship):
        rel = relationship_dict(value.type, None, None, dict(value))
        for key, node in (("start", value.start_node), ("end", value.end_node)):
            if node is not None and "id" in node:
                rel[key] = node["id"]
            elif node is not None:
                rel["_" + key] = node.element_id
        return rel
    if isinstance(value, Path):
        items: list[Any] = [_plain(value.start_node)]
        for rel in value.relationships:
            items.append(_plain(rel))
            items.append(_plain(rel.end_node))
        return items
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return plain_value(value)
