"""Security headers (issue 29, item 14): every page and API answer carries a strict
Content-Security-Policy, X-Frame-Options, nosniff and a same-origin referrer policy; and the
pages really live within that policy: the console, a node page, a report and /docs load in
Chromium with no CSP violation. The real app over uvicorn, on the bundled dataset."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.test_viz_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.test_workbench_browser import live_server  # noqa: F401 - the app on a loopback port

PAGES = ["/", "/viz/node/bo-tai-chinh", "/cypher", "/queries", "/queries/blocking-laws", "/review",
         "/changes", "/risk", "/help", "/schema", "/about", "/docs", "/redoc"]
ANSWERS = ["/api/health", "/api/queries", "/api/queries/blocking-laws?as_of=2025-05-22",
           "/api/search?q=bo%20tai%20chinh", "/api/export?format=csv", "/viz/assets/viz.js",
           "/api/nodes/no-such-node", "/api/queries/blocking-laws?as_of=someday"]
# what the browser reports when a page breaks its policy, in Chromium's words
VIOLATION = "Content Security Policy"
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} `
                           + `${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`));
"""



def directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", PAGES + ANSWERS)
def test_every_answer_carries_the_security_headers(live_server, path):  # noqa: F811
    answer = httpx.get(live_server + path, timeout=60)
    assert answer.status_code in (200, 404, 422), (path, answer.status_code)
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    policy = directives(answer.headers["content-security-policy"])
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    # no page may run inline script it was not written with (Swagger UI's one is by hash)
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    if path not in ("/redoc",):  # ReDoc writes its styles at run time (api/docs.py)
        # the console allows CodeMirror's <style> by a nonce of its answer (api/workbench/pages.py)
        assert policy["style-src"].split()[0] == "'self'"
        assert all(source.startswith("'nonce-") for source in policy["style-src"].split()[1:])


def test_refusals_before_the_routes_carry_them_too(live_server):  # noqa: F811
    wrong_host = httpx.get(live_server + "/", headers={"Host": "evil.example"}, timeout=10)
    assert wrong_host.status_code == 400
    assert wrong_host.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in wrong_host.headers["content-security-policy"]


def test_served_pages_inline_no_script_or_style(live_server):  # noqa: F811
    for path in PAGES[:-2]:  # not the docs: theirs are allowed by hash or by name
        html = httpx.get(live_server + path, timeout=60).text
        assert "<style>" not in html, path
        assert " style=" not in html, path
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)


@pytest.fixture(scope="module")
def policed_tab(browser):  # noqa: F811
    """One page recording policy violations (`window.__csp`) and console messages, shared by
    the page tests below: a new page costs Chromium half a second of CPU (tests/browser_tab.py)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    yield page, messages
    context.close()


@pytest.fixture
def policed_page(policed_tab):
    """The shared page, blank, with nothing recorded yet (each page load runs the recorder anew)."""
    page, messages = policed_tab
    page.goto("about:blank")
    messages.clear()
    return page, messages


@pytest.mark.parametrize("path, ready", [
    ("/cypher", ".cm-editor"),
    ("/viz/node/bo-tai-chinh", "html[data-viz-ready=true]"),
    ("/", "html[data-viz-ready=true]"),
    ("/risk", "#page-title"),
    ("/review", "main"),
    ("/help", "main"),
    ("/schema", "main"),
    ("/about", "main"),
    ("/docs", ".opblock-summary-path"),
    ("/redoc", "h1:has-text('policygraph')"),
])
def test_pages_load_in_chromium_with_no_policy_violation(policed_page, live_server, path, ready):  # noqa: F811
    page, messages = policed_page
    page.goto(live_server + path)
    page.wait_for_selector(ready, timeout=60_000)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__csp")
    assert violations == []
    assert [m for m in messages if VIOLATION in m] == []


def test_a_page_that_broke_the_policy_would_be_caught(browser, live_server):  # noqa: F811
    """The check above can fail: an inline script injected into a served page is refused and seen."""
    context = browser.new_context()
    try:
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text))
        page.goto(live_server + "/risk")
        page.evaluate("""() => { const s = document.createElement('script');
                                 s.textContent = 'window.ran = 1'; document.body.appendChild(s); }""")
        page.wait_for_timeout(200)
        assert page.evaluate("window.ran") is None
        assert any(VIOLATION in m for m in messages)
        assert page.evaluate("window.__csp")
    finally:
        context.close()
