"""Vietnamese-aware normalisation, so every way of typing a name meets in one key.

Search boxes get Vietnamese without diacritics, sources mix `Uỷ`/`Ủy` and
`KH&CN`/`KHCN`; `fold` maps all of those to one lowercase ASCII form.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w&/.\-]+")
# Short forms that sources write in several ways: fold them to one spelling.
_VARIANTS = [
    (re.compile(r"\bkh\s*&\s*cn\b"), "khcn"),
    (re.compile(r"\bkh\s*-\s*cn\b"), "khcn"),
    (re.compile(r"\bgd\s*&\s*dt\b"), "gddt"),
    (re.compile(r"\bdmst\b"), "dmst"),
    (re.compile(r"\btp\.\s*"), "thanh pho "),
    (re.compile(r"\bhcm\b"), "ho chi minh"),
    (re.compile(r"\bubnd\b"), "uy ban nhan dan"),
    (re.compile(r"\bnd\s*-\s*chinh phu\b"), "nd-cp"),
]


def fold(text: str) -> str:
    """Lowercase ASCII form of `text`: diacritics, case, spacing and short-form variants folded.

    >>> fold("Uỷ ban  nhân dân TP. Hồ Chí Minh") == fold("ủy ban nhân dân thành phố hồ chí minh")
    True
    >>> fold("Bộ KH&CN")
    'bo khcn'
    """
    text = unicodedata.normalize("NFC", text)
    text = unidecode(text).lower()
    text = text.replace("\u0111", "d")
    text = _SPACES.sub(" ", text).strip()
    for pattern, replacement in _VARIANTS:
        text = pattern.sub(replacement, text)
    return _SPACES.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """The folded words of `text`, punctuation dropped (for token matching)."""
    return [w for w in _PUNCT.sub(" ", fold(text)).replace("/", " ").split() if w]


def slugify(text: str) -> str:
    """A stable ASCII slug, for ids made from names: `Bộ Tài chính` -> `bo-tai-chinh`."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
