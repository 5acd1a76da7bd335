"""The graph pages in a real browser: Debian's Chromium, headless, with the network cut.

The real app (with the viz router) serves the bundled dataset from the real embedded store
through uvicorn on a free loopback port; every request that is not to that server (or a
`file://` page) is aborted and recorded, and each test asserts there was none. A screenshot of
the home page is written to test-artifacts/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, sync_playwright

from api.deps import get_store
from api.viz import LARGE_GRAPH, build_page, home_view, node_view
from api.viz.bench import launch_chromium, synthetic_view
from graph.text import fold
from queries import get_query
from tests.conftest import REPO, serve_in_thread
from tests.test_viz import app_with_viz

ARTIFACTS = REPO / "test-artifacts"
DAY = "2025-05-22"  # the thematic meeting: the day the sources list the most stalled laws
READY = "html[data-viz-ready=true]"
BLOCKING_RED = "#e41a1c"


@pytest.fixture(scope="module")
def live_server(bundled_store):
    """The app on 127.0.0.1:<free port>, in a thread, reading the bundled dataset."""
    app = app_with_viz()
    app.dependency_overrides[get_store] = lambda: bundled_store
    with serve_in_thread(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)  # a fresh profile per launch; fails if not installed
        yield chromium
        chromium.close()


class Visit:
    """One browser tab with every request outside the app blocked and recorded."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="vi-VN")
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base + "/") or url.startswith("file://"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, path: str) -> Page:
        url = path if path.startswith("file://") else self.base + path
        self.page.goto(url)
        self.page.wait_for_selector(READY, timeout=60_000)
        return self.page

    def click_node(self, node_id: str) -> None:
        position = self.page.evaluate("id => pgViz.pagePosition(id)", node_id)
        self.page.mouse.click(position["x"], position["y"])

    def entity(self, node_id: str) -> dict:
        return self.page.evaluate("id => pgViz.entities[id]", node_id)


@pytest.fixture
def visit(browser, live_server):
    tab = Visit(browser, live_server)
    yield tab
    tab.context.close()


def painted_pixels(page: Page) -> int:
    """Pixels of the graph canvas that are not blank: proof the network was drawn."""
    return page.evaluate("""() => {
        const canvas = document.querySelector('#graph canvas');
        const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4)
            if (px[i + 3] > 0 && (px[i] < 235 || px[i + 1] < 235 || px[i + 2] < 235)) n++;
        return n;
    }""")


def test_home_page_draws_the_blocking_laws_offline(visit, bundled_store):
    expected = home_view(bundled_store, DAY)
    page = visit.open(f"/?as_of={DAY}")
    assert page.title() == f"{expected.title} — policygraph"
    assert page.evaluate("pgViz.nodes.length") == len(expected.graph["nodes"])
    assert page.evaluate("pgViz.edges.length") == len(expected.graph["edges"])
    red = page.evaluate(f"pgViz.nodes.get().filter(n => n.color.background === '{BLOCKING_RED}').length")
    assert red == expected.counts["laws"] > 0
    assert page.inner_text("#count-laws") == str(expected.counts["laws"])
    assert page.input_value("#as-of") == DAY
    assert painted_pixels(page) > 5_000
    assert page.evaluate("pgViz.network.physics.physicsEnabled") is False  # capped run, then still
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"))
    assert (ARTIFACTS / "home.png").stat().st_size > 20_000
    assert visit.outside == [] and visit.errors == []


def test_date_picker_redraws_for_another_day(visit, bundled_store):
    later = home_view(bundled_store, "2025-07-10")
    page = visit.open(f"/?as_of={DAY}")
    page.fill("#as-of", "2025-07-10")
    page.click("form.as-of button")
    page.wait_for_url("**/?as_of=2025-07-10")
    page.wait_for_selector(READY)
    assert page.inner_text("#count-laws") == str(later.counts["laws"])
    assert page.evaluate("pgViz.data.as_of") == "2025-07-10"
    assert visit.outside == [] and visit.errors == []


def test_hover_shows_names_and_click_opens_the_details_panel(visit, bundled_store):
    law_id = sorted(home_view(bundled_store, DAY).blocking)[0]
    page = visit.open(f"/?as_of={DAY}")
    law = visit.entity(law_id)
    position = page.evaluate("id => pgViz.pagePosition(id)", law_id)
    page.mouse.move(position["x"], position["y"])
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible")
    text = tooltip.inner_text()
    assert law["name"] in text and f"blocks tasks ({DAY})" in text
    if law["name_en"]:
        assert law["name_en"] in text
    visit.click_node(law_id)
    page.wait_for_selector("#panel:not([hidden])")
    assert page.inner_text("#panel-name") == law["name"]  # Vietnamese, as stored
    assert page.evaluate("pgViz.network.getSelectedNodes()") == [law_id]
    # the server adds relationship counts and the sources (with their links) from /api/nodes
    page.wait_for_selector("#panel-neighbours h3")
    assert "DEPENDS_ON" in page.inner_text("#panel-neighbours")
    assert page.locator("#panel-sources li").count() == len(law["properties"]["sources"])
    assert page.is_enabled("#panel-expand")
    assert visit.outside == [] and visit.errors == []


def test_search_box_finds_bo_tai_chinh(visit):
    page = visit.open(f"/?as_of={DAY}")
    page.fill("#search", "bo tai chinh")
    first = page.wait_for_selector("#search-results li[data-id]")
    assert first.get_attribute("data-id") == "bo-tai-chinh"
    assert first.inner_text().startswith("Bộ Tài chính")
    page.press("#search", "Enter")
    page.wait_for_function("pgViz.network.getSelectedNodes()[0] === 'bo-tai-chinh'")
    page.wait_for_selector("#panel:not([hidden])")
    assert page.inner_text("#panel-name") == "Bộ Tài chính"
    assert page.inner_text("#panel-name-en") == "Ministry of Finance"
    assert visit.outside == [] and visit.errors == []


def test_expanding_a_node_adds_its_neighbours_without_reloading(visit, bundled_store):
    around = node_view(bundled_store, "bo-tai-chinh", depth=1)
    page = visit.open(f"/?as_of={DAY}")
    page.evaluate("window.__sameDocument = true")
    page.fill("#search", "bo tai chinh")
    page.wait_for_selector("#search-results li[data-id='bo-tai-chinh']")
    page.press("#search", "Enter")
    page.wait_for_selector("#panel:not([hidden])")
    before = set(page.evaluate("pgViz.nodes.getIds()"))
    page.click("#panel-expand")
    page.wait_for_function("pgViz.state.expanded['bo-tai-chinh'] === true")
    after = set(page.evaluate("pgViz.nodes.getIds()"))
    assert after == before | {n["id"] for n in around.graph["nodes"]}
    assert page.evaluate("window.__sameDocument") is True
    assert page.inner_text("#count-nodes") == str(len(after))
    assert page.is_disabled("#panel-expand")
    page.wait_for_function("pgViz.network.physics.physicsEnabled === false")  # newcomers settled
    assert visit.outside == [] and visit.errors == []


def test_filters_hide_labels_and_task_statuses(visit):
    page = visit.open(f"/?as_of={DAY}")
    count = "label => pgViz.nodes.get().filter(n => n.pg_label === label && !n.hidden).length"
    agencies = page.evaluate(count, "Agency")
    assert agencies > 0
    page.uncheck("input[data-filter=label][value=Agency]")
    assert page.evaluate(count, "Agency") == 0
    assert page.evaluate(count, "Law") > 0
    page.check("input[data-filter=label][value=Agency]")
    assert page.evaluate(count, "Agency") == agencies
    for box in page.query_selector_all("input[data-filter=status]"):
        box.uncheck()
    assert page.evaluate(count, "Task") == 0
    assert visit.outside == [] and visit.errors == []


def test_node_page_selects_its_entity(visit):
    page = visit.open("/viz/node/bo-tai-chinh?depth=1")
    assert page.inner_text("#page-title") == "Bộ Tài chính"
    page.wait_for_function("pgViz.network.getSelectedNodes()[0] === 'bo-tai-chinh'")
    assert painted_pixels(page) > 1_000
    assert visit.outside == [] and visit.errors == []


def test_standalone_file_works_from_file_url_and_says_expanding_needs_the_server(
        visit, bundled_store, tmp_path):
    view = home_view(bundled_store, DAY)
    page_file = tmp_path / "home.html"
    page_file.write_text(build_page(view, standalone=True), encoding="utf-8")
    page = visit.open(page_file.as_uri())
    assert painted_pixels(page) > 5_000
    assert page.is_visible("#standalone-note")
    law_id = sorted(view.blocking)[0]
    visit.click_node(law_id)
    page.wait_for_selector("#panel:not([hidden])")
    assert page.inner_text("#panel-name") == visit.entity(law_id)["name"]
    assert page.is_disabled("#panel-expand")
    assert "Expanding needs the server" in page.inner_text("#panel-offline")
    # search looks through the page's own nodes, typed without diacritics
    task = next(n for n in view.graph["nodes"] if n["label"] == "Task")
    page.fill("#search", fold(task["name"]))
    page.wait_for_selector(f"#search-results li[data-id='{task['id']}']")
    assert visit.outside == []  # not even the app: a standalone page asks nothing of anyone
    assert visit.errors == []


def test_large_graph_comes_laid_out_with_physics_off(visit, tmp_path):
    page_file = tmp_path / "large.html"
    page_file.write_text(build_page(synthetic_view(LARGE_GRAPH + 200), standalone=True), encoding="utf-8")
    page = visit.open(page_file.as_uri())
    assert page.evaluate("pgViz.network.physics.physicsEnabled") is False
    assert page.evaluate("pgViz.nodes.length") == LARGE_GRAPH + 200
    target = page.evaluate("pgViz.nodes.getIds()[0]")
    page.evaluate("id => pgViz.network.focus(id, {scale: 1.5})", target)
    visit.click_node(target)
    page.wait_for_selector("#panel:not([hidden])")
    assert page.inner_text("#panel-name") == visit.entity(target)["name"]
    assert visit.outside == [] and visit.errors == []



# -- task categories, what changed, what is at risk (issue 18) ---------------------------------------
OVERDUE_COLOUR = "#8c1c13"


def open_report(visit: Visit, path: str) -> Page:
    """A report page (no canvas): loaded when its window line is there."""
    visit.page.goto(visit.base + path)
    visit.page.wait_for_selector("#window")
    return visit.page


def test_overdue_tasks_page_draws_every_task_as_overdue(visit, bundled_store):
    rows = get_query("overdue-tasks").run(bundled_store, {"as_of": "2025-06-01"}).rows
    page = visit.open("/viz/query/overdue-tasks?as_of=2025-06-01")
    drawn = page.evaluate("pgViz.nodes.get().filter(n => n.pg_label === 'Task')"
                          ".map(n => [n.id, n.pg_status, n.color.background])")
    assert sorted(d[0] for d in drawn) == sorted(r["task_id"] for r in rows) and len(drawn) == 22
    assert {(d[1], d[2]) for d in drawn} == {("overdue", OVERDUE_COLOUR)}  # none "no status"
    legend = page.inner_text("#filter-statuses")
    for title in ("Hoàn thành đúng hạn", "Hoàn thành chậm", "Quá hạn", "open, no deadline"):
        assert title in legend
    assert visit.outside == [] and visit.errors == []


def test_cham_6_is_overdue_on_the_home_page_and_its_panel_says_so(visit):
    page = visit.open(f"/?as_of={DAY}")
    task = "task-cham-6-dau-viec-luat"
    assert page.evaluate("id => pgViz.nodes.get(id).pg_status", task) == "overdue"
    visit.click_node(task)
    page.wait_for_selector("#panel:not([hidden])")
    assert page.inner_text("#panel-category") == f"Quá hạn / overdue ({DAY})"
    assert page.inner_text("#panel-progress") == f"status ({DAY}): overdue"
    assert visit.outside == [] and visit.errors == []


def test_home_page_lists_due_soon_and_blocked_tasks_beside_the_picture(visit):
    page = visit.open(f"/?as_of={DAY}")
    items = page.locator("#due-soon li")
    assert items.count() == 4
    assert page.is_visible("#due-soon") and painted_pixels(page) > 5_000
    box, canvas = page.locator("#due-soon").bounding_box(), page.locator("#graph").bounding_box()
    assert box["x"] + box["width"] <= canvas["x"] + 1  # beside the picture, not under it
    page.click("#due-soon li[data-task='task-25-tb-tgv-1b'] a")
    page.wait_for_url("**/viz/node/task-25-tb-tgv-1b")
    page.wait_for_selector(READY)
    assert visit.outside == [] and visit.errors == []


def test_changes_page_shows_the_law_that_passed_and_what_it_unblocked(visit):
    page = open_report(visit, "/changes?since=2025-05-22&until=2025-07-02")
    assert "after 2025-05-22 up to 2025-07-02" in page.inner_text("#window")
    laws = page.inner_text("#changes-law_status")
    assert "Luật Khoa học, Công nghệ và Đổi mới sáng tạo" in laws and "passed" in laws
    assert page.locator("#changes-unblocked tbody tr").count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "changes.png"), full_page=True)
    page.fill("input[name=since]", "")
    page.fill("input[name=until]", "2025-07-02")
    page.click("form.window button")
    page.wait_for_url("**/changes?since=&until=2025-07-02*")
    assert "(since the last meeting)" in page.inner_text("#window")
    page.click("#changes-unblocked a[href='/viz/node/task-cham-6-dau-viec-luat']")
    page.wait_for_selector(READY)
    assert page.inner_text("#page-title").startswith("6 đầu việc")
    assert visit.outside == [] and visit.errors == []


def test_risk_and_digest_pages(visit):
    page = open_report(visit, f"/risk?as_of={DAY}")
    first = page.locator("#risk-bo-tai-chinh tbody tr").first
    assert first.get_attribute("class") == "level-1" and "task-25-tb-tgv-1b" in first.inner_html()
    assert "blocked by laws not passed" in first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "risk.png"), full_page=True)
    page = open_report(visit, "/digest?agency=bo-khcn&since=2025-05-22&until=2025-07-02")
    assert page.inner_text("#page-title") == "Bản tin: Bộ Khoa học và Công nghệ"
    assert page.locator("#digest-overdue tbody tr").count() >= 5
    assert visit.outside == [] and visit.errors == []
