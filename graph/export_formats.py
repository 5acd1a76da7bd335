"""The export formats, registered once: name -> media type, file suffix, help and writer.

The CLI's `--format` choices, the API's `format` values, media types and file names all come
from `EXPORT_FORMATS`. The writers live in `graph/export/`, one module per format (and, for
whole-graph exports written while they are read, `graph/export_stream.py`); they are imported
on first use, so listing the formats (every CLI start) does not load networkx.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExportFormat:
    """One export format: what it is called, how it is served and saved, and its writer."""

    name: str
    media_type: str
    suffix: str          # of the file (csv: of the zip; the CLI also writes a folder)
    help: str            # for the CLI's --format and the API's `format`
    writer: str          # `module:function` taking a subgraph, returning the file's bytes
    streamed: bool       # the whole graph is written while it is read (graph/export_stream.py)

    def write(self, subgraph: dict[str, list[dict[str, Any]]]) -> bytes:
        module, function = self.writer.split(":")
        return getattr(importlib.import_module(module), function)(subgraph)


EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("graphml", "application/graphml+xml", ".graphml", "graphml",
                 "graph.export.graphml:graphml_bytes", streamed=True),
    ExportFormat("gexf", "application/gexf+xml", ".gexf", "gexf", "graph.export.graphml:gexf_bytes",
                 streamed=True),
    ExportFormat("cytoscape", "application/json", ".cyjs", "cytoscape (.cyjs)",
                 "graph.export.cytoscape:cytoscape_bytes", streamed=True),
    ExportFormat("csv", "application/zip", ".zip", "csv (the loader's format)",
                 "graph.export.csv_folder:csv_zip_bytes", streamed=False),
    ExportFormat("cypher", "text/plain", ".cypher", "cypher", "graph.export.cypher_script:cypher_bytes",
                 streamed=True),
)}
FORMATS = tuple(EXPORT_FORMATS)
MEDIA_TYPES = {name: f.media_type for name, f in EXPORT_FORMATS.items()}
SUFFIXES = {name: f.suffix for name, f in EXPORT_FORMATS.items()}
STREAMED = tuple(name for name, f in EXPORT_FORMATS.items() if f.streamed)


def formats_help() -> str:
    """`graphml, gexf, cytoscape (.cyjs), csv (the loader's format) or cypher`."""
    names = [f.help for f in EXPORT_FORMATS.values()]
    return ", ".join(names[:-1]) + " or " + names[-1]
