"""`policygraph extract`: read conclusion notices and plans, list who must do what by when."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
import yaml

from cli.output import emit, info, warn
from graph.errors import PolicygraphError


def _store():
    """The configured store, for --load and --review only: the store's client and the settings
    are a third of a plain extraction's start-up, and the dev-set scorer starts one per file."""
    from graph.settings import get_settings
    from graph.store import open_store

    return open_store(get_settings())


class ExtractFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        files: list[Path] = typer.Argument(..., help="Notices or plans: .txt or .md (UTF-8), "
                                           ".docx, .pdf (text layer; scans need "
                                           "tesseract-ocr-vie), .html (a saved news page)."),
        fmt: ExtractFormat = typer.Option(ExtractFormat.table, "--format", "-f",
                                          help="table, json or yaml."),
        load: bool = typer.Option(False, "--load", help="Also write the tasks into the graph "
                                                        "(through the validating loader)."),
        review: Path | None = typer.Option(None, "--review", help="Write a review file (the "
                                           "loader's YAML with each task's evidence, agency "
                                           "mentions, proposed matches and new agencies to "
                                           "confirm); edit it, then `policygraph load` it."),
        explain: bool = typer.Option(False, "--explain", help="Show how each file was read: "
                                     "units (items, sentences), the cue and leads of each clause, "
                                     "deadline phrases, then the tasks with their evidence."),
    ) -> None:
        """Find the document header, sections and every task: lead, co-operators, deadline, refs."""
        from loaders.aliases import AliasTable, store_rows
        from loaders.extract import check_length
        from loaders.extract import extract as run_extract
        from loaders.extract.resolve import dataset_rows, document_numbers, fuzzy_resolver

        if review is not None and load:
            raise PolicygraphError("--review and --load do not go together.",
                                   hint="Review first (--review OUT.yaml, then policygraph load "
                                        "OUT.yaml), or load a trusted extraction with --load.")
        texts = [(path, _read(path)) for path in files]  # a bad file is said before the slow part
        for path, text in texts:
            check_length(text, source_name=path.name)
        store = _store() if load or review is not None else None
        rows = store_rows(store) if store is not None else dataset_rows()
        aliases = AliasTable.from_rows(rows) if store is not None else AliasTable.from_dataset()
        numbers = document_numbers(rows)

        def extract_all(table):
            resolve = fuzzy_resolver(table)
            return [(path, run_extract(text, source_name=path.name, resolve=resolve, numbers=numbers))
                    for path, text in texts]

        results = extract_all(aliases)
        known = []
        if store is not None:
            from loaders.known import known_tasks, sources_present

            # A load replaces what its sources said: what an earlier extraction of the same
            # notice created (only it supports) must be extracted again, not taken as known.
            own = _own_sources(results)
            if sources_present(store, own):
                aliases = AliasTable.from_rows(store_rows(store, without_sources=own))
                results = extract_all(aliases)
            known = [t for t in known_tasks(store) if not set(t.sources) <= own]
        dumps = [r.model_dump(mode="json") for _, r in results]
        if explain:
            for path, result in results:
                _explain(path, _read(path), result)
            return
        if fmt is ExtractFormat.json:
            print(json.dumps(dumps, ensure_ascii=False))
        elif fmt is ExtractFormat.yaml:
            print(yaml.safe_dump_all(dumps, allow_unicode=True, sort_keys=False), end="")
        else:
            for path, result in results:
                rows = [{"item": t.section, "lead": t.lead, "co": ", ".join(t.co),
                         "deadline": t.deadline.isoformat() if t.deadline else t.deadline_text,
                         "refs": ", ".join(t.refs), "summary": t.summary} for t in result.tasks]
                doc = result.document
                emit(rows, "table", title=f"{path.name}: {doc.number or '?'} "
                                          f"({doc.issuer or '?'}, {doc.issued_on or '?'})")
        if review is not None:
            _write_review(results, aliases, known, review)
        elif store is not None:
            _load(results, store, aliases, known)

    def _read(path: Path) -> str:
        from loaders.documents import read_path

        return read_path(path)


def _explain(path: Path, text: str, result) -> None:
    """Segmentation and cues, unit by unit, then each task's evidence (Rich tables)."""
    from loaders.extract.explain import explain_rows
    from loaders.extract.pipeline import document_date

    year = result.document.issued_on or document_date(text, path.name)
    rows = explain_rows(text, year)
    emit([{"#": r["unit"], "unit": r["kind"], "intro": r["intro"], "text": r["clause"][:160],
           "cue": r["cue"], "leads": r["leads"], "deadline": r["deadline"]} for r in rows],
         "table", title=f"{path.name}: how the text was read as free-form units "
                        f"(deadline year from {year or '?'})")
    if any(t.evidence.cue.startswith("numbered item") for t in result.tasks):
        info(f"{path.name}: read as a numbered notice; its numbered items were read by the tree "
             "reader (the units above show only how the free-form reader sees the same text).")
    emit([{"task": t.section, "lead": t.lead, "deadline": t.deadline.isoformat() if t.deadline
           else t.deadline_text, "cue": t.evidence.cue, "lead at": t.evidence.lead_span,
           "deadline at": t.evidence.deadline_span, "confidence": t.evidence.confidence}
          for t in result.tasks], "table", title=f"{path.name}: {len(result.tasks)} tasks and their evidence")


def _own_sources(results) -> set[str]:
    """The Source ids the extractions define (one per text)."""
    from loaders.extract.to_graph import source_id_for

    return {source_id_for(result, path) for path, result in results}


def _write_review(results, aliases, known, out: Path) -> None:
    """One review file for all the texts (one YAML document per text)."""
    from loaders.extract.to_graph import review_document
    from loaders.review import dump_review

    documents = [review_document(result, path, aliases, known) for path, result in results]
    out.write_text(dump_review(documents), encoding="utf-8")
    to_check = sum(1 for d in documents for n in d["nodes"] if n.get("review") == "check")
    info(f"Wrote {out}: {sum(len(d['nodes']) for d in documents)} entries, {to_check} to check "
         f"(review: check). Edit it, then: policygraph load {out} --dry-run")


def _load(results, store, aliases, known) -> None:
    from graph.settings import get_settings
    from loaders.extract.to_graph import extraction_batch
    from loaders.load import load_batch
    from loaders.records import Batch

    batch = Batch()
    for path, result in results:
        part, said = extraction_batch(result, path, aliases, known)
        batch.extend(part)
        for message in said:
            warn(f"{path.name}: {message}")
    report = load_batch(batch, store, batch_size=get_settings().batch_size)
    changed = {c.action: 0 for c in report.changes}
    for change in report.changes:
        changed[change.action] += 1
    info(f"Loaded {report.node_count} nodes and {report.relationship_count} relationships "
         f"from {len(results)} file(s): "
         + (", ".join(f"{n} {action}" for action, n in sorted(changed.items())) or "no change")
         + ".")
