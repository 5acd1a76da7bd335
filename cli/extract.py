"""`policygraph extract`: read conclusion notices and plans, list who must do what by when."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
import yaml

from cli.output import emit, info, warn
from graph.errors import PolicygraphError


class ExtractFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"


MAX_BYTES = 5 * 1024 * 1024


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        files: list[Path] = typer.Argument(..., help="Plain-text (UTF-8) notices or plans."),
        fmt: ExtractFormat = typer.Option(ExtractFormat.table, "--format", "-f",
                                          help="table, json or yaml."),
        load: bool = typer.Option(False, "--load", help="Also write the tasks into the graph "
                                                        "(through the validating loader)."),
        explain: bool = typer.Option(False, "--explain", help="Show how each file was read: "
                                     "units (items, sentences), the cue and leads of each clause, "
                                     "deadline phrases, then the tasks with their evidence."),
    ) -> None:
        """Find the document header, sections and every task: lead, co-operators, deadline, refs."""
        from graph.settings import get_settings
        from graph.store import open_store
        from loaders.aliases import AliasTable, store_rows
        from loaders.extract import extract as run_extract
        from loaders.extract.resolve import dataset_rows, document_numbers, fuzzy_resolver

        store = open_store(get_settings()) if load else None
        rows = store_rows(store) if store is not None else dataset_rows()
        aliases = AliasTable.from_rows(rows) if store is not None else AliasTable.from_dataset()
        numbers = document_numbers(rows)
        texts = [(path, _read(path)) for path in files]

        def extract_all(table):
            resolve = fuzzy_resolver(table)
            return [(path, run_extract(text, source_name=path.name, resolve=resolve, numbers=numbers))
                    for path, text in texts]

        results = extract_all(aliases)
        if store is not None:
            # A load replaces what its sources said: what an earlier extraction of the same
            # notice created (only it supports) must be extracted again, not taken as known.
            own = _own_sources(results, aliases)
            if own:
                aliases = AliasTable.from_rows(store_rows(store, without_sources=own))
                results = extract_all(aliases)
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
        if store is not None:
            _load(results, store, aliases)

    def _read(path: Path) -> str:
        if not path.is_file():
            raise PolicygraphError(f"{path}: no such file.")
        if path.stat().st_size > MAX_BYTES:
            raise PolicygraphError(f"{path}: over {MAX_BYTES // 2**20} MB; not a notice.",
                                   hint="Split the file or check that it is the right one.")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise PolicygraphError(f"{path}: not UTF-8 text ({exc.reason}).",
                                   hint="Save it as UTF-8 plain text.") from exc


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


def _own_sources(results, aliases) -> set[str]:
    """The Source ids the extractions define (their batches' Source records)."""
    from loaders.extract.to_graph import extraction_batch

    return {node.id for path, result in results
            for node in extraction_batch(result, path, aliases)[0].nodes if node.label == "Source"}


def _load(results, store, aliases) -> None:
    from graph.settings import get_settings
    from loaders.extract.to_graph import extraction_batch
    from loaders.load import load_batch
    from loaders.records import Batch

    batch = Batch()
    for path, result in results:
        part, warnings = extraction_batch(result, path, aliases)
        batch.extend(part)
        for message in warnings:
            warn(f"{path.name}: {message}")
    report = load_batch(batch, store, batch_size=get_settings().batch_size)
    info(f"Loaded {report.node_count} nodes and {report.relationship_count} relationships "
         f"from {len(results)} file(s).")
