"""The workbench in a real browser: Debian's Chromium, headless, with the network cut.

The real app serves the bundled dataset from the real embedded store through uvicorn on a free
loopback port; every request that is not to that server is aborted and recorded, and each test
asserts there was none. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page

from api.app import create_app
from api.deps import get_store
from tests.browser_tab import KeptTab, Tab
from tests.conftest import REPO, serve_in_thread
from tests.test_viz_browser import browser, settle  # noqa: F401 - the shared Chromium fixture

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def live_server(bundled_store):
    """The app on 127.0.0.1:<free port>, in a thread, reading the bundled dataset."""
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    with serve_in_thread(app) as base:
        yield base


class WorkbenchTab(Tab):
    """A tab on the workbench: downloads kept (the CSV buttons), page errors counted."""

    def __init__(self, browser, base: str) -> None:  # noqa: F811
        super().__init__(browser, base, viewport={"width": 1400, "height": 900}, accept_downloads=True)

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page


@pytest.fixture(scope="module")
def kept_tab(browser, live_server):  # noqa: F811
    kept = KeptTab(lambda: WorkbenchTab(browser, live_server))
    yield kept
    kept.close()


@pytest.fixture
def tab(kept_tab) -> WorkbenchTab:
    """The module's tab, wiped: a first visit, without a new renderer's cost."""
    return kept_tab.wiped()


def test_swagger_ui_renders_the_operations_offline(tab):
    page = tab.open("/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/cypher" in [p.strip() for p in paths]
    assert "/api/queries/blocking-laws" in [p.strip() for p in paths]  # one typed operation per query
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
    page.wait_for_function("() => document.querySelectorAll('#dl-law option').length > 0", timeout=30_000)
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
    page.wait_for_function("() => document.querySelector('#graph canvas') !== null")
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
    assert page.locator("#csv-excel-link").get_attribute("href") == \
        "/queries/agency-workload.csv?as_of=2025-05-22&bom=1"
    assert page.locator("#json-link").get_attribute("href") == "/api/queries/agency-workload?as_of=2025-05-22"
    page.click("[data-tab=graph]")
    assert page.locator("#size-by").input_value() == "open_led"
    page.wait_for_function("() => document.querySelector('#graph canvas') !== null")
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


# -- the Cypher console ----------------------------------------------------------------------
CONSOLE_QUERY = ("MATCH (t:Task)-[r:LED_BY]->(a:Agency {id: 'bo-tai-chinh'}) "
                 "RETURN t.id AS task, t, r, a ORDER BY task")


def type_query(page: Page, text: str) -> None:
    """Type into the CodeMirror editor as a person would, then run it with Ctrl+Enter."""
    page.click(".cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)
    page.keyboard.press("Escape")  # close a completion list, if one is open
    page.keyboard.press("Control+Enter")


def console_rows(page: Page) -> list[dict[str, str]]:
    return table_rows(page)


def test_console_runs_typed_cypher_and_shows_graph_and_table(tab, bundled_store):
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    assert page.evaluate("document.documentElement.dataset.editor") == "cypher"
    type_query(page, CONSOLE_QUERY)
    wait_ready(page)
    expected = bundled_store.read(CONSOLE_QUERY).rows
    page.wait_for_function("() => document.querySelector('#graph canvas') !== null")
    assert page.locator("[data-pane=graph]").is_visible()
    drawn = page.evaluate("() => [PGConsole.network.body.data.nodes.length, "
                          "PGConsole.network.body.data.edges.length]")
    assert drawn == [len(expected) + 1, len(expected)]  # the tasks, the agency, one LED_BY each
    page.click("[data-tab=table]")
    shown = console_rows(page)
    assert [r["task"] for r in shown] == [r["task"] for r in expected] and len(shown) > 1
    assert "ms" in page.locator("#status").inner_text()
    assert page.locator("#status").get_attribute("data-truncated") == "false"
    page.click("[data-tab=json]")
    assert f'"task": "{expected[0]["task"]}"' in page.locator("#json").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.click("[data-tab=graph]")
    page.wait_for_timeout(1500)  # let the layout settle for the picture
    page.screenshot(path=str(ARTIFACTS / "workbench-console.png"))
    assert tab.outside == [] and tab.errors == []


def test_console_completes_schema_labels(tab):
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    page.click(".cm-content")
    page.keyboard.type("MATCH (n:Ag")
    # the list opens on the first letters typed and is narrowed as the rest arrive: wait for
    # the label in it, not for the list (read at once, it once held the keywords of "MATCH")
    agency = page.locator(".cm-tooltip-autocomplete li", has_text="Agency").first
    agency.wait_for(timeout=60_000)
    options = page.locator(".cm-tooltip-autocomplete li").all_inner_texts()
    assert any("Agency" in option for option in options), options


def test_an_earlier_runs_late_reply_does_not_replace_the_later_answer(tab):
    """Run, then run another query before the first answers: the second answer stays, and
    the history lists the runs in the order they were made (the later one first)."""
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    held = []

    def hold_the_first(route):
        if held:
            route.continue_()
        else:
            held.append(route)  # the first run's request waits here until released

    page.route("**/api/cypher", hold_the_first)
    try:
        type_query(page, "MATCH (l:Law) RETURN l.id AS id ORDER BY id LIMIT 1")
        page.wait_for_function("() => document.documentElement.dataset.wbReady === 'running'")
        type_query(page, "MATCH (a:Agency) RETURN a.id AS id ORDER BY id LIMIT 3")
        wait_ready(page)
        page.click("[data-tab=table]")
        later = console_rows(page)
        assert len(later) == 3
        with page.expect_response("**/api/cypher"):
            held[0].continue_()
        page.wait_for_timeout(300)  # the reply's handler has run
        assert console_rows(page) == later
        assert page.evaluate("document.documentElement.dataset.wbReady") == "true"
        assert page.locator("#status").inner_text().startswith("3 ")
        history = page.evaluate("JSON.parse(localStorage.getItem('policygraph.cypher.history'))")
        assert [h["query"] for h in history[:2]] == [
            "MATCH (a:Agency) RETURN a.id AS id ORDER BY id LIMIT 3",
            "MATCH (l:Law) RETURN l.id AS id ORDER BY id LIMIT 1"]
    finally:
        page.unroute("**/api/cypher", hold_the_first)
    assert tab.outside == [] and tab.errors == []


def test_console_downloads_csv_and_keeps_history(tab, bundled_store):
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    type_query(page, "MATCH (a:Agency) WHERE a.kind = $kind RETURN a.id AS id, a.name AS name ORDER BY id")
    page.fill("#params", "kind=ministry")
    page.click("#run")
    wait_ready(page)
    with page.expect_download() as download:
        page.click("#csv-download")
    with open(download.value.path(), encoding="utf-8", newline="") as saved:
        text = list(csv.reader(saved))
    expected = bundled_store.read("MATCH (a:Agency) WHERE a.kind = 'ministry' RETURN a.id AS id, "
                                  "a.name AS name ORDER BY id").rows
    assert text[0] == ["id", "name"] and len(text) > 3
    assert text[1:] == [[r["id"], r["name"]] for r in expected]
    stored = page.evaluate("JSON.parse(localStorage.getItem('policygraph.cypher.history'))")
    assert stored[0]["params"] == "kind=ministry" and "a.kind = $kind" in stored[0]["query"]
    assert page.locator("#history li").count() >= 1


def test_console_shared_url_reproduces_the_answer(tab, browser, live_server):  # noqa: F811
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    type_query(page, "MATCH (l:Law) WHERE l.id STARTS WITH $prefix RETURN l.id AS id ORDER BY id")
    page.fill("#params", '{"prefix": "law-"}')
    page.click("#run")
    wait_ready(page)
    page.click("[data-tab=table]")
    first = console_rows(page)
    shared = page.url
    assert "q=" in shared and "params=" in shared
    other = WorkbenchTab(browser, live_server)  # a fresh browser profile: nothing in its history
    try:
        ran: list[str] = []
        other.page.on("request", lambda r: ran.append(r.url) if "/api/cypher" in r.url else None)
        again = other.open(shared.removeprefix(live_server))
        wait_ready(again, "filled")  # a link fills the console and runs nothing (issue 29)
        assert "l.id STARTS WITH $prefix" in again.locator(".cm-content").inner_text()
        assert again.input_value("#params") == '{"prefix": "law-"}'
        assert "Nhấn Chạy" in again.locator("#status").inner_text()
        again.wait_for_timeout(300)
        assert ran == [] and again.locator("#result").is_hidden()
        ARTIFACTS.mkdir(exist_ok=True)
        again.screenshot(path=str(ARTIFACTS / "workbench-console-link.png"))
        again.click("#run")
        wait_ready(again)
        assert len(ran) == 1
        again.click("[data-tab=table]")
        assert console_rows(again) == first and len(first) > 1
        assert other.outside == []
    finally:
        other.context.close()


def test_console_neo4j5_query_is_rewritten_or_refused_with_the_portable_form(tab):
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    type_query(page, "MATCH (a:Agency WHERE a.kind = 'ministry') RETURN count(a) AS n")
    wait_ready(page)
    notice = page.locator("#notices").inner_text()
    assert "moved to the MATCH's WHERE" in notice and "MATCH (a:Agency) WHERE a.kind = 'ministry'" in notice
    page.click("[data-tab=table]")
    assert int(console_rows(page)[0]["n"]) > 0
    type_query(page, "MATCH (n) RETURN elementId(n) LIMIT 1")
    wait_ready(page, "error")
    error = page.locator("#error").inner_text()
    assert "elementId() is Neo4j's internal id" in error and "use n.id" in error
    assert "errMsg" not in error  # the analyst sees the fix, not the store's parser text


def test_console_says_when_the_row_cap_cut_the_answer(tab):
    page = tab.open("/cypher?q=" + "UNWIND%20range(1%2C%20100000)%20AS%20i%20RETURN%20i")
    wait_ready(page, "filled")
    page.click("#run")
    wait_ready(page)
    assert page.locator("#status").get_attribute("data-truncated") == "true"
    assert "cắt ở giới hạn dòng" in page.locator("#status").inner_text()
    assert page.locator("#next-page").is_visible()
    shown = len(console_rows(page))
    page.click("#next-page")
    first_cell = "document.querySelector('#table tbody tr td').textContent"
    page.wait_for_function(f"() => {first_cell} === '{shown + 1}'")


def test_console_suggests_the_property_meant_and_an_error_clears_the_old_table(tab):
    """A mistyped property answers nulls; the console says which name was meant. A failing
    query then hides the table of the one before, so it cannot be read as this answer."""
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    type_query(page, "MATCH (t:Task) RETURN t.name AS name, t.deadlin AS deadline LIMIT 5")
    wait_ready(page)
    notice = page.locator("#notices")
    assert notice.is_visible()
    assert "Unknown property `deadlin`: did you mean `deadline`?" in notice.inner_text()
    assert page.locator("#result").is_visible()
    type_query(page, "MATCH (t:Task RETURN t")
    wait_ready(page, "error")
    assert page.locator("#error").is_visible() and not page.locator("#result").is_visible()
    assert not notice.is_visible()
    assert tab.outside == [] and tab.errors == []


def test_console_names_a_missing_parameter_and_offers_its_field(tab):
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    type_query(page, "MATCH (t:Task) WHERE t.deadline <= $as_of RETURN t.id AS id LIMIT 3")
    wait_ready(page, "error")
    assert "$as_of is not set" in page.locator("#error").inner_text()
    page.click("#add-param")
    assert page.input_value("#params") == "as_of="
    page.keyboard.insert_text("2025-12-31")  # the cursor waits after the `=`
    page.click(".cm-content")
    page.keyboard.press("Control+Enter")
    wait_ready(page)
    assert page.locator("#result").is_visible() and not page.locator("#error").is_visible()
    page.click("[data-tab=table]")
    assert len(console_rows(page)) == 3
    # a placeholder is drawn as an example (grey, slanted), not as a value
    assert page.evaluate("getComputedStyle(document.querySelector('#params'), '::placeholder')"
                         ".fontStyle") == "italic"
    assert tab.outside == [] and tab.errors == []


def test_console_schema_panel_inserts_the_name_at_the_cursor(tab):
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    page.click(".cm-content")
    page.keyboard.insert_text("MATCH (t) RETURN t.")
    page.keyboard.press("Escape")
    page.keyboard.press("Home")
    for _ in range(len("MATCH (t")):
        page.keyboard.press("ArrowRight")  # the cursor after `(t`
    panel = page.locator("#schema-panel")
    panel.locator("button.insert[data-insert=':Task']").click()
    page.keyboard.press("End")
    panel.locator("button.insert[data-insert='deadline']").click()
    assert page.locator(".cm-content").inner_text() == "MATCH (t:Task) RETURN t.deadline"
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Enter")
    wait_ready(page)
    assert page.locator("#result").is_visible()
    assert tab.outside == [] and tab.errors == []


def test_a_sample_query_fills_the_console_and_runs_on_click(tab, bundled_store):
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    ran: list[str] = []
    page.on("request", lambda r: ran.append(r.url) if "/api/cypher" in r.url else None)
    page.locator("button.sample[data-name='law-impact']").click()
    wait_ready(page, "filled")
    assert "DEPENDS_ON*1..8" in page.locator(".cm-content").inner_text()
    params = page.input_value("#params")
    assert "law=law-khcn-dmst" in params and "as_of=" in params
    page.wait_for_timeout(200)
    assert ran == []  # filled, not run
    page.click("#run")
    wait_ready(page)
    page.click("[data-tab=table]")
    shown = console_rows(page)
    as_of = dict(line.split("=", 1) for line in params.splitlines())["as_of"]
    expected = get_query_rows(bundled_store, "law-impact", {"law": "law-khcn-dmst", "as_of": as_of})
    assert [r["id"] for r in shown] == [r["id"] for r in expected] and shown
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workbench-console-sample.png"), full_page=True)
    assert tab.outside == [] and tab.errors == []


def get_query_rows(store, name: str, params: dict) -> list[dict]:
    from queries import get_query
    return get_query(name).run(store, params).rows


def test_saved_queries_stay_in_the_browser_and_their_link_fills_another(tab, browser, live_server):  # noqa: F811
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    type_query(page, "MATCH (a:Agency) WHERE a.kind = $kind RETURN a.id AS id ORDER BY id LIMIT 3")
    # that run has no $kind: its answer offers the field (rewrites #params), so wait for it
    wait_ready(page, "error")
    page.fill("#params", "kind=ministry")
    page.fill("#save-name", "Ba bộ đầu tiên")
    page.click("#save")
    saved = page.evaluate("JSON.parse(localStorage.getItem('policygraph.cypher.saved'))")
    assert [(s["name"], s["params"]) for s in saved] == [("Ba bộ đầu tiên", "kind=ministry")]
    link = page.locator("#saved a.saved-link")
    assert link.inner_text() == "Ba bộ đầu tiên"
    href = link.get_attribute("href")
    page.reload()
    wait_ready(page, "filled")  # the last run's URL
    assert page.locator("#saved a.saved-link").inner_text() == "Ba bộ đầu tiên"  # kept across loads
    other = WorkbenchTab(browser, live_server)  # another profile: the link alone carries the query
    try:
        again = other.open(href)
        wait_ready(again, "filled")
        assert "a.kind = $kind" in again.locator(".cm-content").inner_text()
        assert again.input_value("#params") == "kind=ministry"
        assert again.locator("#saved li").count() == 0  # saved queries belong to one browser
        again.click("#run")
        wait_ready(again)
        again.click("[data-tab=table]")
        assert len(console_rows(again)) == 3
    finally:
        other.context.close()
    page.locator("#saved button.forget").click()
    assert page.evaluate("JSON.parse(localStorage.getItem('policygraph.cypher.saved'))") == []
    page.fill("#save-name", "")
    page.click("#save")
    assert "Đặt tên và gõ truy vấn" in page.locator("#error").inner_text()
    assert tab.outside == [] and tab.errors == []


def test_the_schema_panel_names_are_readable(tab):
    """Its buttons draw their names in a colour apart from their background."""
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    colours = page.evaluate("""() => { const b = document.querySelector('#schema-panel button.insert');
        const s = getComputedStyle(b); return [s.color, s.backgroundColor]; }""")
    assert colours[0] != colours[1] and colours[0] != "rgb(255, 255, 255)"
    page.locator("#schema-panel").screenshot(path=str(ARTIFACTS / "workbench-schema-panel.png"))


def downloaded(page: Page, selector: str) -> bytes:
    with page.expect_download() as download:
        page.click(selector)
    with open(download.value.path(), "rb") as saved:
        return saved.read()


def test_console_page_csv_and_the_whole_answer_csv_are_one_shape(tab, bundled_store):
    """The console writes the page's CSV itself and asks the API for the whole answer's: the
    same cells (maps spread into `field.sub`, lists joined, nodes by id), and the whole one
    past the page; the Excel box adds a BOM to both."""
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    agencies = ("MATCH (a:Agency) RETURN a, properties(a) AS p, a.aliases AS aliases ORDER BY a.id "
                "LIMIT 60")  # one page
    type_query(page, agencies)
    wait_ready(page)
    own = downloaded(page, "#csv-download")
    whole = downloaded(page, "#csv-whole")
    assert page.locator("#export-status").get_attribute("data-truncated") == "false"
    assert own == whole and not own.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(own.decode("utf-8"))))
    assert table[0][:2] == ["a", "p.name"] and "p.id" in table[0] and "{" not in own.decode("utf-8")
    expected = bundled_store.read(agencies).rows
    assert [r[0] for r in table[1:]] == [r["a"]["properties"]["id"] for r in expected]
    type_query(page, "UNWIND range(1, 250) AS i RETURN i, {n: i, half: i / 2.0} AS m, [i, i + 1] AS pair")
    wait_ready(page)
    page.check("#csv-bom")
    own = downloaded(page, "#csv-download")
    whole = downloaded(page, "#csv-whole")
    assert own.startswith(b"\xef\xbb\xbf") and whole.startswith(b"\xef\xbb\xbf")
    mine = list(csv.reader(io.StringIO(own.decode("utf-8-sig"))))
    every = list(csv.reader(io.StringIO(whole.decode("utf-8-sig"))))
    assert mine[0] == every[0] == ["i", "m.n", "m.half", "pair"]
    assert len(mine) == 101 and len(every) == 251  # the page, and every row
    assert every[1:101] == mine[1:] and every[2] == ["2", "2", "1", "2; 3"]
    assert "Đã xuất cả câu trả lời" in page.locator("#export-status").inner_text()
    assert tab.outside == [] and tab.errors == []


NARROW_PAGES = ["/", "/cypher", "/queries", "/queries/agency-workload?as_of=2025-05-22", "/risk",
                "/changes?since=2025-06-01&until=2025-07-02", "/digest?agency=bo-khcn",
                "/viz/node/bo-tai-chinh", "/help", "/schema", "/about", "/review"]


def test_every_page_fits_390_px_without_scrolling_sideways(browser, live_server):  # noqa: F811
    """At a phone's 390 px the page itself never scrolls sideways; a wide table scrolls inside
    its own box (issue 31 §6)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    try:
        page = context.new_page()
        wide = {}
        for path in NARROW_PAGES:
            page.goto(live_server + path)
            settle(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[path] = width
            if path in ("/cypher", "/risk"):
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"narrow-{path.strip('/')}.png"), full_page=True)
        assert wide == {}
        page.goto(live_server + "/risk")
        scroller = page.locator("table").first
        assert page.evaluate("el => getComputedStyle(el).overflowX", scroller.element_handle()) == "auto"
    finally:
        context.close()


def fonts_drawing(page: Page, selector: str) -> set[str]:
    """The fonts Chromium really drew a node's text with (DevTools' platform fonts)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}


def test_the_json_tab_and_the_editor_draw_stacked_diacritics_whole(tab):
    """ỗ, ẫ, ệ: DejaVu Sans Mono (the default monospace) draws the tilde beside the vowel; the
    JSON tab and the editor use a monospace that stacks the marks (issue 31 §5)."""
    page = tab.open("/cypher")
    wait_ready(page, "idle")
    type_query(page, "RETURN 'Bộ Khoa học và Công nghệ · Tổng Bí thư · mỗi · Chẫm' AS name")
    wait_ready(page)
    page.click("[data-tab=json]")
    assert "Tổng Bí thư" in page.locator("#json").inner_text()
    for where in ("#json", ".cm-line"):
        drawn = fonts_drawing(page, where)
        assert "Liberation Mono" in drawn and "DejaVu Sans Mono" not in drawn, (where, drawn)
        assert drawn <= {"Liberation Mono", "Noto Sans Mono", "Noto Sans", "DejaVu Sans"}, (where, drawn)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#json").screenshot(path=str(ARTIFACTS / "workbench-json-diacritics.png"))


def test_query_table_reads_first_sorts_and_filters(tab, bundled_store):
    """A query page's table starts with the columns an analyst reads (the nodes and chains kept
    for drawing are behind "columns"), sorts by a column's head and filters by text without
    diacritics (issue 31 §4)."""
    from queries import get_query

    as_of = "2025-05-22"
    expected = get_query("blocking-laws").run(bundled_store, {"as_of": as_of}, limit=100).rows
    page = tab.open(f"/queries/blocking-laws?as_of={as_of}")
    wait_ready(page)
    page.click("[data-tab=table]")
    heads = page.locator("#table thead th").all_inner_texts()
    assert "law_id" in heads and "task_name" in heads
    assert not {"law", "task", "leads", "chain"} & set(heads)
    assert page.locator("#table .table-columns summary").inner_text().startswith(
        f"Cột ({len(heads)}/")
    page.locator("#table .table-columns summary").click()
    page.locator("#table .table-columns input[value=chain]").check()
    assert "chain" in page.locator("#table thead th").all_inner_texts()
    page.locator("#table thead th", has_text="deadline").first.click()
    deadlines = [r["deadline"] for r in table_rows(page)]
    assert deadlines == sorted(deadlines, key=lambda d: (d == "", d)) and len(deadlines) == len(expected)
    page.locator("#table thead th", has_text="deadline").first.click()
    assert [r["deadline"] for r in table_rows(page)][0] == max(deadlines)
    page.fill("#table .table-filter", "bo tai chinh")
    shown = table_rows(page)
    wanted = [r for r in expected if any("Bộ Tài chính" in (n or "") for n in r["lead_names"])]
    assert len(shown) == len(wanted) > 0
    assert f"{len(wanted)} / {len(expected)}" in page.locator("#table .table-count").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "query-table-controls.png"))
    assert tab.outside == [] and tab.errors == []


def test_query_table_facets_narrow_by_status_and_lead(tab, bundled_store):
    from queries import get_query

    as_of = "2025-05-22"
    expected = get_query("blocking-laws").run(bundled_store, {"as_of": as_of}, limit=100).rows
    page = tab.open(f"/queries/blocking-laws?as_of={as_of}")
    wait_ready(page)
    page.click("[data-tab=table]")
    facets = page.locator("#table select.facet").evaluate_all("s => s.map(x => x.dataset.column)")
    assert {"law_status", "lead_names"} <= set(facets)
    page.select_option("#table select.facet[data-column=lead_names]", "Bộ Tài chính")
    shown = table_rows(page)
    assert len(shown) == len([r for r in expected if "Bộ Tài chính" in r["lead_names"]]) > 0
    page.select_option("#table select.facet[data-column=lead_ids]", "bo-tai-chinh")  # the two agree
    assert len(table_rows(page)) == len(shown)
    assert f"{len(shown)} / {len(expected)}" in page.locator("#table .table-count").inner_text()
    page.select_option("#table select.facet[data-column=lead_names]", "")
    assert len(table_rows(page)) == len(shown)  # lead_ids still narrows
    page.select_option("#table select.facet[data-column=lead_ids]", "")
    page.select_option("#table select.facet[data-column=law_status]", label="(trống)")
    assert len(table_rows(page)) == len([r for r in expected if not r["law_status"]]) > 0
    assert tab.errors == []
