"""`fold` is fast (a translate table, patterns tried only where their text occurs) and must
give exactly what the plain definition gives: unidecode the whole text, lowercase, squeeze
spaces, apply every short-form variant."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from graph.text import fold, is_blank, slugify

_SPACES = re.compile(r"\s+")
_PLAIN_VARIANTS = [
    (r"\bkh\s*&\s*cn\b", "khcn"), (r"\bkh\s*-\s*cn\b", "khcn"), (r"\bgd\s*&\s*dt\b", "gddt"),
    (r"\btp\.\s*", "thanh pho "), (r"\bhcm\b", "ho chi minh"), (r"\bubnd\b", "uy ban nhan dan"),
    (r"\bnd\s*-\s*chinh phu\b", "nd-cp"),
]


def plain_fold(text: str) -> str:
    text = unidecode(unicodedata.normalize("NFC", text)).lower()
    text = _SPACES.sub(" ", text).strip()
    for pattern, replacement in _PLAIN_VARIANTS:
        text = re.sub(pattern, replacement, text)
    return _SPACES.sub(" ", text).strip()


# Vietnamese letters, short forms and odd spacing, mixed with anything at all
PIECES = st.sampled_from(["Bộ", " KH", "&", "CN", "-", "kh", "TP.", "HCM", "UBND", "NĐ", "–",
                          "Chính phủ", "GD", "ĐT", "dt", " ", "  ", "\t", "\x1c", "Ủy", "ỷ",
                          "\u0301", "e\u0302\u0301", "ﬁ", "한국", "Ω", "·", "."])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(TEXT)
def test_fold_is_the_plain_definition(text):
    assert fold(text) == plain_fold(text)


def test_every_character_below_cjk_folds_as_unidecode_does():
    for code in range(0x3000):
        char = chr(code)
        assert fold(char) == plain_fold(char), hex(code)


def test_short_forms_meet():
    assert fold("UBND TP.HCM") == fold("Ủy ban nhân dân Thành phố Hồ Chí Minh")
    assert fold("Bộ KH & CN") == fold("bộ KH-CN") == "bo khcn"
    assert fold("NĐ - Chính phủ") == "nd-cp"


def plain_word_fold(text: str) -> str:
    """The extractor's key as it was written before it became `fold(expand=False)`."""
    text = unidecode(unicodedata.normalize("NFC", text)).lower().replace("&", "")
    return _SPACES.sub(" ", text).strip()


@settings(max_examples=600, deadline=None)
@given(TEXT)
def test_fold_without_expansion_is_the_extractors_word_key(text):
    assert fold(text, expand=False) == plain_word_fold(text)


def test_the_two_modes_differ_only_where_a_short_form_is_written():
    assert fold("UBND TP. Hồ Chí Minh") == "uy ban nhan dan thanh pho ho chi minh"
    assert fold("UBND TP. Hồ Chí Minh", expand=False) == "ubnd tp. ho chi minh"
    assert fold("Bộ KH&CN", expand=False) == fold("Bộ KH&CN") == "bo khcn"
    assert slugify("123/QĐ-UBND", expand=False) == "123-qd-ubnd"
    assert slugify("123/QĐ-UBND") == "123-qd-uy-ban-nhan-dan"


def test_the_extractor_has_no_fold_of_its_own():
    from loaders.extract import text as extract_text

    assert extract_text.fold("Uỷ ban KH & CN") == fold("Uỷ ban KH & CN", expand=False) == "uy ban kh cn"


@pytest.mark.parametrize(("text", "blank"), [
    ("", True), ("   ", True), (" \t\n", True), ("\u200b", True), ("\ufeff\u2060\u200d", True),
    ("\u3164 \u00ad", True), ("\u2800", True), ("Bộ KH&CN", False), ("a\u200bb", False),
    ("\u200bA", False), ("Đ", False),
])
def test_is_blank_sees_what_a_reader_sees(text, blank):
    assert is_blank(text) is blank
