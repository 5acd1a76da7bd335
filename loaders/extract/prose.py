"""From units of free-form text to task drafts: inheritance, directive passages, deadlines.

``segment`` gives units (items, sentences); ``cues`` says who each clause assigns work to. This
module decides what becomes a task:

- an item without its own subject takes its intro's lead (and deadline, when it has none);
- a verb-first sentence takes the previous subject of its paragraph; an anaphoric head
  (``Ban …``) the last lead whose name starts with that head;
- a bare ``X`` + action verb counts only inside a passage of directions (after a request,
  a strong cue or an intro), never in background;
- a clause split at ``;`` starts a new task only where the lead or the deadline changes;
- a sentence that only sets a deadline (``Hoàn thành trong tháng 8 năm 2021.``, ``Các công
  việc này phải hoàn tất trước ngày 28-5``) gives it to the task before it;
- an intro that introduces items gives no task itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .agencies import Mention
from .cues import Assignment, ClauseReader, clauses
from .deadlines import Deadline, find_deadlines, find_recurrence
from .refs import Ref, find_refs
from .segment import Unit, segment
from .text import fold, shorten, upper_first

_DEADLINE_ONLY_RE = re.compile(
    r"^\s*(?:(?:hoàn\s+thành|hoàn\s+tất|thời\s+hạn|thời\s+gian\s+hoàn\s+thành)\b"
    r"|(?:các|những)?\s*(?:công\s+việc|nhiệm\s+vụ|nội\s+dung)\s+(?:này|trên|nói\s+trên)\b)",
    re.IGNORECASE,
)


@dataclass
class ProseDraft:
    """A task read from free-form text, with the evidence for its lead and deadline."""

    leads: list[Mention]
    co: list[Mention]
    deadline: Deadline | None
    recurrence: Deadline | None
    refs: list[Ref]
    summary: str
    text: str
    span: tuple[int, int]
    cue: str
    cue_span: tuple[int, int]
    lead_span: tuple[int, int] | None
    deadline_span: tuple[int, int] | None
    confidence: float
    section: str
    heading: str | None = None
    unit: int = 0
    inherited_from: int | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class _Group:
    start: int
    end: int
    assignment: Assignment | None
    leads: list[Mention]
    deadline: Deadline | None


_BACK_REFERENCE = {"cac don vi", "cac co quan", "cac co quan, don vi", "cac don vi nay",
                   "cac co quan nay", "cac don vi tren", "cac don vi neu tren", "cac co quan tren"}


def _back_reference(a, groups: list, last_leads: list[Mention]) -> list[Mention]:
    """The leads a bare ``các đơn vị`` / ``các cơ quan`` subject points back to: those of the
    sentence before it in the same paragraph, when they named the bodies (not a group)."""
    if a is None or a.requested or len(a.leads) != 1 or a.leads[0].kind != "generic":
        return []
    if fold(a.leads[0].text) not in _BACK_REFERENCE:
        return []
    before = next((g.leads for g in reversed(groups) if g.leads), None) or last_leads
    if not before or all(m.kind == "generic" for m in before):
        return []
    return list(before)


class ProseReader:
    """Walks the units of a text and yields drafts."""

    def __init__(self, text: str, *, issued_on: date | None) -> None:
        self.text = text
        self.issued_on = issued_on
        self.units: list[Unit] = segment(text)
        self.unit_leads: dict[int, list[Mention]] = {}
        self.unit_deadline: dict[int, Deadline] = {}
        self.unit_cue: dict[int, Assignment] = {}
        self.drafts: list[ProseDraft] = []
        self.trace: list[dict] = []

    def _dated(self, text: str) -> Deadline | None:
        return next((d for d in find_deadlines(text, issued_on=self.issued_on) if d.on), None)

    def _inherited(self, index: int) -> tuple[list[Mention], Deadline | None, int | None]:
        unit = self.units[index]
        deadline = None
        k = unit.intro
        while k is not None:
            deadline = deadline or self.unit_deadline.get(k)
            if self.unit_leads.get(k):
                return self.unit_leads[k], deadline, k
            k = self.units[k].intro
        return [], deadline, None

    def build(self) -> list[ProseDraft]:
        directive = False
        quiet = 0  # sentences in a row that assigned nothing
        last_leads: list[Mention] = []
        history: list[Mention] = []
        heading: str | None = None
        for index, unit in enumerate(self.units):
            if unit.kind == "heading":
                heading = unit.text
                last_leads = []
                self.trace.append({"unit": index, "kind": "heading", "text": unit.text})
                continue
            reader = ClauseReader(unit.text)
            inherited, inherited_deadline, from_unit = self._inherited(index)
            groups: list[_Group] = []
            pending: list[Mention] = []  # "A, B; C và D có trách nhiệm …": one subject list
            pending_start: int | None = None
            for cs, ce in clauses(unit.text):
                a = reader.read(cs, ce, directive=directive or bool(inherited) or unit.kind == "item")
                if a and a.verb_first and _deadline_only(unit.text[cs:ce], self.issued_on):
                    a = None  # "Hoàn thành trong tháng 8 năm 2021.": the deadline of the task before
                if a is None and reader.only_mentions(cs, ce):
                    pending += reader.only_mentions(cs, ce)
                    pending_start = cs if pending_start is None else pending_start
                    continue
                if pending and a and a.leads and not a.requested:
                    a.leads = pending + a.leads
                    cs = pending_start if pending_start is not None else cs
                pending, pending_start = [], None
                leads: list[Mention] = []
                back = _back_reference(a, groups, last_leads)
                if back:
                    # "… Theo chức năng, các đơn vị có trách nhiệm …": the bodies just named
                    leads = [Mention(m.text, a.cue_span[0], a.cue_span[1], m.kind, m.canonical)
                             for m in back]
                elif a and a.leads:
                    leads = a.leads
                elif a and a.anaphor:
                    leads = [m for m in reversed(history) if m.text.startswith(a.anaphor)][:1]
                    leads = leads or list(last_leads)
                    leads = [Mention(m.text, a.cue_span[0], a.cue_span[1], m.kind, m.canonical)
                             for m in leads]
                elif a and a.verb_first:
                    leads = list(last_leads) or list(inherited)
                elif groups:
                    leads = groups[-1].leads
                elif inherited:
                    leads = list(inherited)
                dl = self._dated(unit.text[cs:ce])
                own = bool(a and (a.leads or a.anaphor))
                g = groups[-1] if groups else None
                same_lead = g is not None and [m.text for m in g.leads] == [m.text for m in leads]
                same_deadline = dl is None or g is None or g.deadline is None or dl.on == g.deadline.on
                # "… trong tháng 02 năm 2025; Hoàn thành …": an undated verb-first part after a
                # dated one is a task of its own (the parts differ in deadline).
                if g is not None and dl is None and g.deadline is not None and a and a.verb_first:
                    same_deadline = False
                if g is not None and same_deadline and (same_lead or not own) and not back:
                    g.end = ce
                    g.deadline = g.deadline or dl
                    continue
                groups.append(_Group(cs, ce, a, leads, dl))
            if pending and not groups and unit.is_intro:
                # A section title that only names agencies ("1. Sở Nội vụ"): its items' lead.
                groups.append(_Group(pending_start or 0, len(unit.text), None, pending, None))
            self._emit(index, unit, reader, groups, inherited, inherited_deadline, from_unit, heading)
            unit_leads = next((g.leads for g in groups if g.leads), [])
            # A verb-first sentence continues the subject of the sentence right before it.
            last_leads = unit_leads
            history.extend(unit_leads)
            if any(g.assignment and g.assignment.strong and g.leads for g in groups):
                directive, quiet = True, 0
            elif unit.kind == "sentence" and reader.is_fact(0, len(unit.text)):
                directive = False
            elif not unit_leads and unit.kind == "sentence":
                quiet += 1
                if quiet >= 2:
                    directive = False  # two sentences assigning nothing: the directions are over
            else:
                quiet = 0
            if re.search(r"(?<!\w)(?:yêu\s+cầu|đề\s+nghị|chỉ\s+đạo|giao|kết\s+luận)(?!\w)", unit.text):
                directive = directive or unit.is_intro
        return self.drafts

    def _restates_previous(self, index, lead, deadline, g, unit) -> bool:
        """A request repeated in the next sentence to add its deadline is the same task."""
        if deadline is None or not self.drafts:
            return False
        prev = self.drafts[-1]
        if prev.deadline is not None or prev.unit != index - 1 or not _restated(prev, lead):
            return False
        prev.deadline = deadline
        prev.deadline_span = unit.seg.span(deadline.start + g.start, deadline.end + g.start)
        prev.span = (prev.span[0], unit.seg.span(g.start, g.end)[1])
        self.trace.append({"unit": index, "kind": "restated request: deadline for previous task",
                           "text": unit.text})
        return True

    def _emit(self, index, unit, reader, groups, inherited, inherited_deadline, from_unit, heading):
        if unit.is_intro and unit.children:
            leads = next((g.leads for g in groups if g.leads), [])
            if leads:
                self.unit_leads[index] = leads
            dl = self._dated(unit.text)
            if dl:
                self.unit_deadline[index] = dl
            if groups and groups[0].assignment:
                self.unit_cue[index] = groups[0].assignment
            self.trace.append({"unit": index, "kind": "intro", "text": unit.text,
                               "leads": [m.text for m in leads]})
            return
        emitted = False
        for g in groups:
            a = g.assignment
            gtext = unit.text[g.start : g.end]
            if not g.leads:
                if g.deadline and _DEADLINE_ONLY_RE.match(gtext) and self.drafts:
                    prev = self.drafts[-1]
                    if prev.deadline is None and self.units[prev.unit].para in (unit.para, unit.para - 1):
                        prev.deadline = g.deadline
                        prev.deadline_span = unit.seg.span(g.deadline.start + g.start,
                                                           g.deadline.end + g.start)
                        self.trace.append({"unit": index, "kind": "deadline for previous task",
                                           "text": gtext})
                        emitted = True
                continue
            if a is None and unit.kind != "item":
                continue
            deadline = g.deadline
            recurrence, strong = find_recurrence(gtext)
            if deadline is None and not strong and unit.kind == "item":
                deadline = inherited_deadline
            if a is None:
                cue, cue_span, confidence = "item under intro", None, 0.7
            elif a.verb_first:
                cue, cue_span, confidence = f"verb-first ({a.cue})", a.cue_span, 0.6
            elif a.anaphor:
                cue, cue_span, confidence = f"anaphor '{a.anaphor}' ({a.cue})", a.cue_span, 0.6
            else:
                cue, cue_span = a.cue, a.cue_span
                confidence = 0.9 if a.strong else 0.65
            first = g.leads[0]
            if self._restates_previous(index, first, deadline, g, unit):
                emitted = True
                continue
            lead_span = unit.seg.span(first.start, g.leads[-1].end) if (a and a.leads) else None
            deadline_span = None
            if deadline is not None and deadline is g.deadline:
                deadline_span = unit.seg.span(deadline.start + g.start, deadline.end + g.start)
            elif deadline is not None and from_unit is not None:
                confidence -= 0.05
            co = reader.reader.cooperators(g.start, g.end)
            keys = {m.key for m in g.leads}
            co = [m for m in co if m.key not in keys]
            self.drafts.append(ProseDraft(
                leads=g.leads,
                co=co,
                deadline=deadline,
                recurrence=recurrence,
                refs=find_refs(gtext),
                summary=_summary(unit.text, g.start, g.end, a),
                text=gtext.strip(),
                span=unit.seg.span(g.start, g.end),
                cue=cue,
                cue_span=unit.seg.span(*cue_span) if cue_span else unit.seg.span(g.start, g.start),
                lead_span=lead_span,
                deadline_span=deadline_span,
                confidence=round(confidence, 2),
                section=f"u{index + 1}" + (f".{len([d for d in self.drafts if d.unit == index]) + 1}"
                                           if len(groups) > 1 else ""),
                heading=heading,
                unit=index,
                inherited_from=from_unit if a is None or a.verb_first else None,
            ))
            emitted = True
        self.trace.append({"unit": index, "kind": unit.kind, "text": unit.text,
                           "tasks": emitted})


def _deadline_only(text: str, issued_on: date | None) -> bool:
    """A clause that only states when: the cue word, a dated phrase and little else."""
    if not _DEADLINE_ONLY_RE.match(text):
        return False
    dated = [d for d in find_deadlines(text, issued_on=issued_on) if d.on]
    if not dated:
        return False
    rest = text[: dated[0].start] + text[dated[0].end :]
    return len(re.findall(r"\w+", rest)) <= 4


def _restated(previous: ProseDraft, lead: Mention) -> bool:
    """``Đồng chí`` after ``các đồng chí Ủy viên …``: the same addressee named shorter."""
    short, full = fold(lead.text), fold(previous.leads[0].text) if previous.leads else ""
    # Only a bare title or pronoun restates an addressee; "Các bộ" after "Các bộ, doanh
    # nghiệp" is a new task for a narrower group.
    bare = lead.kind == "person" and len(short.split()) <= 2
    return bare and short != full and short in full


def _summary(text: str, start: int, end: int, a: Assignment | None) -> str:
    """The work itself: the clause from its predicate (or after the addressee) on."""
    cut = start
    if a and not a.verb_first and a.cue not in (":", "như sau"):
        cut = a.leads[-1].end if (a.requested and a.leads) else a.cue_span[0]
    cut = min(max(cut, start), end)
    body = re.sub(r"^[\s,:;]+", "", text[cut:end]).rstrip(" .;:")
    return shorten(upper_first(body or text[start:end].strip()))
