"""Progress statements (issue 16): a later text saying an earlier task is done, late or moved."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.extract import extract
from loaders.extract.updates import find_updates

ON = date(2025, 6, 20)


def said(sentence: str) -> list[tuple]:
    return [(u.kind, u.status, u.deadline.isoformat() if u.deadline else None, u.lead)
            for u in find_updates(sentence, key="t", issued_on=ON)]


@pytest.mark.parametrize("sentence, expected", [
    ("Bộ Tài chính đã hoàn thành việc ban hành văn bản hướng dẫn cơ chế tài chính.",
     ("status", "done", None, "Bộ Tài chính")),
    ("Bộ Nội vụ chưa hoàn thành việc rà soát các quy định về tổ chức bộ máy.",
     ("status", "not_done", None, "Bộ Nội vụ")),
    ("Bộ Ngoại giao còn chậm trong việc kết nối chuyên gia người Việt Nam ở nước ngoài.",
     ("status", "overdue", None, "Bộ Ngoại giao")),
    ("Lùi thời hạn hoàn thành đề án của Bộ Công an đến ngày 30/6/2025.",
     ("deadline", None, "2025-06-30", "Bộ Công an")),
    ("Đồng ý gia hạn thời gian trình đề án của Bộ Y tế đến hết tháng 9/2025.",
     ("deadline", None, "2025-09-30", "Bộ Y tế")),
])
def test_each_kind_of_progress_statement(sentence, expected):
    assert said(sentence) == [expected]


@pytest.mark.parametrize("sentence", [
    "Các bộ, ngành không để chậm trễ việc triển khai các chương trình, dự án.",  # a direction
    "Điều chỉnh quy hoạch hạ tầng số đến năm 2030 theo hướng hiện đại.",  # a horizon, no move
    "Bộ Khoa học và Công nghệ chủ trì xây dựng đề án, hoàn thành trước ngày 30/9/2025.",  # a task
])
def test_directions_horizons_and_new_tasks_are_no_progress(sentence):
    assert said(sentence) == []


def test_a_statement_naming_the_document_and_item_carries_them():
    [update] = find_updates("Bộ Tài chính đã hoàn thành nhiệm vụ tại điểm 1.b Thông báo số "
                            "25-TB/TGV; Bộ Xây dựng đang triển khai.", key="t", issued_on=ON)
    assert (update.item, update.document, update.on) == ("1.b", "25-TB/TGV", ON)
    [nested] = find_updates("Bộ Khoa học và Công nghệ đã hoàn thành nhiệm vụ tại tiểu mục "
                            "4.a.(1) Thông báo số 25-TB/TGV.", key="t", issued_on=ON)
    assert nested.item == "4.a.(1)"


def test_updates_are_listed_apart_from_tasks_and_resolved():
    text = ("Hà Nội, ngày 20 tháng 6 năm 2025\nBộ Tài chính đã hoàn thành việc ban hành văn bản "
            "hướng dẫn. Đề nghị Bộ Y tế hoàn thiện đề án trong tháng 7/2025.\n")
    result = extract(text, source_name="t.txt", resolve={"Bộ Tài chính": "bo-tai-chinh"}.get)
    assert [t.lead for t in result.tasks] == ["Bộ Y tế"]
    assert [(u.status, u.lead_id, u.on) for u in result.updates] == [("done", "bo-tai-chinh", ON)]
