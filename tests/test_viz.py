"""Graph pages, server-side: what they draw, in which colours, and that nothing points off-site.

The real embedded store holds tests/fixtures/viz/graph.yaml; pages come through the real app
(the viz router included) and the real `policygraph viz` command. Browser behaviour is in
tests/test_viz_browser.py.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import subprocess
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from api.routes import viz as viz_routes
from api.viz import GraphView, Limits, build_page, home_view, node_view, query_view, style
from api.viz.layout import hub_layout
from api.viz.page import LARGE_GRAPH, vis_options
from graph import vocabulary
from graph.asof import CATEGORIES
from loaders.load import load_paths
from queries import get_query
from tests.cli_run import run_cli
from tests.conftest import REPO, scratch_graph

FIXTURE = REPO / "tests" / "fixtures" / "viz" / "graph.yaml"
DATA_BLOCK = re.compile(r'<script id="viz-data" type="application/json">(.*?)</script>', re.S)

# The only web addresses allowed in a page: inert strings inside the inlined vis-network
# library (licence banners, an error message, the SVG namespace). None is fetched; the browser
# tests block and record every request that leaves the app.
VIS_NETWORK_INERT = {
    "http://almende.com", "http://opensource.org/licenses/MIT",
    "http://www.apache.org/licenses/LICENSE-2.0", "http://www.w3.org/2000/svg",
    "https://github.com/visjs", "https://visjs.github.io/vis-network/",
    "https://github.com/zloirock/core-js", "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    "https://github.com/uuidjs/uuid#getrandomvalues-not-supported",
}
WEB_ADDRESS = re.compile(r"https?://[^\s\"'<>()\\]*", re.I)
ATTRIBUTE_URL = re.compile(r"""\b(?:src|href|action|poster|data)\s*=\s*["']([^"']*)["']""", re.I)


def external_references(html: str) -> list[str]:
    """Everything in a page that could reach beyond the page or the app serving it."""
    found = [url.rstrip(".,;") for url in WEB_ADDRESS.findall(html)]
    found = [url for url in found if url not in VIS_NETWORK_INERT]
    found += [m for m in ATTRIBUTE_URL.findall(html) if m.startswith("//") or ":" in m.split("/")[0]]
    for pattern in (r"//cdn", r"@import", r"url\(\s*['\"]?(?:https?:)?//", r"\bimport\s*\(", r"cdnjs",
                    r"jsdelivr", r"unpkg", r"bootstrap"):
        found += re.findall(pattern, html, re.I)
    return found


def page_data(html: str) -> dict:
    return json.loads(DATA_BLOCK.search(html).group(1))


def nodes_by_id(html: str) -> dict[str, dict]:
    return {n["id"]: n for n in page_data(html)["nodes"]}


@pytest.fixture(scope="module")
def viz_store(server):
    """The fixture graph, loaded once for this module (the tests only read it)."""
    with scratch_graph(server) as graph:
        load_paths([FIXTURE], graph)
        yield graph


def _serves(route, path: str) -> bool:
    if getattr(route, "path", None) == path:
        return True
    inner = getattr(route, "original_router", None)  # FastAPI's included routers
    return inner is not None and any(getattr(r, "path", None) == path for r in inner.routes)


def app_with_viz() -> FastAPI:
    """The real app with the viz router (until create_app includes it in place of pages.py)."""
    app = create_app()
    mine = any(getattr(r, "original_router", None) is viz_routes.router
               or getattr(r, "endpoint", None) is viz_routes.home for r in app.router.routes)
    if not mine:
        app.router.routes = [r for r in app.router.routes if not _serves(r, "/")]
        app.include_router(viz_routes.router)
    return app


@pytest.fixture(scope="module")
def client(viz_store):
    app = app_with_viz()
    app.dependency_overrides[get_store] = lambda: viz_store
    return TestClient(app)


def test_reference_check_catches_what_pyvis_stock_template_links():
    from pyvis.network import Network

    stock = Network(cdn_resources="in_line")
    stock.add_node("a")
    found = external_references(stock.generate_html())
    assert "https://cdn.jsdelivr.net/npm/bootstrap@5.0.0-beta3/dist/css/bootstrap.min.css" in found


# -- the visual language ---------------------------------------------------------------------
def test_visual_language_colours_and_shapes():
    law = {"id": "l", "label": "Law", "name": "Luật", "properties": {"status": "amending"}}
    assert style.node_style(law, blocking=True)["color"]["background"] == "#e41a1c"
    assert style.node_style(law, blocking=False)["color"]["background"] == "#9c755f"
    assert style.node_style(law, blocking=True)["shape"] == "diamond"
    # tasks are drawn by their derived category (graph.asof), whatever their recorded progress
    colours = {category: style.node_style({"id": "t", "label": "Task", "properties": {}},
                                          status="partial", category=category)["color"]["background"]
               for category in (*CATEGORIES, None)}
    assert colours == {"done_on_time": "#2ca02c", "done_late": "#8c9f3a",
                       "open_within_deadline": "#f2c12e", "overdue": "#8c1c13",
                       "open_no_deadline": "#9ecae1", None: "#c7c7c7"}
    agency = style.node_style({"id": "a", "label": "Agency", "name": "Bộ Tài chính",
                               "name_en": "Ministry of Finance", "properties": {"kind": "ministry"}})
    assert (agency["shape"], agency["color"]["background"], agency["label"]) == (
        "square", "#4e79a7", "Bộ Tài chính")
    edge = style.edge_style({"id": "x", "type": "LED_BY", "source": "t", "target": "a", "properties": {}})
    assert (edge["label"], edge["arrows"], edge["title"]) == (
        "LED_BY", "to", "LED_BY — the agency that leads (chu tri)")
    assert [s["status"] for s in style.legend()["statuses"]] == [*CATEGORIES, None]


def test_tooltip_is_short_names_key_properties_and_a_count_of_sources():
    node = {"id": "bo-tai-chinh", "label": "Agency", "name": "Bộ Tài chính", "name_en": "Ministry of Finance",
            "properties": {"kind": "ministry", "abbr": "BTC", "sources": ["src-viz", "src-other"]}}
    text = style.tooltip(node, status=None, blocking=False, as_of="2025-06-01",
                         sources={"src-viz": {"title": "Thông báo 25-TB/TGV", "published_on": "2025-05-24"}})
    # the sources themselves are listed in the panel: a tooltip that lists them covers the graph
    assert text.split("\n") == ["Bộ Tài chính", "Ministry of Finance", "Cơ quan · bo-tai-chinh",
                                "kind: ministry", "abbr: BTC", "nguồn: 2 (bấm để xem)"]
    token = vocabulary.use_language("en")  # as a request asking for English
    try:
        english = style.tooltip(node, status=None, blocking=False, as_of="2025-06-01")
    finally:
        vocabulary.reset_language(token)
    assert english.split("\n")[2:] == ["Agency · bo-tai-chinh", "kind: ministry", "abbr: BTC",
                                       "sources: 2 (click for them)"]


def test_a_law_tooltip_gives_its_status_on_the_date_not_todays():
    law = {"id": "law-x", "label": "Law", "name": "Luật X", "name_en": None,
           "properties": {"status": "passed", "status_on": "2025-07-02", "sources": []}}
    text = style.tooltip(law, status="amending", blocking=True, as_of="2025-05-22", dated=True)
    assert "trạng thái (2025-05-22): đang sửa đổi" in text
    assert "đã thông qua" not in text and "2025-07-02" not in text


# -- what the views read ---------------------------------------------------------------------
def test_home_view_on_a_date_draws_laws_tasks_and_leads(viz_store):
    view = home_view(viz_store, "2025-06-01")
    assert view.counts == {"laws": 2, "tasks": 4, "agencies": 3}
    assert view.blocking == {"law-ngan-sach", "law-so-huu-tri-tue"}
    assert {n["id"] for n in view.graph["nodes"]} == {
        "law-ngan-sach", "law-so-huu-tri-tue", "task-ppp", "task-ip", "task-chain", "task-done",
        "bo-tai-chinh", "bo-khcn", "bo-gddt"}
    assert sorted((e["source"], e["type"], e["target"]) for e in view.graph["edges"]) == [
        ("law-ngan-sach", "DRAFTED_BY", "bo-tai-chinh"), ("law-so-huu-tri-tue", "DRAFTED_BY", "bo-khcn"),
        ("task-chain", "DEPENDS_ON", "task-ip"), ("task-chain", "LED_BY", "bo-gddt"),
        ("task-done", "DEPENDS_ON", "law-so-huu-tri-tue"), ("task-done", "LED_BY", "bo-tai-chinh"),
        ("task-ip", "DEPENDS_ON", "law-so-huu-tri-tue"), ("task-ip", "LED_BY", "bo-khcn"),
        ("task-ppp", "DEPENDS_ON", "law-ngan-sach"), ("task-ppp", "LED_BY", "bo-tai-chinh"),
        ("task-ppp", "SUPPORTED_BY", "bo-khcn")]
    # statuses on the date asked about, not today's: task-done was finished on 2025-06-15
    assert view.statuses["task-done"] == "not_done" and view.statuses["task-chain"] == "overdue"
    # categories by graph.asof: task-chain has no deadline date but is recorded overdue
    assert view.categories == {"task-ppp": "overdue", "task-ip": "open_within_deadline",
                               "task-chain": "overdue", "task-done": "open_no_deadline"}


def test_home_view_after_a_law_passes(viz_store):
    view = home_view(viz_store, "2025-07-10")
    assert view.counts == {"laws": 1, "tasks": 2, "agencies": 2}
    assert view.blocking == {"law-so-huu-tri-tue"}
    assert "law-ngan-sach" not in {n["id"] for n in view.graph["nodes"]}


def test_a_task_with_no_status_yet_is_drawn_by_its_category(client):
    # task-chain is recorded overdue from 2025-06-01 on; on 2025-05-25 nothing was recorded for
    # it yet: assigned (notice of 24 May), open, with no deadline date
    html = client.get("/", params={"as_of": "2025-05-25"}).text
    chain = nodes_by_id(html)["task-chain"]
    assert chain["color"]["background"] == "#9ecae1" and chain["pg_status"] == "open_no_deadline"
    assert chain["pg_progress"] is None
    assert "trạng thái (2025-05-25): chưa ghi nhận" in chain["title"]
    assert "Đang thực hiện, không có hạn (2025-05-25)" in chain["title"]
    entity = page_data(html)["entities"]["task-chain"]
    assert (entity["status"], entity["category"]) == (None, "open_no_deadline")


def test_node_and_query_views(viz_store):
    node = node_view(viz_store, "task-chain", depth=2, as_of="2025-06-01")
    ids = {n["id"] for n in node.graph["nodes"]}
    assert {"task-chain", "task-ip", "bo-gddt", "law-so-huu-tri-tue", "bo-khcn"} <= ids
    assert node.focus == "task-chain" and node.link == "/viz/node/task-chain?depth=2&as_of=2025-06-01"
    # the drawn laws that block (a page asks about nothing else)
    assert node.blocking == {"law-ngan-sach", "law-so-huu-tri-tue"} & ids == {"law-so-huu-tri-tue"}
    query = query_view(viz_store, "blocking-laws", {"as_of": "2025-07-10"})
    assert query.counts == {"rows": 2} and query.blocking == {"law-so-huu-tri-tue"}
    assert query.link == "/viz/query/blocking-laws?as_of=2025-07-10"


def test_blocking_laws_past_the_row_cap_are_still_coloured(viz_store):
    """At national scale the blocking-laws answer is longer than the row cap; the colouring
    asks the store for the laws alone, so the cap cannot hide one."""
    rows = get_query("blocking-laws").run(viz_store, {"as_of": "2025-06-01"}).rows
    laws = {row["law_id"] for row in rows}
    assert {rows[0]["law_id"]} != laws  # a cap of one row would leave a law out
    capped = node_view(viz_store, "task-chain", depth=2, as_of="2025-06-01", limits=Limits(rows=1))
    drawn = {n["id"] for n in capped.graph["nodes"]}
    assert laws == {"law-ngan-sach", "law-so-huu-tri-tue"}
    assert capped.blocking == laws & drawn and capped.blocking


# -- the pages the app serves ----------------------------------------------------------------
def test_home_page_colours_counts_and_legend(client):
    response = client.get("/", params={"as_of": "2025-06-01"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    nodes = nodes_by_id(html)
    colour = {node_id: node["color"]["background"] for node_id, node in nodes.items()}
    assert colour == {"law-ngan-sach": "#e41a1c", "law-so-huu-tri-tue": "#e41a1c",
                      "task-ppp": "#8c1c13", "task-ip": "#f2c12e", "task-chain": "#8c1c13",
                      "task-done": "#9ecae1", "bo-tai-chinh": "#4e79a7", "bo-khcn": "#4e79a7",
                      "bo-gddt": "#4e79a7"}
    assert (nodes["task-done"]["pg_status"], nodes["task-done"]["pg_progress"]) == (
        "open_no_deadline", "not_done")
    assert "trạng thái (2025-06-01): chưa hoàn thành" in nodes["task-done"]["title"]
    edges = page_data(html)["edges"]
    assert sorted(e["label"] for e in edges) == sorted(
        ["DRAFTED_BY"] * 2 + ["DEPENDS_ON"] * 4 + ["LED_BY"] * 4 + ["SUPPORTED_BY"])
    assert '<strong id="count-laws">2</strong>' in html
    assert '<strong id="count-tasks">4</strong>' in html
    assert '<strong id="count-agencies">3</strong>' in html
    assert 'value="2025-06-01"' in html  # the date picker shows the date drawn
    for text in ("Luật đang cản trở", "Quá hạn", "Hoàn thành đúng hạn", "Cơ quan", "LED_BY: chủ trì"):
        assert text in html
    assert '<script src="/viz/assets/vis-network.min.js"></script>' in html
    assert page_data(html)["standalone"] is False
    assert external_references(html) == []
    assert "example.org" not in html  # source URLs and URLs in notes stay out of the page


def test_home_page_defaults_to_today(client):
    data = page_data(client.get("/").text)
    assert data["as_of"] == dt.date.today().isoformat() and data["kind"] == "home"


def test_node_page_and_query_page(client):
    html = client.get("/viz/node/bo-gddt", params={"depth": 2}).text
    data = page_data(html)
    assert data["focus"] == "bo-gddt"
    assert {"bo-gddt", "task-chain", "task-ip"} <= {n["id"] for n in data["nodes"]}
    assert nodes_by_id(html)["bo-gddt"]["borderWidth"] == 3
    assert "<title>Bộ Giáo dục và Đào tạo — policygraph</title>" in html
    assert external_references(html) == []
    query = client.get("/viz/query/blocking-laws", params={"as_of": "2025-07-10"}).text
    assert {n["id"] for n in page_data(query)["nodes"]} == {
        "law-so-huu-tri-tue", "task-ip", "task-chain", "bo-khcn", "bo-gddt"}
    assert '<strong id="count-rows">2</strong>' in query
    assert external_references(query) == []


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/?as_of=2025-13-45", 422, "Parameter 'as_of': '2025-13-45' is not a valid date."),
    ("/viz/node/no-such-node", 404, "No node with id 'no-such-node'."),
    ("/viz/node/bo-khcn?depth=9", 422, "depth must be a whole number from 1 to 3, not '9'."),
    ("/viz/query/nope", 404, "No named query 'nope'."),
    ("/viz/query/node-relationships", 422, "Query 'node-relationships' needs the parameter 'id' (string)."),
])
def test_page_errors_are_pages_that_say_what_to_do(client, path, status, message):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", response.text).group(1)
    assert unescape(heading) == message


def test_expand_returns_styled_neighbours(client):
    body = client.get("/viz/expand/bo-gddt", params={"as_of": "2025-06-01"}).json()
    assert sorted(n["id"] for n in body["nodes"]) == ["bo-gddt", "task-chain"]
    chain = next(n for n in body["nodes"] if n["id"] == "task-chain")
    assert chain["color"]["background"] == "#8c1c13" and chain["pg_label"] == "Task"
    assert [(e["from"], e["label"], e["to"]) for e in body["edges"]] == [("task-chain", "LED_BY", "bo-gddt")]
    assert body["entities"]["task-chain"]["name"] == "Cơ chế chia sẻ kết quả nghiên cứu"
    assert body["truncated"] is False
    law = client.get("/viz/expand/task-ip", params={"as_of": "2025-06-01"}).json()
    shtt = next(n for n in law["nodes"] if n["id"] == "law-so-huu-tri-tue")
    assert shtt["color"]["background"] == "#e41a1c" and shtt["pg_blocking"] is True
    missing = client.get("/viz/expand/nope")
    assert missing.status_code == 404 and missing.json()["error"] == "No node with id 'nope'."
    assert client.get("/viz/expand/bo-gddt", params={"as_of": "soon"}).status_code == 422


def test_vis_network_is_served_by_the_app(client):
    script = client.get("/viz/assets/vis-network.min.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("application/javascript")
    assert "vis-network" in script.text[:500] and len(script.text) > 400_000
    assert client.get("/viz/assets/vis-network.css").headers["content-type"].startswith("text/css")
    assert client.get("/viz/assets/secrets.txt").status_code == 404


# -- page building without a store -------------------------------------------------------------
def synthetic_view(count: int, *, name: str = "Nút") -> GraphView:
    nodes = [{"id": f"n{i}", "label": "Task", "labels": ["Task"], "name": f"{name} {i}", "name_en": None,
              "properties": {"status": "done"}} for i in range(count)]
    edges = [{"id": f"n{i}|DEPENDS_ON|n{i - 1}", "type": "DEPENDS_ON", "source": f"n{i}",
              "target": f"n{i - 1}", "properties": {}} for i in range(1, count)]
    return GraphView(kind="query", title="T", subtitle="", graph={"nodes": nodes, "edges": edges},
                     as_of="2025-06-01", counts={"rows": count})


def test_large_graphs_lay_out_once_with_capped_stabilisation():
    iterations = {n: vis_options(n)["physics"]["stabilization"]["iterations"]
                  for n in (0, 12, 150, 200, 500, 1000, 2000, 50_000)}
    assert iterations == {0: 400, 12: 400, 150: 400, 200: 300, 500: 120, 1000: 100, 2000: 100,
                          50_000: 100}
    small, large = vis_options(LARGE_GRAPH), vis_options(LARGE_GRAPH + 1)
    assert small["layout"]["improvedLayout"] is True and small["edges"]["smooth"]["enabled"] is True
    assert small["physics"]["enabled"] is True and large["physics"]["enabled"] is False
    assert large["layout"]["improvedLayout"] is False and large["edges"]["smooth"] is False
    assert large["interaction"]["hideEdgesOnDrag"] is True
    data = page_data(build_page(synthetic_view(LARGE_GRAPH + 1)))
    assert data["large"] is True and len(data["nodes"]) == LARGE_GRAPH + 1
    assert data["options"]["physics"]["enabled"] is False  # laid out on the server instead
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    ordinary = page_data(build_page(synthetic_view(LARGE_GRAPH)))
    assert ordinary["large"] is False and "x" not in ordinary["nodes"][0]


def test_server_layout_gathers_tasks_around_their_hub():
    nodes = [("agency", "Agency/None"), ("law", "Law/None")] + [(f"t{i}", "Task/done") for i in range(6)]
    edges = [(f"t{i}", "agency") for i in range(4)] + [("t4", "law"), ("t5", "law"), ("t0", "t0")]
    positions = hub_layout(nodes, edges, spacing=10.0)
    assert set(positions) == {n for n, _ in nodes}
    assert positions["agency"] == (0.0, 0.0)  # the biggest cluster sits in the middle
    assert len(set(positions.values())) == len(nodes)
    near = lambda a, b: math.dist(positions[a], positions[b])  # noqa: E731
    assert all(near(f"t{i}", "agency") <= 10.0 * math.sqrt(4) + 0.1 for i in range(4))
    assert near("t4", "law") < near("t4", "agency") and near("t5", "law") < near("t5", "agency")
    assert hub_layout(nodes, edges, spacing=10.0) == positions  # deterministic


def test_names_are_escaped_and_parallel_edges_bend_apart():
    view = synthetic_view(2, name="</script><script>alert(1)</script>")
    view.graph["edges"].append({"id": "n1|REFERS_TO|n0", "type": "REFERS_TO", "source": "n1",
                                "target": "n0", "properties": {}})
    view.title = "<b>Luật</b>"
    html = build_page(view)
    assert "<script>alert(1)" not in html and "<b>Luật</b>" not in html
    assert "<title>&lt;b&gt;Luật&lt;/b&gt; — policygraph</title>" in html
    assert page_data(html)["nodes"][0]["label"] == "</script><script>alert(1)</script> 0"
    smooth = [e.get("smooth") for e in page_data(html)["edges"]]
    assert smooth == [None, {"enabled": True, "type": "curvedCW", "roundness": 0.25}]


# -- the CLI export ----------------------------------------------------------------------------
def viz_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return run_cli(env, "viz", *args)


@pytest.fixture
def loaded_cli_env(cli_env):
    run_cli(cli_env, "load", str(FIXTURE), check=True)
    return cli_env


def test_cli_exports_standalone_pages_with_no_external_references(loaded_cli_env, tmp_path):
    home = tmp_path / "out" / "home.html"
    result = viz_cli(loaded_cli_env, "--as-of", "2025-06-01", "--out", str(home))
    assert result.returncode == 0, result.stderr
    assert f"Wrote {home} (9 nodes, 11 edges" in result.stderr.replace("\n", "")
    html = home.read_text(encoding="utf-8")
    data = page_data(html)
    assert data["standalone"] is True and data["as_of"] == "2025-06-01"
    assert '<strong id="count-laws">2</strong>' in html
    assert "<script src=" not in html and "<link " not in html  # vis-network and CSS inlined
    assert "vis-network" in html and "Tệp độc lập, không cần mạng" in html
    assert "policygraph serve" in html and "/?as_of=2025-06-01" in html
    assert external_references(html) == []
    assert "example.org" not in html

    node = tmp_path / "mof.html"
    result = viz_cli(loaded_cli_env, "--node", "bo-tai-chinh", "--depth", "2", "--out", str(node))
    assert result.returncode == 0, result.stderr
    node_data = page_data(node.read_text(encoding="utf-8"))
    today = dt.date.today().isoformat()
    assert node_data["focus"] == "bo-tai-chinh"
    assert node_data["link"] == f"/viz/node/bo-tai-chinh?depth=2&as_of={today}"
    assert {"task-ppp", "task-done", "task-invest", "law-ngan-sach"} <= {n["id"] for n in node_data["nodes"]}

    query = tmp_path / "q.html"
    assert viz_cli(loaded_cli_env, "--query", "blocking-laws", "--param", "as_of=2025-07-10",
                   "--out", str(query)).returncode == 0
    assert sorted(page_data(query.read_text(encoding="utf-8"))["blocking"]) == ["law-so-huu-tri-tue"]
    assert external_references(query.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--query", "blocking-laws", "--node", "bo-khcn"], "Give either --query or --node, not both."),
    (["--param", "as_of=2025-01-01"], "--param needs --query."),
    (["--depth", "2"], "--depth needs --node."),
    (["--as-of", "May"], "Parameter 'as_of': 'May' is not a valid date."),
    (["--node", "no-such-node"], "No node with id 'no-such-node'."),
    (["--query", "nope"], "No named query 'nope'."),
])
def test_cli_errors_are_one_clear_message(loaded_cli_env, tmp_path, args, message):
    out = tmp_path / "x.html"
    result = viz_cli(loaded_cli_env, *args, "--out", str(out))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


# -- issue 19: a node page on its date; the national picture above the threshold ----------------
def test_node_page_shows_a_law_as_it_stood_on_the_date(client):
    before = page_data(client.get("/viz/node/law-ngan-sach", params={"as_of": "2025-06-01"}).text)
    after = page_data(client.get("/viz/node/law-ngan-sach", params={"as_of": "2025-07-10"}).text)
    law_before, law_after = before["entities"]["law-ngan-sach"], after["entities"]["law-ngan-sach"]
    assert (law_before["status"], law_before["blocking"]) == ("amending", True)
    assert (law_after["status"], law_after["blocking"]) == ("passed", False)
    # today's properties ride along for the panel's "current" line, the same on both dates
    assert law_before["current_status"] == law_after["current_status"] == "passed"
    assert law_before["current_status_on"] == "2025-07-02"
    assert before["link"] == "/viz/node/law-ngan-sach?depth=1&as_of=2025-06-01"
    bad = client.get("/viz/node/law-ngan-sach", params={"as_of": "soon"})
    assert bad.status_code == 422 and "Parameter 'as_of': 'soon' is not a valid date." in unescape(bad.text)


def test_home_page_above_the_threshold_draws_counts_not_tasks(viz_store, server):
    from graph.settings import Settings, get_settings

    app = app_with_viz()
    app.dependency_overrides[get_store] = lambda: viz_store
    app.dependency_overrides[get_settings] = lambda: Settings(home=server.home, home_summary_tasks=3)
    data = page_data(TestClient(app).get("/", params={"as_of": "2025-06-01"}).text)
    assert data["kind"] == "summary"
    assert not [n for n in data["nodes"] if n["pg_label"] == "Task"]
    rows = get_query("blocking-laws").run(viz_store, {"as_of": "2025-06-01"}).rows
    per_law: dict[str, int] = {}
    for law, _task in {(r["law_id"], r["task_id"]) for r in rows}:
        per_law[law] = per_law.get(law, 0) + 1
    assert {law["id"]: law["tasks"] for law in data["ranking"]} == per_law
    assert [law["tasks"] for law in data["ranking"]] == sorted(per_law.values(), reverse=True)
    counts = {(e["from"], e["to"]): e["label"] for e in data["edges"]}
    summary = get_query("blocking-summary").run(viz_store, {"as_of": "2025-06-01"}).rows
    assert counts == {(r["law_id"], r["holder_id"]): str(r["tasks"]) for r in summary}
    # below the threshold, the tasks themselves
    app.dependency_overrides[get_settings] = lambda: Settings(home=server.home, home_summary_tasks=1000)
    assert page_data(TestClient(app).get("/", params={"as_of": "2025-06-01"}).text)["kind"] == "home"


# -- the home page's law → task table (issue 31, section 1) -----------------------------------
TABLE = re.compile(r'<section id="law-tasks".*?</section>', re.S)


def _table_rows(html: str) -> list[tuple[str, str, str, str, str]]:
    """(law id, task id, task status, lead names, deadline) for each row of the home table."""
    section = TABLE.search(html).group(0)
    rows = []
    for body in re.finditer(r'<tbody data-law="([^"]+)">(.*?)</tbody>', section, re.S):
        for row in re.finditer(r'<tr data-task="([^"]+)">(.*?)</tr>', body.group(2), re.S):
            cells = {m.group(1): " ".join(re.sub(r"<[^>]+>", "", m.group(2)).split())
                     for m in re.finditer(r'<td class="([\w-]+)">(.*?)</td>', row.group(2), re.S)}
            rows.append((body.group(1), row.group(1), cells["task-status"], unescape(cells["leads"]),
                         cells["deadline"]))
    return rows


def test_home_view_lists_each_blocking_law_with_its_tasks(viz_store):
    view = home_view(viz_store, "2025-06-01")
    table = {law["id"]: law for law in view.law_tasks}
    assert set(table) == view.blocking
    budget = table["law-ngan-sach"]
    assert (budget["name"], budget["status"], budget["since"]) == ("Luật Ngân sách nhà nước", "amending",
                                                                  "2025-05-22")
    assert [(t["id"], t["status"], t["deadline"], [lead["name"] for lead in t["leads"]])
            for t in budget["tasks"]] == [("task-ppp", "not_done", "2025-05-28", ["Bộ Tài chính"])]
    # each task's standing on the date, by graph.asof, beside its recorded progress
    assert {t["id"]: t["category"] for law in view.law_tasks for t in law["tasks"]} == view.categories
    ip = table["law-so-huu-tri-tue"]
    assert [(t["id"], t["hops"]) for t in ip["tasks"]] == [
        ("task-ip", 1), ("task-done", 1), ("task-chain", 2)]
    assert sum(len(law["tasks"]) for law in view.law_tasks) == view.counts["tasks"]


def test_home_page_table_names_laws_tasks_and_leads_with_links(client):
    html = client.get("/", params={"as_of": "2025-06-01"}).text
    section = TABLE.search(html).group(0)
    assert "Luật nào cản trở nhiệm vụ nào, ngày 2025-06-01" in section
    rows = _table_rows(html)
    assert [(law, task) for law, task, *_ in rows] == [
        ("law-ngan-sach", "task-ppp"), ("law-so-huu-tri-tue", "task-ip"),
        ("law-so-huu-tri-tue", "task-done"), ("law-so-huu-tri-tue", "task-chain")]
    assert rows[0][2:] == ("Quá hạn chưa hoàn thành", "Bộ Tài chính", "2025-05-28")
    # names, not raw ids, each a link to its page on the same date
    assert '<a href="/viz/node/task-ppp?as_of=2025-06-01">' in section
    assert '>Luật Ngân sách nhà nước</a>' in section
    assert "đang sửa đổi" in section and "từ 2025-05-22" in section
    assert 'href="/queries/blocking-laws.csv?as_of=2025-06-01"' in section
    assert "qua 1 nhiệm vụ" in section  # task-chain waits through task-ip
    english = client.get("/", params={"as_of": "2025-06-01", "lang": "en"})
    client.cookies.clear()  # the choice is kept per browser: this client is the next test's too
    assert english.headers["set-cookie"].startswith("pg_lang=en;")
    assert _table_rows(english.text)[0][2:] == ("Overdue not done", "Bộ Tài chính", "2025-05-28")
    assert "Which law blocks which tasks on 2025-06-01" in english.text and "via 1 task" in english.text


def test_home_page_table_follows_the_date(client):
    rows = _table_rows(client.get("/", params={"as_of": "2025-07-10"}).text)
    assert {law for law, *_ in rows} == {"law-so-huu-tri-tue"}  # the budget law passed on 2 Jul
    assert "task-done" not in {task for _law, task, *_ in rows}  # finished on 15 Jun
    empty = client.get("/", params={"as_of": "2025-01-01"}).text
    assert 'id="law-tasks-empty"' in empty and _table_rows(empty) == []


def test_home_page_due_soon_list_names_its_laws(client):
    html = client.get("/", params={"as_of": "2025-06-01"}).text
    due = re.search(r'<section id="due-soon">.*?</section>', html, re.S).group(0)
    assert '<li data-task="task-ip">' in due
    assert "luật: Luật Sở hữu trí tuệ" in due and "law-so-huu-tri-tue" not in due
