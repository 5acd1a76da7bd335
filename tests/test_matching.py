"""Which known task an extracted one is (`loaders.matching`), against the bundled dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.schema import get_schema
from loaders.aliases import AliasTable
from loaders.extract import extract
from loaders.extract.resolve import fuzzy_resolver
from loaders.extract.to_graph import review_document
from loaders.matching import known_from_plan, named, propose, same_item
from loaders.read import read_paths
from loaders.validate import validate
from tests.conftest import REPO

NOTICE = REPO / "data" / "samples" / "25-TB-TGV.txt"


@pytest.fixture(scope="module")
def known():
    plan, problems = validate(read_paths([REPO / "data"]), get_schema())
    assert not problems
    return known_from_plan(plan)


def test_every_task_of_the_notice_is_found_by_its_item(known):
    table = AliasTable.from_dataset()
    result = extract(NOTICE.read_text(encoding="utf-8"), source_name=NOTICE.name,
                     resolve=fuzzy_resolver(table))
    review = review_document(result, Path(NOTICE.name), table, known)
    entries = [n for n in review["nodes"] if n["label"] == "Task"]
    assert len(entries) == len(result.tasks) == 23  # one curated task each, none twice
    assert all(n["review"] == "merge" and n["id"] == n["match"]["id"] for n in entries)
    by_section = {t.section + (t.id.split("#")[1] if "#" in t.id else ""): n["id"]
                  for t, n in zip(result.tasks, entries, strict=True)}
    assert by_section["2.b3"] == "task-25-tb-tgv-2b-bo-xay-dung"  # one item, told by its lead
    assert by_section["2.c2"] == "task-25-tb-tgv-2c-tp-hcm"
    assert by_section["3.a1"] == "task-25-tb-tgv-3a1"  # no lead known on either: by order
    assert by_section["3.a2"] == "task-25-tb-tgv-3a2"
    assert by_section["4.a.(1)"] == "task-25-tb-tgv-4a1"


def test_same_item_needs_the_document(known):
    assert same_item(known, document="doc-25-tb-tgv", item="1.b", leads=[]).id == "task-25-tb-tgv-1b"
    assert same_item(known, document="doc-other", item="1.b", leads=[]) is None
    assert same_item(known, document="doc-25-tb-tgv", item=None, leads=[]) is None


def test_named_and_proposed_matches(known):
    assert named(known, number="25-TB/TGV", item="2.b", leads=["bo-noi-vu"]).id == \
        "task-25-tb-tgv-2b-bo-noi-vu"
    assert named(known, number="25-TB/TGV", item="2.b", leads=[]) is None  # which of five?
    found = propose(known, description="Bộ Tài chính ban hành văn bản hướng dẫn cơ chế tài chính "
                                        "cho các nội dung chi của mô hình hợp tác 3 Nhà",
                    leads=["bo-tai-chinh"], topics=["topic-3-nha"])
    assert found[0].task.id == "task-25-tb-tgv-1b"
    assert "topic topic-3-nha" in found[0].by and found[0].score >= 60
    assert propose(known, description="Bộ Tài chính ban hành văn bản hướng dẫn cơ chế tài chính",
                   leads=["bo-y-te"]) == []  # another lead: never proposed
    # a different description (a national data centre is not one: 03/NQ-CP gives the Ministry of
    # Finance a task about the National Data Centre, row 76)
    assert propose(known, description="tổ chức giải bóng đá thiếu niên toàn quốc",
                   leads=["bo-tai-chinh"]) == []
