"""The embedded default store: FalkorDB over a unix socket.

Reads go through GRAPH.RO_QUERY, so the server itself refuses any write on a read path, and
through the read-query guard first (length, nesting, LOAD CSV). Every GRAPH.QUERY is atomic in
FalkorDB: a write batch applies whole or not at all. A server that crashed (out of memory,
killed) is started again by the next call, which logs it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from typing import Any

import redis
from falkordb import FalkorDB
from falkordb.query_result import ResultSetScalarTypes as Kind
from falkordb.query_result import parse_scalar
from redis.backoff import NoBackoff
from redis.retry import Retry

from graph.errors import (
    Busy,
    PersistenceFailed,
    PolicygraphError,
    QueryError,
    QueryTimeout,
    QueryTooBig,
    StoreRestarted,
    StoreUnavailable,
    refused_write,
)
from graph.gc_pause import gc_paused
from graph.guard import QueryGuard
from graph.schema import Schema
from graph.store.base import QueryResult
from graph.store.embedded import EmbeddedServer
from graph.store.locks import file_write_lock, lock_path
from graph.store.paging import paged_query, wrapped_query
from graph.store.params import check_params
from graph.store.reply_budget import BudgetedParser, ReplyTooBig, for_answer, limited, too_big
from graph.store.results import (
    DERIVED_GRAPH_SUFFIX,
    cut_to_bytes,
    is_internal,
    node_dict,
    plain_value,
    relationship_dict,
)

log = logging.getLogger(__name__)

READ_ONLY_MESSAGE = "graph.RO_QUERY is to be executed only on read-only queries"
MEMORY_MESSAGE = "mem consumption exceeded capacity"
QUEUE_MESSAGE = "max pending queries exceeded"


class FalkorStore:
    """A graph inside the embedded FalkorDB server (started on demand)."""

    backend = "falkordb"

    def __init__(self, server: EmbeddedServer, graph_name: str, *, start: bool = True,
                 guard: QueryGuard | None = None) -> None:
        self.server = server
        self.graph_name = graph_name
        self.guard = guard or QueryGuard()
        if start:
            server.start()
        # reads on a pool of their own that stops waiting after the store's longest query time
        # (a wedged store is then restarted, `_call`; writes wait as long as a load takes), and
        # that counts each reply's bytes as they arrive (`reply_budget`: an answer's rows are
        # bounded while they are read, not after)
        self._reader_pool = redis.ConnectionPool(
            connection_class=redis.UnixDomainSocketConnection, path=str(server.socket),
            socket_connect_timeout=2, socket_timeout=getattr(server, "read_wait_s", None),
            retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
            decode_responses=True, parser_class=BudgetedParser)
        self._ensure_graph()  # first: the clients below ask the store (INFO) with no time limit
        # One quick retry: after a store restart the first pooled connection is stale.
        self._db = FalkorDB(unix_socket_path=str(server.socket), socket_connect_timeout=2,
                            retry=Retry(NoBackoff(), 1))
        self._graph = self._db.select_graph(graph_name)
        self._reader = FalkorDB(connection_pool=self._reader_pool)
        self._read_graph = self._reader.select_graph(graph_name)

    # -- the Store interface ------------------------------------------------------------
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
        with gc_paused():
            if limit is None and not skip:
                return self._result(self._call(self._ro_query, query, params, timeout_ms), None)
            with limited(for_answer(self.guard.answer_max_bytes)):
                reply = self._read_capped(query, params, timeout_ms, limit, skip)
            result = self._result(reply, limit)
        return cut_to_bytes(result, self.guard.answer_max_bytes)

    def write(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        try:
            return self._result(self._call(self._query, query, params, None), None)
        finally:  # a failed write may have changed nothing, or a part: a new revision either way
            self._bump_revision()

    def revision(self) -> str | None:
        """A counter in a key of its own next to the graph's key (never a node, so no query
        sees it), bumped by every write; "0" before the first one."""
        try:
            value = self._db.connection.get(self._revision_key)
        except (redis.ConnectionError, OSError) as exc:
            if not self.server.restart_if_crashed():
                raise self._unavailable(exc) from exc
            # stopped (out of memory, killed) and restarted: said as the read path says it
            raise StoreUnavailable(
                "The embedded store had stopped (out of memory, or killed), before this "
                "request, and has been restarted; nothing was run.",
                hint="Run it again.") from exc
        return str(value) if value is not None else "0"  # the client decodes replies

    def _bump_revision(self) -> None:
        with contextlib.suppress(redis.RedisError, OSError):
            self._db.connection.incr(self._revision_key)

    @property
    def _revision_key(self) -> str:
        return f"policygraph:revision:{self.graph_name}"

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
            with contextlib.suppress(redis.ResponseError):  # its derived state goes with it
                self._db.select_graph(self.graph_name + DERIVED_GRAPH_SUFFIX).delete()
        except redis.ResponseError as exc:
            if "empty key" not in str(exc).lower():
                raise self._error(exc) from exc
        except (redis.ConnectionError, OSError) as exc:
            raise self._unavailable(exc) from exc
        self._bump_revision()
        self._ensure_graph()

    def counts(self, *, timeout_ms: int | None = None) -> tuple[int, int]:
        if timeout_ms is None:
            nodes = self.read("MATCH (n) RETURN count(n) AS n").rows[0]["n"]
            rels = self.read("MATCH ()-[r]->() RETURN count(r) AS n").rows[0]["n"]
            return nodes, rels
        return self._quick_counts(timeout_ms)

    def _quick_counts(self, timeout_ms: int) -> tuple[int, int]:
        """Counts within `timeout_ms` in all, waiting in the store's queue included (its own
        timeout starts only when a thread takes the query), else Busy. A connection of its own
        with a socket timeout: a reply that comes too late is dropped with the connection."""
        client = redis.Redis(unix_socket_path=str(self.server.socket),
                             socket_timeout=timeout_ms / 1000, socket_connect_timeout=1,
                             retry=Retry(NoBackoff(), 0))
        try:
            values = []
            for query in ("MATCH (n) RETURN count(n)", "MATCH ()-[r]->() RETURN count(r)"):
                reply = client.execute_command("GRAPH.RO_QUERY", self.graph_name, query,
                                               "--compact", "timeout", timeout_ms)
                values.append(int(reply[1][0][0][1]))
            return values[0], values[1]
        except redis.TimeoutError as exc:
            raise Busy(f"The store did not count the graph within {timeout_ms} ms: it is busy "
                       "with other queries.", retry_after_s=1) from exc
        except (redis.ConnectionError, redis.ResponseError, OSError):
            return self.counts()  # down, restarted or an empty key: the ordinary path says
        finally:
            client.close()

    def write_lock(self, *, timeout_s: float, waiting: Callable[[str], None] | None = None):
        """An flock in the data directory, one per graph (see graph.store.locks)."""
        return file_write_lock(lock_path(self.server.home, self.graph_name),
                               what=f"the graph {self.graph_name!r} in {self.server.home}",
                               timeout_s=timeout_s, waiting=waiting)

    def check_persistence(self) -> None:
        """Raise PersistenceFailed unless the server's last append-only write succeeded
        (`INFO persistence`); the loader asks after every batch."""
        try:
            info = self._db.connection.info("persistence")
        except redis.ResponseError as exc:
            raise self._error(exc) from exc
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise self._unavailable(exc) from exc
        if info.get("aof_enabled") and info.get("aof_last_write_status") != "ok":
            raise self._persistence_failed(f"aof_last_write_status={info.get('aof_last_write_status')}")

    def close(self) -> None:
        for client in (getattr(self, "_db", None), getattr(self, "_reader", None)):
            connection = getattr(client, "connection", None)
            if connection is not None:
                connection.close()

    # -- internals ------------------------------------------------------------------------
    def _read_capped(self, query: str, params: dict[str, Any] | None, timeout_ms: int | None,
                     limit: int | None, skip: int):
        """Run `query` so that the server itself skips `skip` rows and stops `limit + 1` rows
        later (the extra row tells that more follow), however the query ends (see
        `graph/store/paging.py`).

        The client receives and parses every row a query returns (5 million rows took 46 s
        and 1.6 GB, far past any timeout), so cutting rows after they arrived bounds nothing.
        Only a query that fits neither form (a bare procedure call) runs as written and is
        cut here; the store's per-query memory cap still bounds what it can send.
        """
        rows = None if limit is None else limit + 1
        tried = set()
        for rewrite in (paged_query, wrapped_query):
            capped = rewrite(query, rows, skip)
            if capped is None or capped in tried:
                continue
            tried.add(capped)
            try:
                return self._call(self._ro_query, capped, params, timeout_ms)
            except (QueryTimeout, QueryTooBig, Busy):
                raise
            except QueryError as exc:
                if not isinstance(exc.__cause__, redis.ResponseError):
                    raise  # the reply could not be read: the form was fine, run nothing again
                log.debug("row cap form does not fit this query (%s)", exc)
        reply = self._call(self._ro_query, query, params, timeout_ms)
        if len(reply) > 1:
            reply[1] = reply[1][skip:][:rows] if rows is not None else reply[1][skip:]
        return reply

    def _ensure_graph(self) -> None:
        """A graph key exists only once written to; reads on a missing key fail, so make it.

        Sent on the reader pool, which stops waiting after the store's longest query time: a
        store that answers nothing (frozen, wedged) is then restarted (`_waited_out`) and
        asked once more, where the writer pool would wait on it for ever."""
        try:
            self._call(self._make_graph, "RETURN 1", None, None)
        except StoreRestarted:
            self._call(self._make_graph, "RETURN 1", None, None)

    def _call(self, method, query: str, params: dict[str, Any] | None, timeout_ms: int | None):
        check_params(params)
        try:
            return method(query, _without_nul(params) or None, timeout=timeout_ms)
        except redis.ConnectionError as exc:
            if not self.server.restart_if_crashed():
                raise self._unavailable(exc) from exc
            # Not run again: it may be the query that made the store run out of memory.
            raise StoreRestarted(
                "The embedded store had stopped (out of memory, or killed), during this query "
                "or before it, and has been restarted; the query was not run again.",
                hint="Run it again. If it stops the store again, it needs more memory than the "
                     "store may use: narrow it, or raise POLICYGRAPH_STORE_MEMORY_MB.") from exc
        except redis.ResponseError as exc:
            if "empty key" in str(exc) and query != "RETURN 1":
                # An empty graph is not persisted; after a restart it must be made again.
                self._ensure_graph()
                return self._call(method, query, params, timeout_ms)
            raise self._error(exc, timeout_ms) from exc
        except ReplyTooBig as exc:
            raise too_big(exc.budget) from exc
        except redis.TimeoutError as exc:  # no answer within the store's longest query time
            raise self._waited_out(exc) from exc
        except OSError as exc:
            raise self._unavailable(exc) from exc
        except ValueError as exc:  # the client cannot put these parameters in a query
            raise QueryError(f"Unusable query parameters: {exc}",
                             hint="Parameter names and map keys must be non-empty and "
                                  "hold no backtick.") from exc
        except RecursionError as exc:  # the client reads nested replies recursively
            raise _too_deep() from exc
        except redis.InvalidResponse as exc:  # hiredis, the C reader, stops at its own depth
            if "nesting depth" not in str(exc):
                raise
            raise _too_deep() from exc

    def _answers_a_query(self, within_s: float) -> bool:
        """Whether the store answers `RETURN 1` on this graph within `within_s`: it needs a
        free query thread, so every thread stuck (a parser in a `NOT NOT …` chain keeps its
        thread while PING is still answered) says False."""
        client = redis.Redis(unix_socket_path=str(self.server.socket), socket_timeout=within_s,
                             socket_connect_timeout=within_s, retry=Retry(NoBackoff(), 0))
        try:
            client.execute_command("GRAPH.RO_QUERY", self.graph_name, "RETURN 1", "--compact")
            return True
        except redis.ResponseError:
            return True  # it answered (an error is an answer)
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return False
        finally:
            client.close()

    def _waited_out(self, exc: Exception) -> PolicygraphError:
        """A read the store did not answer within its longest query time: a wedged store
        (no PING either) is killed and restarted, a busy one is a timeout."""
        if self.server.restart_if_wedged(self._answers_a_query):
            return StoreRestarted(
                "The embedded store stopped answering during this query (past its longest query "
                "time, and no answer to a PING or a trivial query), so it was killed and started "
                "again; the query was not run again.",
                hint="Run it again. If it wedges the store again, simplify it (fewer nested "
                     "operators and CASEs) or lower POLICYGRAPH_STORE_TIMEOUT_MAX_MS.")
        return QueryTimeout(
            f"The store gave no answer within {self.server.read_wait_s:.0f} s (its longest "
            "query time) and the client stopped waiting.",
            hint="Narrow the query, or raise POLICYGRAPH_STORE_TIMEOUT_MAX_MS.")

    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        reason = self.server.persistence_failure() if not self.server.ping() else None
        if reason:  # it stopped itself: it could not keep a write (appendfsync always)
            return self._persistence_failed(reason, stopped=True)
        return StoreUnavailable(
            f"The embedded store at {self.server.socket} is not answering ({exc}).",
            hint="Start it with `policygraph db start` (or `make up`).",
            http_hint="The server's graph store is down; try again shortly, or tell whoever runs "
                      "this server.",
        )

    def _persistence_failed(self, reason: str, *, stopped: bool = False) -> PersistenceFailed:
        home = self.server.home
        free = _free_bytes(home)
        what = ("The embedded store stopped: it could not write its append-only file"
                if stopped else "The embedded store cannot write its append-only file")
        return PersistenceFailed(
            f"{what} in the data directory {home} ({reason}; "
            f"{'unknown' if free is None else f'{free / 1e6:.1f} MB'} free on that disk). "
            "Every write acknowledged before is kept; the one that failed was not applied.",
            hint=f"Free space on the disk that holds {home} (df -h {home}), then run "
                 + ("`policygraph db start`" if stopped
                    else "`policygraph db stop` and `policygraph db start`") + ", and load again.",
        )

    def _error(self, exc: redis.ResponseError,
               timeout_ms: int | None = None) -> QueryError | StoreUnavailable:
        message = str(exc)
        if message.startswith("MISCONF"):
            return self._persistence_failed(message.removeprefix("MISCONF ").strip())
        if "timed out" in message.lower():
            return QueryTimeout(
                f"The query ran past the {f'{timeout_ms} ms ' if timeout_ms else ''}timeout "
                "and was stopped.",
                hint="Narrow it (labels, LIMIT, shorter variable-length patterns) or raise "
                "POLICYGRAPH_QUERY_TIMEOUT_MS.",
            )
        if MEMORY_MESSAGE in message.lower():
            return QueryTooBig(
                "The query needed more memory than one query may use in the store, and was "
                "stopped.",
                hint="Narrow it (smaller ranges and lists, LIMIT, fewer collected rows) or raise "
                     "POLICYGRAPH_QUERY_MEMORY_MB.")
        if QUEUE_MESSAGE in message.lower():
            return Busy("The store has too many queries waiting; try again in a moment.",
                        retry_after_s=1)
        if READ_ONLY_MESSAGE in message:
            return refused_write()
        return QueryError(f"The store rejected the query: {message}")

    def _result(self, result, limit: int | None) -> QueryResult:
        try:
            return self._plain_result(result, limit)
        except RecursionError as exc:
            raise _too_deep() from exc

    def _plain_result(self, reply: list, limit: int | None) -> QueryResult:
        columns = [str(column[1]) for column in reply[0]] if len(reply) > 1 else []
        raw_rows = reply[1] if columns else []
        truncated = limit is not None and len(raw_rows) > limit
        if truncated:
            raw_rows = raw_rows[:limit]
        decoder = _Decoder(self._graph)
        value = decoder.value
        rows = [  # text, most cells, taken as it is here: a call less for each of millions
            {column: cell[1] if cell[0] == _STRING and type(cell[1]) is str else value(cell)
             for column, cell in zip(columns, raw, strict=False)}
            for raw in raw_rows
        ]
        decoder.resolve_ends(self._ids_of)
        return QueryResult(columns=columns, rows=rows, truncated=truncated,
                           stats=_stats(reply[-1]))

    def _ro_query(self, query: str, params: dict[str, Any] | None, timeout: int | None = None):
        return self._command("GRAPH.RO_QUERY", query, params, timeout, self._read_graph)

    def _query(self, query: str, params: dict[str, Any] | None, timeout: int | None = None):
        return self._command("GRAPH.QUERY", query, params, timeout, self._graph)

    def _make_graph(self, query: str, params: dict[str, Any] | None, timeout: int | None = None):
        """`query` (no parameters) as a write on the reader pool: see `_ensure_graph`."""
        client = redis.Redis(connection_pool=self._reader_pool)
        return client.execute_command("GRAPH.QUERY", self.graph_name, query, "--compact")

    def _command(self, command: str, query: str, params: dict[str, Any] | None,
                 timeout: int | None, graph: Any) -> list:
        """The store's compact reply, undecoded (see `_Decoder`); errors raised as the client
        raises them."""
        # the client's own quoting of parameters (a private helper; falkordb is pinned <2)
        args: list[Any] = [command, self.graph_name,
                           self._graph._build_params_header(params) + query, "--compact"]
        if timeout is not None:
            args += ["timeout", timeout]
        reply = graph.execute_command(*args)
        for part in (reply[0], reply[-1]):  # a runtime error (a timeout) ends the reply
            if isinstance(part, redis.ResponseError):
                raise part
        return reply

    def _ids_of(self, handles: list[int]) -> dict[int, Any]:
        reply = self._call(self._ro_query,
                           "MATCH (n) WHERE id(n) IN $handles RETURN id(n) AS h, n.id AS id",
                           {"handles": handles}, None)
        return {h[1]: node_id[1] for h, node_id in reply[1]}


def _free_bytes(path) -> int | None:
    try:
        stat = os.statvfs(path)
    except OSError:
        return None
    return stat.f_bavail * stat.f_frsize


def _too_deep() -> QueryError:
    return QueryError("The answer is nested too deeply to read (lists inside lists, hundreds "
                      "of levels down).", hint="Return flatter values, e.g. with UNWIND.")


def _without_nul(value: Any) -> Any:
    """The client inlines parameters into the query text, where a NUL byte ends it early.

    No stored value holds a NUL (the loader refuses control characters), so a NUL in a
    parameter is replaced by U+FFFD: the query runs and simply matches nothing with it.
    Parameters without one (every load batch) are passed on as they are, not copied.
    """
    return _replace_nul(value) if _holds_nul(value) else value


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


def _replace_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {k: _replace_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_replace_nul(v) for v in value]
    return value


_NULL, _STRING, _INTEGER, _DOUBLE = (Kind.VALUE_NULL.value, Kind.VALUE_STRING.value,
                                     Kind.VALUE_INTEGER.value, Kind.VALUE_DOUBLE.value)
_ARRAY, _EDGE, _NODE, _PATH, _MAP = (Kind.VALUE_ARRAY.value, Kind.VALUE_EDGE.value,
                                     Kind.VALUE_NODE.value, Kind.VALUE_PATH.value,
                                     Kind.VALUE_MAP.value)
_STATS = {"Nodes created": "nodes_created", "Relationships created": "relationships_created",
          "Properties set": "properties_set", "Nodes deleted": "nodes_deleted"}


def _stats(lines: list[str]) -> dict[str, float]:
    """The write counts a reply reports ("Nodes created: 3"), those that are not zero."""
    stats = {}
    for line in lines:
        name, _, value = str(line).partition(": ")
        if name in _STATS and float(value.split(" ")[0]):
            stats[_STATS[name]] = float(value.split(" ")[0])
    return stats


class _Decoder:
    """One compact reply as plain Python, straight from the wire format.

    The client's own parse builds a Node or Edge object for every step of every path and
    we converted those again: together twice the store's own time for a neighbourhood. Paths
    repeat their nodes and edges (a depth-2 neighbourhood names its centre in every path),
    so each entity is decoded once per reply and copied after. Edge endpoints are node
    handles: filled from the reply's own nodes, and only those still unknown are looked up,
    in one query for the whole reply. Rare types (temporal, point, vector) go through the
    client's parser, so they come out exactly as before.
    """

    def __init__(self, graph) -> None:
        self.graph = graph
        self.schema = graph.schema
        self.ids: dict[int, Any] = {}  # node handle -> node id
        self.nodes: dict[int, dict[str, Any]] = {}
        self.edges: dict[int, dict[str, Any]] = {}
        self.open_ends: list[tuple[dict[str, Any], str, int]] = []

    def value(self, cell: list) -> Any:
        """A `[type, value]` cell of the compact format."""
        return self.scalar(cell[0], cell[1])

    def scalar(self, kind: int, value: Any) -> Any:
        if kind == _STRING and type(value) is str:
            return value
        if kind == _INTEGER:
            return int(value)
        if kind == _DOUBLE:
            return float(value)
        if kind == _NULL:
            return None
        if kind == _ARRAY:
            return [self.value(v) for v in value]
        if kind == _NODE:
            return self.node(value)
        if kind == _EDGE:
            return self.edge(value)
        if kind == _PATH:
            return self.path(value)
        if kind == _MAP:
            return {str(value[i]): self.value(value[i + 1]) for i in range(0, len(value), 2)
                    if not is_internal(str(value[i]))}
        return plain_value(parse_scalar([kind, value], self.graph))

    def properties(self, props: list) -> dict[str, Any]:
        """`[[key, type, value], …]`; strings, most values, are taken as they are."""
        get = self.schema.get_property
        named = ((get(p[0]), p) for p in props)
        return {key: p[2] if p[1] == _STRING and type(p[2]) is str else self.scalar(p[1], p[2])
                for key, p in named if not is_internal(key)}

    def node(self, value: list) -> dict[str, Any]:
        """A fresh dict each time (callers may change rows), decoded once."""
        handle = int(value[0])
        done = self.nodes.get(handle)
        if done is None:
            labels = [self.schema.get_label(label) for label in value[1]]
            done = self.nodes[handle] = node_dict(labels, self.properties(value[2]))
            self.ids[handle] = done["properties"].get("id")
        return {"id": done["id"], "labels": list(done["labels"]),
                "properties": dict(done["properties"])}

    def edge(self, value: list) -> dict[str, Any]:
        handle = int(value[0])
        done = self.edges.get(handle)
        if done is None:
            done = self.edges[handle] = relationship_dict(
                self.schema.get_relation(value[1]), None, None, self.properties(value[4]))
        rel = {"type": done["type"], "start": None, "end": None,
               "properties": dict(done["properties"])}
        for key, node in (("start", int(value[2])), ("end", int(value[3]))):
            if node in self.ids:
                rel[key] = self.ids[node]
            else:  # its node may come later in the reply
                self.open_ends.append((rel, key, node))
        return rel

    def path(self, value: list) -> list[Any]:
        """Node, edge, node, …: a path as one flat list."""
        nodes, edges = value[0][1], value[1][1]
        items: list[Any] = []
        for index, node in enumerate(nodes):
            items.append(self.node(node[1]))
            if index < len(edges):
                items.append(self.edge(edges[index][1]))
        return items

    def resolve_ends(self, lookup) -> None:
        """Fill the endpoints the reply's nodes did not name, via `lookup(handles)`."""
        missing = {node for _, _, node in self.open_ends if node not in self.ids}
        if missing:
            self.ids.update({node: None for node in missing} | lookup(list(missing)))
        for rel, key, node in self.open_ends:
            rel[key] = self.ids[node]
