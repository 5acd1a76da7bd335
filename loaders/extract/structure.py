"""Numbered structure of a directive: sections, items, sub-items.

Assignments live in a tree (``1.`` → ``a)`` → ``(1)``; ``I.`` → ``1.`` → ``-``), and an item
inherits its lead and deadline from the item that introduces it, so the tree matters. Markers
are accepted only when they continue a numbering (``b)`` after ``a)``) or open a new one
(``1``, ``a``, ``I``, ``(1)``), so a line broken before ``2025.`` or ``(2)`` stays a continuation.
Unmarked lines continue the current item, except under a heading (``Về …``, capitals), where
they form paragraphs. The body ends at ``Nơi nhận`` or the closing formula.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .text import VN_UPPER, Segment, is_caps_line, is_page_number

_MARKER_RE = re.compile(
    r"""\s*(?:
      (?P<roman>[IVX]{1,5})\s*[.)]\s+
    | (?P<decimal>\d{1,2}(?:\.\d{1,2})+)\.?\s+
    | (?P<arabic>\d{1,2})\s*[.)]\s+
    | \((?P<paren>\d{1,2})\)\s*
    | \((?P<alpha_paren>[a-zđ])\)\s+
    | (?P<alpha>[a-zđ])\s*\)\s+
    | (?P<dash>[-–—•])\s+
    | (?P<plus>\+)\s+
    )""",
    re.VERBOSE,
)
_KINDS = ("roman", "decimal", "arabic", "paren", "alpha_paren", "alpha", "dash", "plus")
_VN_ALPHA = "abcdđeghiklmnopqrstuvxy"
_LATIN_ALPHA = "abcdefghijklmnopqrstuvwxyz"
_ROMAN = {"I": 1, "V": 5, "X": 10}

_END_RE = re.compile(
    r"^(?:Nơi\s+nhận|Nơi\s+gửi)\b"
    r"|trân\s+trọng\s+thông\s+báo|xin\s+thông\s+báo|trân\s+trọng\s+cảm\s+ơn"
    r"|\bđể\s+(?:[^.]{0,80}\s)?biết(?:\s*,|\s+và|\s*\.|\s*$)"
    r"|^\./\.\s*$"
    r"|^(?:TM|T/M|KT|K/T|TL|T/L|TUQ|Q)\.?\s+[" + VN_UPPER + r"]{2,}",
    re.IGNORECASE,
)
_HEADING_START_RE = re.compile(r"^(?:Về|VỀ)\s")
_DATELINE_RE = re.compile(r"^(?:Số|SỐ)\b|^[^\d,]{2,40},\s*ngày\s+\d", re.IGNORECASE)
_INLINE_NUM_RE = re.compile(r"(?:(?<=^)|(?<=[\s:;.]))\((\d{1,2})\)\s+")
_INLINE_ALPHA_RE = re.compile(r"(?:(?<=^)|(?<=[\s:;.]))([a-zđ])\)\s+")
_TERMINAL = (".", "!", "?", ";", ":", "…")


@dataclass
class Block:
    """One numbered item, heading or paragraph; ``seg`` is its own text without the marker."""

    kind: str
    label: str | None
    start: int
    ranges: list[tuple[int, int]] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)
    parent: Block | None = None
    heading_hint: bool = False
    seg: Segment | None = None
    path: str = ""
    end: int = 0

    @property
    def text(self) -> str:
        return self.seg.text if self.seg else ""

    @property
    def span(self) -> tuple[int, int]:
        """Input offsets of the whole item, marker and sub-items included."""
        return (self.start, self.end)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Structure:
    """The document split in header (before the first item), body tree and closing."""

    header_end: int
    body_end: int
    blocks: list[Block]
    preamble: Segment

    def walk(self):
        for b in self.blocks:
            yield from b.walk()


def _value(kind: str, raw: str) -> tuple[int, ...]:
    if kind == "roman":
        total, prev = 0, 0
        for ch in reversed(raw):
            v = _ROMAN[ch]
            total = total - v if v < prev else total + v
            prev = max(prev, v)
        return (total,)
    if kind == "decimal":
        return tuple(int(p) for p in raw.split("."))
    if kind in ("arabic", "paren"):
        return (int(raw),)
    if kind in ("alpha", "alpha_paren"):
        vn = _VN_ALPHA.find(raw)
        la = _LATIN_ALPHA.find(raw)
        return (vn if vn >= 0 else la, la if la >= 0 else vn)
    return ()


def _is_first(kind: str, value: tuple[int, ...]) -> bool:
    if kind in ("dash", "plus"):
        return True
    if kind in ("alpha", "alpha_paren"):
        return value[0] == 0
    return value[-1] == 1


def _follows(kind: str, last: tuple[int, ...], value: tuple[int, ...]) -> bool:
    if kind in ("dash", "plus"):
        return True
    if kind in ("alpha", "alpha_paren"):
        return any(0 < value[k] - last[k] <= 2 for k in range(2))
    if kind == "decimal":
        return value[:-1] == last[:-1] and 0 < value[-1] - last[-1] <= 2
    return 0 < value[0] - last[0] <= 2


def _kind_key(kind: str, value: tuple[int, ...]) -> str:
    return f"decimal{len(value)}" if kind == "decimal" else kind


@dataclass
class _Open:
    key: str
    value: tuple[int, ...]
    block: Block


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        end = pos + len(line.rstrip("\r\n"))
        out.append((pos, end))
        pos += len(line)
    return out


def parse(text: str) -> Structure:
    """Split ``text`` into header, numbered body tree and closing."""
    lines = _lines(text)
    roots: list[Block] = []
    stack: list[_Open] = []
    last_seen: dict[str, tuple[int, ...]] = {}
    current: Block | None = None
    header_end: int | None = None
    body_end = len(text)
    prev_line = ""
    blank_before = False
    seen_dateline = False  # "Số …" or "Hà Nội, ngày …" seen: the title follows
    seen_prose = False  # a sentence after the title: capitals now are section headings

    def attach(block: Block, parent: Block | None) -> None:
        block.parent = parent
        (parent.children if parent else roots).append(block)

    for n, (lo, hi) in enumerate(lines):
        raw = text[lo:hi]
        stripped = unicodedata.normalize("NFC", raw.strip())  # decisions on the composed line
        following = text[lines[n + 1][0] : lines[n + 1][1]].strip() if n + 1 < len(lines) else ""
        if header_end is not None and is_page_number(raw, following):
            continue  # PDF page furniture inside an item: the item goes on across it
        if not stripped:
            blank_before = True
            continue
        lead_ws = len(raw) - len(raw.lstrip())
        new_sentence = not prev_line or prev_line.endswith(_TERMINAL)
        if header_end is not None and (new_sentence or not current) and _END_RE.search(stripped):
            m = _MARKER_RE.match(raw)
            if not m:
                body_end = lo
                break
        m = _MARKER_RE.match(raw)
        accepted = False
        if m:
            kind = next(k for k in _KINDS if m.group(k) is not None)
            value = _value(kind, m.group(kind))
            key = _kind_key(kind, value)
            pos = next((k for k, o in enumerate(stack) if o.key == key), None)
            if header_end is None:
                # The first item follows a finished line ("… như sau:"), not "(Kế hoạch số\n01)".
                opens = (
                    not prev_line
                    or prev_line.endswith(_TERMINAL)
                    or is_caps_line(prev_line)
                    or bool(_DATELINE_RE.match(prev_line))
                )
                if opens and kind not in ("dash", "plus") and _is_first(kind, value):
                    stack = []
                    pos = None
                    accepted = True
            elif pos is not None:
                if _follows(kind, stack[pos].value, value) or _is_first(kind, value):
                    stack = stack[:pos]
                    accepted = True
            elif _is_first(kind, value) or (key in last_seen and _follows(kind, last_seen[key], value)):
                accepted = True
            if accepted:
                if header_end is None:
                    header_end = lo
                if pos is None and current is not None and current.kind == "para" and prev_line.endswith(":"):
                    # "Bộ A chủ trì, phối hợp với …:" written as a paragraph introduces a), b)
                    stack.append(_Open("para", (), current))
                parent = stack[-1].block if stack else None
                label = m.group(kind)
                block = Block(kind, label, lo + lead_ws)
                block.ranges.append((lo + m.end(), hi))
                body = unicodedata.normalize("NFC", raw[m.end() :].strip())
                block.heading_hint = bool(
                    _HEADING_START_RE.match(body) or is_caps_line(body)
                ) and not body.endswith(_TERMINAL[:3])
                attach(block, parent)
                stack.append(_Open(key, value, block))
                last_seen[key] = value
                current = block
        if not accepted and header_end is None:
            if _DATELINE_RE.match(stripped):
                seen_dateline = True
            elif seen_dateline and not is_caps_line(stripped) and len(stripped) >= 60:
                seen_prose = True
            elif seen_prose and is_caps_line(stripped) and len(stripped) < 200:
                header_end = lo  # a section heading in capitals opens the body
        if not accepted and header_end is not None:
            caps = is_caps_line(stripped) and len(stripped) < 200
            if caps and current is not None and current.heading_hint and not current.children:
                current.ranges.append((lo, hi))
            elif caps:
                block = Block("caps", None, lo + lead_ws, [(lo + lead_ws, hi)], heading_hint=True)
                attach(block, None)
                stack = [_Open("caps", (), block)]
                current = block
            elif current is not None and current.heading_hint:
                para = Block("para", None, lo + lead_ws, [(lo + lead_ws, hi)])
                attach(para, current)
                current = para
            elif current is not None and current.kind == "para" and blank_before:
                para = Block("para", None, lo + lead_ws, [(lo + lead_ws, hi)])
                attach(para, current.parent)
                current = para
            elif current is not None:
                current.ranges.append((lo + lead_ws, hi))
        prev_line = stripped
        blank_before = False

    if header_end is None:
        header_end = len(text)
        body_end = len(text)
    structure = Structure(
        header_end=header_end,
        body_end=body_end,
        blocks=roots,
        preamble=Segment.from_ranges(text, [(0, header_end)]),
    )
    _finish(text, structure)
    return structure


def _finish(text: str, structure: Structure) -> None:
    """Build segments, ends, paths; split inline enumerations ``(1) … (2) …`` of leaves."""

    def visit(block: Block, prefix: str, siblings: list[Block]) -> None:
        block.seg = Segment.from_ranges(text, block.ranges)
        label = _path_label(block, siblings)
        block.path = f"{prefix}.{label}" if prefix else label
        if not block.children:
            _split_inline(block)
        for child in block.children:
            if child.kind != "inline":
                visit(child, block.path, block.children)
        own_end = block.seg.span()[1] if block.seg.text else block.start
        block.end = max([own_end] + [c.end for c in block.children])

    for root in structure.blocks:
        visit(root, "", structure.blocks)


def _path_label(block: Block, siblings: list[Block]) -> str:
    if block.kind in ("paren", "alpha_paren") or block.kind == "inline":
        return f"({block.label})" if block.kind != "inline" else str(block.label)
    if block.kind in ("dash", "plus", "para", "caps"):
        same = [b for b in siblings if b.kind == block.kind]
        tag = {"dash": "-", "plus": "+", "para": "p", "caps": "H"}[block.kind]
        return f"{tag}{same.index(block) + 1}"
    return str(block.label)


def _inline_run(text: str, rx: re.Pattern[str], first: str, succ) -> list[re.Match[str]]:
    best: list[re.Match[str]] = []
    matches = list(rx.finditer(text))
    for i, m in enumerate(matches):
        if m.group(1) != first:
            continue
        run = [m]
        for n in matches[i + 1 :]:
            if n.group(1) == succ(run[-1].group(1)):
                run.append(n)
        if len(run) > len(best):
            best = run
    return best if len(best) >= 2 else []


def _split_inline(block: Block) -> None:
    seg = block.seg
    if seg is None:
        return
    run = _inline_run(seg.text, _INLINE_NUM_RE, "1", lambda v: str(int(v) + 1))
    fmt = "({})"
    if not run:
        run = _inline_run(
            seg.text,
            _INLINE_ALPHA_RE,
            "a",
            lambda v: _VN_ALPHA[_VN_ALPHA.index(v) + 1] if v != "y" else "",
        )
        fmt = "{}"
    if not run:
        return
    intro = seg.sub(0, run[0].start())
    for k, m in enumerate(run):
        end = run[k + 1].start() if k + 1 < len(run) else len(seg.text)
        child_seg = seg.sub(m.end(), end)
        child = Block("inline", fmt.format(m.group(1)), seg.starts[m.start()], parent=block)
        child.seg = child_seg
        child.path = f"{block.path}.{child.label}"
        child.end = child_seg.span()[1] if child_seg.text else child.start
        block.children.append(child)
    block.seg = intro
