"""GraphML and GEXF through networkx (Gephi, yEd, Cytoscape desktop); list values, which neither
format holds, are written as JSON text."""

from __future__ import annotations

import io

import networkx as nx

from graph.export.common import Subgraph
from graph.export.networkx_bridge import flat_networkx


def graphml_bytes(subgraph: Subgraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(flat_networkx(subgraph), buffer, encoding="utf-8", named_key_ids=True)
    return buffer.getvalue()


def gexf_bytes(subgraph: Subgraph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(flat_networkx(subgraph, display_labels=True), buffer, encoding="utf-8")
    return buffer.getvalue()
