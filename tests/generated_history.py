"""A generated country in miniature with moved deadlines, and its history read back as Python
facts: what the tests hold the as-of named queries (overdue-tasks, changes, deadline-risk) to."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from graph.asof import TaskFacts, task_facts
from graph.export import read_graph, to_networkx
from loaders.generate import GenerateConfig, generate

# small enough to load in seconds; a third of the tasks have their deadline moved
CONFIG = GenerateConfig(provinces=3, communes=9, tasks=300, experts=5, laws=12, meetings=8,
                        obstacles=5, deadline_moves=0.35)
# dates across the generated history (it runs from 22 Dec 2024 to mid-2026)
DATES = ("2025-01-20", "2025-03-15", "2025-05-22", "2025-06-01", "2025-07-02", "2025-09-30",
         "2025-12-31", "2026-03-01", "2026-07-01")


def generate_into(out: Path) -> Path:
    generate(out, CONFIG)
    return out


def whole_graph(store) -> nx.MultiDiGraph:
    return to_networkx(read_graph(store))


def all_task_facts(graph: nx.MultiDiGraph) -> dict[str, TaskFacts]:
    return {n: task_facts(graph, n) for n, data in graph.nodes(data=True) if data.get("labels") == "Task"}
