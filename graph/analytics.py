"""Graph analytics the store cannot do alone, as functions over networkx graphs.

Builders turn a graph read from the store (the whole of it with `graph.export.read_graph`, or
just what an analytic needs with `read_selection`, then `to_networkx`) into the graph an
algorithm needs: the coordination network of agencies, the DEPENDS_ON network with statuses
as of a date. Algorithms take those networkx graphs and return plain rows (lists of dicts)
that the CLI prints and the API serves. `ANALYTICS` lists them by name, with typed parameters.

Example:
    >>> graph = to_networkx(read_graph(store))
    >>> agency_centrality(coordination_graph(graph))[0]["agency_id"]
    'bo-khcn'
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.asof import assigned_on, is_finished, status_as_of, task_facts, today
from graph.errors import InvalidParameter, NotFound, PolicygraphError
from graph.export import read_selection, to_networkx
from graph.store.base import Store
from queries import QueryParam, bind_params

log = logging.getLogger(__name__)

MAX_CYCLES = 1000
BETWEENNESS_SAMPLE = 300  # agencies; beyond that betweenness is estimated (exact is O(agencies x pairs))
Row = dict[str, Any]


class CyclicDependencies(PolicygraphError):
    """DEPENDS_ON has cycles, so a longest chain or critical path is undefined."""

    status_code = 409


# -- builders -------------------------------------------------------------------------------
def coordination_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Agencies that lead or support tasks; an edge for each pair sharing tasks.

    Node attributes: name, name_en, kind, tasks (how many it leads or supports). Edge
    attributes: weight (shared tasks) and tasks (their ids).
    """
    members: dict[str, set[str]] = {}
    for task, agency, key in graph.edges(keys=True):
        if key in ("LED_BY", "SUPPORTED_BY"):
            members.setdefault(task, set()).add(agency)
    coordination = nx.Graph()
    tasks_of: dict[str, int] = {}
    for task in sorted(members):
        agencies = sorted(members[task])
        for agency in agencies:
            tasks_of[agency] = tasks_of.get(agency, 0) + 1
        for a, b in itertools.combinations(agencies, 2):
            if coordination.has_edge(a, b):
                coordination[a][b]["weight"] += 1
                coordination[a][b]["tasks"].append(task)
            else:
                coordination.add_edge(a, b, weight=1, tasks=[task])
    for agency in sorted(tasks_of):
        data = graph.nodes[agency]
        coordination.add_node(agency, name=data.get("name"), name_en=data.get("name_en"),
                              kind=data.get("kind"), tasks=tasks_of[agency])
    return coordination


def dependency_graph(graph: nx.MultiDiGraph, as_of: str) -> nx.DiGraph:
    """The DEPENDS_ON network (edge: task -> what it waits for) with statuses on `as_of`.

    Node attributes: label, name, deadline (in force on `as_of`), status (as of), category (a
    task's, `graph.asof`), finished (done, passed or in force, issued). Every task assigned by
    `as_of` is a node, with or without dependencies; tasks assigned later (see `assigned_on`)
    are left out.
    """
    deps = nx.DiGraph(as_of=as_of)
    later = {n for n, data in graph.nodes(data=True)
             if data.get("labels") == "Task" and (assigned_on(graph, n) or as_of) > as_of}
    nodes = {n for n, data in graph.nodes(data=True) if data.get("labels") == "Task"} - later
    edges = [(a, b) for a, b, key in graph.edges(keys=True)
             if key == "DEPENDS_ON" and a not in later and b not in later]
    nodes.update(itertools.chain.from_iterable(edges))
    for node in sorted(nodes):
        data = graph.nodes[node]
        status = status_as_of(graph, node, as_of)
        facts = task_facts(graph, node) if data.get("labels") == "Task" else None
        deps.add_node(node, label=data.get("labels"), name=data.get("name"),
                      deadline=facts.deadline_on(as_of) if facts else data.get("deadline"), status=status,
                      category=facts.category(as_of) if facts else None,
                      finished=is_finished(data, status, as_of))
    deps.add_edges_from(sorted(edges))
    return deps


# -- algorithms -----------------------------------------------------------------------------
def agency_centrality(coordination: nx.Graph) -> list[Row]:
    """Who is the bottleneck: each agency's place in the coordination network.

    `betweenness` (0..1) is the share of shortest links between other agencies that pass
    through it: a high value marks an agency that others can co-operate only through. It is
    exact up to `BETWEENNESS_SAMPLE` agencies and estimated from that many (fixed seed, so the
    answer repeats) beyond. `degree_centrality` is the share of the other agencies it shares
    tasks with.
    """
    if coordination.number_of_nodes() == 0:
        return []
    sample = BETWEENNESS_SAMPLE if coordination.number_of_nodes() > BETWEENNESS_SAMPLE else None
    betweenness = nx.betweenness_centrality(coordination, k=sample, normalized=True, seed=57)
    degree = nx.degree_centrality(coordination)
    rows = [{
        "agency_id": agency,
        "agency_name": data.get("name"),
        "tasks": data.get("tasks", 0),
        "partners": coordination.degree(agency),
        "shared_tasks": int(coordination.degree(agency, weight="weight")),
        "degree_centrality": round(degree[agency], 4),
        "betweenness": round(betweenness[agency], 4),
    } for agency, data in coordination.nodes(data=True)]
    rows.sort(key=lambda r: (-r["betweenness"], -r["partners"], -r["tasks"], r["agency_id"]))
    return rows


def agency_communities(coordination: nx.Graph) -> list[Row]:
    """Groups of agencies that work more with each other than with the rest (greedy modularity).

    Deterministic for a given graph; an agency that shares no task is a group of its own.
    """
    if coordination.number_of_nodes() == 0:
        return []
    groups = nx.community.greedy_modularity_communities(coordination, weight="weight")
    ordered = sorted((sorted(group) for group in groups), key=lambda g: (-len(g), g[0]))
    rows = []
    for number, members in enumerate(ordered, start=1):
        inside = coordination.subgraph(members)
        rows.append({
            "community": number,
            "size": len(members),
            "shared_tasks_inside": int(inside.size(weight="weight")),
            "agency_ids": members,
            "agency_names": [coordination.nodes[a].get("name") for a in members],
        })
    return rows


def dependency_cycles(deps: nx.DiGraph, *, limit: int = MAX_CYCLES) -> list[Row]:
    """Every DEPENDS_ON cycle (up to `limit`): data errors, since nothing can wait for itself."""
    rows = []
    for cycle in itertools.islice(nx.simple_cycles(deps), limit):
        start = cycle.index(min(cycle))
        ids = cycle[start:] + cycle[:start]
        names = [deps.nodes[n].get("name") for n in ids]
        rows.append({
            "length": len(ids),
            "ids": ids,
            "names": names,
            "problem": "DEPENDS_ON cycle " + " -> ".join([*ids, ids[0]])
                       + ": none of these can finish first; fix the data.",
        })
    rows.sort(key=lambda r: (r["length"], r["ids"]))
    return [{"cycle": number, **row} for number, row in enumerate(rows, start=1)]


def _require_acyclic(deps: nx.DiGraph) -> None:
    if not nx.is_directed_acyclic_graph(deps):
        first = dependency_cycles(deps, limit=1)[0]
        raise CyclicDependencies(
            f"DEPENDS_ON has cycles, so chains have no longest one: {first['problem']}",
            hint="List them all with `policygraph analytics cycles` and fix the data.")


def _longest_from(deps: nx.DiGraph) -> dict[str, list[str]]:
    """For each node, the longest chain that starts at it (ties: smallest ids first)."""
    best: dict[str, list[str]] = {}
    for node in reversed(list(nx.lexicographical_topological_sort(deps))):
        chains = [best[s] for s in sorted(deps.successors(node))]
        longest = max(chains, key=len, default=[])
        best[node] = [node, *longest]
    return best


def longest_chains(deps: nx.DiGraph, *, limit: int = 10) -> list[Row]:
    """The longest DEPENDS_ON chains: from each task nothing depends on, its longest chain down.

    Long chains are fragile: every link must finish, in order, before the first task can.
    """
    if limit < 1:
        raise InvalidParameter(f"limit must be at least 1 (got {limit}).", field="limit",
                               hint="Example: limit=10")
    _require_acyclic(deps)
    best = _longest_from(deps)
    rows = []
    for start in sorted(deps.nodes):
        if deps.in_degree(start) == 0 and deps.out_degree(start) > 0:
            chain = best[start]
            rows.append({
                "start_id": start,
                "start_name": deps.nodes[start].get("name"),
                "end_id": chain[-1],
                "end_label": deps.nodes[chain[-1]].get("label"),
                "end_name": deps.nodes[chain[-1]].get("name"),
                "hops": len(chain) - 1,
                "chain_ids": chain,
                "unfinished": sum(1 for n in chain if not deps.nodes[n]["finished"]),
            })
    rows.sort(key=lambda r: (-r["hops"], r["start_id"]))
    return rows[:limit]


def critical_path(deps: nx.DiGraph, task: str, *, unfinished_only: bool = True) -> list[Row]:
    """The longest chain of prerequisites that must finish before `task` can.

    With `unfinished_only`, only unfinished prerequisites count (a finished one no longer
    holds the task up). Rows are the steps: 0 is the task itself, then what it waits for.
    """
    if task not in deps or deps.nodes[task].get("label") != "Task":
        when = f" assigned by {deps.graph['as_of']}" if "as_of" in deps.graph else ""
        raise NotFound(f"No task {task!r}{when}.",
                       hint="Find its id with `policygraph search`; a task assigned later than "
                            "as_of has no critical path on that date.",
                       http_hint="Find its id with /api/search?q=… ; a task assigned later than "
                                 "as_of has no critical path on that date.")
    if unfinished_only:
        keep = [n for n in deps.nodes if n == task or not deps.nodes[n]["finished"]]
        deps = deps.subgraph(keep)
    upstream = deps.subgraph({task} | nx.descendants(deps, task))
    _require_acyclic(upstream)
    chain = _longest_from(upstream)[task]
    return [{
        "step": step,
        "id": node,
        "label": deps.nodes[node].get("label"),
        "name": deps.nodes[node].get("name"),
        "status": deps.nodes[node].get("status"),
        "category": deps.nodes[node].get("category"),
        "deadline": deps.nodes[node].get("deadline"),
        "finished": deps.nodes[node]["finished"],
    } for step, node in enumerate(chain)]


# -- the registry the CLI and the API use -----------------------------------------------------
@dataclass(frozen=True)
class Analytic:
    """A named analytic: what it answers, its parameters, its columns and how to run it."""

    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    params: tuple[QueryParam, ...]
    compute: Callable[[nx.MultiDiGraph, dict[str, Any]], list[Row]]
    reads: tuple[dict[str, tuple[str, ...]], tuple[str, ...]]  # properties by label; relationship types

    def bind(self, raw: dict[str, Any] | None = None) -> dict[str, Any]:
        """Typed parameters with defaults (the named queries' rule, `bind_params`)."""
        return bind_params(f"Analytic {self.name!r}", self.params, raw)

    def run(self, store: Store, raw: dict[str, Any] | None = None) -> list[Row]:
        """Read what the analytic needs from `store` and compute the rows."""
        params = self.bind(raw)
        nodes, rel_types = self.reads
        return self.compute(to_networkx(read_selection(store, nodes, rel_types)), params)


# What each family of analytics reads: properties by label, and relationship types.
COORDINATION = ({"Agency": ("name", "name_en", "kind")}, ("LED_BY", "SUPPORTED_BY"))
DEPENDENCIES = ({"Task": ("name", "deadline"), "Law": ("name", "status", "status_on"),
                 "Document": ("name", "issued_on"), "Meeting": ("name", "held_on"),
                 "StatusChange": ("status", "on"), "DeadlineChange": ("deadline", "on")},
                ("DEPENDS_ON", "HAS_STATUS", "ASSIGNED_IN", "RESULTED_IN", "HAS_DEADLINE"))
AS_OF = QueryParam(name="as_of", type="date", default="today",
                   help="the date statuses are read on, YYYY-MM-DD")

ANALYTICS: dict[str, Analytic] = {a.name: a for a in (
    Analytic(
        "centrality", "Agencies at the centre of co-operation (who is the bottleneck)",
        "Each agency's partners, shared tasks, degree centrality and betweenness in the network "
        "of agencies that share tasks; the highest betweenness first.",
        ("agency_id", "agency_name", "tasks", "partners", "shared_tasks", "degree_centrality",
         "betweenness"),
        (), lambda g, p: agency_centrality(coordination_graph(g)), COORDINATION),
    Analytic(
        "communities", "Groups of agencies that work together",
        "Communities of the coordination network (greedy modularity, weighted by shared tasks).",
        ("community", "size", "shared_tasks_inside", "agency_ids", "agency_names"),
        (), lambda g, p: agency_communities(coordination_graph(g)), COORDINATION),
    Analytic(
        "longest-chains", "Longest dependency chains",
        "From each task nothing depends on, its longest DEPENDS_ON chain, longest first, with how "
        "many links were unfinished on as_of. Fails with the cycles if DEPENDS_ON has any.",
        ("start_id", "start_name", "end_id", "end_label", "end_name", "hops", "chain_ids",
         "unfinished"),
        (AS_OF, QueryParam(name="limit", type="int", default="10", help="most chains listed")),
        lambda g, p: longest_chains(dependency_graph(g, p["as_of"]), limit=p["limit"]), DEPENDENCIES),
    Analytic(
        "critical-path", "Critical path to a task",
        "The longest chain of prerequisites (tasks, laws, documents) that must finish before the "
        "task can, by default only those unfinished on as_of; step 0 is the task itself.",
        ("step", "id", "label", "name", "status", "category", "deadline", "finished"),
        (QueryParam(name="task", type="string", help="the id of the task"), AS_OF,
         QueryParam(name="unfinished_only", type="bool", default="true",
                    help="skip prerequisites already finished on as_of")),
        lambda g, p: critical_path(dependency_graph(g, p["as_of"]), p["task"],
                                   unfinished_only=p["unfinished_only"]), DEPENDENCIES),
    Analytic(
        "cycles", "Cycles in DEPENDS_ON (data errors)",
        "Every chain of DEPENDS_ON that comes back to where it started: none of its tasks can "
        "finish first, so each is an error in the data to fix.",
        ("cycle", "length", "ids", "names", "problem"),
        (), lambda g, p: dependency_cycles(dependency_graph(g, today())), DEPENDENCIES),
)}


def get_analytic(name: str) -> Analytic:
    if name not in ANALYTICS:
        raise NotFound(f"No analytic {name!r}.",
                       hint=f"Known analytics: {', '.join(ANALYTICS)} (policygraph analytics --list).")
    return ANALYTICS[name]
