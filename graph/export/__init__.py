"""Exports to the tools analysts already use: the whole graph, or the subgraph of named queries.

Every format is written from the one graph format of `graph/subgraph.py`:

- `graphml` and `gexf` through networkx (Gephi, yEd, Cytoscape desktop); list values, which
  neither format holds, are written as JSON text;
- `cytoscape`: Cytoscape JSON (`.cyjs`: `{data, directed, multigraph, elements}`), which
  Cytoscape desktop imports and whose `elements` Cytoscape.js takes as they are;
- `csv`: a folder in the loader's CSV import format (one file per label and per relationship
  type), so `policygraph load FOLDER` reads it back;
- `cypher`: one statement per line (`MERGE` on id, values inlined) that replays into an empty
  store, FalkorDB or Neo4j (`cypher-shell -f FILE`), and gives the same graph.

One module per job: `read` (what to export, from the store), `networkx_bridge`, one module per
format (`graphml` with GEXF, `cytoscape`, `csv_folder`, `cypher_script`), `replay` (a Cypher
script back into a store) and `files` (bytes of any registered format, or a file or folder).
The names below are the package's public ones, importable from `graph.export` as before.
"""


from __future__ import annotations

from graph.export.common import COMPUTED, ExportError, Subgraph, without_computed
from graph.export.csv_folder import csv_files, csv_zip_bytes
from graph.export.cypher_script import CYPHER_BATCH, cypher_bytes, cypher_literal, cypher_statements
from graph.export.cytoscape import cytoscape_bytes, cytoscape_document
from graph.export.files import ExportReport, render, write_export
from graph.export.graphml import gexf_bytes, graphml_bytes
from graph.export.networkx_bridge import flat_networkx, to_networkx
from graph.export.read import query_subgraph, read_graph, read_selection, relationships_among, with_sources
from graph.export.replay import replay_cypher
from graph.export_formats import EXPORT_FORMATS, FORMATS, MEDIA_TYPES, SUFFIXES

__all__ = [
    "COMPUTED", "CYPHER_BATCH", "EXPORT_FORMATS", "FORMATS", "MEDIA_TYPES", "SUFFIXES", "ExportError",
    "ExportReport", "Subgraph", "csv_files", "csv_zip_bytes", "cypher_bytes", "cypher_literal",
    "cypher_statements", "cytoscape_bytes", "cytoscape_document", "flat_networkx", "gexf_bytes",
    "graphml_bytes", "query_subgraph", "read_graph", "read_selection", "relationships_among",
    "render", "replay_cypher", "to_networkx", "with_sources", "without_computed", "write_export",
]
