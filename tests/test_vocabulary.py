"""Every code a page shows has its Vietnamese (issue 31 §5)."""

from __future__ import annotations

import re

import pytest

from graph import vocabulary
from graph.schema import get_schema
from queries import get_query


def test_every_enum_of_the_schema_has_its_vietnamese():
    schema = get_schema()
    tables = {("Law", "status"): vocabulary.STATUSES, ("Task", "status"): vocabulary.STATUSES,
              ("StatusChange", "status"): vocabulary.STATUSES, ("Agency", "kind"): vocabulary.AGENCY_KINDS,
              ("Document", "doc_type"): vocabulary.DOC_TYPES}
    for (label, prop), table in tables.items():
        values = schema.node_properties(label)[prop].values
        assert values and set(values) <= set(table), (label, prop, set(values) - set(table))


def test_every_change_kind_has_its_vietnamese():
    row = get_query("changes").row
    kinds = re.search(r"kind \(([^)]*)\)", row).group(1).split(", ")
    assert set(kinds) == set(vocabulary.CHANGE_KINDS)


def test_words_follow_the_readers_language():
    assert vocabulary.language() == "vi"  # the default: the users read Vietnamese
    assert vocabulary.status("passed") == "đã thông qua"
    assert vocabulary.status(None) == "" and vocabulary.word("nonsense") == "nonsense"
    assert vocabulary.change_detail("done", "done_late") == "hoàn thành chậm"
    assert vocabulary.change_detail("overdue", "due 2025-05-28") == "hạn 2025-05-28"
    token = vocabulary.use_language("en")
    try:
        assert vocabulary.status("in_force") == "in force"
        assert vocabulary.change_detail("done", "done_late") == "done late"
        assert vocabulary.change_detail("overdue", "due 2025-05-28") == "due 2025-05-28"
        assert vocabulary.tr("Xem", "Show") == "Show"
    finally:
        vocabulary.reset_language(token)
    assert vocabulary.tr("Xem", "Show") == "Xem"
    with pytest.raises(ValueError, match="vi, en"):
        vocabulary.use_language("fr")


def test_every_reason_deadline_risk_gives_has_its_vietnamese(bundled_store):
    rows = []
    for as_of in ("2025-05-22", "2025-07-02", "2026-03-01"):
        rows += get_query("deadline-risk").run(bundled_store, {"as_of": as_of, "days": 400}).rows
    reasons = {r for row in rows for r in row["reasons"]}
    assert len(reasons) > 5
    untranslated = sorted(r for r in reasons if vocabulary.reason_vi(r) is None)
    assert untranslated == []
    assert vocabulary.reason("due in 6 days (2025-05-28)") == "còn 6 ngày đến hạn (2025-05-28)"


def test_the_categories_are_the_pages_categories():
    from api.viz.style import TASK_CATEGORIES

    assert set(vocabulary.CATEGORIES) == set(TASK_CATEGORIES)
