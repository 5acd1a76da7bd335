"""Task tables of plans and programmes (Markdown ``| … |`` rows).

An appendix lists one task per row under a header naming the columns: the task (``Tên nhiệm
vụ``, ``Nội dung``), the lead (``Cơ quan chủ trì``), the co-operators (``Cơ quan phối hợp``), the
result and the deadline (``Thời gian hoàn thành``, ``Thời hạn``, ``Tiến độ``). Rows whose lead cell is
empty are section headings (``| **I.** | Nâng cao nhận thức … |``) or a task text spilling onto
an extra line, which is appended to the row above. Each cell keeps its input offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .deadlines import Deadline, parse_cell
from .text import Segment

_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_RULE_RE = re.compile(r"^\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*$")
_COLUMNS = {
    "task": re.compile(r"tên\s+nhiệm\s+vụ|nội\s+dung|nhiệm\s+vụ|công\s+việc", re.I),
    "lead": re.compile(r"(?:cơ\s+quan|đơn\s+vị)\s+chủ\s+trì|chủ\s+trì", re.I),
    "co": re.compile(r"(?:cơ\s+quan|đơn\s+vị)\s+phối\s+hợp|phối\s+hợp", re.I),
    "deadline": re.compile(r"thời\s+gian|thời\s+hạn|tiến\s+độ|hoàn\s+thành", re.I),
    "result": re.compile(r"kết\s+quả|sản\s+phẩm", re.I),
    "number": re.compile(r"^\s*(?:s?tt|số\s+tt)\s*$", re.I),
}


@dataclass
class Row:
    """One task row: cells as segments (``None`` when the table has no such column)."""

    number: str
    task: Segment
    lead: Segment
    co: Segment | None
    deadline: Segment | None
    section: str | None
    span: tuple[int, int]

    def deadline_value(self, issued_on: date | None) -> Deadline | None:
        return parse_cell(self.deadline.text, issued_on=issued_on) if self.deadline else None


def _cells(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    bars = [m.start() for m in re.finditer(r"(?<!\\)\|", text[lo:hi])]
    return [(lo + a + 1, lo + b) for a, b in zip(bars, bars[1:], strict=False)]


def _clean(text: str, cell: tuple[int, int]) -> Segment:
    lo, hi = cell
    parts, pos = [], lo
    for m in re.finditer(r"\*+", text[lo:hi]):
        parts.append((pos, lo + m.start()))
        pos = lo + m.end()
    parts.append((pos, hi))
    return Segment.from_ranges(text, [p for p in parts if p[1] > p[0]])


def _header_map(texts: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for k, cell in enumerate(texts):
        for name in ("lead", "co", "deadline", "result", "number", "task"):
            if name not in found and _COLUMNS[name].search(cell):
                found[name] = k
                break
    return found if "lead" in found and "task" in found else None


def _column(segs: list[Segment], columns: dict[str, int], name: str) -> Segment | None:
    k = columns.get(name)
    return segs[k] if k is not None and k < len(segs) else None


def rows(text: str) -> list[Row]:
    """Every task row of every Markdown task table in ``text``."""
    out: list[Row] = []
    columns: dict[str, int] | None = None
    section: str | None = None
    pos = 0
    for line in text.splitlines(keepends=True):
        lo, hi = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        raw = text[lo:hi]
        if not _ROW_RE.match(raw):
            continue  # a table may resume after an excerpt break, under the same header
        if _RULE_RE.match(raw):
            continue
        cells = _cells(text, lo, hi)
        segs = [_clean(text, c) for c in cells]
        header = _header_map([s.text for s in segs])
        if header:
            columns = header
            continue
        if columns is None:
            continue
        lead, task, number = (_column(segs, columns, n) for n in ("lead", "task", "number"))
        if lead is None or task is None:
            continue
        if not lead.text:
            if number is not None and number.text and task.text:
                section = f"{number.text.rstrip('.')} {task.text}"
            elif out and task.text and not (number and number.text):
                prev = out[-1]  # a task text spilling onto an extra line
                out[-1] = Row(prev.number, prev.task, prev.lead, prev.co, prev.deadline,
                              prev.section, (prev.span[0], hi))
            continue
        out.append(Row(number.text.rstrip(".") if number else str(len(out) + 1), task, lead,
                       _column(segs, columns, "co"), _column(segs, columns, "deadline"), section, (lo, hi)))
    return out
