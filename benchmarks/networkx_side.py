"""The `blocking-laws` answer computed as an analyst without a graph store would: export the
graph into networkx, then traverse it in Python.

It mirrors the semantics of queries/blocking-laws.cypher (statuses as of a date from the
StatusChange history; a law with no recorded status by then counts as not passed unless it has
no history at all and its `status_on` is earlier; a task assigned after the date is left out;
the shortest DEPENDS_ON chain of at most 8 hops), so the two answers can be compared row by row.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

MAX_HOPS = 8
PASSED = ("passed", "in_force")


def export_graph(raw_graph) -> nx.MultiDiGraph:
    """Every node (label and properties) and relationship (type) of the store, via its client."""
    graph = nx.MultiDiGraph()
    nodes = raw_graph.ro_query("MATCH (n) RETURN labels(n)[0], properties(n)").result_set
    for label, props in nodes:
        graph.add_node(props["id"], label=label, **{k: v for k, v in props.items() if k != "id"})
    rels = raw_graph.ro_query("MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id").result_set
    graph.add_edges_from((start, end, {"type": rel_type}) for start, rel_type, end in rels)
    return graph


def _out(graph: nx.MultiDiGraph, node: str, rel_type: str) -> list[str]:
    return [end for _, end, data in graph.out_edges(node, data=True) if data["type"] == rel_type]


def _in(graph: nx.MultiDiGraph, node: str, rel_type: str) -> list[str]:
    return [start for start, _, data in graph.in_edges(node, data=True) if data["type"] == rel_type]


def _status_on(graph: nx.MultiDiGraph, node: str, as_of: str) -> str | None:
    """The latest recorded status on or before `as_of` (ties: the first status by name)."""
    changes = [graph.nodes[c] for c in _out(graph, node, "HAS_STATUS")]
    dated = [(c["on"], c["status"]) for c in changes if c.get("on") is not None and c["on"] <= as_of]
    if not dated:
        return None
    latest = max(on for on, _ in dated)
    return min(status for on, status in dated if on == latest)


def blocking_laws(graph: nx.MultiDiGraph, as_of: str) -> list[dict[str, Any]]:
    """Rows `{law_id, law_status, task_id, task_status, hops, deadline, assigned_on, lead_ids}`."""
    depends = nx.DiGraph()  # DEPENDS_ON reversed: from what is depended on to who depends
    depends.add_edges_from((end, start) for start, end, data in graph.edges(data=True)
                           if data["type"] == "DEPENDS_ON")
    rows = []
    for law, attrs in graph.nodes(data=True):
        if attrs["label"] != "Law":
            continue
        status = _status_on(graph, law, as_of)
        if status is None and not _out(graph, law, "HAS_STATUS") \
                and attrs.get("status_on") is not None and attrs["status_on"] <= as_of:
            status = attrs.get("status")
        if status in PASSED or law not in depends:
            continue
        hops_to = nx.single_source_shortest_path_length(depends, law, cutoff=MAX_HOPS)
        for task, hops in hops_to.items():
            if hops == 0 or graph.nodes[task]["label"] != "Task":
                continue
            row = _task_row(graph, task, as_of)
            if row is not None:
                rows.append({"law_id": law, "law_status": status, "hops": hops, **row})
    return rows


def _task_row(graph: nx.MultiDiGraph, task: str, as_of: str) -> dict[str, Any] | None:
    known = []
    for doc in _out(graph, task, "ASSIGNED_IN"):
        known.append(graph.nodes[doc].get("issued_on"))
        known.extend(graph.nodes[m].get("held_on") for m in _in(graph, doc, "RESULTED_IN"))
    known.extend(graph.nodes[c].get("on") for c in _out(graph, task, "HAS_STATUS"))
    dates = [d for d in known if d is not None]
    assigned_on = min(dates) if dates else None
    if assigned_on is not None and assigned_on > as_of:
        return None
    status = _status_on(graph, task, as_of)
    if status == "done":
        return None
    return {"task_id": task, "task_status": status, "deadline": graph.nodes[task].get("deadline"),
            "assigned_on": assigned_on, "lead_ids": sorted(_out(graph, task, "LED_BY"))}


def answer_key(rows: list[dict[str, Any]]) -> set[tuple]:
    """What two answers must share to be the same: law, task, chain length, statuses."""
    return {(r["law_id"], r["task_id"], r["hops"], r["law_status"], r["task_status"]) for r in rows}


def by_law(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["law_id"]] += 1
    return dict(counts)
