"""Deadlines and recurring duties.

Analysts ask "who must report by when", and dates compare as ISO strings, so every deadline
becomes one ``date``: a day as written (``trước ngày 28/5/2025``, ``28-5``, ``ngày 28 tháng 5``),
the last day of a month or quarter (``trong tháng 6/2025``, ``quý III/2025``). A missing year is
the document's. Recurring duties (``hằng tuần``, ``định kỳ``) have no date: their phrase is kept.
Only dates introduced by a deadline cue count, so the date of a cited notice is not a deadline.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Deadline:
    """A deadline phrase at ``[start, end)`` of the searched text; ``on`` is None if unknown."""

    on: date | None
    text: str
    start: int
    end: int


_CUE = (
    r"(?:trước|chậm nhất(?:\s+(?:là|vào|trước))?|không\s+muộn\s+hơn|hạn\s+chót|hạn"
    r"|đến\s+hết|kết\s+thúc\s+vào|hoàn\s+thành(?:\s+(?:trong|vào|trước|xong))?"
    r"|xong(?:\s+(?:trong|vào|trước))?|trong|vào|đến"
    r"|(?:thời\s+gian(?:\s+hoàn\s+thành|\s+thực\s+hiện|\s+trình)?"
    r"|thời\s+hạn(?:\s+hoàn\s+thành)?|tiến\s+độ(?:\s+hoàn\s+thành)?)\s*:)"
)
_YEAR = r"(?P<y>\d{4})"
_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_FORMS: list[tuple[str, str]] = [
    (
        "day_words",
        rf"(?:ngày\s+)?(?P<d>\d{{1,2}})\s+tháng\s+(?P<m>\d{{1,2}})(?:\s*(?:năm|/)\s*{_YEAR})?",
    ),
    (
        "day_num",
        r"(?:ngày\s+)?(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})"
        r"(?:\s*[/.-]\s*(?P<y>\d{4}|\d{2})(?!\d))?(?![/-]\s*[A-ZĐ])(?!\d)",
    ),
    (
        "half",
        rf"(?:trong\s+)?6\s+tháng\s+(?P<h>đầu|cuối)\s+năm(?:\s+{_YEAR})?",
    ),
    (
        "quarter",
        rf"(?:trong\s+|cuối\s+|hết\s+)?quý\s+(?P<q>IV|I{{1,3}}|[1-4])\b"
        rf"(?:\s*(?:/|năm|-)\s*{_YEAR})?",
    ),
    (
        "month",
        rf"(?:trong\s+|cuối\s+|hết\s+)?tháng\s+(?P<m>\d{{1,2}})\b(?:\s*(?:/|năm|-)\s*{_YEAR})?",
    ),
    ("year", rf"(?:trong\s+|cuối\s+|hết\s+)?năm\s+{_YEAR}"),
    # "trong 15 ngày làm việc kể từ …": no calendar date, the phrase is kept.
    (
        "relative",
        r"(?P<n>\d{1,3})\s+(?:ngày|tuần|tháng)(?:\s+làm\s+việc)?(?:\s+kể\s+từ\s+[^,.;]{1,60})?",
    ),
]
_TIME_OF_DAY = r"(?:\d{1,2}\s*(?:h|giờ)\s*(?:\d{1,2})?\s*(?:phút)?\s*,?\s*)?"
_DEADLINE_RE = re.compile(
    rf"(?<!\w){_CUE}\s+{_TIME_OF_DAY}(?:"
    + "|".join(f"(?P<{name}>{rx.replace('(?P<', f'(?P<{name}_')})" for name, rx in _FORMS)
    + ")",
    re.IGNORECASE,
)


def _group(m: re.Match[str], form: str, key: str) -> str | None:
    return m.group(f"{form}_{key}")


def _resolve_year(y: str | None, month: int, day: int, default: date | None) -> int | None:
    if y:
        year = int(y)
        return year + 2000 if year < 100 else year
    if default is None:
        return None
    year = default.year
    # "trước ngày 10/1" written in December means next January.
    try:
        if date(year, month, day) < default - timedelta(days=45):
            year += 1
    except ValueError:
        return year
    return year


def _date_of(m: re.Match[str], issued_on: date | None) -> date | None:
    form = next(name for name, _ in _FORMS if m.group(name))
    try:
        if form in ("day_words", "day_num"):
            day, month = int(_group(m, form, "d")), int(_group(m, form, "m"))
            year = _resolve_year(_group(m, form, "y"), month, day, issued_on)
            return date(year, month, day) if year else None
        if form == "month":
            month = int(_group(m, form, "m"))
            year = _resolve_year(_group(m, form, "y"), month, 28, issued_on)
            return date(year, month, calendar.monthrange(year, month)[1]) if year else None
        if form == "quarter":
            q = _ROMAN_Q[_group(m, form, "q").lower()]
            year = _resolve_year(_group(m, form, "y"), 3 * q, 28, issued_on)
            return date(year, 3 * q, calendar.monthrange(year, 3 * q)[1]) if year else None
        if form == "half":
            y = _group(m, form, "y")
            year = int(y) if y else (issued_on.year if issued_on else None)
            if year is None:
                return None
            return date(year, 6, 30) if _group(m, form, "h").lower() == "đầu" else date(year, 12, 31)
        if form == "year":
            return date(int(_group(m, form, "y")), 12, 31)
    except (ValueError, TypeError):
        return None
    return None


def _before_period(m: re.Match[str]) -> bool:
    """``trước năm 2026`` / ``trước tháng 7`` / ``trước quý III``: due before the period starts."""
    cue = m.group(0).split()[0].lower()
    return cue == "trước" and any(m.group(f) for f in ("month", "quarter", "year"))


def _period_start(m: re.Match[str], last_day: date) -> date:
    if m.group("year"):
        return date(last_day.year, 1, 1)
    if m.group("quarter"):
        return date(last_day.year, last_day.month - 2, 1)
    return last_day.replace(day=1)


def _valid(m: re.Match[str]) -> bool:
    for form in ("day_words", "day_num"):
        if m.group(form):
            d, mo = int(_group(m, form, "d")), int(_group(m, form, "m"))
            return 1 <= d <= 31 and 1 <= mo <= 12
    if m.group("month"):
        return 1 <= int(_group(m, "month", "m")) <= 12
    return True


# "Chiến lược … đến năm 2030, tầm nhìn đến năm 2045": a planning horizon, not a due date.
_DESCRIBES_RE = re.compile(r"(?:có\s+(?:thời\s+)?hạn|có\s+tiến\s+độ)\s*$", re.IGNORECASE)
_HORIZON_RE = re.compile(r"^(?:đến|tầm\s+nhìn\s+đến)\s+năm\s+\d{4}$", re.IGNORECASE)


# "đến hết năm", "hoàn thành trong tháng", "trong quý này", "trong tuần": the document's own
# period. Bare ones must end the phrase ("trong năm học", "trong tháng tới" are no deadlines).
_CURRENT_PERIOD_RE = re.compile(
    r"(?<!\w)(?:(?:hoàn\s+thành|hoàn\s+tất|xong)\s+)?"
    r"(?:trong|đến\s+hết|trước\s+hết|(?:trong|trước|đến|vào)\s+cuối|chậm\s+nhất(?:\s+là)?\s+cuối)"
    r"\s+(?P<unit>năm|tháng|quý|tuần)"
    r"(?:\s+(?P<this>nay|này)(?!\w)|(?=\s*(?:[.,;:)!?]|$|phải\s|và\s)))",
    re.IGNORECASE,
)


def _current_period_end(unit: str, issued_on: date) -> date:
    unit = unit.lower()
    if unit == "năm":
        return date(issued_on.year, 12, 31)
    if unit == "quý":
        month = 3 * ((issued_on.month + 2) // 3)
        return date(issued_on.year, month, calendar.monthrange(issued_on.year, month)[1])
    if unit == "tuần":
        return issued_on + timedelta(days=6 - issued_on.weekday())  # to the week's Sunday
    return issued_on.replace(day=calendar.monthrange(issued_on.year, issued_on.month)[1])


def find_deadlines(text: str, *, issued_on: date | None = None) -> list[Deadline]:
    """Cued deadlines in text order; a missing year is taken from ``issued_on``, and so is the
    period of ``trong năm`` / ``hoàn thành trong tháng`` written without a number."""
    out: list[Deadline] = []
    for m in _DEADLINE_RE.finditer(text):
        if not _valid(m) or _HORIZON_RE.match(m.group(0)):
            continue
        if _DESCRIBES_RE.search(text, max(0, m.start() - 16), m.start()):
            continue  # "nhiệm vụ có thời hạn hoàn thành trong năm 2025": the tasks', not this one's
        phrase = re.sub(r"\s+", " ", m.group(0)).strip()
        on = _date_of(m, issued_on)
        if on is not None and _before_period(m):
            on = _period_start(m, on) - timedelta(days=1)
        out.append(Deadline(on, phrase, m.start(), m.end()))
    for m in _CURRENT_PERIOD_RE.finditer(text):
        if any(d.start < m.end() and m.start() < d.end for d in out):
            continue
        if _DESCRIBES_RE.search(text, max(0, m.start() - 16), m.start()):
            continue
        on = _current_period_end(m.group("unit"), issued_on) if issued_on else None
        out.append(Deadline(on, re.sub(r"\s+", " ", m.group(0)).strip(), m.start(), m.end()))
    return sorted(out, key=lambda d: d.start)


# Strong recurrences stop a sub-item from inheriting its item's dated deadline.
_STRONG = [
    r"định\s+kỳ(?:\s+(?:hằng|hàng|mỗi)\s+(?:ngày|tuần|tháng|quý|năm))?(?:\s+6\s+tháng)?",
    r"(?:hằng|hàng|mỗi)\s+(?:ngày|tuần|tháng|quý|năm)\b",
    r"\d+\s+tháng\s+(?:một|1)\s+lần|(?:01|một|1)\s+lần\s*/\s*(?:tuần|tháng|quý|năm)",
    r"sau\s+mỗi\s+[^,.;:()]{1,80}",
    r"mỗi\s+khi\s+[^,.;:()]{1,80}",
]
_WEAK = [r"thường\s+xuyên", r"liên\s+tục"]
_STRONG_RE = [re.compile(rf"(?<!\w){rx}", re.IGNORECASE) for rx in _STRONG]
_WEAK_RE = [re.compile(rf"(?<!\w){rx}(?!\w)", re.IGNORECASE) for rx in _WEAK]


def find_recurrence(text: str) -> tuple[Deadline | None, bool]:
    """The recurring-duty phrase (``định kỳ hằng tuần``) and whether it is a strong one."""
    for strong, patterns in ((True, _STRONG_RE), (False, _WEAK_RE)):
        for rx in patterns:
            m = rx.search(text)
            if m:
                phrase = re.sub(r"\s+", " ", m.group(0)).strip(" ,")
                return Deadline(None, phrase, m.start(), m.end()), strong
    return None, False


# "6/2025", "Tháng 10/2025", and a month range "10-11/2019" (by the end of its last month)
_CELL_MONTH_RE = re.compile(
    r"^(?:tháng\s+)?(?:\d{1,2}\s*[-–]\s*)?(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})$", re.IGNORECASE
)
_CELL_RANGE_RE = re.compile(r"^(?:giai\s+đoạn\s+)?\d{4}\s*[-–]\s*(?P<y>\d{4})$", re.IGNORECASE)
_CELL_YEAR_RE = re.compile(r"^(?:năm\s+)?(?P<y>\d{4})$", re.IGNORECASE)
_CELL_QUARTER_RE = re.compile(
    r"^quý\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:/|năm|-)\s*(?P<y>\d{4})$", re.IGNORECASE
)


def _cell_date(cell: str) -> date | None:
    """The end of one period written as a whole cell (``Quý II/2025``, ``6/2025``, ``2025``)."""
    try:
        if m := _CELL_MONTH_RE.match(cell):
            y, mo = int(m.group("y")), int(m.group("m"))
            return date(y, mo, calendar.monthrange(y, mo)[1])
        if m := _CELL_QUARTER_RE.match(cell):
            y, q = int(m.group("y")), _ROMAN_Q[m.group("q").lower()]
            return date(y, 3 * q, calendar.monthrange(y, 3 * q)[1])
        if m := _CELL_RANGE_RE.match(cell):
            return date(int(m.group("y")), 12, 31)  # "2025-2026": by the end of the period
        if m := _CELL_YEAR_RE.match(cell):
            return date(int(m.group("y")), 12, 31)
    except ValueError:
        return None
    return None


_BARE_QUARTER_RE = re.compile(r"^(?:IV|I{1,3})\s*/", re.IGNORECASE)


def _period_list_end(cell: str) -> date | None:
    """A cell listing periods (``Quý III, IV/2026``, ``Quý IV/2026, 2027``): the work runs to the
    end of the last one. A bare ``IV/2026`` after ``Quý …`` is a quarter too."""
    parts = [p.strip() for p in re.split(r"[,;]|\s+và\s+", cell) if p.strip()]
    if len(parts) < 2:
        return None
    quarters = cell.lower().startswith("quý")
    ends = []
    for part in parts:
        if quarters and _BARE_QUARTER_RE.match(part):
            part = "Quý " + part
        found = _cell_date(part)
        if found is None and not re.fullmatch(r"(?:quý\s+)?(?:IV|I{1,3})", part, re.IGNORECASE):
            return None  # not a list of periods
        if found is not None:
            ends.append(found)
    return max(ends) if ends else None


def parse_cell(text: str, *, issued_on: date | None = None) -> Deadline | None:
    """A plan table's deadline cell: ``6/2025``, ``Tháng 10/2025``, ``Quý II/2025``, ``2025``,
    a list of periods (its last), a written date, or a recurring duty (``Thường xuyên``, ``Hằng
    năm``: no date, phrase kept)."""
    cell = re.sub(r"\s+", " ", text).strip(" .;")
    if not cell:
        return None
    on: date | None = _cell_date(cell) or _period_list_end(cell)
    if on is not None:
        return Deadline(on, cell, 0, len(text))
    found = [d for d in find_deadlines("trong " + cell, issued_on=issued_on) if d.on]
    if found:
        return Deadline(found[0].on, cell, 0, len(text))
    recurrence, _ = find_recurrence(cell)
    return Deadline(None, cell, 0, len(text)) if recurrence or cell else None
