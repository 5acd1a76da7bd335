"""The token's browser sign-in in a real browser (issue 14, item 16): headless Chromium opens the
one-time login URL of a live server with `POLICYGRAPH_TOKEN` set, lands on the home page, and
the page's own requests (assets, search) carry the HttpOnly cookie; the URL works only once."""

from __future__ import annotations

import shutil

import pytest

from api.app import create_app
from api.deps import get_store
from api.security import SESSION_COOKIE, issue_login_code, login_url
from graph.settings import Settings
from tests.conftest import serve_in_thread, short_tempdir
from tests.test_viz_browser import DAY, READY, Visit, browser  # noqa: F401 - fixture

TOKEN = "a-token-for-the-browser-test-0123456789"


@pytest.fixture(scope="module")
def gated_server(bundled_store):
    home = short_tempdir("pgbrw")
    settings = Settings(home=home, token=TOKEN)
    app = create_app(settings)
    app.dependency_overrides[get_store] = lambda: bundled_store
    with serve_in_thread(app) as base:
        yield base, settings
    shutil.rmtree(home, ignore_errors=True)


def test_the_login_url_signs_the_browser_in_once(browser, gated_server):  # noqa: F811
    base, settings = gated_server
    url = login_url(base, issue_login_code(settings))
    tab = Visit(browser, base)
    try:
        answer = tab.page.goto(url)
        tab.page.wait_for_selector(READY, timeout=60_000)
        assert answer.ok and tab.page.url == base + "/"
        cookies = {c["name"]: c for c in tab.context.cookies()}
        assert cookies[SESSION_COOKIE]["httpOnly"] is True
        assert cookies[SESSION_COOKIE]["sameSite"] == "Strict"
        assert tab.page.evaluate("document.cookie") == ""  # page scripts cannot read it
        tab.page.goto(f"{base}/?as_of={DAY}")
        tab.page.wait_for_selector(READY, timeout=60_000)
        tab.page.fill("#search", "bo tai chinh")  # the page's fetch to /api/search
        first = tab.page.wait_for_selector("#search-results li[data-id]")
        assert first.get_attribute("data-id") == "bo-tai-chinh"
        assert tab.outside == [] and tab.errors == []
    finally:
        tab.context.close()

    stranger = Visit(browser, base)  # a fresh profile: no cookie
    try:
        assert stranger.page.goto(base + "/").status == 401
        again = stranger.page.goto(url)
        assert again.status == 401 and "used already" in again.text()
        assert stranger.context.cookies() == []
    finally:
        stranger.context.close()
