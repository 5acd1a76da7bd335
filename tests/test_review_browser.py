"""The review desk (/review) in Chromium, the whole path: a .docx in, one lead corrected, one task
rejected, the diff, the load, the task found in search and on its lead's page, the source
retracted and gone. The network outside the app is cut; the store is a graph of the test's own
with the bundled dataset loaded."""

from __future__ import annotations

import pytest

from api.app import create_app
from api.deps import get_store
from tests.conftest import REPO, serve_in_thread
from tests.test_documents import NOTICE, _docx
from tests.test_viz_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.test_workbench_browser import WorkbenchTab

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture
def review_server(store):
    from loaders.load import load_paths

    load_paths(None, store)
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    with serve_in_thread(app) as base:
        yield base, store


def _search(tab: WorkbenchTab, q: str) -> list[str]:
    answer = tab.page.request.get(f"{tab.base}/api/search", params={"q": q, "label": "Task"})
    return [hit["id"] for hit in answer.json()["data"]]


@pytest.mark.slow
def test_review_a_docx_correct_reject_diff_load_find_and_retract(browser, review_server, tmp_path):  # noqa: F811
    base, store = review_server
    word = tmp_path / "41-TB-TGV.docx"
    # the bundled graph knows Bộ Tư pháp; an agency it does not know shows the unknown flag
    notice = NOTICE.read_text(encoding="utf-8").replace("Bộ Tư pháp", "Kiểm toán Nhà nước")
    word.write_bytes(_docx([line for line in notice.split("\n") if line.strip()]))
    tab = WorkbenchTab(browser, base)
    try:
        page = tab.open("/review")
        page.set_input_files("#file", str(word))
        page.click("#read")
        page.wait_for_selector("#tasks[data-names=ready] li.task")
        tasks = page.locator("#tasks li.task")
        assert tasks.count() == 7
        assert page.locator("#source-text mark.ev-lead").count() >= 3  # the evidence is marked
        assert page.locator("#source-text mark.ev-deadline").count() >= 3
        first = tasks.nth(0)
        assert first.locator(".unknown").count() == 1  # Kiểm toán Nhà nước is not in the graph
        assert tasks.nth(2).locator(".lead-name").inner_text() == "Ủy ban nhân dân thành phố Đà Nẵng"
        # correct the first task's lead: search as you type, then take the agency it offers
        lead = first.locator("input.lead")
        lead.fill("Khoa học và Công nghệ")
        page.wait_for_selector("#agency-list option[value='bo-khcn']", state="attached")
        lead.fill("bo-khcn")
        lead.press("Tab")
        rejected_id = tasks.nth(1).get_attribute("data-id")
        tasks.nth(1).locator("select.decision").select_option("reject")
        # decide what the machine left to check: the new agency, and any task it was unsure of
        for choice in page.locator("select.agency-decision, select.decision").all():
            if choice.input_value() == "check":
                choice.select_option("accept")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review-page.png"), full_page=False)
        page.click("#diff")
        page.wait_for_selector("#diff-pane:not([hidden]), #status.error")
        assert page.locator("#status.error").count() == 0, page.locator("#status").inner_text()
        diff_text = page.locator("#diff-table").inner_text()
        assert "task-41-tb-tgv-1-p1-1" in diff_text and rejected_id not in diff_text
        assert _search(tab, "thẩm định các dự thảo nghị định hướng dẫn") == []  # nothing written yet
        page.click("#load")
        page.wait_for_selector("#loaded:not([hidden])")
        source = page.locator("#source-link").inner_text()
        assert source == "src-text-41-tb-tgv"
        assert "task-41-tb-tgv-1-p1-1" in _search(tab, "thẩm định các dự thảo nghị định hướng dẫn")
        led = store.read("MATCH (t:Task {id: $id})-[:LED_BY]->(a:Agency) RETURN a.id AS a",
                         {"id": "task-41-tb-tgv-1-p1-1"}).rows
        assert [r["a"] for r in led] == ["bo-khcn"]  # the corrected lead
        assert store.read("MATCH (t:Task {id: $id}) RETURN t.id AS t", {"id": rejected_id}).rows == []
        lead_page = tab.page.context.new_page()
        lead_page.goto(base + "/viz/node/bo-khcn")
        lead_page.wait_for_load_state("networkidle")
        assert "task-41-tb-tgv-1-p1-1" in lead_page.content()
        lead_page.close()
        page.click("#retract")
        page.wait_for_selector("#loaded[hidden]", state="attached")
        assert "task-41-tb-tgv-1-p1-1" not in _search(tab, "thẩm định các dự thảo nghị định hướng dẫn")
        assert tab.outside == [] and tab.errors == []
    finally:
        tab.context.close()
