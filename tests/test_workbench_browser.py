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
