"""`policygraph db check`: does the stored graph still hold what the loader guarantees?

The stored graph is read back into records and put through the loader's own validation, so
every rule is checked from its one home: labels, types and endpoints from the schema,
required properties and enums, unique ids (across labels too), every source an existing
Source, one status per date and a Law's status its latest history entry. On top, what only
a stored graph can get wrong: a node with several labels, a relationship stored twice, and
derived data (`search_key`, the statements behind `sources` and the property values) that
no longer follows from the facts.
"""

from __future__ import annotations

from graph.schema import Schema, get_schema
from graph.search import search_key
from graph.store.base import Store
from loaders.records import Batch, NodeRecord, Origin, Problem, RelRecord
from loaders.statements import STATEMENTS, Entity, decode
from loaders.validate import validate

GRAPH = "graph"


def check_graph(store: Store, schema: Schema | None = None) -> list[Problem]:
    """Every problem found in the stored graph (none: it is consistent)."""
    schema = schema or get_schema()
    # properties(), not the entities: a relationship's ends would be looked up by handle
    nodes = store.read(f"MATCH (n) RETURN labels(n) AS labels, properties(n) AS p, "
                       f"n.{STATEMENTS} AS st").rows
    rels = store.read(f"MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                      f"properties(r) AS p, r.{STATEMENTS} AS st").rows
    problems: list[Problem] = []
    dates = {row["p"].get("id"): row["p"].get("published_on")
             for row in nodes if row["labels"] == ["Source"]}

    def rank(source: str) -> tuple:
        return (str(dates.get(source) or ""), source)

    batch = Batch()
    for row in nodes:
        props = dict(row["p"])
        node_id = props.pop("id", None)
        origin = Origin(GRAPH, item=f"node {node_id!r}")
        if len(row["labels"]) != 1:
            problems.append(Problem(origin, "label", f"has {len(row['labels'])} labels "
                                    f"({', '.join(row['labels']) or 'none'}); every node has one"))
        stored_key = props.pop("search_key", None)
        if stored_key != search_key({**props, "id": node_id}):
            problems.append(Problem(origin, "search_key", "search_key does not follow from the "
                                    "names", "Load the node's source again to recompute it."))
        _check_statements(row["st"], props, rank, origin, problems)
        batch.nodes.append(NodeRecord(row["labels"][0] if row["labels"] else None, node_id,
                                      props, origin))
    seen: set[tuple] = set()
    for row in rels:
        key = (row["a"], row["t"], row["b"])
        origin = Origin(GRAPH, item=f"relationship {row['a']!r} -{row['t']}-> {row['b']!r}")
        if key in seen:
            problems.append(Problem(origin, None, "is stored more than once",
                                    "Keep one: each fact is one relationship."))
        seen.add(key)
        props = dict(row["p"])
        _check_statements(row["st"], props, rank, origin, problems)
        batch.relationships.append(RelRecord(row["t"], row["a"], row["b"], props, origin))
    _, found = validate(batch, schema, search_keys=False)
    return [*problems, *found]


def _check_statements(text, props: dict, rank, origin: Origin, problems: list[Problem]) -> None:
    """`sources` and the values must be what the kept statements give."""
    if text is None:
        return  # every source states the same: the properties are the statements
    try:
        entity = Entity((), decode(text, props))
    except ValueError:
        problems.append(Problem(origin, STATEMENTS, "the kept statements are not readable"))
        return
    expected = entity.effective(rank)
    actual = {k: v for k, v in props.items() if k not in ("id", "search_key")}
    if expected != actual:
        differ = sorted(k for k in set(expected) | set(actual) if expected.get(k) != actual.get(k))
        problems.append(Problem(origin, ", ".join(differ), "does not follow from the statements "
                                "its sources make", "Load its sources again."))
