"""The free-form pipeline's assembly: tables and prose drafts become ``Task`` records.

``extract`` keeps the numbered-tree reader for conclusion notices written as ``1.``/``a)``/``(1)``
assignments (``numbered_notice``); every other text goes through ``segment`` → ``cues`` →
``prose`` (and ``tables`` for appendix tables). Both end here as the same ``Task`` model, with
evidence: the cue that gave the lead and the deadline phrase, as input offsets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from .agencies import Mention
from .deadlines import find_recurrence
from .mentions import _BARE_GENERIC_RE
from .mentions import ProseReader as MentionReader
from .model import Evidence, Task
from .prose import ProseReader
from .refs import find_refs
from .tables import rows
from .text import fold, shorten

AddAgency = Callable[[Mention, str], tuple["str | None", bool]]

_NUMBERED = re.compile(r"(?:^|\.)(?:[IVX]+|\d+|[a-zđ]|\(\d+\))(?:\.|$)")
_ISO_RE = re.compile(r"(?<!\d)(20\d{2})-(\d{2})-(\d{2})(?!\d)")
_DMY_RE = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(20\d{2})(?!\d)")
_WORDS_DATE_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(20\d{2})", re.I)


def numbered_notice(text: str, drafts: list) -> bool:
    """A notice whose numbered items carry the assignments (the tree reader's genre)."""
    if re.search(r"^\s*\|.*\|\s*$", text, re.M) or rows(text):
        return False
    numbered = [d for d in drafts if d.lead is not None and _NUMBERED.search(d.block.path)]
    return len(numbered) >= 1


def document_date(text: str, source_name: str) -> date | None:
    """The date deadlines without a year take when the header has none: the first full date
    written in the text (a news item's dateline), else a date in the file name."""
    found: list[tuple[int, date]] = []
    for rx, order in ((_DMY_RE, "dmy"), (_WORDS_DATE_RE, "dmy"), (_ISO_RE, "ymd")):
        for m in rx.finditer(text):
            a, b, c = (int(x) for x in m.groups())
            try:
                found.append((m.start(), date(c, b, a) if order == "dmy" else date(a, b, c)))
            except ValueError:
                continue
    if found:
        return min(found)[1]
    m = _ISO_RE.search(source_name)
    if m:
        try:
            return date(*(int(x) for x in m.groups()))
        except ValueError:
            return None
    return None


_CATCH_ALL_RE = re.compile(
    r"(?:thi\s+hành|tổ\s+chức\s+thi\s+hành)\s+(?:Quyết\s+định|Nghị\s+quyết|Kế\s+hoạch|Chỉ\s+thị"
    r"|Thông\s+báo|Thông\s+tư|Chương\s+trình)\s+này|khi\s+cần\s+(?:sửa\s+đổi|điều\s+chỉnh)",
    re.IGNORECASE,
)


# "Các sở, ngành căn cứ chức năng, nhiệm vụ chủ động triển khai thực hiện Kế hoạch này": to all.
_CARRY_OUT_RE = re.compile(
    r"(?:triển\s+khai|tổ\s+chức)?\s*thực\s+hiện\s+(?:Quyết\s+định|Nghị\s+quyết|Kế\s+hoạch"
    r"|Chỉ\s+thị|Thông\s+báo|Chương\s+trình)\s+này",
    re.IGNORECASE,
)


# "Đề nghị các sở, ngành … nghiêm túc triển khai thực hiện./": a request to carry out, no work named.
_BARE_CARRY_OUT_RE = re.compile(
    r"(?:(?:nghiêm\s+túc|khẩn\s+trương|chủ\s+động)\s+)?(?:triển\s+khai\s+|tổ\s+chức\s+)?thực\s+hiện"
    r"(?:\s+(?:nghiêm\s+túc|đúng\s+quy\s+định))?[\s./]*$",
    re.IGNORECASE,
)
_REQUEST_WORDS_RE = re.compile(r"\b(?:đề\s+nghị|yêu\s+cầu|có\s+trách\s+nhiệm|giao)\b", re.IGNORECASE)


def is_catch_all(text: str, lead_kind: str | None, leads: list[str] | None = None) -> bool:
    """An execution clause, a generic group told to carry out the document itself, or a
    request that only says "carry it out" (its words beyond the addressees and the request
    verb are the carrying out itself)."""
    if _CATCH_ALL_RE.search(text):
        return True
    if lead_kind == "generic" and _CARRY_OUT_RE.search(text):
        return True
    m = _BARE_CARRY_OUT_RE.search(text)
    if m is None or leads is None:
        return False
    rest = re.sub(r"^\s*(?:Căn\s+cứ|Trên\s+cơ\s+sở|Để)\b[^,]{0,80},", " ", text[: m.start()])
    for name in sorted(leads, key=len, reverse=True):
        rest = rest.replace(name, " ")
    rest = _REQUEST_WORDS_RE.sub(" ", rest)
    return len(re.findall(r"\w+", rest)) <= 2


def _task(key: str, section: str, leads: list[Mention], add: AddAgency, **fields) -> Task:
    first = leads[0] if leads else None
    resolved = [add(m, "lead") for m in leads]
    lead_id, candidate = resolved[0] if resolved else (None, False)
    return Task(
        id=f"{key}:{section}",
        section=section,
        lead=first.text if first else None,
        leads=[m.text for m in leads],
        lead_ids=[ident for ident, _ in resolved],
        lead_kinds=[m.kind for m in leads],
        lead_norm=(first.canonical or first.text) if first else None,
        lead_id=lead_id,
        lead_kind=first.kind if first else None,
        lead_candidate=candidate,
        generic=is_catch_all(fields.get("text", ""), first.kind if first else None,
                             [m.text for m in leads]),
        **fields,
    )


def _co_fields(co: list[Mention], add: AddAgency) -> dict:
    names, ids, cands, generic = [], [], [], []
    for m in co:
        if m.kind == "generic":
            generic.append(m.text)
            continue
        ident, cand = add(m, "co")
        names.append(m.text)
        ids.append(ident)
        cands.append(cand)
    return {"co": names, "co_ids": ids, "co_candidates": cands, "co_generic": generic}


def _cell_mentions(cell_text: str, offset: int) -> list[Mention]:
    """The agencies of a table cell: names split at ';' and ',' (a slip may join two)."""
    out: list[Mention] = []
    reader = MentionReader(cell_text)
    i = 0
    toks = reader.tokens
    while i < len(toks):
        if not toks[i].is_word:
            i += 1
            continue
        group = _BARE_GENERIC_RE.match(cell_text, toks[i].start)
        if group and re.match(r"\s*(?:[,;]|$)", cell_text[group.end():]):
            # "Bộ, ngành, địa phương" written without "các": a group, not "Bộ" + two names.
            out.append(Mention(group.group(0), group.start() + offset, group.end() + offset, "generic"))
            i = reader.index_at(group.end())
            continue
        found = reader.read_one(i)
        if found:
            mentions, j = found
            out.extend(Mention(m.text, m.start + offset, m.end + offset, m.kind, m.canonical)
                       for m in mentions)
            i = max(j, i + 1)
            continue
        # An acronym or a name the reader does not know (VTV, TTXVN): up to the next separator.
        j = i
        while j < len(toks) and toks[j].text not in (",", ";"):
            j += 1
        piece = cell_text[toks[i].start : toks[j - 1].end]
        if piece and piece[0].isupper() and len(piece.split()) <= 8:
            out.append(Mention(piece, toks[i].start + offset, toks[j - 1].end + offset, "agency"))
        i = j
    return out


def table_tasks(text: str, key: str, add: AddAgency, issued_on: date | None) -> list[Task]:
    """One task per row of the text's task tables."""
    tasks: list[Task] = []
    for row in rows(text):
        leads = _cell_mentions(row.lead.text, 0)
        if not leads:
            continue
        co = _cell_mentions(row.co.text, 0) if row.co else []
        deadline = row.deadline_value(issued_on)
        recurrence = find_recurrence(deadline.text)[0] if deadline and deadline.on is None else None
        tasks.append(_task(
            key, f"row{row.number}", leads, add,
            section_heading=row.section,
            topic=row.section.split(" ", 1)[1][:100] if row.section and " " in row.section else None,
            **_co_fields(co, add),
            deadline=deadline.on if deadline else None,
            deadline_text=deadline.text if deadline else None,
            recurrence=recurrence.text if recurrence else (
                deadline.text if deadline and not deadline.on else None),
            refs=list(dict.fromkeys(r.name for r in find_refs(row.task.text))),
            summary=shorten(row.task.text),
            text=row.task.text,
            span=row.span,
            evidence=Evidence(
                cue="table row: lead column",
                cue_span=row.lead.span(),
                lead_span=row.lead.span(),
                deadline_span=row.deadline.span() if row.deadline and row.deadline.text else None,
                confidence=0.95,
            ),
        ))
    return tasks


_INTRO_END_RE = re.compile(r"[:]\s*$")


def preamble_intro(preamble: str, issued_on: date | None) -> tuple[list[Mention], tuple[int, int]] | None:
    """The request that introduces the numbered body: the last sentence before the first item,
    ending in ``:`` and naming its addressee ("Bộ … đề nghị Ủy ban nhân dân các tỉnh … chỉ đạo
    …, cụ thể như sau:"). Its leads are the leads of the items that name none, and the sentence
    itself is no task. A speaker ("Thủ tướng Chính phủ yêu cầu:") names no lead, so gives none."""
    if not _INTRO_END_RE.search(preamble):
        return None
    drafts = ProseReader(preamble, issued_on=issued_on).build()
    if not drafts:
        return None
    last = drafts[-1]
    if preamble[last.span[1]:].strip(" \t\r\n:") or not last.leads:
        return None
    if any(m.kind == "person" for m in last.leads):
        return None
    return list(last.leads), last.span


def prose_tasks(
    text: str, key: str, add: AddAgency, issued_on: date | None, *, skip: tuple[int, int] | None = None
) -> list[Task]:
    """Tasks of the text outside tables, sentence by sentence and item by item (``skip``: the
    span of an intro whose leads went down to the items)."""
    reader = ProseReader(text, issued_on=issued_on)
    tasks: list[Task] = []
    for d in reader.build():
        if skip is not None and d.span == skip:
            continue
        inherited = reader.units[d.inherited_from].span() if d.inherited_from is not None else None
        tasks.append(_task(
            key, d.section, d.leads, add,
            section_heading=d.heading,
            **_co_fields(d.co, add),
            deadline=d.deadline.on if d.deadline else None,
            deadline_text=(d.deadline.text if d.deadline else None)
            or (d.recurrence.text if d.recurrence else None),
            recurrence=d.recurrence.text if d.recurrence else None,
            refs=list(dict.fromkeys(r.name for r in d.refs)),
            summary=d.summary,
            text=d.text,
            span=d.span,
            evidence=Evidence(
                cue=d.cue,
                cue_span=d.cue_span,
                lead_span=d.lead_span,
                deadline_span=d.deadline_span,
                inherited_from=inherited,
                confidence=d.confidence,
            ),
        ))
    return tasks


__all__ = ["document_date", "is_catch_all", "numbered_notice", "preamble_intro", "prose_tasks", "table_tasks",
           "fold"]
