"""Search finds an entity however a person types it (folded diacritics, short forms, numbers)."""

from __future__ import annotations

import pytest

from graph.search import rank, search, search_key
from graph.text import fold
from loaders.load import load_paths
from tests.test_loader import VALID


@pytest.fixture
def loaded(store):
    load_paths([VALID], store)
    return store


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("bo tai chinh", "bo-tai-chinh"),
        ("Bộ Tài chính", "bo-tai-chinh"),
        ("BỘ TÀI CHÍNH", "bo-tai-chinh"),
        ("MOF", "bo-tai-chinh"),
        ("Bộ KH&CN", "bo-khcn"),
        ("bo khcn", "bo-khcn"),
        ("MOST", "bo-khcn"),
        ("luat ngan sach nha nuoc", "law-ngan-sach"),
        ("ngân sách", "law-ngan-sach"),
    ],
)
def test_right_entity_comes_first(loaded, text, first):
    results = search(loaded, text)
    assert results[0]["id"] == first


def test_results_are_ranked_and_status_history_is_hidden(loaded):
    results = search(loaded, "ngan sach")
    assert [r["label"] for r in results] == ["Law"]
    history = search(loaded, "ngan sach", label="StatusChange")
    assert len(history) == 2


def test_label_filter_and_limit(loaded):
    assert [r["id"] for r in search(loaded, "bo", label="Agency", limit=1)] == ["bo-tai-chinh"]  # shorter
    assert search(loaded, "bo", label="Law") == []


def test_no_match_and_empty_query(loaded):
    assert search(loaded, "khong co gi") == []
    assert search(loaded, "  ,, ") == []


def test_fold_unifies_the_spellings_sources_use():
    assert fold("Uỷ ban nhân dân") == fold("Ủy ban nhân dân") == "uy ban nhan dan"
    assert fold("Bộ KH&CN") == fold("bo khcn") == fold("Bộ KH & CN")
    assert fold("UBND TP. Hồ Chí Minh") == "uy ban nhan dan thanh pho ho chi minh"
    assert fold("Đà Nẵng") == "da nang"


def test_rank_orders_exact_prefix_words_fragment():
    props = {"name": "Bộ Tài chính", "aliases": ["MOF"]}
    assert rank("bộ tài chính", props) == (100, "Bộ Tài chính")
    assert rank("bo tai", props)[0] == 85
    assert rank("tai chinh", props)[0] == 70
    assert rank("chinh bo", props)[0] == 55
    assert rank("chin", props)[0] == 30
    assert search_key(props) == "bo tai chinh | mof"
