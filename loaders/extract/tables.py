"""Task tables of plans and programmes (Markdown ``| … |`` rows).

An appendix lists one task per row under a header naming the columns: the task (``Tên nhiệm
vụ``, ``Nội dung``), the lead (``Cơ quan chủ trì``), the co-operators (``Cơ quan phối hợp``), the
result and the deadline (``Thời gian hoàn thành``, ``Thời hạn``, ``Tiến độ``). Rows whose lead cell is
empty are section headings (``| **I.** | Nâng cao nhận thức … |``) or a task text spilling onto
an extra line, which is appended to the row above. Each cell keeps its input offsets.

Tables converted from .docx come as plain lines whose cells are joined with `` | `` (no outer
bars). Their header may take two lines (merged header cells are blank on the second), the time
column may come first, and a blank time cell is a merged cell: it inherits the time of the row
above until a group row (``I | GIAI ĐOẠN 1 …``) or a row without a lead ends the merge. A lead
cell that only says who decides (``Do Chủ tịch Hội đồng … quyết định``) gives way to the role
column (``Cơ quan chịu trách nhiệm …``) when there is one.

A PDF or web copy may give only the header as a Markdown row and then every cell on a line of
its own (a header cell the row had no room for, e.g. ``Thời gian thực hiện``, first): a line that
is only a row number (``1``, ``a)``, ``II``) starts a row, and the lines up to the next number are
its cells in column order; a number with a single line under it is a group row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .deadlines import Deadline, parse_cell
from .text import Segment

_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_RULE_RE = re.compile(r"^\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*$")
# A docx-to-text row: cells joined by " | " without outer bars.
_PLAIN_ROW_RE = re.compile(r"(?:^|\s)(?<!\\)\|(?:\s|$)")
_DECIDED_BY_RE = re.compile(r"^do\s", re.IGNORECASE)
_ROW_NUMBER_RE = re.compile(r"^\s*(?:[IVX]{1,5}|\d{1,2}|[a-zđ])\s*[.)]?\s*$")
_STACK_END_RE = re.compile(r"^\s*(?:#|Nơi\s+nhận)", re.IGNORECASE)
_COLUMNS = {
    "task": re.compile(r"tên\s+nhiệm\s+vụ|nội\s+dung|nhiệm\s+vụ|công\s+việc", re.I),
    "lead": re.compile(r"(?:cơ\s+quan|đơn\s+vị)\s+chủ\s+trì|chủ\s+trì"
                       r"|(?:cơ\s+quan|đơn\s+vị)(?:\s*/\s*(?:cơ\s+quan|đơn\s+vị))?"
                       r"\s+(?:thực\s+hiện|đầu\s+mối)", re.I),
    "co": re.compile(r"(?:cơ\s+quan|đơn\s+vị)\s+phối\s+hợp|phối\s+hợp", re.I),
    "deadline": re.compile(r"thời\s+gian|thời\s+hạn|tiến\s+độ|hoàn\s+thành", re.I),
    "result": re.compile(r"kết\s+quả|sản\s+phẩm", re.I),
    "role": re.compile(r"chịu\s+trách\s+nhiệm", re.I),
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


def _cells(text: str, lo: int, hi: int, plain: bool = False) -> list[tuple[int, int]]:
    bars = [m.start() for m in re.finditer(r"(?<!\\)\|", text[lo:hi])]
    if plain:  # no outer bars: the first cell starts the line, the last one ends it
        bars = [-1, *bars, hi - lo]
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
        for name in ("lead", "co", "deadline", "result", "number", "role", "task"):
            if name not in found and _COLUMNS[name].search(cell):
                found[name] = k
                break
    return found if "lead" in found and "task" in found else None


def _column(segs: list[Segment], columns: dict[str, int], name: str) -> Segment | None:
    k = columns.get(name)
    return segs[k] if k is not None and k < len(segs) else None


def _lines(text: str):
    pos = 0
    for line in text.splitlines(keepends=True):
        lo, hi = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        yield lo, hi


def _merged_header(first: list[Segment], second: list[Segment]) -> dict[str, int] | None:
    """A header written over two lines: the second line's blank cells are merged upwards."""
    width = max(len(first), len(second))
    texts = [" ".join(x[k].text for x in (first, second) if k < len(x) and x[k].text)
             for k in range(width)]
    return _header_map(texts)


def rows(text: str) -> list[Row]:
    """Every task row of every task table in ``text`` (Markdown or `` | ``-joined)."""
    return _read(text)[0]


def table_lines(text: str) -> set[int]:
    """Start offsets of the lines of plain (`` | ``-joined) task tables, header included."""
    return _read(text)[1]


class _Stacked:
    """A table whose cells come one per line under a Markdown header (see the module text)."""

    def __init__(self, text: str, header: list[str]) -> None:
        self.text = text
        self.header = list(header)
        self.columns = _header_map(self.header)
        self.started = False
        self.row: list[tuple[int, int]] = []
        self.section: str | None = None

    def feed(self, lo: int, hi: int, out: list[Row]) -> bool:
        """Take one line; False when it is not part of the table (which then ends)."""
        raw = self.text[lo:hi]
        if not raw.strip() or _STACK_END_RE.match(raw):
            return False
        if _ROW_NUMBER_RE.match(raw):
            self.flush(out)
            self.started = True
            self.row = [(lo, hi)]
            return True
        if not self.started:
            # A header cell on its own line ("Thời gian thực hiện"), before the first row.
            cell = raw.strip()
            if len(cell) <= 40 and not cell.endswith((".", ";", ",")) and any(
                    rx.search(cell) for rx in _COLUMNS.values()):
                self.header.append(cell)
                self.columns = _header_map(self.header)
                return True
            return False
        self.row.append((lo, hi))
        return True

    def flush(self, out: list[Row]) -> None:
        cells, self.row = self.row, []
        if not cells or self.columns is None:
            return
        segs = [_clean(self.text, c) for c in cells]
        number = segs[0].text.strip().rstrip(".)")
        if len(segs) <= 3:  # "1" + a title: a group of rows
            self.section = " ".join([number] + [s.text for s in segs[1:]])
            return
        lead, task = _column(segs, self.columns, "lead"), _column(segs, self.columns, "task")
        if lead is None or task is None or not lead.text:
            return
        out.append(Row(number, task, lead, _column(segs, self.columns, "co"),
                       _column(segs, self.columns, "deadline"), self.section,
                       (cells[0][0], cells[-1][1])))


def _read(text: str) -> tuple[list[Row], set[int]]:
    out: list[Row] = []
    plain_lines: set[int] = set()
    columns: dict[str, int] | None = None
    plain_table = False
    section: str | None = None
    prev: tuple[int, list[Segment]] | None = None  # the pipe line before, a header's first half
    merged_time: Segment | None = None
    stacked: _Stacked | None = None  # a Markdown header with no Markdown row under it yet
    header_cells: list[str] = []
    for lo, hi in _lines(text):
        raw = text[lo:hi]
        markdown = bool(_ROW_RE.match(raw))
        plain = not markdown and bool(_PLAIN_ROW_RE.search(raw))
        if not markdown and not plain and stacked is not None:
            if stacked.feed(lo, hi, out):
                plain_lines.add(lo)
                continue
            stacked.flush(out)
            stacked = None
        if not markdown and not plain:
            prev = None
            if plain_table:  # a plain table ends at its first line without cells
                columns, plain_table, merged_time = None, False, None
            continue  # a Markdown table may resume after an excerpt break, under the same header
        if _RULE_RE.match(raw):
            continue
        segs = [_clean(text, c) for c in _cells(text, lo, hi, plain)]
        header = _header_map([s.text for s in segs])
        if header is None and prev is not None and columns is None:
            header = _merged_header(prev[1], segs)
            if header is not None and plain:
                plain_lines.add(prev[0])
        if header:
            columns, plain_table, merged_time, prev = header, plain, None, None
            section = None if plain else section
            if plain:
                plain_lines.add(lo)
            header_cells = [s.text for s in segs]
            stacked = _Stacked(text, header_cells) if markdown else None
            continue
        stacked = None
        prev = (lo, segs)
        if columns is None:
            continue
        if plain_table:
            plain_lines.add(lo)
        lead, task, number = (_column(segs, columns, n) for n in ("lead", "task", "number"))
        deadline = _column(segs, columns, "deadline")
        inherit = plain_table or columns.get("deadline") == 0
        if lead is None or task is None:
            if inherit:  # a group row: "I | GIAI ĐOẠN 1: …"
                section, merged_time = " ".join(s.text for s in segs if s.text), None
            continue
        if not lead.text:
            if inherit:  # a group row or a milestone without a unit: ends a merged time cell
                merged_time = deadline if deadline is not None and _dated(deadline) else None
                if task.text and not _dated(deadline):
                    section = " ".join(s.text for s in segs if s.text)
            elif number is not None and number.text and task.text:
                section = f"{number.text.rstrip('.')} {task.text}"
            elif out and task.text and not (number and number.text):
                last = out[-1]  # a task text spilling onto an extra line
                out[-1] = Row(last.number, last.task, last.lead, last.co, last.deadline,
                              last.section, (last.span[0], hi))
            continue
        if inherit:
            if deadline is not None and deadline.text:
                merged_time = deadline
            elif merged_time is not None:
                deadline = merged_time
        role = _column(segs, columns, "role")
        if _DECIDED_BY_RE.match(lead.text) and role is not None and role.text:
            lead = role
        out.append(Row(number.text.rstrip(".") if number else str(len(out) + 1), task, lead,
                       _column(segs, columns, "co"), deadline, section, (lo, hi)))
    if stacked is not None:
        stacked.flush(out)
    return out, plain_lines


def _dated(cell: Segment | None) -> bool:
    found = parse_cell(cell.text) if cell is not None and cell.text else None
    return bool(found and found.on)
