"""Turn an Extraction into a review document: the loader's YAML format plus review fields
(`loaders.review`), so both `extract --review` and `extract --load` go through the loader.

The text becomes its own Source (`src-text-KEY`, a second source beside a curated one); the
notice a Document (unless the graph already has it); every task a Task `ASSIGNED_IN` it,
`LED_BY` and `SUPPORTED_BY` its agencies, `REFERS_TO` what it cites and `ABOUT` its section's
topic. Nodes the graph already has are linked to, never rewritten; an agency the alias table
does not know becomes a candidate Agency to confirm.

A task of a known document and item is that task (`loaders.matching.same_item`): the entry
merges into it and states only provenance, so extracting a notice the graph already holds
adds its text as a second source and nothing else. A task of a new document that resembles a
known one is proposed as a match (`review: check`). Progress statements (`updates`) become
entries about the task they name (applied) or resemble (proposed): a dated `history:` status
or a `deadline_change:`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graph.text import slugify
from loaders.aliases import AliasTable
from loaders.extract.model import Extraction, Task, Update
from loaders.matching import KnownTask, Proposal, named, propose, same_item
from loaders.records import Batch
from loaders.review import HOW

CANDIDATE_NOTE = "new candidate agency found by the directive extractor; check and curate"


def source_id_for(extraction: Extraction, file: Path) -> str:
    """The Source a text becomes: its document's key, marked as an extracted text."""
    return f"src-text-{_key(extraction, file)}"


def _key(extraction: Extraction, file: Path) -> str:
    return slugify(extraction.document.number or file.stem) or "document"


class _Builder:
    def __init__(self, extraction: Extraction, file: Path, aliases: AliasTable,
                 known: list[KnownTask]) -> None:
        self.x = extraction
        self.aliases = aliases
        self.known = known
        self.file = file
        self.key = _key(extraction, file)
        self.source_id = source_id_for(extraction, file)
        self.nodes: dict[str, dict[str, Any]] = {}
        self.mentions: list[dict[str, Any]] = []
        self.unmatched: list[str] = []

    def node(self, label: str, node_id: str, review: str = "accept", **props: Any) -> str:
        if node_id not in self.nodes:
            entry = {"label": label, "id": node_id, "review": review}
            entry.update({k: v for k, v in props.items() if v not in (None, "", [], {})})
            entry.setdefault("sources", [self.source_id])
            self.nodes[node_id] = entry
        return node_id

    def link(self, start: str, rel_type: str, end: str, **props: Any) -> None:
        target = {"to": end, **{k: v for k, v in props.items() if v not in (None, "", [])}}
        links = self.nodes[start].setdefault("links", {}).setdefault(rel_type, [])
        if all(t.get("to") != end for t in links):
            links.append(target)

    def known_id(self, text: str, *labels: str) -> str | None:
        for label in labels:
            found = self.aliases.resolve(text, label)
            if found:
                return found
        return None

    def body_name(self, written: str) -> str:
        """The body a written lead stands for (``Bộ trưởng Bộ X`` → ``Bộ X``), as extracted."""
        return next((a.name for a in self.x.agencies if written in a.mentions), written)

    def agency(self, name: str, resolved: str | None, *, role: str, task: str | None) -> str:
        """The agency's id (a candidate to confirm if unknown); the mention is listed."""
        from loaders.extract.resolve import alternatives

        found = resolved if resolved and self.aliases.candidates(resolved) else \
            self.known_id(name, "Agency")
        others = alternatives(self.aliases, name, but=found)
        self.mentions.append({"as_written": name, "role": role, "task": task,
                              "id": found, "alternatives": others})
        if found:
            return found
        return self.node("Agency", f"agency-{slugify(name)[:80]}", review="check", name=name,
                         kind="other", note=CANDIDATE_NOTE, alternatives=others)

    def document(self) -> str:
        header = self.x.document
        issued_on = _iso(header.issued_on)
        self.node("Source", self.source_id, name=self.file.name, title=header.title or self.file.name,
                  file=self.file.name, published_on=issued_on, publisher=header.issuer)
        doc_id = self.known_id(header.number, "Document") if header.number else None
        if doc_id is None:
            doc_id = self.node("Document", f"doc-{self.key}",
                               name=header.title or header.number or self.file.stem,
                               number=header.number, doc_type=header.doc_type or "other",
                               issued_on=issued_on)
            if header.issuer:
                self.link(doc_id, "ISSUED_BY",
                          self.agency(header.issuer, header.issuer_id, role="issuer", task=None))
        return doc_id

    def task(self, task: Task, doc_id: str, position: int) -> None:
        lead_ids = self._leads(task)
        item = _item(task)
        match = same_item(self.known, document=doc_id, item=item,
                          leads=[i for i in lead_ids if i], position=position)
        evidence = _evidence(task)
        new_id = f"task-{slugify(task.id)}"
        if match is not None:
            entry_id = self.node("Task", match.id, review="merge", name=match.name, item=item,
                                 match={"id": match.id, "name": match.name,
                                        "how": "same document and item", "documents": [doc_id]},
                                 evidence=evidence, extracted=_extracted(task, match))
            self._task_links(entry_id, task, doc_id, existing=match)
            return
        topic_id = self._topic(task)
        proposals = propose(self.known, description=f"{task.summary} {task.text}",
                            leads=[i for i in lead_ids if i], topics=[topic_id] if topic_id else [],
                            exclude_documents=[doc_id])
        entry_id = self.node("Task", new_id, review="check" if proposals else "accept",
                             match=_proposal(proposals) if proposals else None,
                             name=(task.summary or task.text)[:300], item=item,
                             summary=task.text[:5000] or None, deadline=_iso(task.deadline),
                             deadline_text=task.deadline_text or task.recurrence, evidence=evidence)
        self._task_links(entry_id, task, doc_id, existing=None, topic_id=topic_id)

    def _leads(self, task: Task) -> list[str | None]:
        leads = list(zip(task.leads, task.lead_ids, task.lead_kinds, strict=False)) or (
            [(task.lead, task.lead_id, task.lead_kind)] if task.lead else [])
        return [resolved for _, resolved, _ in leads]

    def _task_links(self, entry_id: str, task: Task, doc_id: str, *,
                    existing: KnownTask | None, topic_id: str | None = None) -> None:
        """Links of an extracted task. For a known task (`existing`) no span (the evidence has
        it) and no new node: its lead and topic stand where the extractor found none known."""
        span = None if existing else [int(task.span[0]), int(task.span[1])]
        self.link(entry_id, "ASSIGNED_IN", doc_id, span=span)
        leads = list(zip(task.leads, task.lead_ids, task.lead_kinds, strict=False)) or (
            [(task.lead, task.lead_id, task.lead_kind)] if task.lead else [])
        for name, resolved, kind in leads:  # joint leads: one LED_BY each
            if kind not in ("agency", "collective"):
                self.mentions.append({"as_written": name, "role": "lead", "task": entry_id,
                                      "id": resolved, "kind": kind,
                                      "note": "not an agency: no LED_BY"})
                continue
            body = self.body_name(name)
            if existing and not (resolved or self.known_id(body, "Agency")):
                self.mentions.append({"as_written": name, "role": "lead", "task": entry_id,
                                      "id": None, "note": f"unknown; {existing.id} keeps its lead"})
                continue
            self.link(entry_id, "LED_BY", self.agency(body, resolved, role="lead", task=entry_id),
                      span=span, as_written=name if name != body else None)
        for name, resolved in zip(task.co, task.co_ids, strict=False):
            if name in task.co_generic:
                continue
            if existing and not (resolved or self.known_id(name, "Agency")):
                continue
            self.link(entry_id, "SUPPORTED_BY",
                      self.agency(name, resolved, role="co", task=entry_id), span=span)
        for ref in dict.fromkeys(task.refs):
            target = self.known_id(ref, "Law", "Document") or (
                None if existing else self._cited_document(ref))
            if target:
                self.link(entry_id, "REFERS_TO", target, span=span)
            else:
                self.mentions.append({"as_written": ref, "role": "reference", "task": entry_id,
                                      "id": None, "note": "not in the graph: no REFERS_TO"})
        topic_id = topic_id if existing is None else (
            self._topic(task, create=False) if task.topic else None)
        if topic_id and (existing is None or not existing.topics or topic_id in existing.topics):
            self.link(entry_id, "ABOUT", topic_id, span=span)

    def _topic(self, task: Task, *, create: bool = True) -> str | None:
        if not task.topic:
            return None
        found = self.known_id(task.topic, "Topic")
        if found or not create:
            return found
        return self.node("Topic", f"topic-{self.key}-{slugify(task.topic)[:60]}", name=task.topic)

    def _cited_document(self, ref: str) -> str | None:
        """A cited document number the graph lacks becomes a Document of its own."""
        entry = next((d for d in self.x.documents if d.number == ref), None)
        if entry is None:
            return None
        return self.node("Document", f"doc-{slugify(ref)}", name=ref, number=ref,
                         doc_type=entry.doc_type or "other")

    def update(self, update: Update, doc_id: str) -> None:
        """A progress statement: an entry about the task it names (merged) or resembles
        (proposed, to check), with a dated status or a deadline change."""
        leads = [update.lead_id] if update.lead_id else []
        target = named(self.known, number=update.document, item=update.item, leads=leads)
        if target is not None:
            match = {"id": target.id, "name": target.name, "documents": target.documents,
                     "how": f"named: item {update.item} of {update.document}"}
            review = "merge"
        else:
            proposals = propose(self.known, description=update.text, leads=leads,
                                exclude_documents=[doc_id])
            if not proposals:
                self.unmatched.append(f"{update.cue}: {update.text[:200]}")
                return
            match = {**_proposal(proposals), "documents": proposals[0].task.documents}
            review = "check"
        said = (f"deadline moved to {_iso(update.deadline)}" if update.kind == "deadline"
                else f"status {update.status}")
        entry = {"label": "Task", "id": f"task-{slugify(update.id)}", "review": review,
                 "progress": f"{said} ({_iso(update.on)}, '{update.cue}')", "match": match,
                 "name": match["name"], "sources": [self.source_id],
                 "evidence": {"span": list(update.span), "cue": update.cue,
                              "deadline_phrase": update.deadline_text, "text": update.text[:500]}}
        on = _iso(update.on)
        if update.kind == "deadline" and on:
            entry["deadline_change"] = {"deadline": _iso(update.deadline), "on": on}
        elif update.status and on:
            entry["history"] = [{"status": update.status, "on": on}]
        else:
            self.unmatched.append(f"{update.cue} (undated): {update.text[:200]}")
            return
        self.nodes[entry["id"]] = entry


def _proposal(proposals: list[Proposal]) -> dict[str, Any]:
    best = proposals[0]
    return {"id": best.task.id, "name": best.task.name, "how": "proposed", "by": best.by,
            "score": best.score,
            "candidates": [{"id": p.task.id, "name": p.task.name, "score": p.score, "by": p.by}
                           for p in proposals]}


def _item(task: Task) -> str | None:
    """The document's own numbering of the task (`1.b`): only where the numbered-tree reader
    read it; the free-form reader's units (`u3`) and table rows are the extractor's, not the
    document's, and so are the paragraphs under a numbered heading (`1.p2` is item `1`)."""
    if not task.section or not task.evidence.cue.startswith("numbered item"):
        return None
    return ".".join(part for part in task.section.split(".") if not re.fullmatch(r"p\d+", part)) \
        or None


def _evidence(task: Task) -> dict[str, Any]:
    e = task.evidence
    return {k: v for k, v in {
        "span": list(task.span), "cue": e.cue, "lead_span": _pair(e.lead_span),
        "deadline_phrase": task.deadline_text or task.recurrence,
        "deadline_span": _pair(e.deadline_span), "confidence": e.confidence,
        "text": task.text[:500]}.items() if v not in (None, "")}


def _extracted(task: Task, match: KnownTask) -> dict[str, Any] | None:
    """What the extractor read that the known task says otherwise (for the reviewer)."""
    read = _iso(task.deadline)
    return {"deadline": read} if read is not None and read != match.deadline else None


def review_document(extraction: Extraction, file: Path, aliases: AliasTable,
                    known: list[KnownTask] | None = None) -> dict[str, Any]:
    """The review document of one extracted file (see `loaders.review` for its fields)."""
    b = _Builder(extraction, file, aliases, known or [])
    doc_id = b.document()
    positions: dict[str | None, int] = {}
    for task in extraction.tasks:
        position = positions.get(task.section, 0)
        positions[task.section] = position + 1
        b.task(task, doc_id, position)
    for update in extraction.updates:
        b.update(update, doc_id)
    header = {"file": file.name, "source": b.source_id, "document": doc_id, "how": HOW,
              "mentions": b.mentions}
    if b.unmatched:
        header["unmatched_updates"] = b.unmatched
    return {"review": header, "nodes": list(b.nodes.values())}


def extraction_batch(extraction: Extraction, file: Path, aliases: AliasTable,
                     known: list[KnownTask] | None = None) -> tuple[Batch, list[str]]:
    """Loader records for one extracted file, decided as `extract --load` decides
    (`loaders.review.trusted`), and what it said about matches and candidates."""
    from loaders.review import trusted
    from loaders.yaml_format import read_document

    document, said = trusted(review_document(extraction, file, aliases, known))
    return read_document(document, str(file)), said


def _pair(span: Any) -> list[int] | None:
    return [int(span[0]), int(span[1])] if span else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
