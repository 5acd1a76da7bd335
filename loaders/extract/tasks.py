"""From the numbered tree to tasks.

An item either introduces sub-items (its lead, co-operators and deadline pass down), is a
heading (it names a topic), or is a leaf that assigns work. A leaf may hold several tasks:
``Bộ A chủ trì …; Bộ B chủ trì …`` (a new subject starts a new task), ``Các Bộ: A, B …`` or
``Giao Bộ A và Bộ B …`` (one task per lead named as the clause's own subject: each body does its
own share, as the curated 25-TB/TGV reads). Leads that come down from a heading or an intro
(``1. Các Bộ: A, B, C:`` over ``a) …``, ``b) …``) are joint leads of one task per item. Plans put
the lead and deadline on separate lines (``- Cơ quan chủ trì: …``), read as fields of the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .agencies import AgencyReader, Mention, _match_phrase, _phrases, dedupe
from .deadlines import Deadline, find_deadlines, find_recurrence
from .gazetteer import ACTION_VERBS, PROPER_WORDS
from .mentions import ProseReader as MentionReader
from .pipeline import is_catch_all
from .refs import Ref, find_refs
from .structure import Block, Structure
from .text import (
    Segment,
    caps_to_sentence,
    clauses,
    first_sentence,
    fold,
    is_caps_line,
    shorten,
    upper_first,
)

_FIELD_RE = re.compile(
    r"^(?:(?:cơ\s+quan|đơn\s+vị)\s+(?:chủ\s+trì|phối\s+hợp|thực\s+hiện)|chủ\s+trì|phối\s+hợp"
    r"|thời\s+gian(?:\s+hoàn\s+thành|\s+thực\s+hiện|\s+trình)?|thời\s+hạn(?:\s+hoàn\s+thành)?"
    r"|tiến\s+độ(?:\s+hoàn\s+thành)?|sản\s+phẩm(?:\s+dự\s+kiến)?|kết\s+quả\s+dự\s+kiến)\s*:",
    re.IGNORECASE,
)
_REPORT_RE = re.compile(r"^(?:báo\s+cáo\s+kết\s+quả|gửi\s+báo\s+cáo)", re.IGNORECASE)
_LEAD_VERB_RE = re.compile(r"^(?:chủ\s+trì|chủ\s+động)\s*(?:,\s*)?", re.IGNORECASE)
_CO_OPEN_RE = re.compile(r"^(?:phối\s+hợp(?:\s+chặt\s+chẽ)?\s+(?:với|cùng)\s+)", re.IGNORECASE)
_ACTIONS = _phrases(ACTION_VERBS)
_OUTRO_RE = re.compile(r"(?:,\s*)?(?:cụ\s+thể|như\s+sau|gồm|sau\s+đây)\s*:\s*$", re.IGNORECASE)


@dataclass
class Context:
    """What an introducing item passes to its sub-items."""

    leads: list[Mention] = field(default_factory=list)
    co: list[Mention] = field(default_factory=list)
    deadline: Deadline | None = None
    heading: Block | None = None
    action: str | None = None
    refs: list[Ref] = field(default_factory=list)


@dataclass
class Draft:
    """A task before agency resolution."""

    block: Block
    index: int
    lead: Mention | None
    co: list[Mention]
    deadline: Deadline | None
    recurrence: Deadline | None
    refs: list[Ref]
    summary: str
    text: str
    span: tuple[int, int]
    heading: Block | None
    joint: list[Mention] = field(default_factory=list)  # every lead, ``lead`` first

    @property
    def leads(self) -> list[Mention]:
        return self.joint or ([self.lead] if self.lead is not None else [])


def is_field(block: Block) -> bool:
    return bool(_FIELD_RE.match(block.text))


def heading_text(block: Block) -> str:
    return block.text.strip().rstrip(":.;")


def topic_name(block: Block) -> str:
    text = heading_text(block)
    if is_caps_line(text):
        text = caps_to_sentence(text, PROPER_WORDS)
    text = re.sub(r"^(?:về|VỀ|Về)\s+(?:việc\s+)?", "", text)
    if len(text) > 100:  # a heading that is a whole programme: its first phrase names it
        text = re.split(r"[,;(]", text, maxsplit=1)[0].strip()
    return upper_first(text)


class TaskBuilder:
    """Walks a parsed structure and yields task drafts."""

    def __init__(
        self, structure: Structure, *, issued_on: date | None, root_leads: list[Mention] | None = None
    ) -> None:
        self.structure = structure
        self.issued_on = issued_on
        self.root_leads = list(root_leads or [])
        self.drafts: list[Draft] = []
        self.headings: list[Block] = []

    def build(self) -> list[Draft]:
        # ``root_leads``: the addressee of the intro before the first item ("… đề nghị Ủy ban
        # nhân dân các tỉnh … cụ thể như sau:"), the lead of every item that names none.
        for block in self.structure.blocks:
            self._visit(block, Context(leads=list(self.root_leads)))
        return self.drafts

    # -- tree ---------------------------------------------------------------------------
    def _visit(self, block: Block, ctx: Context) -> None:
        _split_title_line(block)
        fields = [c for c in block.children if c.kind != "inline" and is_field(c)]
        subs = [c for c in block.children if c not in fields]
        line_subs = [c for c in subs if c.kind != "inline"]
        inline_subs = [c for c in subs if c.kind == "inline"]
        reader = AgencyReader(block.text)
        subject = _subject(reader, *self._first_clause(block.text)) if block.text else None
        if subject:
            subject = (official_bodies(subject[0]), subject[1])

        if line_subs:
            heading = (
                block.kind == "caps"
                or block.heading_hint
                or (subject is None and len(block.text) < 200 and not block.text.endswith("."))
            )
            child_ctx = Context(ctx.leads, ctx.co, ctx.deadline, ctx.heading, refs=ctx.refs)
            if heading:
                child_ctx.heading = block
                self.headings.append(block)
            section_leads = _section_leads(reader, block.text) if not subject else []
            if subject:
                child_ctx = self._intro_context(block, reader, subject, child_ctx)
            elif section_leads:
                # "1. Sở Nội vụ" over "a) Chủ trì …", "- Rà soát …": the section names the lead.
                child_ctx.leads, child_ctx.co = section_leads, []
            elif block.text:
                found = self._dated(find_deadlines(block.text, issued_on=self.issued_on))
                if found:
                    child_ctx.deadline = found
            for child in line_subs:
                self._visit(child, child_ctx)
            return
        if block.kind == "caps" or (block.heading_hint and not block.children):
            self.headings.append(block)
            return
        if inline_subs:
            child_ctx = Context(ctx.leads, ctx.co, ctx.deadline, ctx.heading, refs=ctx.refs)
            if subject:
                child_ctx = self._intro_context(block, reader, subject, child_ctx)
            else:
                child_ctx.refs = ctx.refs + find_refs(block.text)
            whole = " ".join([block.text] + [c.text for c in inline_subs])
            found = self._dated(find_deadlines(whole, issued_on=self.issued_on))
            if found:
                child_ctx.deadline = found
            for child in inline_subs:
                self._leaf(child, [], child_ctx)
            return
        self._leaf(block, fields, ctx)

    @staticmethod
    def _first_clause(text: str) -> tuple[int, int]:
        parts = clauses(text)
        return parts[0] if parts else (0, len(text))

    def _intro_context(
        self, block: Block, reader: AgencyReader, subject: tuple[list[Mention], int], base: Context
    ) -> Context:
        mentions, verb_at = subject
        text = block.text
        ctx = Context(list(mentions), [], base.deadline, base.heading)
        ctx.co = reader.cooperators(0, len(text))
        ctx.refs = base.refs + find_refs(text)
        found = self._dated(find_deadlines(text, issued_on=self.issued_on))
        if found:
            ctx.deadline = found
        action = _LEAD_VERB_RE.sub("", text[verb_at:]).strip()
        if ctx.co:
            action = self._strip_co(reader, text, verb_at, action)
        if action.endswith(":") and not _OUTRO_RE.search(action) and len(action.split()) <= 6:
            ctx.action = action.rstrip(": ")
        return ctx

    # -- leaves -------------------------------------------------------------------------
    def _dated(self, found: list[Deadline]) -> Deadline | None:
        return next((d for d in found if d.on is not None), None)

    def _leaf(self, block: Block, fields: list[Block], ctx: Context) -> None:
        seg = block.seg or Segment("", (), ())
        text = seg.text
        reader = AgencyReader(text)
        groups: list[list] = []
        for cs, ce in clauses(text) or [(0, len(text))]:
            subj = _subject(reader, cs, ce)
            if subj:
                subj = (official_bodies(subj[0]), subj[1])
            if not groups:
                groups.append([cs, ce, subj])
                continue
            current = groups[-1][2][0] if groups[-1][2] else ctx.leads
            if subj and {m.key for m in subj[0]} != {m.key for m in current}:
                groups.append([cs, ce, subj])
            else:
                groups[-1][1] = ce
        if not groups:
            groups = [[0, 0, None]]

        field_leads: list[Mention] = []
        field_co: list[Mention] = []
        field_deadlines: list[Deadline] = []
        field_refs: list[Ref] = []
        field_recurrence: tuple[Deadline | None, bool] = (None, False)
        for f in fields:
            if field_recurrence[0] is None:
                field_recurrence = find_recurrence(f.text)
            fr = AgencyReader(f.text)
            field_leads += fr.field_leads(0, len(f.text))
            field_co += fr.cooperators(0, len(f.text))
            field_deadlines += find_deadlines(f.text, issued_on=self.issued_on)
            field_refs += [r for r in find_refs(f.text)]
        inline_leads = reader.field_leads(0, len(text))

        item_found = find_deadlines(text, issued_on=self.issued_on)

        multi = len(groups) > 1
        for gi, (gs, ge, subj) in enumerate(groups):
            gtext = text[gs:ge]
            own_leads = subj[0] if subj else (inline_leads or field_leads)
            leads = own_leads or ctx.leads
            co = reader.cooperators(gs, ge) + field_co
            if not own_leads:
                co = ctx.co + co
            lead_keys = {m.key for m in leads}
            co = [m for m in dedupe(co) if m.key not in lead_keys]

            found = find_deadlines(gtext, issued_on=self.issued_on)
            if gi == 0:
                found += field_deadlines
            deadline = self._dated(found)
            recurrence, strong = find_recurrence(gtext)
            if recurrence is None and gi == 0:
                recurrence, strong = field_recurrence
            if deadline is None and not strong:
                # A later "Báo cáo … trước ngày X" covers this task; an earlier task's date does not.
                later = self._dated([d for d in item_found if d.start >= gs])
                undated = next((d for d in found if d.on is None), None)
                deadline = later or self._dated(field_deadlines) or ctx.deadline or undated
            refs = ctx.refs + find_refs(gtext) + (field_refs if gi == 0 else [])
            if not leads and deadline is None and recurrence is None:
                continue
            summary = self._summary(reader, text, gs, ge, subj, ctx)
            if multi:
                lo, hi = seg.span(gs, ge)
                span = (block.start if gi == 0 else lo, hi if gi < len(groups) - 1 else block.end)
            else:
                span = block.span
            # An execution clause addressed to several bodies stays one (catch-all) task.
            names = [m.text for m in leads]
            split = subj and len(leads) > 1 and not is_catch_all(gtext, leads[0].kind, names)
            shares = [[m] for m in leads] if split else [leads] if leads else []
            for share in shares:
                self.drafts.append(
                    Draft(
                        block=block,
                        index=sum(1 for d in self.drafts if d.block is block),
                        lead=share[0],
                        joint=list(share),
                        co=co,
                        deadline=deadline,
                        recurrence=recurrence,
                        refs=_unique_refs(refs),
                        summary=summary,
                        text=gtext.strip(),
                        span=span,
                        heading=ctx.heading,
                    )
                )
            if not shares:
                self.drafts.append(Draft(
                    block=block, index=sum(1 for d in self.drafts if d.block is block), lead=None,
                    co=co, deadline=deadline, recurrence=recurrence, refs=_unique_refs(refs),
                    summary=summary, text=gtext.strip(), span=span, heading=ctx.heading))

    # -- summary ------------------------------------------------------------------------
    def _strip_co(self, reader: AgencyReader, text: str, verb_at: int, action: str) -> str:
        """Drop a leading ``phối hợp với A, B`` from ``action`` (a suffix of ``text``)."""
        offset = text.find(action, verb_at) if action else -1
        m = _CO_OPEN_RE.match(action)
        if not m or offset < 0:
            return action
        _, end = reader.read_list(reader.index_at(offset + m.end()))
        stop = offset + len(action)
        if end < len(reader.tokens) and reader.tokens[end].start < stop:
            rest = text[reader.tokens[end].start : stop].lstrip(" ,:")
            return re.sub(r"^để\s+", "", rest)
        return ""

    def _summary(
        self,
        reader: AgencyReader,
        text: str,
        gs: int,
        ge: int,
        subj: tuple[list[Mention], int] | None,
        ctx: Context,
    ) -> str:
        start = subj[1] if subj else gs
        body = text[start:ge].strip()
        body = _LEAD_VERB_RE.sub("", body)
        body = self._strip_co(reader, text, start, body) if _CO_OPEN_RE.match(body) else body
        body = body.lstrip(" ,:;")
        body = re.sub(r"^(?:đặc\s+biệt\s+là|nhất\s+là|trong\s+đó)\s[^,]*,\s*", "", body)
        sentences = re.split(r"(?<=[.;])\s+", body)
        kept = [s for s in sentences if not _REPORT_RE.match(s)]
        body = " ".join(kept) if kept else body
        body = first_sentence(body).rstrip(" .;:")
        if ctx.action and not subj:
            body = f"{ctx.action} {body}"
        return shorten(upper_first(body))


def _split_title_line(block: Block) -> None:
    """``2. Sở Nội vụ`` on its own line, then ``Chỉ đạo …`` unmarked: the title names the lead
    and the next lines are its item (the tree joined them as one broken line)."""
    seg = block.seg
    if block.children or len(block.ranges) < 2 or seg is None or block.kind in ("caps", "para"):
        return
    cut = next((k for k, pos in enumerate(seg.starts) if pos >= block.ranges[1][0]), None)
    if not cut:
        return
    title, rest = seg.sub(0, cut), seg.sub(cut)
    if not rest.text[:1].isupper() or title.text.endswith((".", ";", ",")):
        return
    if not _match_phrase(AgencyReader(rest.text).tokens, 0, _ACTIONS):
        return  # "Ủy ban nhân dân tỉnh / Quảng Ninh chủ trì …": a name broken across lines
    if not _section_leads(AgencyReader(title.text), title.text):
        return
    child = Block("para", None, block.ranges[1][0], list(block.ranges[1:]), parent=block, seg=rest,
                  path=f"{block.path}.p1", end=block.end)
    block.ranges, block.seg, block.children = block.ranges[:1], title, [child]


def _subject(reader: AgencyReader, start: int, end: int) -> tuple[list[Mention], int] | None:
    """The clause's subject; failing that, an official of a body (``Giám đốc Công an các tỉnh``)
    read the way free prose is, the official standing for the body."""
    found = reader.subject(start, end)
    if found:
        return found
    titled = MentionReader(reader.text).subject(start, end)
    if titled and all(m.canonical and m.canonical != m.text and m.kind != "person" for m in titled[0]):
        return titled
    return None


def official_bodies(mentions: list[Mention]) -> list[Mention]:
    """``Bộ trưởng Bộ Tài chính`` → its body in ``canonical``: an official's task is the body's."""
    out: list[Mention] = []
    for m in mentions:
        if m.kind == "person":
            found = MentionReader(m.text).read_one(0)
            if found and len(found[0]) == 1 and found[0][0].kind != "person" and found[0][0].canonical:
                body = found[0][0]
                m = Mention(m.text, m.start, m.end, body.kind, body.canonical)
        out.append(m)
    return out


def _section_leads(reader: AgencyReader, text: str) -> list[Mention]:
    """The agencies a section heading consists of (``Sở Nội vụ``, ``Bộ Tài chính:``), else []."""
    body = text.strip().rstrip(":.; ")
    if not body or len(body) > 200:
        return []
    mentions, j = reader.read_list(reader.index_at(0))
    if not mentions or j < len(reader.tokens) and reader.tokens[j].start < len(body):
        return []
    return official_bodies(mentions)


def _unique_refs(refs: list[Ref]) -> list[Ref]:
    seen: set[str] = set()
    out: list[Ref] = []
    for r in refs:
        key = fold(r.name)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out
