"""Text views that keep provenance.

Real notices arrive with lines broken mid-sentence, doubled spaces and, sometimes, decomposed
Unicode. The extractor reads a *cleaned* view (NFC, whitespace runs collapsed to one space) but
must report character offsets into the *input*, so every cleaned character remembers where it
came from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from graph.text import fold as fold_text

_DROP = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad"}

# Old-style tone placement ("Uỷ", "hoà") next to the modern one ("Ủy", "hòa"): equal for matching.
_TONE_MOVES = {
    "uỷ": "ủy",
    "uý": "úy",
    "uỳ": "ùy",
    "uỹ": "ũy",
    "uỵ": "ụy",
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
}
_TONE_RE = re.compile("|".join(_TONE_MOVES))


@lru_cache(maxsize=1 << 16)
def light(s: str) -> str:
    """Lowercase, NFC and modern tone placement, diacritics kept (``Uỷ ban`` == ``Ủy ban``).

    Used where folding diacritics away would merge different words (``Vụ`` vs ``Vũ``).
    Cached: the readers ask it of the same few thousand words at every token they try a
    phrase at (800,000 times for 100 KB of text, a third of the extraction's time).
    """
    s = unicodedata.normalize("NFC", s).lower()
    return _TONE_RE.sub(lambda m: _TONE_MOVES[m.group(0)], s)


_MODERN_TONE_RE = re.compile("|".join(_TONE_MOVES.values()), re.IGNORECASE)
_OLD_BY_MODERN = {modern: old for old, modern in _TONE_MOVES.items()}


def either_tone(rx: str) -> str:
    """A regex source whose modern tone placements (``ủy``, ``hòa``) also match the old ones
    (``uỷ``, ``hoà``): texts use both, and a pattern written one way missed the other."""
    def alt(m: re.Match[str]) -> str:
        modern = m.group(0)
        old = _OLD_BY_MODERN[modern.lower()]
        if modern[0].isupper():
            old = old[0].upper() + old[1:]
        return f"(?:{modern}|{old})"
    return _MODERN_TONE_RE.sub(alt, rx)


fold = partial(fold_text, expand=False)
"""The extractor's matching key: the project's one fold (`graph.text.fold`) word by word, so
``KH&CN`` == ``KHCN`` and ``UBND`` stays one key (the alias table expands it; a token cannot)."""


@dataclass(frozen=True)
class Segment:
    """A cleaned piece of the input: ``text[i]`` came from ``input[starts[i]:ends[i]]``."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.text)

    def span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """Offsets in the input covering ``text[start:end]``, surrounding blanks trimmed."""
        end = len(self.text) if end is None else end
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if not self.text:
            return (0, 0)
        if start >= end:
            pos = self.starts[min(start, len(self.starts) - 1)]
            return (pos, pos)
        return (self.starts[start], self.ends[end - 1])

    def sub(self, start: int, end: int | None = None) -> Segment:
        """The cleaned slice ``text[start:end]`` with its provenance, blanks trimmed."""
        end = len(self.text) if end is None else end
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Segment(self.text[start:end], self.starts[start:end], self.ends[start:end])

    @classmethod
    def from_ranges(cls, source: str, ranges: Iterable[tuple[int, int]]) -> Segment:
        """Join input ranges (e.g. the lines of one item) into one cleaned segment.

        Characters are NFC-composed per grapheme, zero-width characters dropped and every run
        of whitespace (newlines included) becomes a single space.
        """
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pending_space: tuple[int, int] | None = None
        for lo, hi in ranges:
            if chars and pending_space is None:
                pending_space = (lo, lo)
            i = lo
            while i < hi:
                ch = source[i]
                j = i + 1
                while j < hi and unicodedata.combining(source[j]):
                    j += 1
                if ch in _DROP:
                    i = j
                    continue
                if ch.isspace():
                    if chars:
                        pending_space = pending_space or (i, j)
                    i = j
                    continue
                if pending_space is not None and chars:
                    chars.append(" ")
                    starts.append(pending_space[0])
                    ends.append(pending_space[1])
                pending_space = None
                composed = unicodedata.normalize("NFC", source[i:j])
                for c in composed:
                    chars.append(c)
                    starts.append(i)
                    ends.append(j)
                i = j
        return cls("".join(chars), tuple(starts), tuple(ends))

    @classmethod
    def whole(cls, source: str) -> Segment:
        """The entire input as one cleaned segment (used for document-wide reference search)."""
        return cls.from_ranges(source, [(0, len(source))])


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark of a segment, with its position in the cleaned text."""

    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_cap(self) -> bool:
        """Starts with a capital letter (``Khoa``, ``KH&CN``), the mark of a proper name."""
        return self.text[0].isupper()

    @property
    def key(self) -> str:
        return fold(self.text)


_TOKEN_RE = re.compile(r"\w+(?:&\w+)*|[^\w\s]")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words (``KH&CN`` kept whole) and single punctuation marks of ``text[start:end]``."""
    end = len(text) if end is None else end
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, start, end)]


def starts_with_phrase(tokens: Sequence[Token], i: int, phrase: Sequence[str]) -> bool:
    """Whether ``tokens[i:]`` begins with the folded words of ``phrase``."""
    if i + len(phrase) > len(tokens):
        return False
    return all(tokens[i + k].key == phrase[k] for k in range(len(phrase)))


VN_UPPER = "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆFGHIÌÍỈĨỊJKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVWXYỲÝỶỸỴZ"
"""Upper-case letters of Vietnamese, for regex classes (``À-Ỹ`` would take lower case too)."""

_ABBREV_END = re.compile(r"\b(?:TP|Tp|TS|ThS|GS|PGS|Q|P|TT|Th|v\.v)\.$")
_SENTENCE_END = re.compile(rf"(?<=[.!?…])\s+(?=[\"“(]?[{VN_UPPER}0-9])|;\s*")


def clauses(text: str) -> list[tuple[int, int]]:
    """Split at sentence ends and semicolons: the units in which a new subject may appear."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREV_END.search(text, max(0, m.start() - 8), m.start()):
            continue
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def first_sentence(text: str) -> str:
    """The text up to the first sentence end (abbreviations are rare in directives)."""
    for m in re.finditer(rf"(?<=[.!?])\s+(?=[{VN_UPPER}])", text):
        if not _ABBREV_END.search(text, max(0, m.start() - 8), m.start()):
            return text[: m.start()]
    return text


def shorten(text: str, limit: int = 180) -> str:
    """Cut at a word boundary, marking the cut with an ellipsis."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def is_caps_line(text: str) -> bool:
    """A heading set in capitals (``NHIỆM VỤ TRỌNG TÂM``): mostly upper-case letters."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.8


_PLACE_BEFORE = {"tỉnh", "phố", "huyện", "quận", "xã", "phường"}
_NAME_BREAKERS = {"của", "và", "về", "với", "trong", "tại", "cho", "để", "theo", "năm"}


def caps_to_sentence(text: str, proper: Sequence[str] = ()) -> str:
    """``NHIỆM VỤ CỦA TỈNH NGHỆ AN`` → ``Nhiệm vụ của tỉnh Nghệ An`` (best effort).

    Lower-cases, capitalises the first word, the words of a place after ``tỉnh``/``thành
    phố``…, and any of the ``proper`` phrases.
    """
    words = unicodedata.normalize("NFC", text).lower().split()
    out: list[str] = []
    in_place = False
    for k, w in enumerate(words):
        if k == 0 or (in_place and w not in _NAME_BREAKERS):
            w = w[:1].upper() + w[1:]
        else:
            in_place = False
        if w.lower() in _PLACE_BEFORE:
            in_place = True
        out.append(w)
    result = " ".join(out)
    for phrase in sorted(proper, key=len, reverse=True):
        result = re.sub(
            rf"(?<!\w){re.escape(phrase.lower())}(?!\w)",
            lambda m, p=phrase: p if m.start() else p[:1].upper() + p[1:],
            result,
        )
    return upper_first(result)


_PAGE_NUMBER_RE = re.compile(r"^(?P<indent>\s*)(?:-\s*|Trang\s+)?\d{1,3}(?:\s*-)?\s*$")


def is_page_number(raw: str, next_line: str) -> bool:
    """A line that is only a page number (``2``, ``- 3 -``, ``Trang 4``) inside the text of a
    PDF: set off by indentation (centred), or cutting a sentence whose next line goes on in
    lower case. A bare number at the margin before a capitalised line stays (a table's row
    number written one cell per line)."""
    m = _PAGE_NUMBER_RE.match(raw)
    if not m:
        return False
    return len(m.group("indent").expandtabs()) >= 4 or next_line[:1].islower()
