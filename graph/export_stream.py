"""Whole-graph exports written while they are read, so memory stays flat whatever the size.

Building a whole-graph export in memory (all rows, then two networkx graphs, then the XML
tree, then the bytes) took 1.06 GB for a 76k-node GraphML file of 60 MB (issue 14; 768 MB
measured here for 76k nodes and as many relationships, 102 MB streamed). Here the store is
read in chunks of nodes by internal id (`WHERE id(n) >= $lo AND id(n) < $hi`, a seek in
FalkorDB and Neo4j), each read within the query timeout, and each chunk is written out at
once: GraphML and GEXF as XML text that networkx, Gephi and yEd read like the in-memory
export's, Cytoscape JSON and the Cypher replay file likewise. Attribute keys, which XML
formats declare first, come from one pass over the property names and the schema's types.

The CSV export (a zip of one file per label) still builds in memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from graph import cypher
from graph.asof import today
from graph.export.common import COMPUTED, without_computed
from graph.export.cypher_script import cypher_literal, identifier
from graph.export.networkx_bridge import flat_value
from graph.export_formats import STREAMED  # noqa: F401 (re-exported)
from graph.schema import get_schema
from graph.store.base import Store
from graph.subgraph import edge_entry, node_entry, to_cytoscape

CHUNK = 5_000  # nodes per read; then the relationships leaving them, in a second pass
_XML_TYPES = {"int": "long", "float": "double", "bool": "boolean"}


def stream_export(store: Store, fmt: str, *, timeout_ms: int | None) -> Iterator[bytes]:
    """The export in pieces of bytes. The first reads (property names, the id range) run
    before the first piece is asked for, so a store that is down or too slow fails the
    request before anything is sent."""
    source = _ChunkedGraph(store, timeout_ms)
    writer = {"graphml": _graphml, "gexf": _gexf, "cytoscape": _cytoscape, "cypher": _cypher}[fmt]
    pieces = writer(source, _Keys(store, timeout_ms) if fmt in ("graphml", "gexf") else None)
    return (piece.encode("utf-8") for piece in pieces)


class _ChunkedGraph:
    """The graph's nodes in chunks by internal id, then its relationships in chunks by the
    internal id of their start node."""

    def __init__(self, store: Store, timeout_ms: int | None) -> None:
        self.store = store
        self.timeout_ms = timeout_ms
        self.top = store.read(cypher.TOP_INTERNAL_ID, timeout_ms=timeout_ms).rows[0]["top"]

    def _ranges(self) -> Iterator[dict[str, int]]:
        if self.top is not None:
            for lo in range(0, int(self.top) + 1, CHUNK):
                yield {"lo": lo, "hi": lo + CHUNK}

    def node_chunks(self) -> Iterator[list[dict[str, Any]]]:
        for bounds in self._ranges():
            rows = self.store.read(cypher.NODE_CHUNK, bounds, timeout_ms=self.timeout_ms).rows
            yield [node_entry({"id": row["properties"].get("id"), "labels": sorted(row["labels"]),
                               "properties": row["properties"]})
                   for row in rows if row["properties"].get("id") is not None]

    def edge_chunks(self) -> Iterator[list[dict[str, Any]]]:
        for bounds in self._ranges():
            rows = self.store.read(cypher.RELATIONSHIP_CHUNK, bounds, timeout_ms=self.timeout_ms).rows
            yield [{**edge_entry({"type": row["type"], "start": row["source"],
                                  "end": row["target"], "properties": row["properties"]}),
                    "source_label": row["source_label"], "target_label": row["target_label"]}
                   for row in rows if row["source"] is not None and row["target"] is not None]


class _Keys:
    """The attribute keys an XML export declares: every property name in the graph, typed
    as the schema types it (text otherwise; lists are written as JSON text)."""

    def __init__(self, store: Store, timeout_ms: int | None) -> None:
        schema = get_schema()
        types: dict[str, str] = {}
        for label in schema.label_names:
            for name, prop in schema.node_properties(label).items():
                same = types.get(name, prop.type) == prop.type
                types[name] = prop.type if same else "string"  # two labels, two types: text
        rel_types: dict[str, str] = {}
        for rel in schema.relationship_names:
            for name, prop in schema.relationship_properties(rel).items():
                rel_types[name] = prop.type
        node_names = _names(store, cypher.NODE_KEYS, timeout_ms)
        edge_names = _names(store, cypher.RELATIONSHIP_KEYS, timeout_ms)
        self.node = {"labels": "string", **{k: _XML_TYPES.get(types.get(k, ""), "string")
                                            for k in node_names if k != "id" and k not in COMPUTED}}
        self.edge = {"type": "string", **{k: _XML_TYPES.get(rel_types.get(k, ""), "string")
                                          for k in edge_names}}


def _names(store: Store, query: str, timeout_ms: int | None) -> list[str]:
    return sorted(str(row["k"]) for row in store.read(query, timeout_ms=timeout_ms).rows)


def _node_attrs(node: dict[str, Any]) -> dict[str, Any]:
    """The attributes the in-memory export gives a node (see `flat_networkx`)."""
    attrs = {"labels": ":".join(node["labels"])}
    attrs.update({k: flat_value(v) for k, v in node["properties"].items()
                  if k != "id" and k not in COMPUTED and v is not None})
    return attrs


def _edge_attrs(edge: dict[str, Any]) -> dict[str, Any]:
    attrs = {"type": edge["type"]}
    attrs.update({k: flat_value(v) for k, v in edge["properties"].items() if v is not None})
    return attrs


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# -- GraphML ---------------------------------------------------------------------------------
def _graphml(source: _ChunkedGraph, keys: _Keys) -> Iterator[str]:
    yield ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for scope, declared in (("edge", keys.edge), ("node", keys.node)):
        yield "".join(f'  <key id={quoteattr(k)} for="{scope}" attr.name={quoteattr(k)} '
                      f'attr.type="{kind}" />\n' for k, kind in declared.items())
    yield '  <graph edgedefault="directed">\n'
    for nodes in source.node_chunks():
        yield "".join(f"    <node id={quoteattr(n['id'])}>\n{_data(_node_attrs(n))}    </node>\n"
                      for n in nodes)
    for edges in source.edge_chunks():
        yield "".join(f"    <edge source={quoteattr(e['source'])} "
                      f"target={quoteattr(e['target'])} id={quoteattr(e['type'])}>\n"
                      f"{_data(_edge_attrs(e))}    </edge>\n" for e in edges)
    yield "  </graph>\n</graphml>\n"


def _data(attrs: dict[str, Any]) -> str:
    return "".join(f"      <data key={quoteattr(k)}>{escape(_text(v))}</data>\n"
                   for k, v in attrs.items())


# -- GEXF ------------------------------------------------------------------------------------
def _gexf(source: _ChunkedGraph, keys: _Keys) -> Iterator[str]:
    """As networkx writes it with display labels (see `flat_networkx`): node `label` = name,
    edges `id` from|TYPE|to and `label` = type, the type again as `networkx_key`."""
    edge_keys = {k: v for k, v in keys.edge.items() if k != "type"} | {"networkx_key": "string"}
    ids = {("node", k): str(i) for i, k in enumerate(keys.node)}
    ids |= {("edge", k): str(len(keys.node) + i) for i, k in enumerate(edge_keys)}
    yield ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<gexf xmlns="http://www.gexf.net/1.2draft" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft '
           'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
           f'  <meta lastmodifieddate="{today()}">\n'
           "    <creator>policygraph</creator>\n  </meta>\n"
           '  <graph defaultedgetype="directed" mode="static" name="">\n')
    for scope, declared in (("edge", edge_keys), ("node", keys.node)):
        yield (f'    <attributes mode="static" class="{scope}">\n'
               + "".join(f'      <attribute id="{ids[(scope, k)]}" title={quoteattr(k)} '
                         f'type="{kind}" />\n' for k, kind in declared.items())
               + "    </attributes>\n")
    yield "    <nodes>\n"
    for nodes in source.node_chunks():
        yield "".join(
            f"      <node id={quoteattr(n['id'])} "
            f"label={quoteattr(str(n['properties'].get('name') or n['id']))}>\n"
            f"{_attvalues(_node_attrs(n), 'node', ids)}      </node>\n" for n in nodes)
    yield "    </nodes>\n    <edges>\n"
    for edges in source.edge_chunks():
        yield "".join(
            f"      <edge source={quoteattr(e['source'])} target={quoteattr(e['target'])} "
            f"id={quoteattr(e['source'] + '|' + e['type'] + '|' + e['target'])} "
            f"label={quoteattr(e['type'])}>\n"
            f"{_attvalues(_gexf_edge_attrs(e), 'edge', ids)}      </edge>\n" for e in edges)
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _gexf_edge_attrs(edge: dict[str, Any]) -> dict[str, Any]:
    attrs = {k: v for k, v in _edge_attrs(edge).items() if k != "type"}
    return {**attrs, "networkx_key": edge["type"]}


def _attvalues(attrs: dict[str, Any], scope: str, ids: dict[tuple[str, str], str]) -> str:
    return ("        <attvalues>\n"
            + "".join(f'          <attvalue for="{ids[(scope, k)]}" value={quoteattr(_text(v))} />\n'
                      for k, v in attrs.items() if (scope, k) in ids)
            + "        </attvalues>\n")


# -- Cytoscape JSON ------------------------------------------------------------------------
def _cytoscape(source: _ChunkedGraph, _keys: None) -> Iterator[str]:
    """The document `cytoscape_document` builds, element by element."""
    yield ('{"format_version": "1.0", "generated_by": "policygraph", '
           '"target_cytoscapejs_version": "~3", "data": {"name": "policygraph"}, '
           '"directed": true, "multigraph": true, "elements": {"nodes": [')
    first = True
    for nodes in source.node_chunks():
        for element in to_cytoscape(without_computed({"nodes": nodes, "edges": []}))["nodes"]:
            element["data"]["value"] = element["data"]["id"]
            yield ("" if first else ",\n") + json.dumps(element, ensure_ascii=False)
            first = False
    yield '],\n "edges": ['
    first = True
    for edges in source.edge_chunks():
        for element in to_cytoscape({"nodes": [], "edges": edges})["edges"]:
            element["data"]["key"] = element["data"]["label"]
            yield ("" if first else ",\n") + json.dumps(element, ensure_ascii=False)
            first = False
    yield "]}}\n"


# -- Cypher --------------------------------------------------------------------------------
def _cypher(source: _ChunkedGraph, _keys: None) -> Iterator[str]:
    """Statements that rebuild the graph in an empty store, as `cypher_statements` writes
    them, a chunk of nodes or relationships at a time."""
    labels = sorted({identifier(label) for label in get_schema().label_names})
    yield "// policygraph export. Replay into an empty graph, one statement per line.\n"
    yield "".join(f"CREATE INDEX FOR (n:{label}) ON (n.id);\n" for label in labels)
    for nodes in source.node_chunks():
        by_label: dict[str, list[dict[str, Any]]] = {}
        for node in nodes:
            props = {k: v for k, v in node["properties"].items() if v is not None}
            by_label.setdefault(identifier(node["label"] or ""), []).append(
                {"id": node["id"], "props": props})
        yield "".join(f"UNWIND {cypher_literal(rows)} AS row "
                      f"MERGE (n:{label} {{id: row.id}}) SET n = row.props;\n"
                      for label, rows in sorted(by_label.items()))
    for edges in source.edge_chunks():
        by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for edge in edges:
            key = (identifier(edge["type"]), identifier(edge["source_label"] or ""),
                   identifier(edge["target_label"] or ""))
            props = {k: v for k, v in edge["properties"].items() if v is not None}
            by_type.setdefault(key, []).append({"start": edge["source"], "end": edge["target"],
                                                "props": props})
        yield "".join(
            f"UNWIND {cypher_literal(rows)} AS row MATCH (a:{start}) WHERE a.id = row.start "
            f"MATCH (b:{end}) WHERE b.id = row.end MERGE (a)-[r:{rel}]->(b) SET r = row.props;\n"
            for (rel, start, end), rows in sorted(by_type.items()))
