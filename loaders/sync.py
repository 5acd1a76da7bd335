"""Bring the store to what its sources say: read the touched entities, resolve their
statements (`loaders.statements`), write only what differs.

Every write sets an entity's whole state (`SET n = props`) or deletes it, so a run that was
killed half-way and run again computes the same new state from what it left and finishes
it: the graph ends exactly as one uninterrupted run leaves it (a test kills it with -9).
What the read found absent is CREATEd, not MERGEd: the write lock keeps it absent, and MERGE's
search for it is most of the store's time in a first load.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph import cypher, writes
from graph.schema import Schema
from graph.search import search_key
from graph.store.base import Store
from loaders.statements import (
    STATEMENTS,
    Change,
    Entity,
    NodeKey,
    Outcome,
    RelKey,
    decode,
    encode,
    resolve,
    stated_by,
)
from loaders.validate import Plan

Stored = dict[Any, tuple[Entity, dict[str, Any]]]  # key -> (entity, its stored properties)


@dataclass
class Sync:
    """What a load or retraction does to the store: the changes (the diff) and the writes."""

    outcome: Outcome
    node_creates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # label -> maps
    node_writes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # label -> maps
    rel_creates: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    rel_writes: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    node_deletes: dict[str, list[str]] = field(default_factory=dict)  # label -> ids
    rel_deletes: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    # ids of the nodes written or removed, and both ends of each relationship written or
    # removed (those that go with a deleted node too): what derived state updates (graph.derived)
    touched: set[str] = field(default_factory=set)

    @property
    def changes(self) -> list[Change]:
        return self.outcome.changes

    @property
    def write_count(self) -> int:
        return sum(len(v) for group in (self.node_creates, self.node_writes, self.rel_creates,
                                        self.rel_writes, self.node_deletes, self.rel_deletes)
                   for v in group.values())


def incoming(plan: Plan) -> tuple[dict[NodeKey, Entity], dict[RelKey, Entity]]:
    """The statements a validated plan makes, per entity and source."""
    nodes: dict[NodeKey, Entity] = {}
    for label, rows in plan.nodes.items():
        for row in rows:
            sources, stated = stated_by(row["props"])
            nodes[row["id"]] = Entity((label,), dict.fromkeys(sources, stated))
    rels: dict[RelKey, Entity] = {}
    for (rel_type, start_label, end_label), rows in plan.relationships.items():
        for row in rows:
            sources, stated = stated_by(row["props"])
            rels[(rel_type, row["start"], row["end"])] = Entity(
                (start_label, end_label), dict.fromkeys(sources, stated))
    return nodes, rels


def defined_sources(plan: Plan) -> set[str]:
    """The sources whose statements a load replaces: the Source nodes it defines."""
    return {row["id"] for row in plan.nodes.get("Source", [])}


def plan_sync(store: Store | None, schema: Schema, new_nodes: dict[NodeKey, Entity],
              new_rels: dict[RelKey, Entity], replaced: set[str],
              published: dict[str, Any] | None = None) -> Sync:
    """The changes and writes that bring `store` to the statements given (nothing is written)."""
    reader = _Reader(store, schema)
    current_nodes = reader.nodes(set(new_nodes), replaced)
    current_rels = reader.relationships(new_rels, replaced)
    dates = reader.published_on() | (published or {})

    def rank(source: str) -> tuple:
        return (str(dates.get(source) or ""), source)

    def rels_of(ids: Iterable[NodeKey]) -> dict[RelKey, Entity]:
        found = reader.relationships_of(ids, {k: current_nodes[k][0].labels[0] for k in ids
                                              if k in current_nodes})
        current_rels.update(found)
        return {k: v[0] for k, v in found.items()}

    outcome = resolve({k: v[0] for k, v in current_nodes.items()},
                      {k: v[0] for k, v in current_rels.items()},
                      new_nodes, new_rels, replaced, rank, rels_of)
    sync = Sync(outcome)
    for key, entity in outcome.nodes.items():
        stored = current_nodes.get(key)
        if entity is None:
            if stored is not None:
                sync.node_deletes.setdefault(stored[0].labels[0], []).append(key)
                sync.touched.add(key)
            continue
        props = _with_statements(dict(outcome.node_properties[key]), entity)
        # search_key follows from the names: compared without it, computed by `write_sync`
        if stored is None:  # read absent under the write lock: created, no MERGE to look for it
            sync.node_creates.setdefault(entity.labels[0], []).append(props)
            sync.touched.add(key)
        elif _without_search_key(stored[1]) != props:
            sync.node_writes.setdefault(entity.labels[0], []).append(props)
            sync.touched.add(key)
    for key, entity in outcome.relationships.items():
        stored = current_rels.get(key)
        rel_type, start, end = key
        if entity is None:
            if stored is not None:
                sync.touched.update((start, end))
                if not _ends_deleted(key, outcome):
                    group = (rel_type, *stored[0].labels)
                    sync.rel_deletes.setdefault(group, []).append({"start": start, "end": end})
            continue
        props = _with_statements(dict(outcome.relationship_properties[key]), entity)
        if stored is None or stored[1] != props:
            sync.touched.update((start, end))
            writes_of = sync.rel_creates if stored is None else sync.rel_writes
            writes_of.setdefault((rel_type, *entity.labels), []).append(
                {"start": start, "end": end, "props": props})
    return sync


def _without_search_key(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != "search_key"}


def _with_search_keys(maps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for props in maps:
        props["search_key"] = search_key(props)
    return maps


def _with_statements(props: dict[str, Any], entity: Entity) -> dict[str, Any]:
    text = encode(entity.statements)
    if text is not None:
        props[STATEMENTS] = text
    return props


def _ends_deleted(key: RelKey, outcome: Outcome) -> bool:
    """A relationship whose end node is deleted goes with it (DETACH DELETE)."""
    return outcome.nodes.get(key[1], True) is None or outcome.nodes.get(key[2], True) is None


class _Reader:
    """Reads the stored entities a sync touches: by id or key (indexed), and by source."""

    def __init__(self, store: Store | None, schema: Schema) -> None:
        self.store = store
        self.schema = schema

    def _rows(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.empty:
            return []
        return self.store.read(query, params).rows

    @functools.cached_property
    def empty(self) -> bool:
        """No store, or an empty graph: nothing to read (a first load reads nothing)."""
        return self.store is None or not self.store.read(cypher.ANY_NODE).rows

    def published_on(self) -> dict[str, Any]:
        rows = self._rows(cypher.SOURCE_DATES, {})
        return {row["id"]: row["on"] for row in rows}

    def nodes(self, ids: set[str], replaced: set[str]) -> Stored:
        found: Stored = {}
        rows = self._rows(cypher.nodes_citing(STATEMENTS), {"replaced": sorted(replaced)}) if replaced else []
        ids = ids - {row["id"] for row in rows}
        if ids:
            rows += self._rows(cypher.nodes_by_id(self.schema.label_names, STATEMENTS), {"ids": sorted(ids)})
        for row in rows:
            found[row["id"]] = self._entity((row["label"],), row)
        return found

    def relationships(self, wanted: dict[RelKey, Entity], replaced: set[str]) -> Stored:
        found: Stored = {}
        if replaced:
            rows = self._rows(cypher.relationships_citing(STATEMENTS), {"replaced": sorted(replaced)})
            for row in rows:
                found[(row["t"], row["a"], row["b"])] = self._entity((row["al"], row["bl"]), row)
        groups: dict[tuple[str, str, str], list[RelKey]] = {}
        for key, entity in wanted.items():
            if key not in found:
                groups.setdefault((key[0], *entity.labels), []).append(key)
        for (rel_type, start_label, end_label), keys in groups.items():
            query = cypher.relationships_between(rel_type, start_label, end_label, STATEMENTS)
            for row in self._rows(query, {"starts": [k[1] for k in keys],
                                          "ends": [k[2] for k in keys]}):
                found[(rel_type, row["a"], row["b"])] = self._entity((start_label, end_label), row)
        return found

    def relationships_of(self, ids: Iterable[NodeKey], labels: dict[NodeKey, str]) -> Stored:
        """Every stored relationship at either end of the nodes `ids`."""
        found: Stored = {}
        by_label: dict[str, list[str]] = {}
        for node_id in ids:
            if node_id in labels:
                by_label.setdefault(labels[node_id], []).append(node_id)
        for label, group in by_label.items():
            for query in cypher.relationships_at(label, STATEMENTS):
                for row in self._rows(query, {"ids": group}):
                    found[(row["t"], row["a"], row["b"])] = self._entity((row["al"], row["bl"]), row)
        return found

    @staticmethod
    def _entity(labels: tuple[str, ...], row: dict[str, Any]) -> tuple[Entity, dict[str, Any]]:
        props = dict(row["p"])
        stored = {**props, STATEMENTS: row["st"]} if row["st"] is not None else props
        return Entity(labels, decode(row["st"], props)), stored


def write_sync(sync: Sync, store: Store, schema: Schema, *, batch_size: int,
               write) -> None:
    """Upserts first (nodes, then relationships), then deletions (relationships, then nodes),
    each in batches through `write(batches)`, which sends and confirms them."""
    store.setup_indexes(schema)
    node_groups = [(writes.create_node_maps, sync.node_creates),
                   (writes.merge_node_maps, sync.node_writes)]
    # before the first send: computed between sends, they held the interpreter lock the
    # threads that encode the batches wait for, and the store waited on both (2 s of a load)
    for _, groups in node_groups:
        for maps in groups.values():
            _with_search_keys(maps)
    write((statement(label, schema), {"rows": chunk}, len(chunk))
          for statement, groups in node_groups for label, maps in groups.items()
          for chunk in _chunks(maps, batch_size))
    batches = []
    for statement, groups in ((writes.create_relationship_columns, sync.rel_creates),
                              (writes.merge_relationship_columns, sync.rel_writes)):
        for (rel_type, start, end), rows in groups.items():
            query = statement(rel_type, start, end, schema)
            batches += [(query, _relationship_columns(chunk), len(chunk))
                        for chunk in _chunks(rows, batch_size)]
    for (rel_type, start, end), rows in sync.rel_deletes.items():
        query = writes.delete_relationships(rel_type, start, end, schema)
        batches += [(query, {"rows": chunk}, len(chunk)) for chunk in _chunks(rows, batch_size)]
    # Source nodes last: a retraction killed before its end must still find what it retracts
    for label, ids in sorted(sync.node_deletes.items(), key=lambda item: item[0] == "Source"):
        query = writes.delete_nodes(label, schema)
        batches += [(query, {"ids": chunk}, len(chunk)) for chunk in _chunks(ids, batch_size)]
    write(batches)


def _relationship_columns(rows: list[dict]) -> dict[str, list]:
    """`{start, end, props}` rows as the columns `merge_relationship_columns` reads, each
    distinct property map once: the client checks and encodes every value it is sent, and a
    national load's relationships share a few dozen maps."""
    index: dict[str, int] = {}
    maps: list[dict] = []
    which = []
    for row in rows:
        props = row["props"]
        key = repr(props)  # equal reprs, equal maps (1, 1.0 and True differ, unlike as keys)
        position = index.get(key)
        if position is None:
            position = index[key] = len(maps)
            maps.append(props)
        which.append(position)
    return {"starts": [row["start"] for row in rows], "ends": [row["end"] for row in rows],
            "props": maps, "which": which}


def _chunks(rows: list, size: int):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]
