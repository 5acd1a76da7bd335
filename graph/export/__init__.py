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
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from graph import csv_spec, cypher
from graph.csv_spec import LIST_SEPARATOR
from graph.errors import PolicygraphError
from graph.export_formats import EXPORT_FORMATS, FORMATS, MEDIA_TYPES, SUFFIXES  # noqa: F401 (re-exported)
from graph.schema import get_schema
from graph.store.base import Store
from graph.subgraph import SubgraphBuilder, node_entry, subgraph_from_rows, to_cytoscape

log = logging.getLogger(__name__)

Subgraph = dict[str, list[dict[str, Any]]]
# the loader computes these; exports for reloading leave them out (the schema's one list)
COMPUTED = get_schema().internal_properties
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CYPHER_BATCH = 500


class ExportError(PolicygraphError):
    """The graph cannot be written in the asked format."""


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    format: str
    nodes: int
    relationships: int
    path: str


# -- reading ------------------------------------------------------------------------------
def read_graph(store: Store, *, timeout_ms: int | None = None) -> Subgraph:
    """The whole graph in the graph format: every node and every relationship, all properties;
    each of the two reads within `timeout_ms` (the store's longest otherwise)."""
    nodes = store.read(cypher.ALL_NODES, timeout_ms=timeout_ms).rows
    rels = store.read(cypher.ALL_RELATIONSHIPS, timeout_ms=timeout_ms).rows
    builder = SubgraphBuilder()
    for row in sorted(nodes, key=lambda r: str(r["properties"].get("id"))):
        props = row["properties"]
        builder.nodes.setdefault(props.get("id"), node_entry(
            {"id": props.get("id"), "labels": sorted(row["labels"]), "properties": props}))
    for row in sorted(rels, key=lambda r: (str(r["source"]), r["type"], str(r["target"]))):
        builder.add({"type": row["type"], "start": row["source"], "end": row["target"],
                     "properties": row["properties"]})
    graph = builder.build()
    log.info("read %d nodes and %d relationships", len(graph["nodes"]), len(graph["edges"]))
    return graph


def read_selection(store: Store, nodes: Mapping[str, Sequence[str]], rel_types: Sequence[str]) -> Subgraph:
    """Only what an analysis needs: the nodes of some labels with some of their properties
    (`{"Task": ["name", "deadline"]}`; `id` always) and the relationships of some types, without
    their properties. Much faster than `read_graph` on a large store: fewer values to transfer.

    A relationship keeps its endpoints' ids even when those nodes were not read (an analysis
    may need a task's id but none of its properties).
    """
    schema = get_schema()
    builder = SubgraphBuilder()
    for label, props in nodes.items():
        _checked(label, schema.label_names)
        known = tuple(schema.node_properties(label))
        columns = ["id", *(_checked(p, known) for p in props if p != "id")]
        for row in sorted(store.read(cypher.label_columns(label, columns)).rows, key=lambda r: str(r["id"])):
            values = {k: v for k, v in row.items() if v is not None}
            builder.nodes.setdefault(row["id"], node_entry(
                {"id": row["id"], "labels": [label], "properties": values}))
    for rel_type in rel_types:
        _checked(rel_type, schema.relationship_names)
        rows = store.read(cypher.endpoints(rel_type)).rows
        for row in sorted(rows, key=lambda r: (str(r["source"]), str(r["target"]))):
            builder.add({"type": rel_type, "start": row["source"], "end": row["target"], "properties": {}})
    graph = builder.build(drop_dangling=False)
    log.info("read %d nodes and %d relationships", len(graph["nodes"]), len(graph["edges"]))
    return graph


def _checked(name: str, allowed: tuple[str, ...]) -> str:
    if name not in allowed:
        raise ExportError(f"{name!r} is not in the schema.", hint=f"Known: {', '.join(allowed)}.")
    return name


def query_subgraph(store: Store, names: Iterable[str], params: dict[str, Any] | None = None, *,
                   timeout_ms: int | None = None, limit: int | None = None,
                   induced: bool = True) -> Subgraph:
    """The nodes that the rows of the named queries mention, merged, with the relationships among
    them (`induced`: every stored one, e.g. a task's LED_BY to its lead; otherwise only those
    the rows hold).

    `params` are shared: each query takes the ones it declares; a parameter that no query
    declares is an error, so a typo is not silently ignored.
    """
    from queries import get_query

    params = dict(params or {})
    queries = [get_query(name) for name in names]
    declared = {p.name for q in queries for p in q.params}
    unused = sorted(set(params) - declared)
    if unused:
        raise ExportError(f"No chosen query has the parameter {', '.join(unused)}.",
                          hint="policygraph query --list shows each query's parameters.",
                          http_hint="GET /api/queries lists each query's parameters.")
    rows: list[dict[str, Any]] = []
    for query in queries:
        own = {k: v for k, v in params.items() if k in {p.name for p in query.params}}
        result = query.run(store, own, timeout_ms=timeout_ms, limit=limit)
        if result.truncated:
            log.warning("query %s was cut at %s rows; the export holds only those", query.name, limit)
        rows.extend(result.rows)
    graph = subgraph_from_rows(rows)
    return relationships_among(store, graph, timeout_ms=timeout_ms) if induced else graph


def relationships_among(store: Store, subgraph: Subgraph, *, timeout_ms: int | None = None) -> Subgraph:
    """`subgraph` with every stored relationship between two of its nodes."""
    ids = sorted(n["id"] for n in subgraph["nodes"])
    builder = SubgraphBuilder()
    for node in subgraph["nodes"]:
        builder.nodes[node["id"]] = node
    for edge in subgraph["edges"]:
        builder.edges[edge["id"]] = edge
    if len(ids) > 1:
        rows = store.read(cypher.RELATIONSHIPS_AMONG, {"ids": ids}, timeout_ms=timeout_ms).rows
        for row in sorted(rows, key=lambda r: (r["source"], r["type"], r["target"])):
            builder.add({"type": row["type"], "start": row["source"], "end": row["target"],
                         "properties": row["properties"]})
    return builder.build()


def with_sources(store: Store, subgraph: Subgraph, *, timeout_ms: int | None = None) -> Subgraph:
    """`subgraph` plus the Source nodes its nodes and edges cite, so the loader accepts it alone."""
    present = {n["id"] for n in subgraph["nodes"]}
    cited = {s for item in [*subgraph["nodes"], *subgraph["edges"]]
             for s in item["properties"].get("sources") or []} - present
    if not cited:
        return subgraph
    found = store.read(cypher.SOURCE_NODES, {"ids": sorted(cited)}, timeout_ms=timeout_ms).rows
    extra = sorted((node_entry(row["s"]) for row in found), key=lambda n: n["id"])
    return {"nodes": [*subgraph["nodes"], *extra], "edges": subgraph["edges"]}


def without_computed(subgraph: Subgraph) -> Subgraph:
    """`subgraph` without the properties the loader computes (they are not facts to export)."""
    nodes = [{**n, "properties": {k: v for k, v in n["properties"].items() if k not in COMPUTED}}
             for n in subgraph["nodes"]]
    return {"nodes": nodes, "edges": subgraph["edges"]}


# -- networkx -----------------------------------------------------------------------------
def to_networkx(subgraph: Subgraph) -> nx.MultiDiGraph:
    """A MultiDiGraph keyed by node id; edge keys are relationship types; values as stored."""
    graph = nx.MultiDiGraph()
    for node in subgraph["nodes"]:
        props = {k: v for k, v in node["properties"].items() if k != "id" and k not in COMPUTED}
        graph.add_node(node["id"], labels=":".join(node["labels"]), **props)
    for edge in subgraph["edges"]:
        graph.add_edge(edge["source"], edge["target"], key=edge["type"], type=edge["type"],
                       **edge["properties"])
    return graph


def _flat(value: Any) -> Any:
    """A value GraphML and GEXF can hold: lists and maps become JSON text."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def flat_networkx(subgraph: Subgraph, *, display_labels: bool = False) -> nx.MultiDiGraph:
    """`to_networkx` with scalar attributes only (no None, lists as JSON text).

    With `display_labels` (for GEXF), nodes get `label` = name and edges `label` = type, which
    viewers show, and edges an `id` (`from|TYPE|to`); the edge's `type` attribute is left out,
    as GEXF reserves it for the direction.
    """
    graph = nx.MultiDiGraph()
    full = to_networkx(subgraph)
    for node_id, data in full.nodes(data=True):
        attrs = {k: _flat(v) for k, v in data.items() if v is not None}
        if display_labels:
            attrs["label"] = str(data.get("name") or node_id)
        graph.add_node(node_id, **attrs)
    for source, target, key, data in full.edges(keys=True, data=True):
        attrs = {k: _flat(v) for k, v in data.items() if v is not None}
        if display_labels:
            del attrs["type"]
            attrs.update(label=key, id=f"{source}|{key}|{target}")
        graph.add_edge(source, target, key=key, **attrs)
    return graph


# -- the formats ----------------------------------------------------------------------------
def graphml_bytes(subgraph: Subgraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(flat_networkx(subgraph), buffer, encoding="utf-8", named_key_ids=True)
    return buffer.getvalue()


def gexf_bytes(subgraph: Subgraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(flat_networkx(subgraph, display_labels=True), buffer, encoding="utf-8")
    return buffer.getvalue()


def cytoscape_document(subgraph: Subgraph) -> dict[str, Any]:
    """Cytoscape JSON: Cytoscape desktop imports it; `elements` is what Cytoscape.js takes.

    Each node's data also has `value` (its id) and each edge's `key` (its type), the fields
    networkx's `cytoscape_graph` reads back.
    """
    elements = to_cytoscape(without_computed(subgraph))
    for node in elements["nodes"]:
        node["data"]["value"] = node["data"]["id"]
    for edge in elements["edges"]:
        edge["data"]["key"] = edge["data"]["type"]
    return {"format_version": "1.0", "generated_by": "policygraph",
            "target_cytoscapejs_version": "~3", "data": {"name": "policygraph"},
            "directed": True, "multigraph": True, "elements": elements}


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


def cypher_statements(subgraph: Subgraph, *, batch: int = CYPHER_BATCH) -> Iterator[str]:
    """Statements, one per line, that rebuild `subgraph` in an empty store (FalkorDB or Neo4j).

    Values are inlined as Cypher literals, so the file runs without parameters; `MERGE` on id
    makes a second replay change nothing.
    """
    by_label: dict[str, list[dict[str, Any]]] = {}
    label_of: dict[str, str] = {}
    for node in subgraph["nodes"]:
        label = _identifier(node["label"] or "")
        label_of[node["id"]] = label
        props = {k: v for k, v in node["properties"].items() if v is not None}
        by_label.setdefault(label, []).append({"id": node["id"], "props": props})
    yield (f"// policygraph export: {len(subgraph['nodes'])} nodes, {len(subgraph['edges'])} "
           "relationships. Replay into an empty graph, one statement per line.")
    for label in sorted(by_label):
        yield f"CREATE INDEX FOR (n:{label}) ON (n.id);"
    for label, rows in sorted(by_label.items()):
        for chunk in _chunks(rows, batch):
            yield (f"UNWIND {cypher_literal(chunk)} AS row "
                   f"MERGE (n:{label} {{id: row.id}}) SET n = row.props;")
    by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for edge in subgraph["edges"]:
        key = (_identifier(edge["type"]), label_of[edge["source"]], label_of[edge["target"]])
        props = {k: v for k, v in edge["properties"].items() if v is not None}
        by_type.setdefault(key, []).append({"start": edge["source"], "end": edge["target"],
                                            "props": props})
    for (rel_type, start, end), rows in sorted(by_type.items()):
        for chunk in _chunks(rows, batch):
            yield (f"UNWIND {cypher_literal(chunk)} AS row "
                   f"MATCH (a:{start}) WHERE a.id = row.start MATCH (b:{end}) WHERE b.id = row.end "
                   f"MERGE (a)-[r:{rel_type}]->(b) SET r = row.props;")


def cypher_literal(value: Any) -> str:
    """`value` written as a Cypher literal that FalkorDB and Neo4j read back the same."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ExportError(f"{value} has no Cypher literal.")
        return repr(value)
    if isinstance(value, str):
        return "'" + "".join(_ESCAPES.get(ch, ch if ch >= " " else f"\\u{ord(ch):04x}")
                             for ch in value) + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise ExportError(f"A {type(value).__name__} value has no Cypher literal.")


_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _key(name: str) -> str:
    return name if IDENTIFIER.match(name) else "`" + name.replace("`", "``") + "`"


def _identifier(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise ExportError(f"{name!r} cannot be a label or relationship type in Cypher.")
    return name


def _chunks(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def replay_cypher(lines: Iterable[str], store: Store) -> int:
    """Run an exported Cypher file's statements on `store`, in order; the number run."""
    count = 0
    for line in lines:
        statement = line.strip()
        if not statement or statement.startswith("//"):
            continue
        store.write(statement.removesuffix(";"))
        count += 1
    return count


# -- writing --------------------------------------------------------------------------------
def cytoscape_bytes(subgraph: Subgraph) -> bytes:
    return (json.dumps(cytoscape_document(subgraph), ensure_ascii=False, indent=1) + "\n").encode()


def cypher_bytes(subgraph: Subgraph) -> bytes:
    return ("\n".join(cypher_statements(subgraph)) + "\n").encode()


def csv_zip_bytes(subgraph: Subgraph) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in csv_files(subgraph).items():
            archive.writestr(name, text)
    return buffer.getvalue()


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
