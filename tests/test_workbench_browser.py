"""The workbench in a real browser: Debian's Chromium, headless, with the network cut.

The real app serves the bundled dataset from the real embedded store through uvicorn on a free
loopback port; every request that is not to that server is aborted and recorded, and each test
asserts there was none. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import threading
import time

import pytest
import uvicorn
from playwright.sync_api import Page, sync_playwright

from api.app import create_app
from api.deps import get_store
from api.viz.bench import launch_chromium
from tests.conftest import REPO
from tests.test_viz_browser import _free_port

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def live_server(bundled_store):
    """The app on 127.0.0.1:<free port>, in a thread, reading the bundled dataset."""
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start within 30 s"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


class Tab:
    """One browser tab with every request outside the app blocked and recorded."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN",
                                           accept_downloads=True)
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page


@pytest.fixture
def tab(browser, live_server):
    opened = Tab(browser, live_server)
    yield opened
    opened.context.close()


def test_swagger_ui_renders_the_operations_offline(tab):
    page = tab.open("/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/cypher" in [p.strip() for p in paths]
    assert "/api/queries/{name}" in [p.strip() for p in paths]
    assert tab.outside == []
    assert tab.errors == []


def test_redoc_renders_offline(tab):
    page = tab.open("/redoc")
    page.wait_for_selector("h1:has-text('policygraph')", timeout=30_000)
    page.get_by_text("/api/cypher").first.wait_for(state="attached", timeout=30_000)
    assert tab.outside == []


# -- the query library -----------------------------------------------------------------------
def wait_ready(page: Page, state: str = "true") -> None:
    page.wait_for_selector(f"html[data-wb-ready={state}]", timeout=60_000)


def table_rows(page: Page) -> list[dict[str, str]]:
    return page.evaluate("""() => {
        const heads = [...document.querySelectorAll('#table thead th')].map(th => th.textContent);
        return [...document.querySelectorAll('#table tbody tr')].map(tr =>
            Object.fromEntries([...tr.cells].map((td, i) => [heads[i], td.textContent])));
    }""")


def test_named_query_runs_from_its_form_with_a_search_pick_list(tab, bundled_store):
    from queries import get_query

    page = tab.open("/queries/law-impact")
    wait_ready(page, "form")
    assert page.locator("#missing").is_visible()
    assert page.locator("#result").is_hidden()
    assert page.locator("#p-as_of").get_attribute("type") == "date"
    page.fill("#p-law", "khoa hoc cong nghe")  # the pick-list asks /api/search for laws
    page.wait_for_function("document.querySelectorAll('#dl-law option').length > 0", timeout=30_000)
    options = page.eval_on_selector_all("#dl-law option", "os => os.map(o => o.value)")
    assert "law-khcn-dmst" in options
    page.fill("#p-law", "law-khcn-dmst")
    page.fill("#p-as_of", "2025-05-22")
    with page.expect_navigation():
        page.click("#query-form button[type=submit]")
    wait_ready(page)
    assert "law=law-khcn-dmst" in page.url and "as_of=2025-05-22" in page.url
    expected = get_query("law-impact").run(bundled_store, {"law": "law-khcn-dmst", "as_of": "2025-05-22"},
                                           limit=25)
    shown = table_rows(page)
    assert len(shown) == min(len(expected.rows), 25) > 0
    assert [r["id"] for r in shown] == [r["id"] for r in expected.rows[:len(shown)]]
    page.click("[data-tab=graph]")
    page.wait_for_function("document.querySelector('#graph canvas') !== null")
    assert tab.outside == [] and tab.errors == []


def test_agency_workload_shows_its_numbers_and_sizes_the_graph(tab, bundled_store):
    from queries import get_query

    page = tab.open("/queries/agency-workload?as_of=2025-05-22")
    wait_ready(page)
    expected = get_query("agency-workload").run(bundled_store, {"as_of": "2025-05-22"}).rows
    shown = table_rows(page)
    first = expected[0]
    assert shown[0]["agency_id"] == first["agency_id"]
    assert (shown[0]["open_led"], shown[0]["overdue_led"]) == (
        str(first["open_led"]), str(first["overdue_led"]))
    assert page.locator("#csv-link").get_attribute("href") == "/queries/agency-workload.csv?as_of=2025-05-22"
    assert page.locator("#json-link").get_attribute("href") == "/api/queries/agency-workload?as_of=2025-05-22"
    page.click("[data-tab=graph]")
    assert page.locator("#size-by").input_value() == "open_led"
    page.wait_for_function("document.querySelector('#graph canvas') !== null")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workbench-query-graph.png"))
    assert tab.outside == [] and tab.errors == []


def test_query_pages_follow_next_offset(tab, bundled_store):
    page = tab.open("/queries/timeline?limit=5")
    wait_ready(page)
    first = table_rows(page)
    assert len(first) == 5
    with page.expect_navigation():
        page.click("#next-page")
    wait_ready(page)
    assert "offset=5" in page.url
    second = table_rows(page)
    assert len(second) == 5 and second != first
    with page.expect_navigation():
        page.click("#prev-page")
    wait_ready(page)
    assert table_rows(page) == first


def test_query_library_screenshot(tab):
    page = tab.open("/queries")
    page.wait_for_selector("table.library")
    assert page.locator("table.library tbody tr").count() >= 14
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workbench-queries.png"), full_page=False)
    page = tab.open("/queries/agency-workload?as_of=2025-05-22")
    wait_ready(page)
    page.screenshot(path=str(ARTIFACTS / "workbench-query.png"), full_page=False)
    assert tab.outside == []
