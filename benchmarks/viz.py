"""How long a big graph page takes to become interactive in headless Chromium (a benchmark,
not a timed test): `measure_viz_interactive_s(2000)`, the `viz` step of `benchmarks.bench`.

The page is built by the real page builder from a synthetic subgraph (agencies, laws, tasks in
every status, documents; about 1.5 edges per node), written as a standalone file and opened
from `file://` with every other request blocked. The clock runs from navigation until the
capped layout has run, the canvas is drawn and a real mouse click on a node has opened its
details panel.

    python -m benchmarks.viz 2000
"""

from __future__ import annotations

import logging
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from api.viz.page import build_page
from benchmarks.browser import launch_chromium
from graph.views import GraphView

log = logging.getLogger(__name__)

STATUSES = ("done", "on_track", "partial", "not_done", "overdue")


def synthetic_view(n_nodes: int, *, seed: int = 57) -> GraphView:
    """A subgraph shaped like the real one: tasks lead to agencies and depend on laws or tasks."""
    rng = random.Random(seed)
    n_agencies, n_laws, n_documents = max(n_nodes // 20, 1), max(n_nodes // 25, 1), max(n_nodes // 25, 1)
    n_tasks = max(n_nodes - n_agencies - n_laws - n_documents, 1)

    def node(node_id: str, label: str, name: str, **props: Any) -> dict[str, Any]:
        return {"id": node_id, "label": label, "labels": [label], "name": name, "name_en": None,
                "properties": {"name": name, **props}}

    nodes = [node(f"agency-{i}", "Agency", f"Bộ số {i}", kind="ministry") for i in range(n_agencies)]
    nodes += [node(f"law-{i}", "Law", f"Luật thử nghiệm {i}", status="amending") for i in range(n_laws)]
    nodes += [node(f"doc-{i}", "Document", f"Văn bản {i}", doc_type="notice") for i in range(n_documents)]
    nodes += [node(f"task-{i}", "Task", f"Nhiệm vụ {i}", status=rng.choice(STATUSES)) for i in range(n_tasks)]
    edges = []

    def edge(source: str, rel: str, target: str) -> None:
        edges.append({"id": f"{source}|{rel}|{target}", "type": rel, "source": source, "target": target,
                      "properties": {}})

    for i in range(n_tasks):
        edge(f"task-{i}", "LED_BY", f"agency-{rng.randrange(n_agencies)}")
        if rng.random() < 0.3:
            edge(f"task-{i}", "ASSIGNED_IN", f"doc-{rng.randrange(n_documents)}")
        if rng.random() < 0.3:
            edge(f"task-{i}", "DEPENDS_ON", f"law-{rng.randrange(n_laws)}")
        elif i and rng.random() < 0.2:
            edge(f"task-{i}", "DEPENDS_ON", f"task-{rng.randrange(i)}")
    unique = {e["id"]: e for e in edges}
    blocking = {f"law-{i}" for i in range(0, n_laws, 2)}
    return GraphView(kind="query", title=f"{n_nodes} nút / nodes", subtitle="benchmark",
                     graph={"nodes": nodes, "edges": list(unique.values())}, as_of="2025-06-01",
                     blocking=blocking, counts={"rows": n_nodes})


def measure_viz_interactive_s(n_nodes: int = 2000, *, timeout_s: float = 120.0) -> float:
    """Seconds from navigation to a page of `n_nodes` nodes that is drawn and answers a click."""
    from playwright.sync_api import sync_playwright

    view = synthetic_view(n_nodes)
    with tempfile.TemporaryDirectory(prefix="pgviz") as folder:
        page_file = Path(folder) / "bench.html"
        page_file.write_text(build_page(view, standalone=True), encoding="utf-8")
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.route("**/*", lambda route: route.continue_()
                           if route.request.url.startswith("file://") else route.abort())
                start = time.perf_counter()
                page.goto(page_file.as_uri())
                page.wait_for_selector("html[data-viz-ready=true]", timeout=timeout_s * 1000)
                drawn = time.perf_counter()
                target = page.evaluate("""() => {
                    const net = pgViz.network, box = document.getElementById('graph').getBoundingClientRect();
                    const ids = pgViz.nodes.getIds();
                    // the node nearest the middle of the canvas, so the click lands inside it
                    let best = ids[0], bestD = Infinity;
                    for (const id of ids) {
                        const p = net.canvasToDOM(net.getPosition(id));
                        const d = Math.hypot(p.x - box.width / 2, p.y - box.height / 2);
                        if (d < bestD) { best = id; bestD = d; }
                    }
                    return best;
                }""")
                position = page.evaluate("id => pgViz.pagePosition(id)", target)
                page.mouse.click(position["x"], position["y"])
                page.wait_for_selector("#panel:not([hidden]) #panel-name", timeout=timeout_s * 1000)
                done = time.perf_counter()
            finally:
                browser.close()
    log.info("%d nodes: drawn after %.2f s, click answered after %.2f s", n_nodes, drawn - start,
             done - start)
    return done - start


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    seconds = measure_viz_interactive_s(count)
    logging.getLogger(__name__).info("interactive after %.2f s", seconds)
