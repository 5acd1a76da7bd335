"""Draw a `GraphView` as one HTML page with pyvis (vis-network) and our own template.

pyvis's stock template links bootstrap from a CDN even with `cdn_resources="in_line"`, so the
page is rendered from `templates/graph.html` instead: vis-network and every script and style
are inlined (standalone files) or served by the app itself (`/viz/assets/…`), and nothing on
the page points anywhere else. The browser runs a capped layout, then physics stops; beyond
`LARGE_GRAPH` nodes the layout is computed once on the server (`api.viz.layout`) instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from api import language
from api.viz import style
from api.viz.layout import hub_layout, two_columns
from graph import vocabulary
from graph.search import search_key
from graph.views import SUMMARY_EDGES_PER_LAW, GraphView
from graph.vocabulary import tr

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
ASSETS = {"vis-network.min.js": "application/javascript", "vis-network.css": "text/css",
          # the pages' own, linked (not inlined) when served, so the CSP needs no inline source
          "viz.js": "application/javascript", "viz.css": "text/css", "report.css": "text/css"}
OWN_ASSETS = frozenset({"viz.js", "viz.css", "report.css"})
ASSET_BASE = "/viz/assets"

LABEL_WIDTH = 150                # canvas pixels: a node's label wraps past this width
LARGE_GRAPH = 1000               # beyond this, lay out once and switch physics off
# Stabilisation is capped: about 60,000 node-iterations, between 100 and 400 iterations (a
# 2,000-node page spends some 40 ms per iteration in headless Chromium on 2 cores).
STABILISATION_WORK = 60_000
MIN_ITERATIONS, MAX_ITERATIONS = 100, 400
FONT = "'Noto Sans', 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"
URL = re.compile(r"https?://\S+", re.IGNORECASE)


class VizNetwork(Network):
    """pyvis's Network rendered with our template and extra variables."""

    def __init__(self) -> None:
        super().__init__(directed=True, cdn_resources="in_line", height="100%", width="100%")
        self.set_template_dir(str(TEMPLATES) + "/", "graph.html")
        # Our template escapes what it prints; pyvis's default environment does not.
        self.templateEnv = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                                       autoescape=select_autoescape(["html"]))
        language.install(self.templateEnv)  # tr(), lang(), the `status` filter

    def render(self, **context: Any) -> str:
        nodes, edges, _heading, _height, _width, _options = self.get_network_data()
        data = {**context.pop("data"), "nodes": nodes, "edges": edges, "options": self.options}
        return self.templateEnv.get_template(self.path).render(data=data, **context)


def asset(name: str) -> str:
    """The text of a vis-network file shipped inside pyvis, or of one of the pages' own
    (KeyError for any other name)."""
    if name not in ASSETS:
        raise KeyError(name)
    return _read((STATIC if name in OWN_ASSETS else VIS_DIR) / name)


@lru_cache(maxsize=8)
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def stabilisation_iterations(node_count: int) -> int:
    """The capped number of layout iterations run before the page is shown."""
    return max(MIN_ITERATIONS, min(MAX_ITERATIONS, STABILISATION_WORK // max(node_count, 1)))


def vis_options(node_count: int) -> dict[str, Any]:
    """vis-network options: a capped layout run; large graphs come laid out, with physics off."""
    large = node_count > LARGE_GRAPH
    return {
        "autoResize": True,
        "layout": {"improvedLayout": not large, "randomSeed": 57},
        "physics": {
            "enabled": not large,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "centralGravity": 0.008,
                                 "springLength": 110, "springConstant": 0.06, "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "fit": True, "updateInterval": 20,
                              "iterations": stabilisation_iterations(node_count)},
            "minVelocity": 1.5,
            "timestep": 0.5,
        },
        "nodes": {"font": {"size": 13, "face": FONT, "color": "#1d1d1d", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": style.LABEL_MIN_PX, "maxVisible": 26}},
                  # long names wrap into a narrow block, so fewer labels meet (viz.js spreads the rest)
                  "widthConstraint": {"maximum": LABEL_WIDTH}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "font": {"size": 9, "face": FONT, "color": "#555555", "align": "middle",
                           "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "smooth": False if large else {"enabled": True, "type": "continuous",
                                                 "roundness": 0.2},
                  "width": 1, "selectionWidth": 2},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large, "navigationButtons": False, "keyboard": False},
    }


def offline_text(value: Any) -> Any:
    """Drop web addresses from data embedded in a page (the panel fetches them from the API)."""
    if isinstance(value, str):
        return URL.sub("[link]", value)
    if isinstance(value, list):
        return [offline_text(v) for v in value]
    if isinstance(value, dict):
        return {k: offline_text(v) for k, v in value.items()}
    return value


def entity(node: dict[str, Any], view: GraphView) -> dict[str, Any]:
    """What the side panel and the offline search know about a node without the server."""
    props = node.get("properties") or {}
    label = node.get("label")
    return offline_text({
        "id": node["id"], "label": label, "name": node.get("name"), "name_en": node.get("name_en"),
        "properties": props,  # internal ones are never read (graph/store/results.py)
        "key": search_key(props),
        # the status on the page's date; today's `status`/`status_on` are the "current" line
        "status": view.statuses.get(node["id"], props.get("status")),
        "dated": node["id"] in view.statuses,
        "current_status": props.get("status"), "current_status_on": props.get("status_on"),
        "category": view.categories.get(node["id"]) if label == "Task" else None,
        "blocking": label == "Law" and node["id"] in view.blocking,
    })


def elements(view: GraphView, network: Network | None = None) -> dict[str, Any]:
    """The view's nodes and edges as vis-network items (added to `network` when given)."""
    network = network or VizNetwork()
    entities = {}
    for node in view.graph["nodes"]:
        node_id = node["id"]
        status = view.statuses.get(node_id, style.CURRENT)  # None: none recorded by then
        options = style.node_style(node, status=status,
                                   blocking=node.get("label") == "Law" and node_id in view.blocking,
                                   as_of=view.as_of, sources=view.sources,
                                   focus=node_id == view.focus,
                                   category=view.categories.get(node_id))
        network.add_node(node_id, **offline_text(options))
        entities[node_id] = entity(node, view)
    seen_pairs: dict[frozenset[str], int] = {}
    for edge in view.graph["edges"]:
        options = style.edge_style(edge)
        pair = frozenset((edge["source"], edge["target"]))
        index = seen_pairs[pair] = seen_pairs.get(pair, -1) + 1
        if index:  # a second relationship between the same two nodes: bend it so labels stay apart
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.25 * index}
        network.add_edge(edge["source"], edge["target"], id=edge["id"], pg_type=edge["type"], **options)
    return {"nodes": network.nodes, "edges": network.edges, "entities": entities,
            "sources": offline_text(view.sources)}


def names_by_id(view: GraphView) -> dict[str, str]:
    """Each drawn node's and each tabled law's and task's name by id, so a list on the page
    (the due-soon list's laws and upstream tasks) shows names where the answer gives ids."""
    names = {node["id"]: node.get("name") for node in view.graph["nodes"] if node.get("name")}
    for law in view.law_tasks:
        names.setdefault(law["id"], law["name"])
        for task in law["tasks"]:
            names.setdefault(task["id"], task["name"])
    return names


def _links(query: str, **params: Any) -> list[dict[str, str]]:
    """A named query's whole answer as CSV (lean, plain and with Excel's BOM) and as JSON."""
    given = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    base = f"/api/queries/{query}?{given}"
    return [{"label": "CSV", "href": base + "&format=csv&lean=true"},
            {"label": "CSV (Excel)", "href": base + "&format=csv&lean=true&bom=1"},
            {"label": "JSON", "href": base}]


def node_downloads(view: GraphView, label: str | None) -> list[dict[str, Any]]:
    """What a node page shows, to take away: the entity's relationships (what is drawn around
    it), a law's blocked tasks on the page's date (its panel's list), an agency's tasks with
    their standing on that date; each a named query's answer, so the CSV is the API's."""
    if view.kind != "node" or not view.focus:
        return []
    groups = [{"id": "download-relationships", "title": tr("Quan hệ trực tiếp", "Direct relationships"),
               "links": _links("node-relationships", id=view.focus)}]
    if label == "Law":
        groups.append({"id": "download-blocked", "title": tr("Nhiệm vụ bị cản trở", "Tasks it blocks"),
                       "links": _links("blocking-laws", as_of=view.as_of, law=view.focus)})
    if label == "Agency":
        groups.append({"id": "download-led", "title": tr("Nhiệm vụ chủ trì", "Tasks it leads"),
                       "links": _links("task-status", as_of=view.as_of, agency=view.focus)})
    return groups


def build_page(view: GraphView, *, standalone: bool = False) -> str:
    """The whole page. `standalone`: everything inlined, for `file://` with no server."""
    network = VizNetwork()
    drawn = elements(view, network)
    network.options = vis_options(len(drawn["nodes"]))
    if view.kind == "summary":  # laws ranked on the left, the holders of their tasks on the right
        holders: dict[str, int] = {}
        for edge in view.graph["edges"]:
            holders[edge["target"]] = holders.get(edge["target"], 0) + edge["properties"]["tasks"]
        positions = two_columns([law["id"] for law in view.ranking if law["drawn"]],
                                sorted(holders, key=lambda h: (-holders[h], h)))
        for node in drawn["nodes"]:
            node["x"], node["y"] = positions.get(node["id"], (450.0, 0.0))
            # boxes hold their labels, so fitting the view fits the labels too
            law = node["pg_label"] == "Law"
            node["shape"] = "box"
            node["font"] = {"size": 15, "color": "#ffffff" if law else "#1d1d1d", "strokeWidth": 0}
            node["scaling"] = {"label": {"drawThreshold": 1}}
            node["margin"] = 6
            node["physics"] = False
        network.options["physics"]["enabled"] = False
        network.options["layout"]["improvedLayout"] = False
    elif len(drawn["nodes"]) > LARGE_GRAPH:
        positions = hub_layout(((n["id"], f"{n['pg_label']}/{n['pg_status']}") for n in drawn["nodes"]),
                               ((e["from"], e["to"]) for e in drawn["edges"]))
        for node in drawn["nodes"]:
            node["x"], node["y"] = positions[node["id"]]
    counts_by_label: dict[str, int] = {}
    for node in view.graph["nodes"]:
        counts_by_label[node.get("label") or "?"] = counts_by_label.get(node.get("label") or "?", 0) + 1
    data = {
        "kind": view.kind, "standalone": standalone, "as_of": view.as_of, "focus": view.focus,
        "link": view.link, "large": len(drawn["nodes"]) > LARGE_GRAPH, "truncated": view.truncated,
        "entities": drawn["entities"], "sources": drawn["sources"], "legend": style.legend(),
        "counts": view.counts, "blocking": sorted(view.blocking), "params": view.params,
        "ranking": view.ranking,
        # statuses in the reader's language, for the panel; and that language, for its words
        "statuses": {code: vocabulary.status(code) for code in vocabulary.STATUSES},
        "lang": vocabulary.language(),
    }
    return network.render(
        data=data, view=view, standalone=standalone, counts_by_label=counts_by_label,
        legend=style.legend(), node_count=len(drawn["nodes"]), edge_count=len(drawn["edges"]),
        summary_edges=SUMMARY_EDGES_PER_LAW, categories=style.TASK_CATEGORIES, names=names_by_id(view),
        downloads=[] if standalone else node_downloads(
            view, (drawn["entities"].get(view.focus or "") or {}).get("label")),
        vis_js=asset("vis-network.min.js") if standalone else None,
        vis_css=asset("vis-network.css") if standalone else None,
        asset_base=ASSET_BASE, page_css=_read(STATIC / "viz.css"), page_js=_read(STATIC / "viz.js"),
    )
