"""Directive extractor: who must do what, by when, from a Vietnamese notice or plan.

Rules, gazetteers and the dataset's alias table; no model. Entry point::

    from loaders.extract import extract
    result = extract(text, source_name="25-TB-TGV.txt", resolve=table.resolve)
    result.model_dump(mode="json")   # the JSON contract of ``policygraph extract``

Modules: ``structure`` (numbered tree), ``header`` (number, issuer, date), ``agencies`` (who),
``deadlines`` (by when), ``refs`` (laws and document numbers), ``tasks`` (assembly),
``model`` (output types).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from graph.errors import PolicygraphError
from graph.text import slugify

from .agencies import Mention, resolve_mention
from .header import parse_header
from .markup import plain, restore
from .model import (
    AgencyEntry,
    DocumentEntry,
    DocumentHeader,
    Evidence,
    Extraction,
    LawEntry,
    Task,
    TopicEntry,
)
from .pipeline import (
    document_date,
    is_catch_all,
    numbered_notice,
    preamble_intro,
    prose_tasks,
    table_tasks,
)
from .refs import Ref, find_refs
from .structure import Structure, parse
from .tasks import TaskBuilder, heading_text, topic_name
from .text import Segment, fold
from .updates import find_updates

__all__ = ["extract", "Extraction", "Task", "DocumentHeader"]

Resolver = Callable[[str], "str | None"]


def _doc_key(number: str | None, source_name: str) -> str:
    base = number or re.sub(r"\.[A-Za-z0-9]+$", "", source_name.rsplit("/", 1)[-1])
    return slugify(base, expand=False)


class _Agencies:
    """Collects every agency named in a role, merged by resolved id or by name."""

    def __init__(self, resolve: Resolver | None) -> None:
        self.resolve = resolve
        self.entries: dict[str, AgencyEntry] = {}

    def add(self, m: Mention, role: str) -> tuple[str | None, bool]:
        ident, candidate = resolve_mention(m, self.resolve)
        if m.kind == "generic":
            return None, False
        key = ident or m.key
        entry = self.entries.get(key)
        if entry is None:
            entry = AgencyEntry(name=m.canonical or m.text, id=ident, kind=m.kind, candidate=candidate)
            self.entries[key] = entry
        if m.text not in entry.mentions:
            entry.mentions.append(m.text)
        if role not in entry.roles:
            entry.roles.append(role)  # type: ignore[arg-type]
        return ident, candidate


def _document_refs(text: str, structure: Structure) -> list[tuple[Segment, Ref]]:
    """Every law and number in the file, read unit by unit so no name runs into the next item.

    Units: the header (lines joined, as titles break mid-name), each item's own text, and
    each line after the body (recipients).
    """
    segments = [Segment.from_ranges(text, [(0, structure.header_end)])]
    segments += [b.seg for b in structure.walk() if b.seg is not None]
    pos = structure.body_end
    for line in text[structure.body_end :].splitlines(keepends=True):
        segments.append(Segment.from_ranges(text, [(pos, pos + len(line))]))
        pos += len(line)
    found = [(seg, ref) for seg in segments for ref in find_refs(seg.text)]
    return sorted(found, key=lambda sr: sr[0].span(sr[1].start, sr[1].end))


def _unique_ids(tasks: list[Task]) -> None:
    """A numbering repeated in the text (two items `a)` in one section) must not give two
    tasks one id: the later ones get `~2`, `~3`, in text order, so ids stay deterministic."""
    seen: dict[str, int] = {}
    for task in tasks:
        seen[task.id] = seen.get(task.id, 0) + 1
        if seen[task.id] > 1:
            task.id = f"{task.id}~{seen[task.id]}"


def _whole_text_refs(
    text: str, number: str | None, resolve: Resolver | None
) -> tuple[list[LawEntry], list[DocumentEntry]]:
    """Laws and document numbers of a free-form text, read paragraph by paragraph."""
    from .segment import paragraphs

    laws: dict[str, LawEntry] = {}
    documents: dict[str, DocumentEntry] = {}
    for para in paragraphs(text, keep_all=True):
        seg = Segment.from_ranges(text, para.ranges)
        for ref in find_refs(seg.text):
            span = seg.span(ref.start, ref.end)
            name = ref.name
            if ref.kind == "law":
                entry = laws.setdefault(
                    fold(name), LawEntry(name=name, id=resolve(name) if resolve else None))
                entry.spans.append(span)
                continue
            dentry = documents.get(name)
            if dentry is None:
                dentry = DocumentEntry(number=name, type=ref.doc_type, doc_type=ref.schema_doc_type,
                                       id=resolve(name) if resolve else None,
                                       role="self" if name == number else "cited")
                documents[name] = dentry
            dentry.spans.append(span)
    return list(laws.values()), list(documents.values())


def _short_form_documents(
    text: str, documents: list[DocumentEntry], numbers: Resolver | None, resolve: Resolver | None
) -> None:
    """Add the documents cited only in short form (``Nghị quyết 18`` → ``18-NQ/TW``)."""
    if numbers is None:
        return
    from .refs import find_short_forms

    seg = Segment.whole(text)
    by_number = {d.number: d for d in documents}
    for ref in find_short_forms(seg.text):
        number = numbers(ref.name)
        if number is None:
            continue
        entry = by_number.get(number)
        if entry is None:
            entry = DocumentEntry(number=number, type=ref.doc_type, doc_type=ref.schema_doc_type,
                                  id=resolve(number) if resolve else None)
            documents.append(entry)
            by_number[number] = entry
        if ref.name not in entry.as_written:
            entry.as_written.append(ref.name)
        entry.spans.append(seg.span(ref.start, ref.end))


def _short_form_task_refs(tasks: list[Task], numbers: Resolver | None) -> None:
    """A task citing ``Nghị quyết 57`` refers to 57-NQ/TW where the dataset knows the number."""
    if numbers is None:
        return
    from .refs import find_short_forms

    for task in tasks:
        for ref in find_short_forms(task.text or ""):
            number = numbers(ref.name)
            if number and number not in task.refs:
                task.refs.append(number)


MAX_TEXT_CHARS = 1_000_000
"""Longest text ``extract`` reads: five times the longest plan known (NQ 03/NQ-CP with its
appendix is about 200,000 characters); reading time grows linearly, about 10 s per 100,000
characters of dense directives on one core."""


def check_length(text: str, *, source_name: str) -> None:
    """Refuse a text over MAX_TEXT_CHARS, naming it (`extract` does; a caller with slow work
    to do before extracting asks first)."""
    if len(text) > MAX_TEXT_CHARS:
        raise PolicygraphError(
            f"{source_name}: {len(text):,} characters of text, over the extractor's limit of "
            f"{MAX_TEXT_CHARS:,}; not one notice or plan.",
            hint="Split it into its documents (or check that it is the right file).")


def extract(text: str, *, source_name: str, resolve: Resolver | None = None,
            numbers: Resolver | None = None) -> Extraction:
    """Read one directive (plain UTF-8 text) into an :class:`Extraction`.

    ``resolve`` maps an agency, law or document name to a dataset id (``AliasTable.resolve``);
    names it does not know are kept and flagged ``candidate``. Without it nothing is resolved
    and every named agency is a candidate. ``numbers`` maps a short form (``Nghị quyết 18``)
    to the full number of the document it names (``resolve.document_numbers``). Progress
    statements about earlier tasks are listed apart, in ``updates`` (``updates.py``).
    """
    check_length(text, source_name=source_name)
    given = text
    text, keep = plain(given)
    result = _extract(text, source_name=source_name, resolve=resolve, numbers=numbers)
    year = result.document.issued_on or document_date(text, source_name)
    result.updates = find_updates(text, key=_doc_key(result.document.number, source_name),
                                  issued_on=year)
    restore(result, keep, len(given))
    for update in result.updates:
        if update.lead and resolve is not None:
            update.lead_id = resolve(update.lead) or (
                resolve(update.lead_norm) if update.lead_norm else None)
    return result


def _extract(
    text: str,
    *,
    source_name: str,
    resolve: Resolver | None = None,
    numbers: Resolver | None = None,
) -> Extraction:
    """The tasks, header and references of one text (``extract`` adds the progress statements)."""
    structure = parse(text)
    header = parse_header(text, structure.header_end)
    agencies = _Agencies(resolve)
    warnings: list[str] = []

    doc = DocumentHeader(
        number=header.number,
        type=header.type,
        doc_type=header.doc_type,
        title=header.title,
        issuer=header.issuer,
        issuer_parent=header.issuer_parent,
        place=header.place,
        issued_on=header.issued_on,
        meeting_on=header.meeting_on,
    )
    if header.issuer:
        issuer = Mention(header.issuer, 0, 0, "agency")
        doc.issuer_id, doc.issuer_candidate = agencies.add(issuer, "issuer")
    if header.number is None:
        warnings.append("no document number found in the header")
    if header.issued_on is None:
        warnings.append("no issue date found; deadlines without a year stay undated")

    year_date = header.issued_on or document_date(text, source_name)
    intro = preamble_intro(text[: structure.header_end], year_date)
    builder = TaskBuilder(structure, issued_on=year_date, root_leads=intro[0] if intro else None)
    drafts = builder.build()
    key = _doc_key(header.number, source_name)
    if not numbered_notice(text, drafts):
        # Letters, news reports, plans with tables: read sentence by sentence (see pipeline).
        tasks = table_tasks(text, key, agencies.add, year_date)
        tasks += prose_tasks(text, key, agencies.add, year_date)
        _unique_ids(tasks)
        laws, documents = _whole_text_refs(text, header.number, resolve)
        _short_form_documents(text, documents, numbers, resolve)
        _short_form_task_refs(tasks, numbers)
        return Extraction(
            source=source_name,
            document=doc,
            tasks=tasks,
            topics=[],
            agencies=list(agencies.entries.values()),
            laws=laws,
            documents=documents,
            warnings=warnings,
        )
    per_block: dict[int, int] = {}
    for d in drafts:
        per_block[id(d.block)] = per_block.get(id(d.block), 0) + 1

    tasks: list[Task] = []
    for d in drafts:
        resolved = [agencies.add(m, "lead") for m in d.leads]
        lead_id, lead_candidate = resolved[0] if resolved else (None, False)
        co, co_ids, co_cands, co_generic = [], [], [], []
        for m in d.co:
            if m.kind == "generic":
                co_generic.append(m.text)
                continue
            ident, cand = agencies.add(m, "co")
            co.append(m.text)
            co_ids.append(ident)
            co_cands.append(cand)
        suffix = f"#{d.index + 1}" if per_block[id(d.block)] > 1 else ""
        if d.lead is None:
            warnings.append(f"task {d.block.path}{suffix}: no lead agency found")
        lead_span = d.block.seg.span(d.lead.start, d.lead.end) if (
            d.lead is not None and d.block.seg is not None and d.lead.end <= len(d.block.seg.text)
            and d.block.seg.text[d.lead.start : d.lead.end] == d.lead.text) else None
        tasks.append(
            Task(
                id=f"{key}:{d.block.path}{suffix}",
                leads=[m.text for m in d.leads],
                lead_ids=[ident for ident, _ in resolved],
                lead_kinds=[m.kind for m in d.leads],
                lead_norm=(d.lead.canonical or d.lead.text) if d.lead else None,
                evidence=Evidence(
                    cue="numbered item: subject" if lead_span else "numbered item: inherited",
                    lead_span=lead_span,
                    deadline_span=None,
                    confidence=0.9 if lead_span else 0.8,
                ),
                section=d.block.path,
                section_heading=heading_text(d.heading) if d.heading else None,
                topic=topic_name(d.heading) if d.heading else None,
                lead=d.lead.text if d.lead else None,
                lead_id=lead_id,
                lead_kind=d.lead.kind if d.lead else None,
                lead_candidate=lead_candidate,
                co=co,
                co_ids=co_ids,
                co_candidates=co_cands,
                co_generic=co_generic,
                generic=is_catch_all(d.text, d.lead.kind if d.lead else None,
                                     [m.text for m in d.leads]),
                deadline=d.deadline.on if d.deadline else None,
                deadline_text=(d.deadline.text if d.deadline else None)
                or (d.recurrence.text if d.recurrence else None),
                recurrence=d.recurrence.text if d.recurrence else None,
                refs=[r.name for r in d.refs],
                summary=d.summary,
                text=d.text,
                span=d.span,
            )
        )
    # Prose before the first numbered item (a news item's lead paragraph) may assign work too.
    tasks[:0] = prose_tasks(text[: structure.header_end], key, agencies.add, year_date,
                            skip=intro[1] if intro else None)
    _unique_ids(tasks)

    topics = [
        TopicEntry(
            name=topic_name(b),
            heading=heading_text(b),
            section=b.path,
            span=(b.start, b.seg.span()[1] if b.seg and b.seg.text else b.start),
        )
        for b in builder.headings
    ]

    laws: dict[str, LawEntry] = {}
    documents: dict[str, DocumentEntry] = {}
    for seg, ref in _document_refs(text, structure):
        span = seg.span(ref.start, ref.end)
        if ref.kind == "law":
            entry = laws.get(fold(ref.name))
            if entry is None:
                entry = LawEntry(name=ref.name, id=resolve(ref.name) if resolve else None)
                laws[fold(ref.name)] = entry
            entry.spans.append(span)
        else:
            dentry = documents.get(ref.name)
            if dentry is None:
                dentry = DocumentEntry(
                    number=ref.name,
                    type=ref.doc_type,
                    doc_type=ref.schema_doc_type,
                    id=resolve(ref.name) if resolve else None,
                    role="self" if ref.name == header.number else "cited",
                )
                documents[ref.name] = dentry
            dentry.spans.append(span)

    document_list = list(documents.values())
    _short_form_documents(text, document_list, numbers, resolve)
    _short_form_task_refs(tasks, numbers)
    return Extraction(
        source=source_name,
        document=doc,
        tasks=tasks,
        topics=topics,
        agencies=list(agencies.entries.values()),
        laws=list(laws.values()),
        documents=document_list,
        warnings=warnings,
    )
