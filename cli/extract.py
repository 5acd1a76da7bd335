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
    ) -> None:
        """Find the document header, sections and every task: lead, co-operators, deadline, refs."""
        from graph.settings import get_settings
        from graph.store import open_store
        from loaders.aliases import AliasTable
        from loaders.extract import extract as run_extract

        store = open_store(get_settings()) if load else None
        aliases = _store_aliases(store) if store is not None else AliasTable.from_dataset()
        texts = [(path, _read(path)) for path in files]

        def extract_all(table):
            return [(path, run_extract(text, source_name=path.name, resolve=table.resolve))
                    for path, text in texts]

        results = extract_all(aliases)
        if store is not None:
            # A load replaces what its sources said: what an earlier extraction of the same
            # notice created (only it supports) must be extracted again, not taken as known.
            own = _own_sources(results, aliases)
            if own:
                aliases = _store_aliases(store, without_sources=own)
                results = extract_all(aliases)
        dumps = [r.model_dump(mode="json") for _, r in results]
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


def _store_aliases(store, without_sources: set[str] | None = None):
    """The store's names, leaving out nodes that only `without_sources` support."""
    from loaders.aliases import AliasTable

    rows = store.read("MATCH (n) WHERE NOT n:StatusChange AND NOT all(s IN n.sources WHERE s IN $own) "
                      "RETURN n.id AS id, labels(n)[0] AS label, "
                      "n.name AS name, n.name_en AS name_en, n.abbr AS abbr, n.number AS number, "
                      "n.aliases AS aliases", {"own": sorted(without_sources or ())}).rows
    return AliasTable.from_rows((r["id"], r["label"], r) for r in rows)


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
