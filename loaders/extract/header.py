"""The document header: number, type, issuing body, place and date.

Vietnamese administrative documents print the issuer in capitals top-left (parent body above
the issuing body), ``Số 25-TB/TGV`` below it, ``Hà Nội, ngày 24 tháng 5 năm 2025`` top-right and
the title in capitals. Text copied from the web often adds a first line ``… do <issuer> ban
hành`` that spells the issuer in normal case, which is preferred when present.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date

from .gazetteer import AGENCIES, DOC_TYPE_TITLES, PROPER_WORDS, schema_doc_type
from .refs import DOCNUM_RE, doc_type_of_number, find_documents
from .text import caps_to_sentence, fold, is_caps_line, light

_NUMBER_LINE_RE = re.compile(r"^\s*(?:Số|SỐ|số)\s*(?:hiệu)?\s*:?\s*(?P<rest>.+)$")
_PLACE_DATE_RE = re.compile(
    r"^\s*(?P<place>[^\d,\n]{2,40}?)\s*,\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})"
    r"\s+năm\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_PLACE_DATE_NUM_RE = re.compile(
    r"^\s*(?P<place>[^\d,\n]{2,40}?)\s*,\s*ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_ISSUED_BY_RE = re.compile(r".*\sdo\s+(?P<issuer>.+?)\s+ban\s+hành\s*\.?\s*$", re.IGNORECASE)
_MOTTO = (
    "dang cong san viet nam",
    "cong hoa xa hoi chu nghia viet nam",
    "doc lap - tu do - hanh phuc",
    "doc lap tu do hanh phuc",
)
_MEETING_DATE_RE = re.compile(
    r"ngày\s+(?:(?P<d1>\d{1,2})\s*/\s*(?P<m1>\d{1,2})\s*/\s*(?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))",
    re.IGNORECASE,
)
_MEETING_WORDS_RE = re.compile(r"\b(?:họp|hội\s+nghị|phiên|làm\s+việc)\b", re.IGNORECASE)
_OFFICIAL_BY_FOLD = {fold(form): entry[0] for entry in AGENCIES for form in entry}


@dataclass
class Header:
    number: str | None = None
    type: str | None = None
    title: str | None = None
    issuer: str | None = None
    issuer_parent: str | None = None
    place: str | None = None
    issued_on: date | None = None
    meeting_on: date | None = None

    @property
    def doc_type(self) -> str | None:
        return schema_doc_type(self.type)


def _caps_to_name(line: str) -> str:
    """``ỦY BAN NHÂN DÂN TỈNH NGHỆ AN`` → ``Ủy ban nhân dân tỉnh Nghệ An`` (best effort)."""
    official = _OFFICIAL_BY_FOLD.get(fold(line))
    if official:
        return official
    return caps_to_sentence(line, PROPER_WORDS)


def _is_org_caps(line: str) -> bool:
    stripped = line.strip(" *-–—_")
    return bool(stripped) and is_caps_line(stripped) and fold(stripped) not in _MOTTO


def parse_header(text: str, header_end: int) -> Header:
    """Read the header from ``text[:header_end]`` (everything before the first item)."""
    head = text[:header_end]
    lines = [ln.strip() for ln in head.splitlines()]
    h = Header()

    number_idx = None
    for k, ln in enumerate(lines[:40]):
        m = _NUMBER_LINE_RE.match(ln)
        if m:
            docs = find_documents(m.group("rest"))
            if docs:
                h.number = docs[0].name
                number_idx = k
                break
    if h.number is None:
        for ln in lines[:3]:
            docs = find_documents(ln)
            if docs:
                h.number = docs[0].name
                break

    date_idx = None
    for k, ln in enumerate(lines[:50]):
        m = _PLACE_DATE_RE.match(ln) or _PLACE_DATE_NUM_RE.match(ln)
        if m:
            try:
                h.issued_on = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
            h.place = m.group("place").strip()
            date_idx = k
            break

    # Title: capitals after the place-date line (or after the number line).
    start = (date_idx if date_idx is not None else number_idx if number_idx is not None else -1) + 1
    title_lines: list[str] = []
    for ln in lines[start:]:
        if ln and is_caps_line(ln) and fold(ln) not in _MOTTO:
            title_lines.append(re.sub(r"\s+", " ", ln))
        elif title_lines:
            break
    if title_lines:
        h.title = " ".join(title_lines)

    h.type = doc_type_of_number(h.number) if h.number else None
    if h.type is None and h.title:
        t = light(h.title)
        h.type = next((ty for word, ty in DOC_TYPE_TITLES if t.startswith(word)), None)

    # Issuer: "… do X ban hành" in a web title line, else the capitals above the number.
    for ln in lines[:3]:
        m = _ISSUED_BY_RE.match(ln)
        if m:
            h.issuer = m.group("issuer").strip()
            break
    stop = number_idx if number_idx is not None else (date_idx if date_idx is not None else 0)
    orgs: list[str] = []
    for ln in lines[:stop]:
        if not _is_org_caps(ln):
            continue
        if orgs and re.search(r"(?:,|\bVỀ|\bVÀ|\bCỦA)$", orgs[-1]):
            orgs[-1] = f"{orgs[-1]} {ln}"  # a name broken over two lines
        else:
            orgs.append(ln)
    if orgs:
        child = orgs[-1]
        parent = orgs[-2] if len(orgs) > 1 else None
        if h.issuer is None:
            combined = _OFFICIAL_BY_FOLD.get(fold(f"{child} {parent}")) if parent else None
            h.issuer = combined or _caps_to_name(child)
        if parent:
            h.issuer_parent = _caps_to_name(parent)

    # The meeting a notice records: the first date in a sentence about a meeting.
    after = "\n".join(lines[(date_idx or 0) + 1 :])
    for sentence in re.split(r"(?<=[.;])\s+", after):
        if not _MEETING_WORDS_RE.search(sentence):
            continue
        m = _MEETING_DATE_RE.search(sentence)
        if m:
            d, mo, y = (m.group("d1"), m.group("m1"), m.group("y1"))
            if d is None:
                d, mo, y = (m.group("d2"), m.group("m2"), m.group("y2"))
            with contextlib.suppress(ValueError):
                h.meeting_on = date(int(y), int(mo), int(d))
            break
    return h


__all__ = ["Header", "parse_header", "DOCNUM_RE"]
