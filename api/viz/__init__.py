"""Interactive graph pages in the browser, drawn with pyvis (vis-network), offline always.

`style` is the visual language, `graph.views` reads what a page shows from the store, `page` draws
it with our own template; `api.routes.viz` serves the pages and `cli.viz` exports them.
"""

from __future__ import annotations

from api.viz.page import LARGE_GRAPH, build_page, elements
from graph.views import GraphView, Limits, expansion, home_view, node_view, query_view

__all__ = ["LARGE_GRAPH", "GraphView", "Limits", "build_page", "elements", "expansion", "home_view",
           "node_view", "query_view"]
