"""Segmentation of free-form directives: paragraphs, list items and sentences.

News reports, office letters and plans do not share the numbered tree of a conclusion notice.
They arrive as paragraphs (sometimes hard-wrapped mid-sentence), dash or numbered lists under an
intro line ending in ``:``, Markdown emphasis and tables. This module turns such a text into
*units*: one per list item, one per sentence of an ordinary paragraph, each remembering the
intro unit whose lead and deadline it inherits. Offsets stay those of the input (``Segment``).

Skipped: Markdown table lines (read by ``tables``), the recipients and signature block after
``Nơi nhận`` (until the next Markdown heading), and ``# rewritten from:`` source lines, which
mark excerpt boundaries in the development set's files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .structure import _END_RE
from .tables import table_lines
from .text import VN_UPPER, Segment, is_caps_line
from .text import is_page_number as _is_page_number

_MARKER_RE = re.compile(
    r"\s*(?:Điều\s+\d{1,3}\s*[.:]|[IVX]{1,5}\s*[.)]|\d{1,2}(?:\.\d{1,2})*\s*[.)]|\(\d{1,2}\)|\(?[a-zđ]\)|[-–—•+])\s+"
)
_TERMINAL = (".", "!", "?", ":", ";", "…", "”", '"', ")")
_CLOSING = (".", "!", "?", ":", "…")  # a lower-case line after these starts anew
_RESUME_RE = re.compile(
    r"^(?:\(?\s*(?:Ban\s+hành\s+)?[Kk]èm\s+theo|[IVX]{1,4}\.\s+\S|(?:PHẦN|Phần)\s+[IVX]+\b)"
)
_SOURCE_LINE_RE = re.compile(r"^\s*#\s*rewritten\s+from\s*:", re.IGNORECASE)
_HEADING_RE = re.compile(r"^\s*#{1,6}\s")
_TABLE_RE = re.compile(r"^\s*\|")
_EMPHASIS_RE = re.compile(r"\\?\*+|^\s*#{1,6}\s+|\s{2,}$|\\", re.MULTILINE)
_SENTENCE_END_RE = re.compile(rf"(?<=[.!?…])[”\"]?\s+(?=[\"“(]?[{VN_UPPER}0-9])")
_ABBREV_END_RE = re.compile(r"(?:^|\s)(?:TP|Tp|TS|ThS|GS|PGS|Q|P|TT|Th|v\.v|St|Số|số)\.$")
# "… như sau: 1. Bộ A …" is an inline item number, "… Chỉ thị số 20. Sở A …" a sentence end:
# a number before the full stop ends nothing unless a lower-case word comes before it.
_NUMBER_END_RE = re.compile(r"(?:^|(?P<prev>\S+)\s+)\d{1,2}\.$")


def _abbreviation_before(text: str, at: int) -> bool:
    """Whether the full stop ending at ``at`` closes an abbreviation or an item number."""
    if _ABBREV_END_RE.search(text, max(0, at - 8), at):
        return True
    m = _NUMBER_END_RE.search(text, max(0, at - 40), at)
    if not m:
        return False
    prev = m.group("prev")
    return prev is None or not (prev[-1].isalpha() and prev[0].islower())


@dataclass
class Unit:
    """A list item, a sentence or a heading line, with provenance and its intro."""

    seg: Segment
    kind: str  # "item" | "sentence" | "heading"
    para: int
    marker: str | None = None
    intro: int | None = None  # index of the unit whose lead and deadline this one inherits
    is_intro: bool = False
    children: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.seg.text

    def span(self) -> tuple[int, int]:
        return self.seg.span()


def _line_ranges(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return out


def _content_ranges(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """``[lo, hi)`` without Markdown emphasis (``**``, ``\\*``) and heading hashes."""
    ranges, pos = [], lo
    for m in _EMPHASIS_RE.finditer(text, lo, hi):
        if m.start() > pos:
            ranges.append((pos, m.start()))
        pos = m.end()
    if pos < hi:
        ranges.append((pos, hi))
    return ranges


def _plain(text: str, lo: int, hi: int) -> str:
    return unicodedata.normalize(
        "NFC", "".join(text[a:b] for a, b in _content_ranges(text, lo, hi))
    ).strip()


def _hard_wrapped(lines: list[str]) -> bool:
    """Lines broken mid-sentence: many lines end without punctuation before a lower-case line."""
    pairs = [(a, b) for a, b in zip(lines, lines[1:], strict=False) if a and b]
    if len(pairs) < 4:
        return False
    broken = sum(1 for a, b in pairs if not a.endswith(_TERMINAL) and b[:1].islower())
    return broken / len(pairs) >= 0.2




@dataclass
class _Para:
    ranges: list[tuple[int, int]]
    marker: str | None
    first_line: str
    last_line: str
    heading: bool = False


def paragraphs(text: str, *, keep_all: bool = False) -> list[_Para]:
    """Lines joined into paragraphs; list-marker lines start their own.

    ``keep_all`` (for reference search) keeps table lines, each as its own paragraph, and the
    recipients block."""
    lines = _line_ranges(text)
    plain = [_plain(text, lo, hi) for lo, hi in lines]
    wrapped = _hard_wrapped(plain)
    paras: list[_Para] = []
    skipping = False
    prev_blank = True
    in_table = table_lines(text)  # plain " | " task tables: read by tables.py, not as prose
    for n, ((lo, hi), line) in enumerate(zip(lines, plain, strict=True)):
        raw = text[lo:hi]
        if _is_page_number(raw, plain[n + 1] if n + 1 < len(plain) else ""):
            continue  # PDF page furniture: the sentence goes on across it
        is_table = bool(_TABLE_RE.match(raw)) or lo in in_table
        if keep_all and line and is_table:
            paras.append(_Para(_content_ranges(text, lo, hi), None, line, line, True))
            prev_blank = True
            continue
        if not line or _SOURCE_LINE_RE.match(raw) or is_table:
            prev_blank = True
            if _SOURCE_LINE_RE.match(raw):
                skipping = False
            continue
        if skipping:
            if _HEADING_RE.match(raw) or _RESUME_RE.match(line):
                skipping = False  # an attached plan or programme follows the signature
            else:
                continue
        if not keep_all and _END_RE.search(line) and not _MARKER_RE.match(line):
            skipping = True
            prev_blank = True
            continue
        marker = _MARKER_RE.match(line)
        ranges = _content_ranges(text, lo, hi)
        heading = bool(_HEADING_RE.match(raw)) or (is_caps_line(line) and len(line) < 200)
        last = paras[-1] if paras else None
        lower = line[:1].islower()
        joins = (
            last is not None
            and (not prev_blank or lower)
            and marker is None
            and not heading
            and not last.heading
            and not last.last_line.endswith(_CLOSING if lower else _TERMINAL)
            and (lower or (wrapped and not prev_blank))
        )
        if joins:
            last.ranges.extend(ranges)
            last.last_line = line
        else:
            paras.append(_Para(ranges, marker.group(0).strip() if marker else None, line, line, heading))
        prev_blank = False
    return paras


def _sentences(seg: Segment) -> list[Segment]:
    out, pos = [], 0
    for m in _SENTENCE_END_RE.finditer(seg.text):
        if _abbreviation_before(seg.text, m.start()):
            continue
        out.append(seg.sub(pos, m.start()))
        pos = m.end()
    out.append(seg.sub(pos))
    return [s for s in out if s.text]


def segment(text: str) -> list[Unit]:
    """The units of ``text`` in order, with intro links resolved."""
    units: list[Unit] = []
    intro_stack: list[tuple[int, bool]] = []  # (unit index, items marked?)
    for p_index, para in enumerate(paragraphs(text)):
        seg = Segment.from_ranges(text, para.ranges)
        if para.marker:
            seg = seg.sub(len(para.marker))
        if para.heading:
            units.append(Unit(seg, "heading", p_index))
            intro_stack = []
            continue
        if para.marker:
            kind, marked = "item", True
            parts = [seg]
        else:
            # An unmarked paragraph under an intro whose items are unmarked is an item too.
            under = intro_stack and not intro_stack[-1][1]
            kind, marked = ("item", False) if under else ("sentence", False)
            parts = [seg] if under else _sentences(seg)
        if not para.marker and intro_stack and intro_stack[-1][1]:
            intro_stack.pop()  # a plain paragraph closes a marked list
        if para.marker:
            level = _marker_class(para.marker)
            while intro_stack and units[intro_stack[-1][0]].marker and _marker_class(
                units[intro_stack[-1][0]].marker or ""
            ) == level:
                intro_stack.pop()  # a sibling of a nested intro closes it
        if not parts:  # nothing but invisible characters (a soft hyphen): no unit, and the
            continue   # last unit is still the previous paragraph's, not this one
        parent = intro_stack[-1][0] if intro_stack else None
        for part in parts:
            unit = Unit(part, kind, p_index, para.marker, intro=parent)
            units.append(unit)
            if parent is not None:
                units[parent].children.append(len(units) - 1)
        last = units[-1]
        if last.text.rstrip().endswith(":") or _section_title(text, para, intro_stack, units):
            last.is_intro = True
            index = len(units) - 1
            # Its items: the marked lines that follow, or else the plain paragraphs.
            intro_stack.append((index, _next_is_marked(text, para)))
    return units


def _section_title(text: str, para: _Para, open_intros: list[tuple[int, bool]], units: list[Unit]) -> bool:
    """``1. Sở Nội vụ`` over ``a) …`` / ``- …`` items: a short unfinished marked line whose next
    line opens a deeper list is a section title; its items inherit what it names."""
    line = units[-1].text.strip()
    if not para.marker or line.endswith(_TERMINAL) or len(line) > 120:
        return False
    end = para.ranges[-1][1]
    for raw in text[end:].splitlines():
        stripped = _plain(raw, 0, len(raw))
        if not stripped:
            continue
        m = _MARKER_RE.match(stripped)
        if not m:
            return False
        deeper = _marker_class(m.group(0).strip())
        open_classes = {_marker_class(units[k].marker or "") for k, _ in open_intros}
        return deeper != _marker_class(para.marker) and deeper not in open_classes
    return False


def _marker_class(marker: str) -> str:
    if marker.startswith("Điều"):
        return "article"
    if re.match(r"[IVX]+\s*[.)]", marker):
        return "roman"
    if re.match(r"\d", marker):
        return "arabic"
    if marker.startswith("("):
        return "paren"
    if re.match(r"[a-zđ]", marker):
        return "alpha"
    return marker[:1]


def _next_is_marked(text: str, para: _Para) -> bool:
    end = para.ranges[-1][1]
    rest = text[end:]
    for line in rest.splitlines():
        stripped = _plain(line, 0, len(line))
        if not stripped or _TABLE_RE.match(line):
            continue
        return bool(_MARKER_RE.match(stripped))
    return False
