"""The analyst's day in Chromium (issue 31, "Done when"): open home at a date, read the law →
task table, click a task, run a sample query in the console, mistype a property and see the
suggestion, export the whole answer as CSV with the BOM and read it with `csv`, switch the
interface to English and back to Vietnamese (the default; the browser keeps the choice), and
check every page at 390 px for sideways scrolling."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from graph.views import home_view
from tests.test_viz_browser import READY, Visit, browser, settle  # noqa: F401 - the shared Chromium fixture
from tests.test_workbench_browser import (
    ARTIFACTS,
    NARROW_PAGES,
    console_rows,
    live_server,  # noqa: F401 - the app on a free port
    type_query,
    wait_ready,
)

DAY = "2025-05-22"


def test_an_analysts_day(browser, live_server, bundled_store):  # noqa: F811
    expected = home_view(bundled_store, DAY)
    day = Visit(browser, live_server, width=1280)
    try:
        # 1. home at a date: the law → task table, names not ids
        page = day.open(f"/?as_of={DAY}")
        law = expected.law_tasks[0]
        task = law["tasks"][0]
        row = page.locator(f'#law-tasks tbody[data-law="{law["id"]}"] tr[data-task="{task["id"]}"]')
        assert row.locator("td.task a").inner_text() == task["name"]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "day-1-home.png"))
        # 1b. the toggle: the same page in English, then every page after it, until switched back
        assert page.inner_text("#law-tasks-title") == f"Luật nào cản trở nhiệm vụ nào, ngày {DAY}"
        page.click("#lang-switch")
        page.wait_for_selector(READY, timeout=60_000)
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.inner_text("#law-tasks-title") == f"Which law blocks which tasks on {DAY}"
        assert row.locator("td.task a").inner_text() == task["name"]  # names stay official
        page.screenshot(path=str(ARTIFACTS / "day-1b-home-en.png"))
        # 2. click the task: its page, its panel open with its name
        row.locator("td.task a").click()
        page.wait_for_selector(READY, timeout=60_000)
        page.wait_for_selector("#panel:not([hidden])")
        assert page.inner_text("#panel-name") == task["name"]
        # 3. a sample query in the console, run on click; back to Vietnamese there
        page.goto(live_server + "/cypher")
        wait_ready(page, "idle")
        nav = page.locator("header nav")
        assert "Queries" in nav.inner_text() and "Truy vấn" not in nav.inner_text()
        page.click("#lang-switch")
        wait_ready(page, "idle")
        assert "Truy vấn" in nav.inner_text() and "Queries" not in nav.inner_text()
        assert page.evaluate("document.documentElement.lang") == "vi"
        page.locator("button.sample[data-name='blocking-laws']").click()
        wait_ready(page, "filled")
        page.fill("#params", f"as_of={DAY}\nlaw=null")
        page.click("#run")
        wait_ready(page)
        page.click("[data-tab=table]")
        shown = console_rows(page)
        assert {r["task_id"] for r in shown} >= {t["id"] for t in law["tasks"]}
        # 4. a mistyped property: the console names the one meant
        type_query(page, "MATCH (t:Task) RETURN t.id AS id, t.deadlin AS deadline ORDER BY id")
        wait_ready(page)
        assert "did you mean `deadline`?" in page.locator("#notices").inner_text()
        # 5. the whole answer as CSV, BOM on, read back with csv
        type_query(page, "MATCH (t:Task) RETURN t.id AS id, t.name AS name, t.deadline AS deadline "
                         "ORDER BY id")
        wait_ready(page)
        page.check("#csv-bom")
        with page.expect_download() as download:
            page.click("#csv-whole")
        raw = Path(download.value.path()).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Vietnamese as written
        table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        every = bundled_store.read("MATCH (t:Task) RETURN t.id AS id, t.name AS name ORDER BY id").rows
        assert len(every) > 100  # more than the console's page of 100
        assert [(r["id"], r["name"]) for r in table] == [(r["id"], r["name"]) for r in every]
        page.screenshot(path=str(ARTIFACTS / "day-5-console.png"))
        assert day.outside == [] and day.errors == []
    finally:
        day.context.close()
    # 6. every page at 390 px: nothing scrolls sideways but a table inside its box
    phone = Visit(browser, live_server, width=390)
    try:
        wide = {}
        for path in NARROW_PAGES:
            phone.page.goto(live_server + path)
            settle(phone.page)
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[path] = width
        assert wide == {}
    finally:
        phone.context.close()
