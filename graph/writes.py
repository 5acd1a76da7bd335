"""Every write statement, built in one place from the schema: parameterised, batched, merged on
id (or created, where the loader has just read under its write lock that the entity is absent).

Labels and types are interpolated only after they were checked against the schema, so no
input text reaches the query text; all values travel as parameters.
"""

from __future__ import annotations

from graph.schema import Schema, get_schema


def _checked(name: str, allowed: tuple[str, ...], what: str) -> str:
    if name not in allowed:
        raise ValueError(f"unknown {what} {name!r}")
    return name


def merge_nodes(label: str, schema: Schema | None = None) -> str:
    """`UNWIND $rows` of `{id, props}`: create or replace each node's properties."""
    schema = schema or get_schema()
    label = _checked(label, schema.label_names, "label")
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row.props"


def merge_node_maps(label: str, schema: Schema | None = None) -> str:
    """`UNWIND $rows` of property maps that hold their own `id`: what `merge_nodes` does, with
    no wrapper map and no second copy of the id per row for the client to check and encode.

    The id is projected before the MERGE: FalkorDB plans `MERGE (n {id: row.id}) SET n = row`
    as a scan of the whole label (once per row), and a seek on the id index only this way.
    """
    schema = schema or get_schema()
    label = _checked(label, schema.label_names, "label")
    return (f"UNWIND $rows AS props WITH props, props.id AS id "
            f"MERGE (n:{label} {{id: id}}) SET n = props")


def create_node_maps(label: str, schema: Schema | None = None) -> str:
    """`UNWIND $rows` of property maps for nodes the loader has just read are absent (under its
    write lock): CREATE needs no index seek per row, and writes a national load's nodes in
    less than half the store time MERGE takes (benchmarks/load.py)."""
    schema = schema or get_schema()
    label = _checked(label, schema.label_names, "label")
    return f"UNWIND $rows AS props CREATE (n:{label}) SET n = props"


def merge_relationships(rel_type: str, start_label: str, end_label: str,
                        schema: Schema | None = None) -> str:
    """`UNWIND $rows` of `{start, end, props}`: one relationship of a type per node pair."""
    schema = schema or get_schema()
    rel_type = _checked(rel_type, schema.relationship_names, "relationship type")
    start_label = _checked(start_label, schema.label_names, "label")
    end_label = _checked(end_label, schema.label_names, "label")
    return (
        f"UNWIND $rows AS row MATCH (a:{start_label} {{id: row.start}}) "
        f"MATCH (b:{end_label} {{id: row.end}}) "
        f"MERGE (a)-[r:{rel_type}]->(b) SET r = row.props"
    )


def merge_relationship_columns(rel_type: str, start_label: str, end_label: str,
                               schema: Schema | None = None) -> str:
    """What `merge_relationships` does, from columns: relationship `i` goes from `$starts[i]`
    to `$ends[i]` with the property map `$props[$which[i]]`.

    A batch's relationships share a few dozen property maps (mostly just their sources), so
    each distinct map travels once instead of once per relationship.
    """
    return _relationship_columns("MERGE", rel_type, start_label, end_label, schema)


def create_relationship_columns(rel_type: str, start_label: str, end_label: str,
                                schema: Schema | None = None) -> str:
    """What `merge_relationship_columns` does, for relationships the loader has just read are
    absent: CREATE does not look for an existing one between the two nodes."""
    return _relationship_columns("CREATE", rel_type, start_label, end_label, schema)


def _relationship_columns(verb: str, rel_type: str, start_label: str, end_label: str,
                          schema: Schema | None) -> str:
    schema = schema or get_schema()
    rel_type = _checked(rel_type, schema.relationship_names, "relationship type")
    start_label = _checked(start_label, schema.label_names, "label")
    end_label = _checked(end_label, schema.label_names, "label")
    return (
        "UNWIND range(0, size($starts) - 1) AS i "
        "WITH $starts[i] AS start_id, $ends[i] AS end_id, $props[$which[i]] AS props "
        f"MATCH (a:{start_label} {{id: start_id}}) MATCH (b:{end_label} {{id: end_id}}) "
        f"{verb} (a)-[r:{rel_type}]->(b) SET r = props"
    )


def delete_relationships(rel_type: str, start_label: str, end_label: str,
                         schema: Schema | None = None) -> str:
    """`UNWIND $rows` of `{start, end}`: delete that relationship of a type, if it is there."""
    schema = schema or get_schema()
    rel_type = _checked(rel_type, schema.relationship_names, "relationship type")
    start_label = _checked(start_label, schema.label_names, "label")
    end_label = _checked(end_label, schema.label_names, "label")
    return (f"UNWIND $rows AS row MATCH (a:{start_label} {{id: row.start}})-[r:{rel_type}]->"
            f"(b:{end_label} {{id: row.end}}) DELETE r")


def delete_nodes(label: str, schema: Schema | None = None) -> str:
    """`UNWIND $ids`: delete each node of a label with its relationships, if it is there."""
    schema = schema or get_schema()
    label = _checked(label, schema.label_names, "label")
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) DETACH DELETE n"
