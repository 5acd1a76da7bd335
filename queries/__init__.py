"""The named query library: one `.cypher` file per question, with a header that documents it.

Header lines at the top of each file, before the Cypher:

    // title: Stalled laws blocking tasks
    // title_vi: Luật chưa thông qua đang cản trở nhiệm vụ
    // description: …
    // description_vi: …
    // param: as_of date = today -- the date asked about
    // row: one law and one task it blocks

The CLI (`policygraph query NAME`) and the API (`/api/queries/NAME`) list and run these same
records, so a question is written once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from graph.asof import today
from graph.errors import InvalidParameter, NotFound
from graph.schema import DATE_HINT, iso_date
from graph.store.base import QueryResult, Store
from graph.store.results import cut_to_bytes
from graph.subgraph import lean as without_drawing
from queries import blocking_answer, changes_answer, risk_answer, task_answer

QUERY_DIR = Path(__file__).resolve().parent
# the API's own parameters of a named query (its page, its answer's format): no query may use them
PAGING = ("limit", "offset", "format", "lean", "bom")
HEADER = re.compile(r"^//\s*(\w+)\s*:\s*(.*)$")
PARAM = re.compile(r"^(\w+)\s+(string|date|int|float|bool|list)(?:\s*=\s*(\S+))?\s*(?:--\s*(.*))?$")
ParamType = Literal["string", "date", "int", "float", "bool", "list"]
# The one rule for a request's parameters (README "Parameters"), here for every face: a value
# given empty or as `null` is not given (the default; refused when required); a date is
# YYYY-MM-DD or dd/mm/yyyy within REQUEST_DATES (what a request may ask about, not the
# dataset's dates); an int within what a store carries, and `days` within 0..MAX_DAYS wherever
# it appears.
REQUEST_DATES = ("1945-01-01", "2100-12-31")
MAX_DAYS = 3660
INT_RANGE = (-(2**63), 2**63 - 1)
INT_RANGES = {"days": (0, MAX_DAYS)}


class QueryParam(BaseModel):
    """One parameter of a named query; `default` may be `today` for dates."""

    model_config = ConfigDict(frozen=True)

    name: str
    type: ParamType
    default: str | None = None
    help: str = ""

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def bounds(self) -> tuple[int, int] | None:
        """The least and greatest value an int parameter takes; None for other types."""
        return INT_RANGES.get(self.name, INT_RANGE) if self.type == "int" else None

    @property
    def typed_default(self) -> Any:
        """The default as a value of the parameter's type; None when it has none, is `null`,
        or is `today` (which is a date only when the query runs)."""
        if self.default in (None, "null", "today"):
            return None
        return _convert(self.default, self.type)

    def parse(self, raw: Any) -> Any:
        """The typed value of `raw` (text from a command line or URL, or JSON); an absent
        value is the default (see `is_absent`), and the caller has refused it when required."""
        if is_absent(raw):
            raw = self.default
            if is_absent(raw):  # a declared `= null`: the query reads it as "not asked"
                return None
        if raw == "today" and self.type == "date":
            return today()
        try:
            value = _convert(raw, self.type)
        except (ValueError, TypeError) as exc:
            raise InvalidParameter(
                f"Parameter {self.name!r}: {raw!r} is not a valid {self.type}.",
                field=self.name,
                hint=" ".join(filter(None, [self.help, DATE_HINT if self.type == "date" else None])) or None,
            ) from exc
        self._check_range(value)
        return value

    def _check_range(self, value: Any) -> None:
        low, high = REQUEST_DATES if self.type == "date" else self.bounds or (None, None)
        if low is not None and not low <= value <= high:
            raise InvalidParameter(
                f"Parameter {self.name!r}: {value} is outside {low}..{high}.", field=self.name,
                hint=f"Give a {'date' if self.type == 'date' else 'number'} from {low} to {high}. "
                     f"{self.help}".strip())


# the date a page is drawn as on (`/viz/node/…?as_of=`), read like every query's as_of
PAGE_DATE = QueryParam(name="as_of", type="date", default="today", help="The date the page shows.")


def is_absent(raw: Any) -> bool:
    """A parameter not given: missing, JSON null, empty (`?as_of=`, an empty form field) or
    the text `null` (`?as_of=null`, `--param as_of=null`). It means the declared default,
    never a null the query then compares with (which matches nothing and answers "no rows"
    as if that were the truth)."""
    return raw is None or raw == "null" or raw == ""


def bind_params(owner: str, params: tuple[QueryParam, ...],
                raw: dict[str, Any] | None) -> dict[str, Any]:
    """Typed values for `params` from `raw`, with defaults; an unknown parameter, or a
    required one that is absent, is an InvalidParameter (HTTP 422). `owner` names the query or analytic
    in the message ("Query 'law-impact'"). The one binding rule of named queries and
    analytics alike."""
    raw = dict(raw or {})
    known = [p.name for p in params]
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise InvalidParameter(
            f"{owner} has no parameter {', '.join(unknown)}.", field=unknown[0],
            hint=f"Its parameters: {', '.join(sorted(known)) or 'none'}.",
        )
    bound = {}
    for param in params:
        value = raw.get(param.name)
        if is_absent(value) and param.required:
            given = {None: "", "": " (it was given empty)"}.get(value, " (null was given; it is not a value)")
            raise InvalidParameter(
                f"{owner} needs the parameter {param.name!r} ({param.type}){given}.",
                field=param.name,
                hint=f"Give it with --param {param.name}=… . {param.help}".strip(),
                http_hint=f"Give it in the query string: ?{param.name}=… . {param.help}".strip(),
            )
        bound[param.name] = param.parse(value)
    return bound


class NamedQuery(BaseModel):
    """A documented read query from `queries/NAME.cypher`."""

    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    title_vi: str = ""
    description: str = ""
    description_vi: str = ""
    row: str = ""
    # `// pair: A B N`: each row is a pair of the nodes in columns A and B that the query
    # relates without a stored relationship (two agencies that share N tasks); its page draws
    # the pair as an edge of weight N
    pair: str = ""
    params: tuple[QueryParam, ...] = ()
    text: str

    def bind(self, raw: dict[str, Any] | None = None) -> dict[str, Any]:
        """Typed parameters from `raw`, with defaults (see `bind_params`)."""
        return bind_params(f"Query {self.name!r}", self.params, raw)

    def run(self, store: Store, raw: dict[str, Any] | None = None, *, timeout_ms: int | None = None,
            limit: int | None = None, skip: int = 0, lean: bool = False) -> QueryResult:
        """The answer (a page of it with `limit`, `skip`): from the loader's derived state where
        the query has a fast path and the state is there (`fast_path`), else the Cypher.
        `lean`: without the columns of nodes, relationships and paths (`graph.subgraph.lean`;
        the fast path does not read them at all)."""
        bound = self.bind(raw)
        fast = fast_path(self.name)
        if fast is not None:
            result = fast.page(store, bound, timeout_ms=timeout_ms, limit=limit, skip=skip, lean=lean)
            if result is not None:
                return result
        result = store.read(self.text, bound, timeout_ms=timeout_ms, limit=limit, skip=skip)
        return without_drawing(result) if lean else result

    def fast_rows(self, store: Store, raw: dict[str, Any] | None = None, *,
                  timeout_ms: int | None = None, lean: bool = False,
                  ) -> tuple[list[str], Iterator[dict[str, Any]]] | None:
        """(columns, every row of the whole answer, in order) from the fast path, without the
        drawing columns when `lean`; None where the query has none or its state is not there."""
        fast = fast_path(self.name)
        if fast is None:
            return None
        return fast.rows(store, self.bind(raw), timeout_ms=timeout_ms, lean=lean)


    def fast_pieces(self, store: Store, raw: dict[str, Any] | None = None, *, fmt: str,
                    lean: bool = False, bom: bool = False,
                    timeout_ms: int | None = None) -> Iterator[bytes] | None:
        """The whole answer as the text of `fmt` ("csv": header first, or "ndjson"), in pieces
        of whole lines, from the fast path (`queries.blocking_answer`); None where the query
        has none or its state is not there."""
        fast = fast_path(self.name)
        return None if fast is None else fast.pieces(store, self.bind(raw), fmt=fmt, lean=lean,
                                                     bom=bom, timeout_ms=timeout_ms)

    def fast_ndjson(self, store: Store, raw: dict[str, Any] | None = None, *,
                    timeout_ms: int | None = None) -> Iterator[bytes] | None:
        """The whole answer's lean rows as NDJSON text (a line each, ended by a newline), in
        pieces of whole lines, from the fast path; None where the query has none or its state
        is not there."""
        fast = fast_path(self.name)
        return None if fast is None else fast.ndjson(store, self.bind(raw), timeout_ms=timeout_ms)


class FastPath:
    """A named query answered from derived state the loader keeps (graph.blocking_state): the
    same rows as its Cypher, which stays the definition (a test holds them equal)."""

    @staticmethod
    def serves(params: dict[str, Any]) -> bool:
        """The state answers the whole country's question; one law's (`law`, a page's drill-down)
        is the Cypher's, which needs only that law's chains."""
        return params.get("law") is None

    @staticmethod
    def page(store: Store, params: dict[str, Any], *, timeout_ms: int | None, limit: int | None,
             skip: int, lean: bool = False) -> QueryResult | None:
        if not FastPath.serves(params):
            return None
        result = blocking_answer.page(store, params["as_of"], limit=limit, skip=skip,
                                     timeout_ms=timeout_ms, lean=lean)
        guard = getattr(store, "guard", None)
        if result is None or limit is None or guard is None:
            return result
        return cut_to_bytes(result, guard.answer_max_bytes)  # as a capped store read does

    @staticmethod
    def rows(store: Store, params: dict[str, Any], *, timeout_ms: int | None,
             lean: bool) -> tuple[list[str], Iterator[dict[str, Any]]] | None:
        rows = (blocking_answer.lean_rows(store, params["as_of"], timeout_ms=timeout_ms)
                if FastPath.serves(params) else None)
        if rows is None:
            return None
        if lean:
            return blocking_answer.columns(lean=True), rows
        return (blocking_answer.columns(lean=False),
                blocking_answer.drawn(store, rows, timeout_ms=timeout_ms))


    @staticmethod
    def pieces(store: Store, params: dict[str, Any], *, fmt: str, lean: bool, bom: bool,
               timeout_ms: int | None) -> Iterator[bytes] | None:
        if not FastPath.serves(params):
            return None
        return blocking_answer.pieces(store, params["as_of"], fmt=fmt, lean=lean, bom=bom,
                                      timeout_ms=timeout_ms)

    @staticmethod
    def ndjson(store: Store, params: dict[str, Any], *, timeout_ms: int | None) -> Iterator[bytes] | None:
        if not FastPath.serves(params):
            return None
        return blocking_answer.ndjson_pieces(store, params["as_of"], timeout_ms=timeout_ms)


class TaskFastPath(FastPath):
    """`task-status` or `overdue-tasks` answered from the loader's task state
    (graph.task_state, queries.task_answer): every parameter is the state's to answer."""

    def __init__(self, kind: task_answer.Kind) -> None:
        self.kind = kind

    def page(self, store: Store, params: dict[str, Any], *, timeout_ms: int | None,  # type: ignore[override]
             limit: int | None, skip: int, lean: bool = False) -> QueryResult | None:
        result = task_answer.page(self.kind, store, params, limit=limit, skip=skip,
                                  timeout_ms=timeout_ms, lean=lean)
        guard = getattr(store, "guard", None)
        if result is None or limit is None or guard is None:
            return result
        return cut_to_bytes(result, guard.answer_max_bytes)

    def rows(self, store: Store, params: dict[str, Any], *, timeout_ms: int | None,  # type: ignore[override]
             lean: bool) -> tuple[list[str], Iterator[dict[str, Any]]] | None:
        return task_answer.rows(self.kind, store, params, timeout_ms=timeout_ms, lean=lean)

    def pieces(self, store: Store, params: dict[str, Any], *, fmt: str, lean: bool,  # type: ignore[override]
               bom: bool, timeout_ms: int | None) -> Iterator[bytes] | None:
        return task_answer.pieces(self.kind, store, params, fmt=fmt, lean=lean, bom=bom,
                                  timeout_ms=timeout_ms)

    def ndjson(self, store: Store, params: dict[str, Any], *,  # type: ignore[override]
               timeout_ms: int | None) -> Iterator[bytes] | None:
        return task_answer.ndjson_pieces(self.kind, store, params, timeout_ms=timeout_ms)


FAST_PATHS = {"blocking-laws": FastPath(), "task-status": TaskFastPath(task_answer.STATUS),
              "overdue-tasks": TaskFastPath(task_answer.OVERDUE),
              "changes": changes_answer.ChangesPath(),
              "blocking-summary": blocking_answer.SummaryPath(),
              "deadline-risk": risk_answer.RiskPath()}


def fast_path(name: str) -> FastPath | None:
    """The fast path of named query `name`, if it has one."""
    return FAST_PATHS.get(name)


def parse_query_file(path: Path) -> NamedQuery:
    """Read one `.cypher` file into a NamedQuery."""
    header: dict[str, Any] = {"params": []}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = HEADER.match(line.strip()) if not body else None
        if match:
            key, value = match.groups()
            if key == "param":
                param = PARAM.match(value.strip())
                if not param:
                    raise ValueError(f"{path}: bad param line {value!r}")
                name, kind, default, help_text = param.groups()
                if name in PAGING:
                    raise ValueError(f"{path}: parameter {name!r} is reserved for paging")
                header["params"].append(
                    QueryParam(name=name, type=kind, default=default, help=(help_text or "").strip()))
            else:
                header[key] = value.strip()
        elif line.strip().startswith("//") and not body:
            continue
        elif line.strip() or body:
            body.append(line)
    header["params"] = tuple(header["params"])
    return NamedQuery(name=path.stem, text="\n".join(body).strip(), **header)


@lru_cache(maxsize=1)
def library() -> dict[str, NamedQuery]:
    """Every named query, by name."""
    return {path.stem: parse_query_file(path) for path in sorted(QUERY_DIR.glob("*.cypher"))}


def get_query(name: str) -> NamedQuery:
    queries = library()
    if name not in queries:
        raise NotFound(f"No named query {name!r}.",
                       hint=f"Known queries: {', '.join(queries)} (policygraph query --list).",
                       http_hint=f"Known queries: {', '.join(queries)} (GET /api/queries lists them).")
    return queries[name]


def _convert(raw: Any, kind: str) -> Any:
    if kind == "string":
        return str(raw)
    if kind == "date":
        if isinstance(raw, dt.date):
            return raw.isoformat()
        iso = iso_date(raw)
        if iso is None:
            raise ValueError(raw)
        return iso
    if kind == "int":
        if isinstance(raw, bool):
            raise ValueError(raw)
        return int(raw)
    if kind == "float":
        return float(raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        value = str(raw).lower()
        if value not in ("true", "false", "1", "0", "yes", "no"):
            raise ValueError(raw)
        return value in ("true", "1", "yes")
    if kind == "list":
        return raw if isinstance(raw, list) else [p.strip() for p in str(raw).split(",") if p.strip()]
    raise ValueError(kind)
