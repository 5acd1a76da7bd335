"""The analyst's three questions before a Steering Committee meeting, answered from the named
queries: what changed since the last meeting (`changes`), which tasks are late or about to be
(`deadline-risk`, `overdue-tasks`), and who needs chasing (`digest`, per lead agency).

The rules live in the queries (`queries/changes.cypher`, `queries/deadline-risk.cypher`) and in
`graph.asof`; this module only fills in the defaults, runs them and shapes plain data that the
CLI prints, the API serves and the pages and Atom feeds draw. The one default it owns: a
window's `since` is the date of the latest Meeting before `until` (the query applies the same
rule when run on its own; a test holds the two together).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph import cypher
from graph.asof import ISO_START
from graph.errors import InvalidParameter, NotFound
from graph.store.base import Store
from queries import QueryParam, bind_params, blocking_answer, get_query, risk_answer

DRAWING_COLUMNS = ("task", "law", "leads", "agency", "chain_nodes")
DEFAULT_DAYS = 30
BLOCKING_COLUMNS = ("law_id", "law_name", "law_status", "task_id", "task_name", "task_status",
                    "category", "hops", "deadline")
Row = dict[str, Any]


@dataclass(frozen=True)
class Limits:
    """The configured query timeout and row cap (POLICYGRAPH_QUERY_TIMEOUT_MS, _ROW_LIMIT)."""

    timeout_ms: int | None = None
    rows: int | None = None

    @classmethod
    def of(cls, settings: Any) -> Limits:
        """The limits `settings` configure: every face's reads run under these."""
        return cls(timeout_ms=settings.query_timeout_ms, rows=settings.row_limit)


def plain(rows: list[Row]) -> list[Row]:
    """Rows without the node columns kept for drawing: what a table, JSON or a feed shows."""
    return [{k: v for k, v in row.items() if k not in DRAWING_COLUMNS} for row in rows]


def default_since(store: Store, until: str, limits: Limits = Limits()) -> str:
    """The date of the latest Meeting held before `until`; the start of the record if none."""
    rows = store.read(cypher.LATEST_MEETING_BEFORE, {"until": until}, timeout_ms=limits.timeout_ms).rows
    return (rows[0]["held_on"] if rows else None) or ISO_START


def agency_node(store: Store, agency: str, limits: Limits = Limits()) -> Row:
    """The agency's id, names and kind (NotFound for an id that is not an Agency)."""
    rows = store.read(cypher.AGENCY, {"id": agency}, timeout_ms=limits.timeout_ms).rows
    if not rows:
        raise NotFound(f"No agency with id {agency!r}.",
                       hint="Find its id with `policygraph search NAME --label Agency` "
                            "or /api/search?label=Agency&q=…")
    return rows[0]


def changes(store: Store, *, since: str | None = None, until: str | None = None,
            agency: str | None = None, limits: Limits = Limits()) -> dict[str, Any]:
    """What happened after `since` up to `until` (default: since the last meeting, until today)."""
    bound = get_query("changes").bind({"since": since, "until": until, "agency": agency})
    until, agency = bound["until"], bound["agency"]
    since = bound["since"] or default_since(store, until, limits)
    if since > until:
        raise InvalidParameter(f"since {since} is after until {until}.", field="since",
                               hint="Swap them, or leave since out.")
    if agency is not None:
        agency_node(store, agency, limits)
    # a since not given stays null: the query takes the same default itself, and the start of
    # the record (0001-01-01) is no date a request may give
    result = get_query("changes").run(store, {**bound, "until": until, "agency": agency},
                                      timeout_ms=limits.timeout_ms, limit=limits.rows, lean=True)
    return {"since": since, "until": until, "agency": agency, "items": result.rows,
            "count": len(result.rows), "truncated": result.truncated}


def risk(store: Store, *, as_of: str | None = None, days: int | str | None = DEFAULT_DAYS,
         agency: str | None = None, limits: Limits = Limits()) -> dict[str, Any]:
    """Open tasks likely to miss their deadline on `as_of`, ranked per lead agency; the
    parameters as `deadline-risk` binds them (text or typed; empty or null for the default)."""
    bound = get_query("deadline-risk").bind({"as_of": as_of, "days": days, "agency": agency})
    as_of, days, agency = bound["as_of"], bound["days"], bound["agency"]
    if agency is not None:
        agency_node(store, agency, limits)
    params = {"as_of": as_of, "days": days, "agency": agency}
    fast = risk_answer.rows_of(store, params, timeout_ms=limits.timeout_ms)
    if fast is not None:  # the whole answer from the derived states: the cap counts this agency's rows
        rows = [r for r in fast if agency is None or r["agency_id"] == agency]
        truncated = limits.rows is not None and len(rows) > limits.rows
        rows = [dict(r) for r in rows[:limits.rows]]
    else:
        result = get_query("deadline-risk").run(store, params, timeout_ms=limits.timeout_ms,
                                                limit=limits.rows)
        rows, truncated = result.rows, result.truncated
        if agency is not None:  # a task led jointly appears once per lead: keep this agency's rows
            rows = [r for r in rows if r["agency_id"] == agency]
    return {"as_of": as_of, "days": days, "agency": agency, "rows": rows, "count": len(rows),
            "truncated": truncated}


def due_soon_and_blocked(risk_rows: list[Row], *, limit: int = 10) -> list[Row]:
    """Level-1 risks (due soon, still blocked), one row per task, soonest first."""
    seen: dict[str, Row] = {}
    for row in risk_rows:
        if row["level"] == 1 and row["task_id"] not in seen:
            seen[row["task_id"]] = row
    ordered = sorted(seen.values(), key=lambda r: (r["days_left"], -r["dependants"], r["task_id"]))
    return ordered[:limit]


def digest_params() -> tuple[QueryParam, ...]:
    """The digest's parameters: the agency (required), the window of `changes`, the horizon of
    `deadline-risk`."""
    window = {p.name: p for p in get_query("changes").params}
    horizon = {p.name: p for p in get_query("deadline-risk").params}
    return (QueryParam(name="agency", type="string", help="The agency's id, e.g. bo-tai-chinh."),
            window["since"], window["until"], horizon["days"])


def digest(store: Store, agency: str | None, *, since: str | None = None, until: str | None = None,
           days: int | str | None = DEFAULT_DAYS, limits: Limits = Limits()) -> dict[str, Any]:
    """One agency's digest: what it leads that changed, what is at risk, what is overdue and
    what now blocks its tasks."""
    bound = bind_params("The digest", digest_params(),
                        {"agency": agency, "since": since, "until": until, "days": days})
    agency, days = bound["agency"], bound["days"]
    node = agency_node(store, agency, limits)
    window = changes(store, since=since, until=until, agency=agency, limits=limits)
    until = window["until"]
    at_risk = risk(store, as_of=until, days=days, agency=agency, limits=limits)
    overdue = [r for r in get_query("task-status").run(
        store, {"as_of": until, "agency": agency}, timeout_ms=limits.timeout_ms, limit=limits.rows).rows
        if r["category"] == "overdue"]
    return {"agency": node, "since": window["since"], "until": until, "changes": window["items"],
            "risk": at_risk["rows"], "overdue": overdue, "blocking": blocking(store, agency, until, limits)}


def blocking(store: Store, agency: str, as_of: str, limits: Limits = Limits()) -> list[Row]:
    """What blocks the tasks `agency` leads on `as_of`: blocking-laws' rows with `agency` among
    their leads (the row cap counts only those), from the derived blocking state where it is
    there (queries.blocking_answer.led_rows), else blocking-laws itself, filtered by the store."""
    fast = blocking_answer.led_rows(store, as_of, agency, timeout_ms=limits.timeout_ms, limit=limits.rows)
    if fast is not None:
        return [{c: row[c] for c in BLOCKING_COLUMNS} for row in fast]
    wrapped = cypher.filtered(get_query("blocking-laws").text, "$agency IN lead_ids", BLOCKING_COLUMNS)
    bound = {**get_query("blocking-laws").bind({"as_of": as_of}), "agency": agency}
    return store.read(wrapped, bound, timeout_ms=limits.timeout_ms, limit=limits.rows).rows
