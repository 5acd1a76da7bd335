"""Leads and deadlines given by a document's structure (issue 28, round 3), on small texts
written for the purpose: each checks one mechanism, none stands in for the measure (the held-out
sets under tests/data/ do that, through ``test_extract_devset.py``)."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.extract import extract
from loaders.extract.deadlines import parse_cell
from loaders.extract.tables import rows

HEADER = "BỘ XÂY DỰNG\nSố: 12/BXD-KH\nHà Nội, ngày 10 tháng 3 năm 2025\n"


def _tasks(text: str):
    return [(t.section, t.leads, t.deadline and t.deadline.isoformat())
            for t in extract(text, source_name="x.txt").tasks]


def test_a_letters_addressee_leads_the_items_under_its_request():
    text = HEADER + (
        "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương\n"
        "Để triển khai Nghị định mới, Bộ Xây dựng đề nghị Ủy ban nhân dân các tỉnh, thành phố "
        "trực thuộc trung ương chỉ đạo các cơ quan chuyên môn thực hiện, cụ thể như sau:\n"
        "1. Về quy hoạch\n"
        "a) Rà soát danh mục dự án trên địa bàn, gửi Bộ Xây dựng trước ngày 30 tháng 6 năm 2025.\n"
        "b) Cập nhật cơ sở dữ liệu quy hoạch.\n"
        "2. Sở Xây dựng các tỉnh hướng dẫn chủ đầu tư lập hồ sơ.\n"
        "Nơi nhận:\n- Như trên;\n"
    )
    got = _tasks(text)
    province = ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"]
    assert ("1.a", province, "2025-06-30") in got
    assert ("1.b", province, None) in got
    # An item with its own subject keeps it; the request itself is no task.
    assert [g for g in got if g[0] == "2"] == [("2", ["Sở Xây dựng các tỉnh"], None)]
    assert len(got) == 3


def test_a_speaker_before_the_items_is_not_their_lead():
    text = HEADER + (
        "Về đề nghị của Bộ Tài chính, Phó Thủ tướng Chính phủ có ý kiến như sau:\n"
        "1. Bộ Tài chính chủ trì hoàn thiện Đề án.\n"
        "2. Giao Bộ Tư pháp thẩm định dự thảo.\n"
    )
    leads = [t.lead for t in extract(text, source_name="x.txt").tasks]
    assert "Phó Thủ tướng Chính phủ" not in leads
    assert leads[:2] == ["Bộ Tài chính", "Bộ Tư pháp"]


def test_a_heading_listing_several_ministries_gives_one_task_per_item_with_joint_leads():
    text = HEADER + (
        "Bộ trưởng yêu cầu:\n"
        "1. Các Bộ: Tư pháp, Nội vụ, Y tế:\n"
        "a) Rà soát thủ tục hành chính, hoàn thành trong tháng 6 năm 2025;\n"
        "b) Xây dựng cơ sở dữ liệu chuyên ngành.\n"
        "2. Bộ Tài chính bố trí kinh phí.\n"
    )
    got = _tasks(text)
    three = ["Bộ Tư pháp", "Bộ Nội vụ", "Bộ Y tế"]
    assert got == [("1.a", three, "2025-06-30"), ("1.b", three, None), ("2", ["Bộ Tài chính"], None)]


def test_a_sentence_whose_subject_lists_bodies_gives_each_its_share():
    text = HEADER + (
        "Bộ trưởng yêu cầu:\n"
        "1. Ủy ban nhân dân thành phố Hà Nội và Ủy ban nhân dân Thành phố Hồ Chí Minh hoàn thiện "
        "kế hoạch phát triển khu công nghệ cao trong tháng 8 năm 2025.\n"
    )
    got = _tasks(text)
    assert [g[1] for g in got] == [["Ủy ban nhân dân thành phố Hà Nội"],
                                   ["Ủy ban nhân dân Thành phố Hồ Chí Minh"]]
    assert {g[2] for g in got} == {"2025-08-31"}


STACKED = """PHỤ LỤC
| TT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp |
| --- | --- | --- | --- |
Thời gian hoàn thành
1
Phổ biến quy định mới
a)
Tổ chức hội nghị phổ biến quy định.
Cục Quản lý nhà
Vụ Pháp chế
Quý III, IV/2025
b)
Biên soạn tài liệu hướng dẫn.
Viện Quy hoạch Đô thị
Các đơn vị có liên quan
Quý IV/2025, 2026
2
Xây dựng cơ sở dữ liệu về nhà ở.
Cục Quản lý nhà
Trung tâm Thông tin
Thường xuyên
"""


def test_a_table_written_one_cell_per_line_under_a_markdown_header():
    found = rows(STACKED)
    assert [(r.number, r.lead.text, r.co.text, r.deadline.text, r.section) for r in found] == [
        ("a", "Cục Quản lý nhà", "Vụ Pháp chế", "Quý III, IV/2025", "1 Phổ biến quy định mới"),
        ("b", "Viện Quy hoạch Đô thị", "Các đơn vị có liên quan", "Quý IV/2025, 2026",
         "1 Phổ biến quy định mới"),
        ("2", "Cục Quản lý nhà", "Trung tâm Thông tin", "Thường xuyên", "1 Phổ biến quy định mới"),
    ]
    # The cells keep their offsets into the input: evidence points at the text.
    r = found[0]
    assert STACKED[r.lead.span()[0] : r.lead.span()[1]] == "Cục Quản lý nhà"
    # The cells are read as a table, not again as prose.
    text = HEADER + "KẾ HOẠCH\nTriển khai Nghị định\n" + STACKED
    tasks = extract(text, source_name="x.txt").tasks
    assert [(t.lead, t.deadline and t.deadline.isoformat()) for t in tasks] == [
        ("Cục Quản lý nhà", "2025-12-31"), ("Viện Quy hoạch Đô thị", "2026-12-31"),
        ("Cục Quản lý nhà", None)]


def test_a_markdown_table_followed_by_prose_is_not_read_as_stacked_cells():
    text = ("| TT | Nội dung | Cơ quan chủ trì |\n| --- | --- | --- |\n"
            "Các cơ quan căn cứ chức năng, nhiệm vụ triển khai thực hiện.\n"
            "1\nMột dòng không thuộc bảng\nBộ Tài chính\nBộ Tư pháp\n")
    assert rows(text) == []


@pytest.mark.parametrize(
    ("cell", "end"),
    [
        ("Quý III, IV/2026", date(2026, 12, 31)),
        ("Quý IV/2026, 2027", date(2027, 12, 31)),
        ("Quý II, III/2026", date(2026, 9, 30)),
        ("Quý II/2026", date(2026, 6, 30)),
        ("2024 - 2030", date(2030, 12, 31)),
    ],
)
def test_a_cell_listing_periods_ends_at_the_last(cell, end):
    assert parse_cell(cell).on == end


def test_a_closing_thanks_is_no_task():
    text = HEADER + (
        "Kính gửi: Bộ Tài chính\n"
        "Bộ Xây dựng đề nghị Bộ Tài chính bố trí kinh phí trong tháng 5 năm 2025.\n"
        "Bộ Xây dựng trân trọng cảm ơn sự phối hợp của Quý Bộ./.\n"
    )
    tasks = extract(text, source_name="x.txt").tasks
    assert [(t.lead, t.deadline.isoformat()) for t in tasks] == [("Bộ Tài chính", "2025-05-31")]


def test_a_closing_request_to_carry_out_is_one_catch_all_task():
    text = HEADER + (
        "Bộ trưởng yêu cầu:\n"
        "1. Sở Xây dựng rà soát quy hoạch, hoàn thành trong tháng 9 năm 2025.\n"
        "2. Vườn quốc gia Ba Vì, các Công ty Lâm nghiệp chủ động bảo vệ rừng.\n"
        "Căn cứ nội dung trên, yêu cầu các sở, ngành, Ủy ban nhân dân các xã, phường triển khai "
        "thực hiện./.\n"
    )
    tasks = extract(text, source_name="x.txt").tasks
    assert [(t.lead, t.generic) for t in tasks][:2] == [
        ("Sở Xây dựng", False), ("Vườn quốc gia Ba Vì", False)]
    closing = [t for t in tasks if t.generic]
    assert len(closing) == 1 and len(closing[0].leads) == 2


@pytest.mark.parametrize("title", ["Cơ quan thực hiện", "Đơn vị thực hiện", "Đơn vị/cơ quan thực hiện",
                                   "Đơn vị chủ trì", "Cơ quan đầu mối"])
def test_lead_column_titles(title):
    text = (f"| TT | Nội dung nhiệm vụ | {title} | Thời gian hoàn thành |\n| --- | --- | --- | --- |\n"
            "| 1 | Xây dựng cơ sở dữ liệu | Sở Tư pháp | Quý II/2025 |\n")
    [row] = rows(text)
    assert (row.lead.text.strip(), parse_cell(row.deadline.text).on) == ("Sở Tư pháp", date(2025, 6, 30))
