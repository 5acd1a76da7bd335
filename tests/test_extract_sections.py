"""Sections of plans and notices that name their lead once, for every item under them.

Sentences written for these tests. Numbered notices go through the tree reader
(``structure``/``tasks``); a plan with a table goes through the free-form reader (``segment``
/``prose``): each pattern is checked through both where both can see it.
"""

from __future__ import annotations

from datetime import date

from loaders.extract import extract
from loaders.extract.pipeline import prose_tasks

HEAD = "UBND TỈNH AN GIANG\nSố 12/KH-UBND\nAn Giang, ngày 05 tháng 3 năm 2025\nKẾ HOẠCH\nVề dữ liệu số\n\n"


def _tree(body: str):
    return [(t.lead, t.co, t.deadline.isoformat() if t.deadline else None)
            for t in extract(HEAD + body, source_name="t.txt").tasks]


def _free(body: str):
    def add(_m, _role):
        return None, True

    return [(t.lead, t.co, t.deadline.isoformat() if t.deadline else None)
            for t in prose_tasks(HEAD + body, "k", add, date(2025, 3, 5))]


SECTIONS = (
    "II. NHIỆM VỤ\n"
    "1. Sở Xây dựng\n"
    "a) Chủ trì số hóa hồ sơ cấp phép, hoàn thành trong quý III/2025.\n"
    "b) Phối hợp với Sở Tư pháp rà soát quy trình cấp phép.\n"
    "2. Sở Công Thương:\n"
    "- Xây dựng sàn thương mại điện tử của tỉnh, trong tháng 9/2025.\n"
)
EXPECTED = [
    ("Sở Xây dựng", [], "2025-09-30"),
    ("Sở Xây dựng", ["Sở Tư pháp"], None),
    ("Sở Công Thương", [], "2025-09-30"),
]


def test_items_under_an_agency_title_take_it_as_lead_in_the_tree_reader():
    assert _tree(SECTIONS) == EXPECTED


def test_items_under_an_agency_title_take_it_as_lead_in_the_free_form_reader():
    assert _free(SECTIONS) == EXPECTED


def test_a_title_naming_two_bodies_gives_each_item_to_both():
    body = "II. NHIỆM VỤ\n1. Sở Y tế; Sở Nội vụ\n- Chuẩn hóa dữ liệu cán bộ y tế, trong tháng 6/2025.\n"
    got = [(t.leads, t.deadline.isoformat()) for t in extract(HEAD + body, source_name="t.txt").tasks]
    assert got == [(["Sở Y tế", "Sở Nội vụ"], "2025-06-30")]  # one task, joint leads


def test_a_topic_title_is_no_lead():
    body = ("II. NHIỆM VỤ\n1. Về hạ tầng số\n"
            "a) Sở Xây dựng chủ trì lập quy hoạch hạ tầng.\nb) Nâng cấp mạng nội bộ.\n")
    leads = [lead for lead, _, _ in _tree(body)]
    assert "Về hạ tầng số" not in leads and leads[0] == "Sở Xây dựng"


def test_an_official_in_a_numbered_item_leads_for_the_body():
    body = "II. NHIỆM VỤ\n1. Bộ trưởng Bộ Nội vụ chỉ đạo rà soát vị trí việc làm.\n"
    task = extract(HEAD + body, source_name="t.txt").tasks[0]
    assert task.lead == "Bộ trưởng Bộ Nội vụ" and task.lead_norm == "Bộ Nội vụ"


def test_all_bodies_told_to_carry_out_the_plan_is_a_catch_all_but_a_named_body_is_not():
    body = ("II. TỔ CHỨC THỰC HIỆN\n"
            "1. Các sở, ban, ngành căn cứ chức năng, nhiệm vụ chủ động triển khai thực hiện Kế hoạch này.\n"
            "2. Sở Tư pháp theo dõi, đôn đốc việc thực hiện Kế hoạch này.\n")
    found = extract(HEAD + body, source_name="t.txt").tasks
    assert [(t.lead, t.generic) for t in found] == [
        ("Các sở, ban, ngành", True), ("Sở Tư pháp", False)]


def test_an_agency_title_over_an_unmarked_line_leads_it_but_a_broken_name_stays_whole():
    body = ("II. NHIỆM VỤ\n1. Sở Văn hóa và Thể thao\n"
            "Chỉ đạo các cơ quan báo chí tuyên truyền, thực hiện thường xuyên.\n")
    task = extract(HEAD + body, source_name="t.txt").tasks[0]
    assert (task.lead, task.recurrence) == ("Sở Văn hóa và Thể thao", "thường xuyên")
    broken = "II. NHIỆM VỤ\n1. Ủy ban nhân dân tỉnh\nQuảng Ninh chủ trì lập đề án dữ liệu.\n"
    assert [t.lead for t in extract(HEAD + broken, source_name="t.txt").tasks] == [
        "Ủy ban nhân dân tỉnh Quảng Ninh"]


def test_party_committees_of_districts_are_one_generic_lead():
    body = ("II. NHIỆM VỤ\n1. Các huyện ủy, thị ủy và đảng ủy trực thuộc Tỉnh ủy xây dựng kế hoạch thực "
            "hiện, gửi Ban Thường vụ Tỉnh ủy trước ngày 30/4/2025.\n")
    task = extract(HEAD + body, source_name="t.txt").tasks[0]
    assert (task.lead, task.lead_kind, task.deadline.isoformat()) == (
        "Các huyện ủy, thị ủy và đảng ủy trực thuộc Tỉnh ủy", "generic", "2025-04-30")


def test_an_official_of_a_body_without_a_dataset_name_leads_for_the_body():
    body = ("II. NHIỆM VỤ\n1. Sở Tư pháp chủ trì số hóa hộ tịch.\n"
            "2. Giám đốc Công an tỉnh chỉ đạo làm sạch dữ liệu dân cư, đến hết năm phải hoàn thành.\n")
    task = extract(HEAD + body, source_name="t.txt").tasks[1]  # a numbered notice: the tree reader
    assert (task.lead, task.lead_norm, task.deadline.isoformat()) == (
        "Giám đốc Công an tỉnh", "Công an tỉnh", "2025-12-31")
