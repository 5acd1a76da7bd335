"""A layout computed once, on the server, for pages too big for the browser's physics.

Beyond `page.LARGE_GRAPH` nodes a force simulation in the browser takes seconds per hundred
iterations, so big pages get positions from here and physics off. The graph's shape makes a
cheap layout readable: tasks gather around the agency that leads them, tasks around the law
they wait for. Each node joins the hub reached by climbing to ever better-connected neighbours;
hubs are packed on a sunflower spiral by size, and each hub's members on a small spiral around
it, grouped by label and status. Linear in nodes and edges; no numerical library needed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def hub_layout(nodes: Iterable[tuple[str, str]], edges: Iterable[tuple[str, str]], *,
               spacing: float = 28.0) -> dict[str, tuple[float, float]]:
    """Positions `{id: (x, y)}` for `nodes` given as `(id, group key)` and `edges` as id pairs."""
    groups = dict(nodes)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        if source != target and source in groups and target in groups:
            neighbours[source].add(target)
            neighbours[target].add(source)
    rank = {n: (len(neighbours[n]), n) for n in groups}
    parent = {}
    for node in groups:
        best = max(neighbours[node], key=rank.__getitem__, default=None)
        parent[node] = best if best is not None and rank[best] > rank[node] else node

    def hub(node: str) -> str:
        while parent[node] != node:  # ranks strictly increase, so this ends
            node = parent[node]
        return node

    members: dict[str, list[str]] = defaultdict(list)
    for node in groups:
        members[hub(node)].append(node)
    clusters = sorted(members.items(), key=lambda item: (-len(item[1]), item[0]))

    positions: dict[str, tuple[float, float]] = {}
    placed_area = 0.0
    for index, (centre, group) in enumerate(clusters):
        size = len(group)
        # the cluster's centre sits at the radius that encloses the area of those placed before
        radius = 1.35 * spacing * math.sqrt(placed_area + size / 2) if index else 0.0
        angle = index * GOLDEN_ANGLE
        cx, cy = radius * math.cos(angle), radius * math.sin(angle)
        placed_area += size
        positions[centre] = (cx, cy)
        others = sorted((n for n in group if n != centre), key=lambda n: (groups[n], n))
        for i, node in enumerate(others, start=1):
            r, a = spacing * math.sqrt(i), i * GOLDEN_ANGLE
            positions[node] = (cx + r * math.cos(a), cy + r * math.sin(a))
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in positions.items()}


def two_columns(left: list[str], right: list[str], *, width: float = 900.0,
                spacing: float = 40.0) -> dict[str, tuple[float, float]]:
    """Positions for a bipartite picture: `left` top to bottom in the order given (the laws,
    most blocked tasks first), `right` spread over the same height (the provinces and agencies)."""
    height = spacing * max(len(left) - 1, 1)
    positions = {node: (0.0, round(i * spacing, 1)) for i, node in enumerate(left)}
    step = height / max(len(right) - 1, 1)
    positions.update({node: (width, round(i * step, 1)) for i, node in enumerate(right)})
    return positions
