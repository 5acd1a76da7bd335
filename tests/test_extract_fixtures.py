"""Notices and a plan written for these tests in the genre's style, checked item by item.

Each fixture exercises what real documents do (see the comment at the top of each
``*.expected.yaml``): other numbering schemes, deadlines by month and quarter and without
year, several leads in one item, unknown agencies, recurring duties, broken lines.
"""

from __future__ import annotations

import pytest

from benchmarks.extraction import align
from loaders.extract import extract
from loaders.extract.text import fold
from tests.test_extract_support import OWN_NOTICES, dict_resolver, load_expected

assert len(OWN_NOTICES) >= 3


@pytest.fixture(scope="module", params=OWN_NOTICES, ids=lambda p: p.stem)
def case(request):
    path = request.param
    text = path.read_text(encoding="utf-8")
    return text, extract(text, source_name=path.name, resolve=dict_resolver), load_expected(path)


def test_header(case):
    _, result, expected = case
    doc = result.document.model_dump(mode="json")
    for key, value in expected["document"].items():
        assert doc[key] == value, key


def test_tasks_item_by_item(case):
    text, result, expected = case
    wanted = expected["tasks"]
    got = align(text, result.tasks, wanted)
    for want, task in zip(wanted, got, strict=True):
        where = f"{want['section']} ({want['lead']})"
        assert task is not None, f"{where}: not extracted"
        assert task.lead == want["lead"], where
        assert task.co == want["co"], where
        assert task.co_generic == want["co_generic"], where
        assert (task.deadline.isoformat() if task.deadline else None) == want["deadline"], where
        if "recurrence" in want:
            assert task.recurrence and task.recurrence.startswith(want["recurrence"]), where
        assert {fold(r) for r in task.refs} == {fold(r) for r in want["refs"]}, where
        assert task.summary, where
    assert len(result.tasks) == len(wanted), [t.id for t in result.tasks]


def test_references(case):
    _, result, expected = case
    assert {fold(law.name) for law in result.laws} == {fold(x) for x in expected["laws"]}
    assert {d.number for d in result.documents} == set(expected["documents"])


def test_unknown_agencies_are_kept_as_candidates(case):
    _, result, expected = case
    candidates = {fold(a.name) for a in result.agencies if a.candidate}
    assert candidates == {fold(x) for x in expected["candidates"]}
    named = {fold(m) for t in result.tasks for m in ([t.lead] if t.lead else []) + t.co}
    assert {fold(x) for x in expected["candidates"]} <= named


def test_ids_are_unique_and_stable(case):
    text, result, _ = case
    ids = [t.id for t in result.tasks]
    assert len(ids) == len(set(ids))
    again = extract(text, source_name="other-name.txt", resolve=dict_resolver)
    assert [t.id for t in again.tasks] == ids  # keyed by the document number, not the file


def test_short_and_long_names_are_one_agency():
    path = next(p for p in OWN_NOTICES if p.stem == "05-KH-BCDTW")
    result = extract(path.read_text(encoding="utf-8"), source_name=path.name, resolve=dict_resolver)
    most = [a for a in result.agencies if a.id == "bo-khcn"]
    assert len(most) == 1
    assert set(most[0].mentions) == {"Bộ Khoa học và Công nghệ", "Bộ KH&CN"}
    leads = {t.lead: t.lead_id for t in result.tasks}
    assert leads["Bộ KH&CN"] == leads["Bộ Khoa học và Công nghệ"] == "bo-khcn"


def test_deadline_without_year_rolls_into_next_year():
    path = next(p for p in OWN_NOTICES if p.stem == "41-TB-TGV")
    result = extract(path.read_text(encoding="utf-8"), source_name=path.name)
    first = result.tasks[0]
    assert first.deadline_text.endswith("trước ngày 10/1")
    assert first.deadline.isoformat() == "2026-01-10"


def test_assessment_sections_give_no_tasks():
    path = next(p for p in OWN_NOTICES if p.stem == "312-TB-VPCP")
    result = extract(path.read_text(encoding="utf-8"), source_name=path.name)
    assert all(t.section.startswith("II.") for t in result.tasks)
    assert [t.name for t in result.topics] == ["Đánh giá chung", "Nhiệm vụ trong thời gian tới"]
