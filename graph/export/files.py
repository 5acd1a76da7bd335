"""An export as one file's bytes (any registered format), or written to a path: a file, or for
`csv` a folder of CSV files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.export.common import ExportError, Subgraph
from graph.export.csv_folder import csv_files
from graph.export_formats import EXPORT_FORMATS, FORMATS


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    format: str
    nodes: int
    relationships: int
    path: str


def render(subgraph: Subgraph, fmt: str) -> bytes:
    """The export as one file's bytes (`csv`: a zip of the CSV files)."""
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}.", hint=f"Formats: {', '.join(FORMATS)}.")
    return EXPORT_FORMATS[fmt].write(subgraph)


def write_export(subgraph: Subgraph, fmt: str, out: Path) -> ExportReport:
    """Write `subgraph` to `out`: a file, or for `csv` a folder of CSV files (made if missing)."""
    if fmt == "csv" and out.suffix.lower() != ".zip":
        if out.exists() and not out.is_dir():
            raise ExportError(f"{out} is a file; the csv export writes a folder of files.",
                              hint="Give a folder (it is made if missing), or a .zip file.")
        files = csv_files(subgraph)
        try:
            out.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (out / name).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ExportError(f"Cannot write to {out}: {exc.strerror}.",
                              hint="Choose a folder you can write to.") from exc
    else:
        data = render(subgraph, fmt)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        except OSError as exc:
            raise ExportError(f"Cannot write {out}: {exc.strerror}.",
                              hint="Choose a path you can write to.") from exc
    return ExportReport(fmt, len(subgraph["nodes"]), len(subgraph["edges"]), str(out))
