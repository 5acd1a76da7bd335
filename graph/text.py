"""Vietnamese-aware normalisation, so every way of typing a name meets in one key.

Search boxes get Vietnamese without diacritics, sources mix `Uỷ`/`Ủy` and
`KH&CN`/`KHCN`; `fold` maps all of those to one lowercase ASCII form.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
# What shows nothing: the format characters (Unicode category Cf: soft hyphen, zero-width
# space and joiners, direction marks, word joiner, BOM, tags...) and the characters that take
# no room yet are letters (Hangul fillers) or symbols (the blank Braille cell).
_PRINTABLE_BLANKS = " \u115f\u1160\u2800\u3164\uffa0"
_HIDDEN = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufeff\uffa0"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
_PUNCT = re.compile(r"[^\w&/.\-]+")
# Short forms that sources write in several ways: fold them to one spelling. Each pattern is
# tried only where its text turns up (most names have none): a national load folds half a
# million names.
_VARIANTS = [
    ("kh", re.compile(r"\bkh\s*&\s*cn\b"), "khcn"),
    ("kh", re.compile(r"\bkh\s*-\s*cn\b"), "khcn"),
    ("gd", re.compile(r"\bgd\s*&\s*dt\b"), "gddt"),
    ("tp.", re.compile(r"\btp\.\s*"), "thanh pho "),
    ("hcm", re.compile(r"\bhcm\b"), "ho chi minh"),
    ("ubnd", re.compile(r"\bubnd\b"), "uy ban nhan dan"),
    ("chinh phu", re.compile(r"\bnd\s*-\s*chinh phu\b"), "nd-cp"),
]
# Characters cached in the table below: Latin (Vietnamese included), Greek, Cyrillic and
# punctuation. Others are transliterated each time, so odd input cannot grow it unbounded.
_CACHED_BELOW = 0x2100


class _Transliteration(dict):
    """unidecode as a `str.translate` table, filled as characters turn up.

    unidecode maps each character on its own in a Python loop; `translate` does the same
    lookups in C, a third of the time `fold` took on a national load.
    """

    def __missing__(self, code: int) -> str:
        replacement = unidecode(chr(code))
        if code < _CACHED_BELOW:
            self[code] = replacement
        return replacement


_ASCII = _Transliteration()


def fold(text: str, *, expand: bool = True) -> str:
    """Lowercase ASCII form of `text`: diacritics, case and spacing folded. The one fold of the
    project: the alias table, search keys, ids and the extractor all call it.

    `expand` (names and phrases: the alias table, search): short forms written several ways
    meet in one spelling (`KH&CN` = `KHCN`, `UBND` = `Ủy ban nhân dân`, `TP.` = `thành phố`).
    `expand=False` (the extractor, which compares word by word): every `&` is dropped, so
    `KH&CN` = `KHCN`, and abbreviations stay as written, so one token stays one key.

    >>> fold("Uỷ ban  nhân dân TP. Hồ Chí Minh") == fold("ủy ban nhân dân thành phố hồ chí minh")
    True
    >>> fold("Bộ KH&CN")
    'bo khcn'
    >>> fold("UBND TP. Hồ Chí Minh", expand=False)
    'ubnd tp. ho chi minh'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_ASCII)
    text = " ".join(text.lower().split())
    if not expand:
        return " ".join(text.replace("&", "").split()) if "&" in text else text
    varied = False
    for needle, pattern, replacement in _VARIANTS:
        if needle in text:
            text, count = pattern.subn(replacement, text)
            varied = varied or count > 0
    return _SPACES.sub(" ", text).strip() if varied else text


def words(text: str) -> list[str]:
    """The folded words of `text`, punctuation dropped (for token matching)."""
    return [w for w in _PUNCT.sub(" ", fold(text)).replace("/", " ").split() if w]


def slugify(text: str, *, expand: bool = True) -> str:
    """A stable ASCII slug, for ids made from names: `Bộ Tài chính` -> `bo-tai-chinh`.

    `expand` as in `fold`: False keeps short forms as written (`123/QĐ-UBND` -> `123-qd-ubnd`),
    as the extractor's document ids do."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text, expand=expand)).strip("-")


def visible(text: str) -> str:
    """`text` in NFC without the characters that show nothing (U+200B, U+FEFF, U+2060, Hangul
    fillers...) and without surrounding white space: what a reader sees."""
    return _HIDDEN.sub("", unicodedata.normalize("NFC", text)).strip()


def is_blank(text: str) -> bool:
    """Whether `text` shows nothing: the one test of whether a required name says anything
    (graph/schema.py and the loader's quick check); the stored value is left as written."""
    if text.isprintable():  # the common name, in C: no format character, only " " as space
        return not text.strip(_PRINTABLE_BLANKS)
    return not visible(text)
