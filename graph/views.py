"""What each graph page shows, read from the store: the home page's blocking laws (or, above
`Settings.home_summary_tasks` tasks, the national picture of counts), one entity's
neighbourhood, any named query's answer, each on its date.

A view is plain data (`GraphView`); `api.viz.page` draws it. The API routes and the CLI's
`viz` command build the same views, so a served page and an exported file show the same thing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph import blocking_state, cypher, explore
from graph.asof import categories_on, statuses_on, statuses_since, today
from graph.briefing import Limits, due_soon_and_blocked, risk
from graph.errors import QueryTimeout
from graph.store.base import QueryResult, Store
from graph.subgraph import SubgraphBuilder, subgraph_from_rows
from graph.vocabulary import tr
from queries import NamedQuery, get_query

log = logging.getLogger(__name__)

HOME_QUERY = "blocking-laws"
SUMMARY_QUERY = "blocking-summary"  # the national picture: counts per law and holder
SUMMARY_EDGES_PER_LAW = 3  # the national picture draws each law's largest holders only
SUMMARY_LAWS_DRAWN = 15    # and the laws that block most; the ranked list names them all
NODE_PAGE_LIMIT = 500    # paths read for a neighbourhood page (each adds at most one node)
EXPAND_LIMIT = 200       # paths read when the user expands one node in the browser
STATUS_SUFFIX = "_status"
DUE_SOON_TIMEOUT_MS = 3000  # the home page's "due soon and blocked" list waits no longer


@dataclass
class GraphView:
    """One page's content: the subgraph and what the visual language needs to draw it."""

    kind: str                      # home, node or query
    title: str
    subtitle: str
    graph: dict[str, list[dict[str, Any]]]
    as_of: str
    blocking: set[str] = field(default_factory=set)      # ids of laws that block on `as_of`
    # status on `as_of` by node id, where the answer says (None: none recorded by then)
    statuses: dict[str, str | None] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    # every drawn task's derived category on `as_of` (graph.asof; None: not assigned yet)
    categories: dict[str, str | None] = field(default_factory=dict)
    focus: str | None = None
    truncated: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    # the home page's "due soon and blocked" list (graph.briefing, from deadline-risk)
    due_soon: list[dict[str, Any]] | None = field(default_factory=list)
    link: str = ""                 # this view's path on the server, for the standalone page
    params: dict[str, Any] = field(default_factory=dict)
    # the national picture (kind "summary"): laws ranked by the tasks they block
    ranking: list[dict[str, Any]] = field(default_factory=list)
    task_total: int | None = None  # tasks in the graph, when the home page counted them
    # the home page's table: each blocking law with the tasks it blocks (`law_task_table`)
    law_tasks: list[dict[str, Any]] = field(default_factory=list)


def _is_node(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"id", "labels", "properties"}


def blocking_laws(result: QueryResult | list[dict[str, Any]]) -> set[str]:
    """Ids of the laws in a `blocking-laws` answer (its `law` column, or `law_id`)."""
    rows = result.rows if isinstance(result, QueryResult) else result
    ids: set[str] = set()
    for row in rows:
        law = row.get("law")
        if _is_node(law):
            ids.add(law["id"])
        elif isinstance(row.get("law_id"), str):
            ids.add(row["law_id"])
    return ids


def blocking_law_ids(store: Store, as_of: str, limits: Limits = Limits(),
                     graph: dict[str, list[dict[str, Any]]] | None = None) -> set[str]:
    """Laws that block an unfinished task on `as_of` (of those drawn in `graph`, when given).
    From the loader's derived state (graph.blocking_state: only the drawn laws are looked at);
    where it is missing, by the one definition: the named query, wrapped so that the store
    sends back only its distinct law ids. Its rows at national scale (about 54,000) are more
    than the row cap, and a law past the cap would go uncoloured; the ids are one row per
    law, so the cap does not apply to them (the timeout does)."""
    drawn = None if graph is None else {n["id"] for n in graph["nodes"] if n.get("label") == "Law"}
    fast = blocking_state.blocking_law_ids(store, as_of, among=drawn, timeout_ms=limits.timeout_ms)
    if fast is not None:
        return fast
    query = cypher.distinct(get_query(HOME_QUERY).text, "law_id")
    result = store.read(query, {"as_of": as_of, "law": None}, timeout_ms=limits.timeout_ms)
    found = blocking_laws(result)
    return found if drawn is None else found & drawn


def statuses_from_rows(rows: list[dict[str, Any]]) -> dict[str, str | None]:
    """Dated statuses a query reports: a column `X_status` next to a node column `X`.

    A null means no status was recorded by the date, which is drawn as such (not as today's).
    """
    statuses: dict[str, str | None] = {}
    for row in rows:
        for column, value in row.items():
            if column.endswith(STATUS_SUFFIX) and (value is None or isinstance(value, str)):
                node = row.get(column[: -len(STATUS_SUFFIX)])
                if _is_node(node):
                    statuses[node["id"]] = value
    return statuses


def complete_edges(store: Store, graph: dict[str, list[dict[str, Any]]],
                   limits: Limits = Limits()) -> dict[str, list[dict[str, Any]]]:
    """Add the stored relationships between nodes already in `graph` (no new nodes).

    A query answer names laws, tasks and agencies; the page also shows how they connect
    (a task's LED_BY its lead agency, a law DRAFTED_BY a ministry).
    """
    ids = [node["id"] for node in graph["nodes"]]
    if len(ids) < 2:
        return graph
    rows = store.read(cypher.RELATIONSHIPS_AMONG, {"ids": ids}, timeout_ms=limits.timeout_ms,
                      limit=limits.rows).rows
    builder = SubgraphBuilder()
    for node in graph["nodes"]:
        builder.nodes[node["id"]] = node
    for edge in graph["edges"]:
        builder.edges[edge["id"]] = edge
    builder.add([{"type": row["type"], "start": row["source"], "end": row["target"],
                  "properties": row["properties"]} for row in rows])
    return builder.build()


PAIR_TYPE = "SHARES_TASKS"  # drawn between the two nodes of a `pair` query's row (not stored)


def pair_edges(query: NamedQuery, rows: list[dict[str, Any]],
               graph: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """A `pair` query's rows as edges: its answer relates two nodes by a count the store holds
    no relationship for (coordination: two agencies, the tasks they share), so without them the
    page drew the agencies unconnected."""
    if not query.pair:
        return graph
    first, second, weight = query.pair.split()
    edges = list(graph["edges"])
    for row in rows:
        a, b = row.get(first), row.get(second)
        if not (isinstance(a, dict) and isinstance(b, dict)) or a.get("id") is None or b.get("id") is None:
            continue
        edges.append({"id": f"{a['id']}|{PAIR_TYPE}|{b['id']}", "type": PAIR_TYPE, "source": a["id"],
                      "target": b["id"], "properties": {"tasks": row.get(weight)}})
    return {**graph, "edges": edges}


def task_standing(store: Store, graph: dict[str, list[dict[str, Any]]], as_of: str,
                  statuses: dict[str, str | None] | None = None, limits: Limits = Limits(),
                  ) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Each drawn task's recorded progress and derived category on `as_of`, by `graph.asof`,
    and each drawn law's status on `as_of` (its history, not today's `status`): the one
    definition, whatever query drew the page. Returns (statuses, categories)."""
    ids = [node["id"] for node in graph["nodes"] if node.get("label") == "Task"]
    laws = [node["id"] for node in graph["nodes"] if node.get("label") == "Law"]
    standing = categories_on(store, ids, as_of, timeout_ms=limits.timeout_ms)
    statuses = dict(statuses or {})
    statuses.update(statuses_on(store, laws, as_of, timeout_ms=limits.timeout_ms))
    statuses.update({task: progress for task, (_category, progress) in standing.items()})
    return statuses, {task: category for task, (category, _progress) in standing.items()}


def _titles(query: NamedQuery) -> dict[str, str]:
    """A named query's page title in the reader's language, its other-language title beneath."""
    vi_title = query.title_vi or query.title
    return {"title": tr(vi_title, query.title), "subtitle": tr(query.title, vi_title)}


def source_titles(store: Store, graph: dict[str, list[dict[str, Any]]],
                  limits: Limits = Limits()) -> dict[str, dict[str, Any]]:
    """Title, publisher and date of every source the drawn nodes cite (for tooltips)."""
    ids = {s for node in graph["nodes"] for s in (node["properties"].get("sources") or [])}
    return {source: {k: v for k, v in row.items() if k != "url"}
            for source, row in sources_by_id(store, ids, limits).items()}


def sources_by_id(store: Store, ids: Iterable[str], limits: Limits = Limits()) -> dict[str, dict[str, Any]]:
    """Id, name, title, publisher, date and URL of the sources `ids`, in one read."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = store.read(cypher.SOURCES, {"ids": wanted}, timeout_ms=limits.timeout_ms).rows
    return {row["id"]: row for row in rows}


def task_total(store: Store, limits: Limits = Limits()) -> int:
    """How many tasks the graph holds (the store keeps label counts: this is cheap)."""
    return store.read(cypher.TASK_COUNT, timeout_ms=limits.timeout_ms).rows[0]["n"]


def law_task_table(rows: list[dict[str, Any]], standing: dict[str, tuple[str | None, str | None]],
                   categories: dict[str, str | None] | None = None) -> list[dict[str, Any]]:
    """The `blocking-laws` answer as "which law blocks which tasks": one entry per law, in the
    answer's order (its status on the date and since when, from `standing`), each with its
    tasks (name, recorded status, derived category, deadline, hops, leads by name) in the
    answer's order."""
    categories = categories or {}
    laws: dict[str, dict[str, Any]] = {}
    for row in rows:
        status, since = standing.get(row["law_id"], (row.get("law_status"), None))
        law = laws.setdefault(row["law_id"], {
            "id": row["law_id"], "name": row.get("law_name") or row["law_id"],
            "status": status, "since": since, "tasks": []})
        law["tasks"].append({
            "id": row["task_id"], "name": row.get("task_name") or row["task_id"],
            "status": row.get("task_status"), "category": categories.get(row["task_id"]),
            "deadline": row.get("deadline"), "hops": row.get("hops"),
            "leads": [{"id": lead_id, "name": name or lead_id}
                      for lead_id, name in zip(row.get("lead_ids") or [], row.get("lead_names") or [],
                                               strict=False)]})
    return list(laws.values())


def home_view(store: Store, as_of: str | None = None, limits: Limits = Limits(), *,
              summary_above: int | None = None) -> GraphView:
    """The `blocking-laws` answer for `as_of` (default today): laws → tasks → lead agencies;
    with more than `summary_above` tasks in the graph, the national picture instead
    (`summary_view`): thousands of tasks are never drawn by default."""
    query = get_query(HOME_QUERY)
    bound = query.bind({"as_of": as_of})
    as_of = bound["as_of"]
    if summary_above is not None:
        total = task_total(store, limits)
        if total > summary_above:
            return summary_view(store, as_of, limits, total=total)
    result = query.run(store, bound, timeout_ms=limits.timeout_ms, limit=limits.rows)
    graph = complete_edges(store, subgraph_from_rows(result), limits)
    blocking = blocking_laws(result)
    tasks = {row["task"]["id"] for row in result.rows if _is_node(row.get("task"))}
    leads = {lead["id"] for row in result.rows for lead in (row.get("leads") or []) if _is_node(lead)}
    statuses, categories = task_standing(store, graph, as_of, statuses_from_rows(result.rows), limits)
    standing = statuses_since(store, blocking, as_of, timeout_ms=limits.timeout_ms)
    return GraphView(
        kind="home", **_titles(query), graph=graph,
        as_of=as_of, blocking=blocking, statuses=statuses, categories=categories,
        sources=source_titles(store, graph, limits), truncated=result.truncated,
        counts={"laws": len(blocking), "tasks": len(tasks), "agencies": len(leads)},
        due_soon=_due_soon(store, as_of, limits),
        link=f"/?as_of={as_of}", params={"as_of": as_of},
        law_tasks=law_task_table(result.rows, standing, categories),
    )


def blocking_summary(store: Store, as_of: str, limits: Limits = Limits()) -> QueryResult:
    """The national picture's data, in one query (`queries/blocking-summary.cypher`): per law
    not passed on `as_of`, its blocked tasks in all (`law_tasks`) and per holder (`tasks`).
    The one place the home page reads it, so a faster source can replace the query here."""
    fast = blocking_state.summary_rows(store, as_of, timeout_ms=limits.timeout_ms)
    if fast is not None:  # the loader's derived state: a filter, not a traversal
        cap = limits.rows if limits.rows is not None else len(fast)
        return QueryResult(columns=blocking_state.SUMMARY_COLUMNS, rows=fast[:cap],
                           truncated=len(fast) > cap)
    return get_query(SUMMARY_QUERY).run(store, {"as_of": as_of}, timeout_ms=limits.timeout_ms,
                                        limit=limits.rows)


# what the national picture draws: laws and the holders of their tasks (blocking-summary)
SUMMARY_LABELS = ("Law", "Place", "Agency")


def summary_view(store: Store, as_of: str, limits: Limits = Limits(), *,
                 total: int | None = None) -> GraphView:
    """Laws that block on `as_of` and the provinces or agencies whose tasks they block, with
    counts on the edges (each law's `SUMMARY_EDGES_PER_LAW` largest holders), and the laws
    ranked by blocked tasks (the `SUMMARY_LAWS_DRAWN` first are drawn); one law's tasks are
    listed on demand, a page at a time."""
    result = blocking_summary(store, as_of, limits)
    ranking: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    statuses: dict[str, str | None] = {}
    for row in result.rows:  # ordered by law_tasks, then tasks, descending
        law = ranking.setdefault(row["law_id"], {
            "id": row["law_id"], "name": row["law_name"], "status": row["law_status"],
            "tasks": row["law_tasks"], "holders": 0})
        law["holders"] += 1
        statuses[row["law_id"]] = row["law_status"]
        law["drawn"] = len(ranking) <= SUMMARY_LAWS_DRAWN
        if law["drawn"] and law["holders"] <= SUMMARY_EDGES_PER_LAW:
            edges.append({"id": f"{row['law_id']}|BLOCKS|{row['holder_id']}", "type": "BLOCKS",
                          "source": row["law_id"], "target": row["holder_id"],
                          "properties": {"tasks": row["tasks"], "holder_name": row["holder_name"]}})
    ids = sorted({law for law, info in ranking.items() if info["drawn"]} | {e["target"] for e in edges})
    builder = SubgraphBuilder()
    if ids:
        builder.add(store.read(cypher.nodes_of(SUMMARY_LABELS), {"ids": ids},
                               timeout_ms=limits.timeout_ms).rows)
    graph = {"nodes": builder.build()["nodes"], "edges": edges}
    return GraphView(
        kind="summary", title=tr("Luật đang cản trở: toàn quốc", "Blocking laws: the national picture"),
        subtitle=tr("Số nhiệm vụ bị cản trở theo tỉnh, cơ quan", "Blocked tasks per province or agency"),
        graph=graph, as_of=as_of, blocking=set(ranking), statuses=statuses,
        sources=source_titles(store, graph, limits), truncated=result.truncated,
        counts={"laws": len(ranking), "holders": len({e["target"] for e in edges}),
                "laws_drawn": sum(1 for info in ranking.values() if info["drawn"]),
                "pairs": len(result.rows)},
        due_soon=None, link=f"/?as_of={as_of}", params={"as_of": as_of},
        ranking=list(ranking.values()), task_total=total,
    )


def _due_soon(store: Store, as_of: str, limits: Limits) -> list[dict[str, Any]] | None:
    """The home page's "due soon and blocked" list; None when it ran past its time (at most
    `DUE_SOON_TIMEOUT_MS`: deadline-risk over the national graph takes tens of seconds, and the
    picture must not wait for it): the picture is drawn anyway, and the list says so."""
    own = Limits(timeout_ms=min(limits.timeout_ms or DUE_SOON_TIMEOUT_MS, DUE_SOON_TIMEOUT_MS),
                 rows=limits.rows)
    try:
        return due_soon_and_blocked(risk(store, as_of=as_of, limits=own)["rows"])
    except QueryTimeout:
        log.warning("deadline-risk ran past the timeout on %s; the home page shows no list", as_of)
        return None


def node_view(store: Store, node_id: str, *, depth: int = 1, as_of: str | None = None,
              limits: Limits = Limits()) -> GraphView:
    """One entity and everything within `depth` hops (NotFound for an unknown id)."""
    as_of = as_of or today()
    graph = explore.neighbourhood(store, node_id, depth=depth, limit=NODE_PAGE_LIMIT)
    truncated = bool(graph.pop("truncated", False))
    centre = next(n for n in graph["nodes"] if n["id"] == node_id)
    name = centre.get("name") or node_id
    statuses, categories = task_standing(store, graph, as_of, limits=limits)
    return GraphView(
        kind="node", title=name, subtitle=centre.get("name_en") or f"{centre['label']} · {node_id}",
        graph=graph, as_of=as_of, blocking=blocking_law_ids(store, as_of, limits, graph),
        statuses=statuses, categories=categories,
        sources=source_titles(store, graph, limits), focus=node_id, truncated=truncated,
        link=f"/viz/node/{node_id}?depth={depth}&as_of={as_of}", params={"depth": depth, "as_of": as_of},
    )


def query_view(store: Store, name: str, params: dict[str, Any] | None = None,
               limits: Limits = Limits()) -> GraphView:
    """What a named query's answer mentions, and the relationships between those things."""
    query = get_query(name)
    params = dict(params or {})
    # the page's date colours it; a query that takes no date still gets one for its page
    page_date = None if any(p.name == "as_of" for p in query.params) else params.pop("as_of", None)
    if page_date is not None:  # checked as a date the way every as_of is
        page_date = get_query(HOME_QUERY).bind({"as_of": page_date})["as_of"]
    bound = query.bind(params)
    as_of = page_date or (bound.get("as_of") if isinstance(bound.get("as_of"), str) else today())
    result = query.run(store, bound, timeout_ms=limits.timeout_ms, limit=limits.rows)
    graph = pair_edges(query, result.rows, complete_edges(store, subgraph_from_rows(result), limits))
    blocking = blocking_laws(result) if name == HOME_QUERY else blocking_law_ids(store, as_of, limits, graph)
    given = {k: v for k, v in params.items() if v is not None}
    if page_date is not None:
        given["as_of"] = page_date
    query_string = "&".join(f"{k}={v}" for k, v in given.items())
    statuses, categories = task_standing(store, graph, as_of, statuses_from_rows(result.rows), limits)
    return GraphView(
        kind="query", **_titles(query), graph=graph,
        as_of=as_of, blocking=blocking, statuses=statuses, categories=categories,
        sources=source_titles(store, graph, limits), truncated=result.truncated,
        counts={"rows": len(result.rows)},
        link=f"/viz/query/{name}" + (f"?{query_string}" if query_string else ""), params=given,
    )


def expansion(store: Store, node_id: str, *, as_of: str, limits: Limits = Limits()) -> GraphView:
    """A node's direct neighbours, for the browser to add to a page without reloading it."""
    graph = explore.neighbourhood(store, node_id, depth=1, limit=EXPAND_LIMIT)
    truncated = bool(graph.pop("truncated", False))
    statuses, categories = task_standing(store, graph, as_of, limits=limits)
    return GraphView(
        kind="expand", title=node_id, subtitle="", graph=graph, as_of=as_of,
        blocking=blocking_law_ids(store, as_of, limits, graph), sources=source_titles(store, graph, limits),
        statuses=statuses, categories=categories,
        truncated=truncated,
    )
