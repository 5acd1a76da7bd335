"""Turn an Extraction into loader records, so `extract --load` goes through the validating loader.

The file becomes a Source; the notice a Document (unless the graph already has it); every task
a Task `ASSIGNED_IN` it, `LED_BY` and `SUPPORTED_BY` its agencies, `REFERS_TO` what it cites and
`ABOUT` its section's topic, each edge keeping the item's character span. Nodes the graph
already has are linked to, never rewritten; an agency the alias table does not know becomes a
new Agency flagged as a candidate, never dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.text import slugify
from loaders.aliases import AliasTable
from loaders.extract.model import Extraction
from loaders.records import Batch, NodeRecord, Origin, RelRecord

CANDIDATE_NOTE = "new candidate agency found by the directive extractor; check and curate"


class _Builder:
    def __init__(self, extraction: Extraction, file: Path, aliases: AliasTable) -> None:
        self.x = extraction
        self.aliases = aliases
        self.origin = Origin(str(file))
        self.batch = Batch()
        self.defined: set[str] = set()
        self.key = slugify(extraction.document.number or file.stem) or "document"
        self.source_id = f"src-{self.key}"
        self.warnings: list[str] = []

    def node(self, label: str, node_id: str, **props: Any) -> str:
        if node_id not in self.defined:
            self.defined.add(node_id)
            props = {k: v for k, v in props.items() if v not in (None, "", [])}
            props.setdefault("sources", [self.source_id])
            self.batch.nodes.append(NodeRecord(label, node_id, props, self.origin))
        return node_id

    def edge(self, rel_type: str, start: str, end: str, span: Any = None, **props: Any) -> None:
        props = {k: v for k, v in props.items() if v is not None}
        props["sources"] = [self.source_id]
        if span is not None:
            props["span"] = [int(span[0]), int(span[1])]
        self.batch.relationships.append(RelRecord(rel_type, start, end, props, self.origin))

    def known(self, text: str, *labels: str) -> str | None:
        for label in labels:
            found = self.aliases.resolve(text, label)
            if found:
                return found
        return None

    def body_name(self, written: str) -> str:
        """The body a written lead stands for (``Bộ trưởng Bộ X`` → ``Bộ X``), as extracted."""
        return next((a.name for a in self.x.agencies if written in a.mentions), written)

    def agency(self, name: str, resolved: str | None) -> str:
        if resolved and self.aliases.candidates(resolved):
            return resolved
        found = self.known(name, "Agency")
        if found:
            return found
        self.warnings.append(f"new candidate agency: {name}")
        return self.node("Agency", f"agency-{slugify(name)[:80]}", name=name, kind="other",
                         note=CANDIDATE_NOTE)


def extraction_batch(extraction: Extraction, file: Path, aliases: AliasTable) -> tuple[Batch, list[str]]:
    """Loader records for one extracted file, and warnings about what could not be linked."""
    b = _Builder(extraction, file, aliases)
    header = extraction.document
    issued_on = header.issued_on.isoformat() if header.issued_on else None
    b.node("Source", b.source_id, name=file.name, title=header.title or file.name, file=file.name,
           published_on=issued_on, publisher=header.issuer)
    doc_id = b.known(header.number, "Document") if header.number else None
    if doc_id is None:
        doc_id = b.node("Document", f"doc-{b.key}", name=header.title or header.number or file.stem,
                        number=header.number, doc_type=header.doc_type or "other", issued_on=issued_on)
        if header.issuer:
            b.edge("ISSUED_BY", doc_id, b.agency(header.issuer, header.issuer_id))
    for task in extraction.tasks:
        task_id = b.node("Task", f"task-{slugify(task.id)}", name=(task.summary or task.text)[:300],
                         summary=task.text[:5000] or None, deadline=_iso(task.deadline),
                         deadline_text=task.deadline_text or task.recurrence)
        b.edge("ASSIGNED_IN", task_id, doc_id, task.span)
        leads = list(zip(task.leads, task.lead_ids, task.lead_kinds, strict=False)) or (
            [(task.lead, task.lead_id, task.lead_kind)] if task.lead else [])
        for name, resolved, kind in leads:  # joint leads: one LED_BY each
            if kind in ("agency", "collective"):
                b.edge("LED_BY", task_id, b.agency(b.body_name(name), resolved), task.span)
            elif kind == "person":
                b.warnings.append(f"{task.id}: led by a person ({name}); no LED_BY written")
        for name, resolved in zip(task.co, task.co_ids, strict=False):
            if name in task.co_generic:
                continue
            b.edge("SUPPORTED_BY", task_id, b.agency(name, resolved), task.span)
        for ref in dict.fromkeys(task.refs):
            target = b.known(ref, "Law", "Document") or _cited_document(b, ref)
            if target:
                b.edge("REFERS_TO", task_id, target, task.span)
            else:
                b.warnings.append(f"{task.id}: {ref} is not in the graph; no REFERS_TO written")
        if task.topic:
            topic_id = b.known(task.topic, "Topic") or b.node(
                "Topic", f"topic-{b.key}-{slugify(task.topic)[:60]}", name=task.topic)
            b.edge("ABOUT", task_id, topic_id, task.span)
    return b.batch, b.warnings


def _cited_document(b: _Builder, ref: str) -> str | None:
    """A cited document number the graph lacks becomes a Document of its own."""
    entry = next((d for d in b.x.documents if d.number == ref), None)
    if entry is None:
        return None
    return b.node("Document", f"doc-{slugify(ref)}", name=ref, number=ref,
                  doc_type=entry.doc_type or "other")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
