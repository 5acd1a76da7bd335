"""Statements per source: what each source says about each node and relationship.

FollowTheMoney keeps one statement per (entity, property, value, source). We keep the same
information per entity: an internal property `_pg_statements` holds, as JSON text, each
source's property map for that node or relationship (`{"src-a": {"name": …}, "src-b": {}}`),
where the sources differ; where they agree (most entities) the entity's own properties and
`sources` are its statements and nothing more is stored. From them follow the properties
everyone reads:

- `sources` is the sorted list of the sources that state the entity;
- each property has the value of the latest source that gives it (latest by the Source's
  `published_on`, then by id), so removing that source restores an earlier source's value,
  or clears the property when no source gives one.

Loading input replaces the statements of every Source the input *defines* (a `label: Source`
record): what such a source no longer says loses it. A record that names a source the input
does not define replaces that source's statement about that one entity only. An entity left
with no statement is deleted, with its relationships. `retract` replaces a source by nothing.

This module is pure: it computes the new state and the diff; `loaders.sync` reads and writes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

STATEMENTS = "_pg_statements"  # internal: kept out of answers and exports (graph.store.results)
BOOKKEEPING = frozenset(("id", "sources", "search_key", STATEMENTS))  # not stated by a source
NodeKey = str  # the node's id (unique across the graph)
RelKey = tuple[str, str, str]  # (type, start id, end id)
Statements = dict[str, dict[str, Any]]  # source id -> the properties it states
Rank = Callable[[str], tuple]


@dataclass(slots=True)
class Entity:
    """A node (`label`) or relationship (`start_label`, `end_label`) with its statements.
    Its statement maps are shared, never changed in place (a national load has a million)."""

    labels: tuple[str, ...]  # (label,) for a node, (start label, end label) for a relationship
    statements: Statements

    def effective(self, rank: Rank) -> dict[str, Any]:
        """The properties everyone reads: later sources win, `sources` lists them all.
        A fresh dict each call (`resolve` asks once per entity and keeps it)."""
        if len(self.statements) == 1:  # most entities: no order to work out
            for source, stated in self.statements.items():
                props = dict(stated)
                props["sources"] = [source]
                return props
        props = {}
        for source in sorted(self.statements, key=rank):
            props.update(self.statements[source])
        props["sources"] = sorted(self.statements)
        return props


def encode(statements: Statements) -> str | None:
    """The stored text of `statements`, or None where they need none: when every source
    states the same properties (by far most entities, and all with one source), the entity's
    own properties and `sources` say it all (see `decode`). The text is deterministic, so
    equal statements are equal text."""
    if len(statements) < 2:
        return None
    maps = iter(statements.values())
    first = next(maps)
    if all(other == first for other in maps):
        return None
    return json.dumps(statements, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def decode(text: Any, props: dict[str, Any]) -> Statements:
    """Statements from the stored text; an entity written before statements were kept says
    its properties on behalf of each of its `sources`."""
    if isinstance(text, str) and text:
        return json.loads(text)
    stated = {k: v for k, v in props.items() if k not in BOOKKEEPING}
    sources = props.get("sources") or []
    return {source: dict(stated) for source in sources if isinstance(source, str)}


def stated_by(props: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """A validated record's sources and the properties it states for each of them."""
    sources = [s for s in props.get("sources") or [] if isinstance(s, str)]
    return sources, {k: v for k, v in props.items() if k not in BOOKKEEPING}


@dataclass
class Change:
    """One entity's change: before and after (None: absent), effective properties."""

    kind: str  # node | relationship
    key: NodeKey | RelKey
    labels: tuple[str, ...]
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    statements_before: Statements
    statements_after: Statements

    @property
    def action(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    def values(self) -> list[tuple[str, Any, Any]]:
        """(property, old, new) for each property value that differs."""
        before, after = self.before or {}, self.after or {}
        return [(name, before.get(name), after.get(name))
                for name in sorted(set(before) | set(after))
                if name != "id" and before.get(name) != after.get(name)]

    def by_source(self) -> dict[str, str]:
        """What each source's statement about this entity does: adds, withdraws, changes."""
        result = {}
        for source in sorted(set(self.statements_before) | set(self.statements_after)):
            old, new = self.statements_before.get(source), self.statements_after.get(source)
            if old == new:
                continue
            result[source] = "adds" if old is None else "withdraws" if new is None else "changes"
        return result


@dataclass
class Outcome:
    """The new state of every entity a load or retraction touches, and what changed."""

    nodes: dict[NodeKey, Entity | None] = field(default_factory=dict)  # None: delete
    relationships: dict[RelKey, Entity | None] = field(default_factory=dict)
    # the effective properties of each entity that stays (a node's with its id): worked out
    # once here, read by the writes; never changed in place (the changes hold them too)
    node_properties: dict[NodeKey, dict[str, Any]] = field(default_factory=dict)
    relationship_properties: dict[RelKey, dict[str, Any]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)  # only entities whose state differs


def resolve(current_nodes: dict[NodeKey, Entity], current_rels: dict[RelKey, Entity],
            incoming_nodes: dict[NodeKey, Entity], incoming_rels: dict[RelKey, Entity],
            replaced: set[str], rank: Rank,
            rels_of: Callable[[Iterable[NodeKey]], dict[RelKey, Entity]]) -> Outcome:
    """The new statements of every touched entity, from the current ones, the incoming ones
    and the sources being replaced (`replaced`: their old statements are dropped).

    `current_*` must hold every stored entity that the input names or that a replaced source
    states; `rels_of(ids)` gives the stored relationships of nodes about to be deleted, which
    go with them.
    """
    outcome = Outcome()
    for key in _keys(current_nodes, incoming_nodes):
        outcome.nodes[key] = _merge(current_nodes.get(key), incoming_nodes.get(key), replaced)
    gone = {key for key, entity in outcome.nodes.items() if entity is None}
    rels = dict(current_rels)
    if gone:
        rels.update({k: v for k, v in rels_of(sorted(gone)).items() if k not in rels})
    for key in _keys(rels, incoming_rels):
        entity = _merge(rels.get(key), incoming_rels.get(key), replaced)
        if entity is not None and (key[1] in gone or key[2] in gone):
            entity = None  # its end node is deleted, so it is too
        outcome.relationships[key] = entity
    for kind, current, new, kept in (
            ("node", current_nodes, outcome.nodes, outcome.node_properties),
            ("relationship", rels, outcome.relationships, outcome.relationship_properties)):
        for key, entity in new.items():
            old = current.get(key)
            if old is None and entity is None:
                continue
            before = old.effective(rank) if old else None
            after = entity.effective(rank) if entity else None
            if kind == "node":
                for props in (before, after):
                    if props is not None:
                        props["id"] = key
            if after is not None:
                kept[key] = after
            if before != after:
                labels = (entity or old).labels
                outcome.changes.append(Change(kind, key, labels, before, after,
                                              old.statements if old else {},
                                              entity.statements if entity else {}))
    return outcome


def _keys(current: dict, incoming: dict) -> list:
    """Every key once, in an order that repeats: the input's own, then the stored keys it does
    not name, sorted (sorting a national load's million keys took a tenth of its time; the
    diff sorts what it shows, `loaders.diff`)."""
    return [*incoming, *sorted(key for key in current if key not in incoming)]


def _merge(old: Entity | None, new: Entity | None, replaced: set[str]) -> Entity | None:
    if old is None:  # most of a load: nothing stored to merge with
        return new if new is not None and new.statements else None
    statements = {s: p for s, p in old.statements.items() if s not in replaced}
    if new is not None:
        statements.update(new.statements)
    if not statements:
        return None
    return Entity((new or old).labels, statements)
