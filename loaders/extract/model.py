"""The extractor's output, as typed models.

``Extraction.model_dump(mode="json")`` is the public JSON contract of ``policygraph extract``;
every field a loader needs (texts as written, resolved ids, candidate flags, spans) is here so the
loader never re-reads the text.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AgencyKind = Literal["agency", "person", "collective", "generic"]
"""``collective``: a class of bodies (``UBND các tỉnh, thành phố``); ``generic``: a phrase such
as ``các bộ, cơ quan có liên quan`` that names nobody in particular."""

Span = tuple[int, int]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentHeader(_Model):
    """Who issued the document, when and where, and what it is."""

    number: str | None = None
    type: str | None = Field(None, description="notice, plan, conclusion, resolution, decree, …")
    doc_type: str | None = Field(None, description="the schema's Document.doc_type enum value")
    title: str | None = None
    issuer: str | None = None
    issuer_id: str | None = None
    issuer_candidate: bool = False
    issuer_parent: str | None = Field(None, description="the body above the issuer, if printed")
    place: str | None = None
    issued_on: date | None = None
    meeting_on: date | None = Field(None, description="date of the meeting the notice records")


class Evidence(_Model):
    """Why the extractor believes this task: the cue that gave the lead, the deadline phrase."""

    cue: str = Field("", description="e.g. 'giao', 'đề nghị', 'chủ trì', 'table row', 'item under intro'")
    cue_span: Span | None = None
    lead_span: Span | None = Field(None, description="where the lead is written (None: inherited)")
    deadline_span: Span | None = None
    inherited_from: Span | None = Field(None, description="the intro or sentence the lead came from")
    confidence: float = Field(0.8, ge=0, le=1)


class Task(_Model):
    """One assignment: who leads, who helps, by when, on what grounds."""

    id: str = Field(description="deterministic: document key, section path, index")
    section: str | None = Field(None, description="numbering path, e.g. '1.a.(2)'")
    section_heading: str | None = Field(None, description="heading text as written")
    topic: str | None = Field(None, description="the heading as a topic name (no 'Về')")
    lead: str | None = Field(None, description="leading agency as written")
    leads: list[str] = Field(
        default_factory=list, description="joint leads as written (the first is `lead`)"
    )
    lead_ids: list[str | None] = Field(default_factory=list, description="aligned with leads")
    lead_kinds: list[AgencyKind] = Field(default_factory=list, description="aligned with leads")
    lead_norm: str | None = Field(
        None, description="the body the lead stands for: official → body, place → its committee"
    )
    lead_id: str | None = None
    lead_kind: AgencyKind | None = None
    lead_candidate: bool = Field(False, description="an agency the alias table does not know")
    co: list[str] = Field(default_factory=list, description="co-operating agencies as written")
    co_ids: list[str | None] = Field(default_factory=list, description="aligned with co")
    co_candidates: list[bool] = Field(default_factory=list, description="aligned with co")
    co_generic: list[str] = Field(
        default_factory=list, description="generic co-operation phrases (not agencies)"
    )
    deadline: date | None = None
    deadline_text: str | None = Field(None, description="the phrase the deadline came from")
    recurrence: str | None = Field(None, description="e.g. 'định kỳ hằng tuần'")
    refs: list[str] = Field(default_factory=list, description="laws and document numbers")
    summary: str = ""
    text: str = Field("", description="the item text, whitespace cleaned")
    span: Span
    generic: bool = Field(
        False, description="a catch-all clause ('… có trách nhiệm thi hành Quyết định này')"
    )
    evidence: Evidence = Field(default_factory=lambda: Evidence())


class AgencyEntry(_Model):
    """An agency (or person, or class of bodies) named as lead, co-operator or issuer."""

    name: str
    id: str | None = None
    kind: AgencyKind = "agency"
    candidate: bool = False
    mentions: list[str] = Field(default_factory=list)
    roles: list[Literal["lead", "co", "issuer"]] = Field(default_factory=list)


class LawEntry(_Model):
    name: str
    id: str | None = None
    spans: list[Span] = Field(default_factory=list)


class DocumentEntry(_Model):
    number: str
    as_written: list[str] = Field(
        default_factory=list, description="short forms it was cited by ('Nghị quyết 18')"
    )
    type: str | None = None
    doc_type: str | None = None
    id: str | None = None
    role: Literal["self", "cited"] = "cited"
    spans: list[Span] = Field(default_factory=list)


class TopicEntry(_Model):
    name: str
    heading: str
    section: str | None = None
    span: Span


class Update(_Model):
    """A progress statement about an earlier task: done, not done, late, or a new deadline.

    A candidate: which task it is about is matched later (by ``document`` and ``item`` where
    the text names them, else by lead and description) and applied through the review file."""

    id: str = Field(description="deterministic: document key, 'update-', index")
    kind: Literal["status", "deadline"]
    status: Literal["done", "not_done", "overdue"] | None = None
    deadline: date | None = Field(None, description="the new deadline of a move")
    deadline_text: str | None = None
    on: date | None = Field(None, description="the date of the document that says it")
    cue: str = Field("", description="e.g. 'đã hoàn thành', 'lùi', 'gia hạn', 'chậm'")
    lead: str | None = Field(None, description="the body the statement is about, as written")
    lead_norm: str | None = None
    lead_id: str | None = None
    item: str | None = Field(None, description="the earlier document's item it names, e.g. '1.b'")
    document: str | None = Field(None, description="the earlier document's number it names")
    text: str = ""
    span: Span


class Extraction(_Model):
    """Everything read from one file."""

    source: str
    document: DocumentHeader
    tasks: list[Task] = Field(default_factory=list)
    topics: list[TopicEntry] = Field(default_factory=list)
    agencies: list[AgencyEntry] = Field(default_factory=list)
    laws: list[LawEntry] = Field(default_factory=list)
    documents: list[DocumentEntry] = Field(default_factory=list)
    updates: list[Update] = Field(default_factory=list, description="progress statements")
    warnings: list[str] = Field(default_factory=list)
