"""The model input, notice 25-TB/TGV: header, tasks against the hand-written list, references.

The expected list (tests/fixtures/notices/25-TB-TGV.expected.yaml) was written by reading
the notice item by item; the contract is lead and deadline right for at least 90% of tasks.
"""

from __future__ import annotations

from datetime import date

import pytest

from benchmarks.extraction import align
from loaders.extract import extract
from loaders.extract.text import fold
from tests.test_extract_support import MODEL_INPUT, dataset_resolver, load_expected, resolver


@pytest.fixture(scope="module")
def text() -> str:
    return MODEL_INPUT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def expected() -> dict:
    return load_expected(MODEL_INPUT)


@pytest.fixture(scope="module")
def result(text):
    return extract(text, source_name=MODEL_INPUT.name, resolve=resolver())


def test_header(result, expected):
    doc = result.document
    want = expected["document"]
    assert doc.number == want["number"] == "25-TB/TGV"
    assert doc.type == "notice" and doc.doc_type == "notice"
    assert doc.issuer == want["issuer"]
    assert doc.place == "Hà Nội"
    assert doc.issued_on == date(2025, 5, 24)
    assert doc.meeting_on == date(2025, 5, 22)
    assert doc.title.startswith("THÔNG BÁO KẾT LUẬN CUỘC HỌP")


def test_lead_and_deadline_right_for_90_percent_of_tasks(text, result, expected):
    wanted = expected["tasks"]
    got = align(text, result.tasks, wanted)
    right = []
    for want, task in zip(wanted, got, strict=True):
        ok = (
            task is not None
            and fold(task.lead or "") == fold(want["lead"])
            and (task.deadline.isoformat() if task.deadline else None) == want["deadline"]
        )
        right.append(ok)
    assert len(wanted) == 23
    missed = [w["section"] for w, ok in zip(wanted, right, strict=True) if not ok]
    assert sum(right) / len(wanted) >= 0.9, missed
    assert len(result.tasks) <= len(wanted) + 2, "few spurious tasks"


def test_every_law_and_document_number_found(result, expected):
    assert {law.name for law in result.laws} == set(expected["laws"])
    assert {d.number for d in result.documents} == set(expected["documents"])
    roles = {d.number: d.role for d in result.documents}
    assert roles["25-TB/TGV"] == "self" and roles["23-TB/TGV"] == "cited"


def test_garbled_decree_number_is_canonical(text, result):
    assert "NĐ-CHÍNH PHủ" in text
    decree = next(d for d in result.documents if d.number == "10/2024/NĐ-CP")
    assert decree.type == "decree"
    start, end = decree.spans[0]
    assert text[start:end] == "10/2024/NĐ-CHÍNH PHủ"


def test_several_leads_in_one_item(result):
    listed = [t for t in result.tasks if t.section == "2.b"]
    assert [t.lead for t in listed] == [
        "Bộ Khoa học và Công nghệ",
        "Bộ Tài chính",
        "Bộ Xây dựng",
        "Bộ Nội vụ",
        "Bộ Nông nghiệp và Môi trường",
    ]
    assert len({tuple(t.span) for t in listed}) == 1
    cities = [t.lead for t in result.tasks if t.section == "2.c"]
    assert cities == ["Ủy ban nhân dân thành phố Hà Nội", "Uỷ ban nhân dân Thành phố Hồ Chí Minh"]


def test_sub_items_inherit_lead_and_generic_cooperators(result):
    sub = {t.section: t for t in result.tasks if t.section.startswith("1.a.")}
    assert {t.lead for t in sub.values()} == {"Bộ Khoa học và Công nghệ"}
    assert all(t.co_generic == ["các bộ, cơ quan có liên quan"] for t in sub.values())
    assert sub["1.a.(3)"].co == ["Văn phòng Trung ương Đảng"]


def test_recurring_duty_has_no_date_but_keeps_its_phrase(result):
    weekly = next(t for t in result.tasks if t.section == "1.a.(3)")
    assert weekly.deadline is None
    assert weekly.deadline_text == weekly.recurrence == "định kỳ hằng tuần"
    after_trips = next(t for t in result.tasks if t.section == "4.b.(2)")
    assert after_trips.deadline is None
    assert after_trips.recurrence.startswith("sau mỗi chuyến công tác nước ngoài")


def test_spans_are_provenance(text, result, expected):
    for task in result.tasks:
        start, end = task.span
        assert 0 <= start < end <= len(text)
        chunk = " ".join(text[start:end].split())
        assert task.text[:30] in chunk
    wanted = expected["tasks"]
    for want, task in zip(wanted, align(text, result.tasks, wanted), strict=True):
        pos = text.find(want["quote"])
        assert task.span[0] <= pos < task.span[1]


def test_topics_come_from_section_headings(result):
    names = [t.name for t in result.topics]
    assert names[0] == 'Mô hình hợp tác giữa "3 Nhà"'
    assert "Phát triển trí tuệ nhân tạo" in names
    task = next(t for t in result.tasks if t.section == "1.a.(1)")
    assert task.section_heading == 'Về mô hình hợp tác giữa "3 Nhà"'
    assert task.topic == 'Mô hình hợp tác giữa "3 Nhà"'


def test_json_contract(result):
    data = result.model_dump(mode="json")
    assert {"document", "tasks", "agencies", "laws", "documents"} <= set(data)
    assert {"number", "type", "issuer", "issued_on"} <= set(data["document"])
    assert data["document"]["issued_on"] == "2025-05-24"
    task = data["tasks"][0]
    for key in ("lead", "co", "deadline", "deadline_text", "refs", "summary", "span"):
        assert key in task
    assert task["deadline"] == "2025-05-28"
    assert isinstance(task["span"], list) and len(task["span"]) == 2
    assert task["summary"].startswith("Tiếp tục rà soát")


@pytest.mark.skipif(dataset_resolver() is None, reason="loaders.aliases not available")
def test_agencies_resolve_against_the_dataset(text):
    result = extract(text, source_name=MODEL_INPUT.name, resolve=dataset_resolver())
    by_name = {a.name: a for a in result.agencies}
    for known in ("Bộ Khoa học và Công nghệ", "Bộ Tài chính", "Văn phòng Trung ương Đảng"):
        assert by_name[known].id and not by_name[known].candidate
    assert by_name["Tổ Công tác"].candidate and by_name["Tổ Công tác"].id is None
    leads = {t.lead: t.lead_id for t in result.tasks if t.lead}
    assert leads["Bộ Khoa học và Công nghệ"] == dataset_resolver()("Bộ KH&CN")
