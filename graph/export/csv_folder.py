"""The loader's CSV import format (one file per label and per relationship type, see
`graph/csv_spec.py`), so `policygraph load FOLDER` reads the export back; as files or a zip."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from graph import csv_spec
from graph.csv_spec import LIST_SEPARATOR
from graph.export.common import COMPUTED, ExportError, Subgraph


def csv_files(subgraph: Subgraph) -> dict[str, str]:
    """File name -> CSV text, in the loader's import format (see loaders/csv_format.py)."""
    labels: dict[str, list[dict[str, Any]]] = {}
    for node in subgraph["nodes"]:
        label = node["label"]
        if label is None:
            raise ExportError(f"Node {node['id']!r} has no label; the CSV format needs one.")
        props = {k: v for k, v in node["properties"].items() if k not in COMPUTED and v is not None}
        labels.setdefault(label, []).append(props)
    types: dict[str, list[dict[str, Any]]] = {}
    for edge in subgraph["edges"]:
        props = {k: v for k, v in edge["properties"].items() if v is not None}
        types.setdefault(edge["type"], []).append({"from": edge["source"], "to": edge["target"], **props})
    files = {}
    for label, rows in sorted(labels.items()):
        rows.sort(key=lambda r: str(r.get("id")))
        files[csv_spec.file_name(label)] = _csv_text(rows, list(csv_spec.NODE_FIRST))
    for rel_type, rows in sorted(types.items()):
        rows.sort(key=lambda r: (str(r["from"]), str(r["to"])))
        files[csv_spec.file_name(rel_type)] = _csv_text(rows, list(csv_spec.REL_FIRST))
    return files


def _csv_text(rows: list[dict[str, Any]], first: list[str]) -> str:
    extra = sorted({k for row in rows for k in row} - set(first))
    columns = [c for c in first if any(c in row for row in rows) or c in ("id", "from", "to")] + extra
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(v, k, row) for k, v in row.items()})
    return buffer.getvalue()


def _csv_cell(value: Any, column: str, row: dict[str, Any]) -> str:
    """`csv_spec.cell`, refusing what the format cannot hold back (a `|` in an item, a map)."""
    if isinstance(value, list) and any(LIST_SEPARATOR in str(item) for item in value):
        where = row.get("id") or f"{row.get('from')} -> {row.get('to')}"
        raise ExportError(
            f"{where}: a value in {column!r} contains {LIST_SEPARATOR!r}, which the CSV "
            "format uses to separate list items.",
            hint="Export as cypher, graphml or gexf instead, or change the value.")
    if isinstance(value, dict):
        raise ExportError(f"{column!r} holds a map, which the CSV format cannot hold.",
                          hint="Export as cypher or cytoscape instead.")
    return csv_spec.cell(value)


def csv_zip_bytes(subgraph: Subgraph) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(subgraph).items():
            archive.writestr(name, text)
    return buffer.getvalue()
