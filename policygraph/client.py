"""One object for analysts, the same over the embedded store or a running API: `.query` and
`.cypher` give pandas DataFrames of every row (pandas: `pip install "policygraph[notebook]"`),
`.subgraph` a networkx graph, `.search` the best matches. It runs what the CLI and the API
run (the named query library, the read-only store path, explore, search), nothing of its own.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Protocol

import networkx as nx

from graph import explore
from graph.core import PolicyGraph
from graph.errors import PolicygraphError
from graph.export import to_networkx
from graph.search import search as search_store
from graph.settings import Settings
from graph.store import Store


def _frame(rows: list[dict[str, Any]], columns: list[str] | None = None):
    try:
        import pandas as pd
    except ImportError as exc:  # an optional extra: say how to get it
        raise PolicygraphError("DataFrames need pandas.",
                               hint='Install it: pip install "policygraph[notebook]".') from exc
    return pd.DataFrame(rows, columns=columns or (list(rows[0]) if rows else None))


class _Backend(Protocol):
    def query_rows(self, name: str, params: dict[str, Any]) -> tuple[list[str], list[dict]]: ...
    def cypher_rows(self, text: str, params: dict[str, Any]) -> tuple[list[str], list[dict]]: ...
    def subgraph(self, node_id: str, depth: int, labels, rel_types) -> dict[str, Any]: ...
    def search(self, text: str, label: str | None, limit: int) -> list[dict[str, Any]]: ...


class _Embedded:
    """The store under a home folder (FalkorDB, started on demand), or Neo4j per settings."""

    PAGE = 5_000

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.graph = PolicyGraph(settings)
        self.store: Store = self.graph.store

    def _all(self, run) -> tuple[list[str], list[dict]]:
        rows, offset, columns = [], 0, []
        while True:  # a page at a time: the store's answer cap stays in force per read
            result = run(self.PAGE, offset)
            columns = columns or result.columns
            rows += result.rows
            offset += len(result.rows)
            if not result.truncated:
                return columns, rows

    def query_rows(self, name, params):
        return self._all(lambda limit, skip: self.graph.query(name, params, limit=limit, skip=skip))

    def cypher_rows(self, text, params):
        return self._all(lambda limit, skip: self.graph.cypher(text, params, limit=limit, skip=skip)[0])

    def subgraph(self, node_id, depth, labels, rel_types):
        return explore.neighbourhood(self.store, node_id, depth=depth, labels=labels,
                                     rel_types=rel_types)

    def search(self, text, label, limit):
        return search_store(self.store, text, label=label, limit=limit)


class ClientError(PolicygraphError):
    """The API answered with an error, or with something the client cannot use: `status` is
    the HTTP status (None when there was no answer), the message the server's own."""

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the configured origin, and only one that keeps the
    method: the bearer token never goes to another host, and a POST never becomes a GET (the
    standard handler does both)."""

    def __init__(self, origin: tuple[str, str, int | None]) -> None:
        self.origin = origin

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        if _origin(newurl) != self.origin:
            raise ClientError(f"The API redirected to another origin ({newurl}); refused, so "
                              "the token stays with the configured one.", status=code,
                              hint="Connect to the URL the API really serves at.")
        if req.get_method() != "GET" and code not in (307, 308):
            raise ClientError(f"The API answered {req.get_method()} with redirect {code}, which "
                              "would turn it into a GET; refused.", status=code)
        return urllib.request.Request(newurl, data=req.data, headers=dict(req.header_items()),
                                      method=req.get_method())


class _Http:
    """A running API, over HTTP (the standard library's client: no extra dependency)."""

    def __init__(self, url: str, token: str | None) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self._opener = urllib.request.build_opener(_SameOriginRedirects(_origin(self.url)))

    def _send(self, method: str, path: str, params: dict | None = None, body: dict | None = None) -> bytes:
        query = urllib.parse.urlencode(
            {k: v for k, v in (params or {}).items() if v is not None}, doseq=True)
        request = urllib.request.Request(
            f"{self.url}{path}{'?' + query if query else ''}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "Accept-Encoding": "identity",
                     **({"Authorization": f"Bearer {self.token}"} if self.token else {})})
        try:
            with self._opener.open(request, timeout=300) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                error = json.loads(raw)
                message, detail = str(error["error"]), error.get("detail")
            except (ValueError, KeyError, TypeError):
                text = raw.decode("utf-8", "replace").strip()[:300]
                message, detail = f"HTTP {exc.code} from {self.url}{path}", text or None
            raise ClientError(message, status=exc.code, hint=detail) from None
        except urllib.error.URLError as exc:
            raise ClientError(f"No policygraph API answers at {self.url} ({exc.reason}).",
                              hint="Start it with `policygraph serve`, or check the URL.") from exc

    def _json(self, method: str, path: str, params: dict | None = None,
              body: dict | None = None, *keys: str) -> Any:
        """The answer's JSON, checked to hold `keys`; anything else is a ClientError."""
        raw = self._send(method, path, params, body)
        try:
            value = json.loads(raw)
        except ValueError:
            raise ClientError(f"{self.url}{path} did not answer JSON: {raw[:120]!r}.",
                              status=200) from None
        missing = [k for k in keys if not isinstance(value, dict) or k not in value]
        if missing:
            raise ClientError(f"{self.url}{path} answered without {', '.join(missing)}.",
                              status=200, hint="Is this a policygraph API of the same version?")
        return value

    def query_rows(self, name, params):
        text = self._send("GET", f"/api/queries/{urllib.parse.quote(name)}",
                          {**params, "format": "ndjson"}).decode()
        try:
            rows = [json.loads(line) for line in text.splitlines() if line]
        except ValueError:
            raise ClientError(f"The streamed answer of {name} has a line that is not JSON.",
                              status=200) from None
        if rows and isinstance(rows[-1], dict) and set(rows[-1]) == {"error", "detail"}:
            raise ClientError(str(rows[-1]["error"]), status=200, hint=rows[-1]["detail"])
        return (list(rows[0]) if rows else []), rows

    def cypher_rows(self, text, params):
        rows, offset, columns = [], 0, []
        while offset is not None:
            page = self._json("POST", "/api/cypher", None,
                              {"query": text, "params": params, "offset": offset},
                              "columns", "rows", "next_offset")
            columns = columns or page["columns"]
            rows += page["rows"]
            following = page["next_offset"]
            if following is not None and (not isinstance(following, int) or following <= offset):
                raise ClientError(f"The API's next_offset {following!r} does not advance past "
                                  f"{offset}; stopped rather than ask for the same rows again.",
                                  status=200)
            offset = following
        return columns, rows

    def subgraph(self, node_id, depth, labels, rel_types):
        return self._json("GET", f"/api/graph/neighborhood/{urllib.parse.quote(node_id)}",
                          {"depth": depth, "labels": labels, "rel_types": rel_types})

    def search(self, text, label, limit):
        return self._json("GET", "/api/search", {"q": text, "label": label, "limit": limit},
                          None, "data")["data"]


class Client:
    """What `connect` returns; see the module's docstring."""

    def __init__(self, backend: _Backend) -> None:
        self._backend = backend

    def query(self, name: str, **params: Any):
        """Every row of named query `name` (`queries/NAME.cypher`) as a DataFrame."""
        columns, rows = self._backend.query_rows(name, params)
        return _frame(rows, columns)

    def cypher(self, text: str, **params: Any):
        """Every row of read-only Cypher `text` (parameters as `$name`) as a DataFrame."""
        columns, rows = self._backend.cypher_rows(text, params)
        return _frame(rows, columns)

    def subgraph(self, node_id: str, *, depth: int = 1, labels: list[str] | None = None,
                 rel_types: list[str] | None = None) -> nx.MultiDiGraph:
        """The neighbourhood of a node as a networkx MultiDiGraph (keyed by node id)."""
        return to_networkx(self._backend.subgraph(node_id, depth, labels, rel_types))

    def search(self, text: str, *, label: str | None = None, limit: int = 10):
        """Entities matching `text` (Vietnamese-aware), best first, as a DataFrame."""
        return _frame(self._backend.search(text, label, limit),
                      ["id", "label", "name", "name_en", "score", "matched"])


def connect(url_or_home: str | os.PathLike | None = None, *, token: str | None = None,
            settings: Settings | None = None) -> Client:
    """A running API (`http://…`), or the store of a home folder (the POLICYGRAPH_HOME the
    CLI uses; default: the settings' own). `token`: the API's POLICYGRAPH_TOKEN, if it has one."""
    target = str(url_or_home) if url_or_home is not None else None
    if target and target.startswith(("http://", "https://")):
        return Client(_Http(target, token or os.environ.get("POLICYGRAPH_TOKEN")))
    if settings is None:
        settings = Settings(home=Path(target).expanduser()) if target else Settings()
    return Client(_Embedded(settings))
