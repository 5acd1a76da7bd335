"""Extraction time grows linearly with the input, and a text past the limit is refused by name.

Issue 29 item 7: 20 KB of '"' or '(' took 22.6 s, because readers searched the whole prefix of
a clause again at every candidate position (and every sentence end searched the text from its
start for an abbreviation). The comparison is 20 KB against 200 KB of the same text: linear
gives about 10x, quadratic 100x; the bound is generous for a shared machine.
"""

from __future__ import annotations

import time

import pytest

from graph.errors import PolicygraphError
from loaders.extract import MAX_TEXT_CHARS, extract
from loaders.extract.agencies import AgencyReader


def _seconds(text: str) -> float:
    started = time.perf_counter()
    extract(text, source_name="scaling.txt")
    return time.perf_counter() - started


SENTENCE = "Các bộ, ngành khẩn trương hoàn thành báo cáo trước ngày 30/6/2025. "


@pytest.mark.slow  # about 10 s: three texts at 200 KB
@pytest.mark.parametrize("unit", ['"', "(", SENTENCE], ids=["quotes", "parentheses", "sentences"])
def test_ten_times_the_text_takes_about_ten_times_as_long(unit):
    small = (unit * (20_000 // len(unit) + 1))[:20_000]
    large = (unit * (200_000 // len(unit) + 1))[:200_000]
    _seconds(small[:2_000])  # warm the gazetteer and regex caches
    t_small, t_large = _seconds(small), _seconds(large)
    assert t_large < 30 * t_small + 2.0, f"20 KB: {t_small:.2f} s, 200 KB: {t_large:.2f} s"


def test_a_text_over_the_limit_is_refused_naming_the_file():
    with pytest.raises(PolicygraphError) as refused:
        extract("Bộ Tài chính báo cáo. " * (MAX_TEXT_CHARS // 20), source_name="huge-notice.txt")
    assert "huge-notice.txt" in refused.value.message
    assert f"{MAX_TEXT_CHARS:,}" in refused.value.message


def test_index_at_finds_the_first_token_at_or_after_a_position():
    reader = AgencyReader("Bộ Tài chính, Bộ Công an")
    starts = [t.start for t in reader.tokens]
    for pos in range(len(reader.text) + 2):
        expected = next((k for k, s in enumerate(starts) if s >= pos), len(starts))
        assert reader.index_at(pos) == expected, pos
