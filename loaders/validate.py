"""Check a whole Batch against the schema before anything is written.

Every problem is collected (not just the first), each with its file, line or row, field and
what to do. What passes comes out as a Plan: nodes by label and relationships by
(type, start label, end label), every endpoint resolved to an id.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph.schema import (
    ID_PATTERN,
    MAX_TEXT,
    Property,
    RelType,
    Schema,
    brief,
    fits_int,
    is_clean_text,
    is_iso_date,
)
from graph.search import search_key
from graph.text import is_blank
from loaders.aliases import AliasTable
from loaders.records import Batch, NodeRecord, Origin, Problem, RelRecord

# ids -> {id: label} of nodes already in the store (for files that refer to loaded data)
StoreLookup = Callable[[list[str]], dict[str, str]]


@dataclass
class Plan:
    """Validated writes: `nodes[label]` rows `{id, props}`; `relationships[(type, from, to)]`
    rows `{start, end, props}`."""

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    relationships: dict[tuple[str, str, str], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list))

    @property
    def node_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    @property
    def relationship_count(self) -> int:
        return sum(len(rows) for rows in self.relationships.values())


def validate(batch: Batch, schema: Schema, *, lookup: StoreLookup | None = None,
             aliases: AliasTable | None = None,
             search_keys: bool = True) -> tuple[Plan, list[Problem]]:
    """The Plan for `batch` and every problem found; write the Plan only if there are none.

    Each node's `search_key` is computed here unless `search_keys` is False: the loader then
    computes it batch by batch while the store writes the previous batch (`write_plan`).
    """
    problems = list(batch.problems)
    labels: dict[str, str] = {}  # id -> label, of the input's nodes
    first_seen: dict[str, tuple[Origin, Any]] = {}
    plan = Plan()
    nodes = []
    for node in batch.nodes:
        if _check_node_identity(node, schema, labels, first_seen, problems):
            nodes.append(node)
    pending_refs = _referenced_ids(batch, labels) if lookup else set()  # what to look up
    known = dict(labels)
    stored: dict[str, str] = {}
    if lookup and (pending_refs or labels):
        # the input's own ids too: an id the store holds under another label is a second node
        stored = lookup(sorted(pending_refs | set(labels)))
        nodes = [node for node in nodes
                 if _same_label_as_stored(node, stored.get(node.id), problems)]
        known = {**stored, **labels}
    # Built only when an endpoint is not an id: folding every name of a national dataset
    # costs more than the rest of validation.
    table = aliases or _LazyAliases(nodes)
    source_ids = {i for i, label in known.items() if label == "Source"}
    declared = _Declared(schema)
    for node in nodes:
        props = {**node.properties, "id": node.id}
        if node.label == "Source":
            props.setdefault("sources", [node.id])
        required = True
        if node.existing:  # a statement about a stored node: its other sources give the rest
            if stored.get(node.id) != node.label:
                problems.append(Problem(node.origin, "id",
                                        f"{node.label} {brief(node.id)} is not in the graph",
                                        "A merge goes into a node the graph holds: check "
                                        "match.id, or write review: accept for a new one."))
            required = False
        declared.nodes[node.label].check(props, node.origin, problems, required=required)
        _check_sources(props.get("sources"), source_ids, node.origin, problems)
        if search_keys:
            props["search_key"] = search_key(props)
        plan.nodes[node.label].append({"id": node.id, "props": props})
    seen_rels: dict[tuple[str, str, str], dict[str, Any]] = {}
    for rel in batch.relationships:
        resolved = _check_relationship(rel, schema, declared, known, table, source_ids, problems)
        if resolved is None:
            continue
        key, start_label, end_label, props = resolved
        if key in seen_rels:  # the same fact stated twice: keep one edge, all its sources
            merged = seen_rels[key]
            old, new = merged.get("sources"), props.get("sources")
            if _all_text(old) and _all_text(new):  # otherwise already reported as a problem
                merged["sources"] = sorted(set(old) | set(new))
            continue
        seen_rels[key] = props
        plan.relationships[(rel.type, start_label, end_label)].append(
            {"start": key[1], "end": key[2], "props": props})
    _check_histories(nodes, plan, problems)
    unique = list(dict.fromkeys(problems))  # a link repeats its node's problems
    return plan, sorted(unique, key=_place)


# A property's quick test: True only where `_Properties.report` would find nothing wrong, so
# the full check (and its message) runs only for the rare doubtful value. A national dataset
# has a million values to check.
Quick = Callable[[Any], bool]


class _Properties:
    """One label's or relationship type's declared properties (the common ones merged in),
    each with its quick test, and the required ones."""

    def __init__(self, declared: dict[str, Property], quick: Callable[[Property], Quick],
                 what: str) -> None:
        self.declared = declared
        self.quick = {name: quick(prop) for name, prop in declared.items()}
        self.required = tuple(prop for prop in declared.values() if prop.required)
        self.what = what  # "a Task", "a LED_BY relationship"

    def check(self, props: dict[str, Any], origin: Origin, problems: list[Problem], *,
              required: bool = True) -> None:
        """Report what is wrong with `props`; `required=False` for a statement about a stored
        node, whose other sources give the rest."""
        quick = self.quick
        for name, value in props.items():
            test = quick.get(name)
            if test is None or not test(value):
                self.report(name, value, origin, problems)
        if required:
            for prop in self.required:
                if props.get(prop.name) is None:
                    problems.append(Problem(origin, prop.name,
                                            f"missing required property {prop.name!r}",
                                            prop.help or None))

    def report(self, name: str, value: Any, origin: Origin, problems: list[Problem]) -> None:
        """The problem with one value, if it has one: undeclared, the wrong type, too long."""
        prop = self.declared.get(name)
        if prop is None:
            problems.append(Problem(origin, name,
                                    _unknown(f"property of {self.what}", name, tuple(self.declared)),
                                    "Declare new properties in graph/schema.yaml first."))
            return
        reason = prop.check(value)
        if reason:
            problems.append(Problem(origin, name, f"{name} {reason}"))
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            problems.append(Problem(origin, name, f"{name} is {len(value)} characters long",
                                    f"Keep text values under {MAX_TEXT} characters."))


class _Declared:
    """Every label's and relationship type's `_Properties`, merged once per validation (the
    schema merges the common ones on every call)."""

    def __init__(self, schema: Schema) -> None:
        self._dates: set[str] = set()  # dates seen valid: a dataset repeats a few hundred
        self.nodes = {label: _Properties(schema.node_properties(label), self._quick, f"a {label}")
                      for label in schema.labels}
        self.relationships = {
            rel_type: _Properties(schema.relationship_properties(rel_type), self._quick,
                                  f"a {rel_type} relationship")
            for rel_type in schema.relationships}

    def _quick(self, prop: Property) -> Quick:
        kind = prop.type
        if kind in ("string", "text"):
            if prop.required:  # blank text is refused by `check`
                return lambda value: type(value) is str and is_clean_text(value) and \
                    not is_blank(value)
            return lambda value: type(value) is str and is_clean_text(value)
        if kind == "enum":  # (a value over MAX_TEXT characters is reported as too long)
            allowed = frozenset(value for value in prop.values if len(value) <= MAX_TEXT)
            return lambda value: type(value) is str and value in allowed
        if kind == "int":
            return lambda value: type(value) is int and fits_int(value)
        if kind == "list":
            return _quick_list(prop.required)
        if kind == "date":
            dates = self._dates

            def quick_date(value: Any) -> bool:
                if type(value) is str and (value in dates or is_iso_date(value)):
                    dates.add(value)
                    return True
                return False

            return quick_date
        return lambda value: False  # url, float, bool, list_int: always the full check


def _quick_list(required: bool) -> Quick:
    """A list of clean text items (at least one when required). The items are tested joined,
    in one pass: a control character or lone surrogate in an item is one in the whole, and
    a whole over MAX_TEXT characters only sends the list to the full check."""

    def quick_list(value: Any) -> bool:
        if type(value) is not list or not (value or not required):
            return False
        try:
            whole = "".join(value)
        except TypeError:  # an item that is not text
            return False
        return is_clean_text(whole)

    return quick_list


class _LazyAliases:
    """The input's alias table, built on the first name that is not an id."""

    def __init__(self, nodes: list[NodeRecord]) -> None:
        self._nodes = nodes
        self._table: AliasTable | None = None

    def candidates(self, text: str, label: str | None = None) -> list[tuple[str, str]]:
        if self._table is None:
            self._table = AliasTable.from_rows((n.id, n.label, n.properties) for n in self._nodes)
        return self._table.candidates(text, label)


def _all_text(values: Any) -> bool:
    return isinstance(values, list) and all(isinstance(v, str) for v in values)


def _place(problem: Problem) -> tuple:
    """Order problems as a person reads the files: by file, then line or row."""
    origin = problem.origin
    return origin.file, origin.line or origin.row or 0, origin.item or ""


def _check_node_identity(node: NodeRecord, schema: Schema, labels: dict[str, str],
                         first_seen: dict[str, Origin], problems: list[Problem]) -> bool:
    ok = True
    if not isinstance(node.label, str) or node.label not in schema.labels:
        problems.append(Problem(node.origin, "label", _unknown("label", node.label, schema.label_names)))
        ok = False
    if node.id is None or node.id == "":
        problems.append(Problem(node.origin, "id", "missing id",
                                "Give every node a stable slug id, e.g. bo-tai-chinh."))
        return False
    if not isinstance(node.id, str) or not ID_PATTERN.match(node.id) or len(node.id) > 200:
        problems.append(Problem(node.origin, "id", f"id {brief(node.id)} is not a slug",
                                "Use lowercase letters, digits and - (e.g. bo-tai-chinh)."))
        return False
    if node.id in first_seen:
        origin, label = first_seen[node.id]
        if label == node.label or not isinstance(label, str) or not isinstance(node.label, str):
            message = f"duplicate id {node.id!r}"
        else:
            message = f"id {node.id!r} is given to a {node.label} here and to a {label}"
        problems.append(Problem(node.origin, "id", message,
                                f"It is already defined at {origin}; ids are unique "
                                "across the graph."))
        return False
    first_seen[node.id] = (node.origin, node.label)
    if ok:
        labels[node.id] = node.label
    return ok


def _same_label_as_stored(node: NodeRecord, stored_label: str | None,
                          problems: list[Problem]) -> bool:
    """False (with a problem) for a node whose id the store already holds under another label:
    a MERGE on (label, id) would make it a second node with the same id."""
    if stored_label is None or stored_label == node.label:
        return True
    problems.append(Problem(node.origin, "id",
                            f"id {node.id!r} is given to a {node.label} here, but the graph "
                            f"already holds it as a {stored_label}",
                            "Ids are unique across the graph: use another id, or the label "
                            f"{stored_label} if it is the same entity."))
    return False


def _check_histories(nodes: list[NodeRecord], plan: Plan, problems: list[Problem]) -> None:
    """A node's status history, as given in the input, must be one story: one status per
    date, and a Law's own `status` (and `status_on`) its latest entry's. StatusChanges already
    in the store are not read: a file that adds history states the law's status with it."""
    records = {node.id: node for node in nodes}
    changes_of: dict[str, list[NodeRecord]] = defaultdict(list)
    for (rel_type, _, _), rows in plan.relationships.items():
        if rel_type == "HAS_STATUS":
            for row in rows:
                change = records.get(row["end"])
                if change is not None:
                    changes_of[row["start"]].append(change)
    for subject, changes in changes_of.items():
        by_date: dict[str, NodeRecord] = {}
        for change in changes:
            on, status = change.properties.get("on"), change.properties.get("status")
            if not isinstance(on, str) or not isinstance(status, str):
                continue  # reported by the property checks
            first = by_date.setdefault(on, change)
            if first.properties.get("status") != status:
                problems.append(Problem(
                    change.origin, "status",
                    f"{subject!r} has two statuses on {on}: {status!r} here and "
                    f"{first.properties.get('status')!r} at {first.origin}",
                    "A node has one status on a date: keep the one the sources give."))
        node = records.get(subject)
        if node is None or node.label != "Law" or not by_date:
            continue
        latest_on = max(by_date)
        latest = by_date[latest_on].properties.get("status")
        status, status_on = node.properties.get("status"), node.properties.get("status_on")
        if isinstance(status, str) and status != latest:
            problems.append(Problem(
                node.origin, "status",
                f"status {status!r} contradicts the law's history, whose latest entry is "
                f"{latest!r} on {latest_on}",
                "Add a dated history entry (with its source) for the new status, or leave "
                "`status` out: it is taken from the latest entry."))
        elif isinstance(status_on, str) and is_iso_date(status_on) and status_on < latest_on:
            problems.append(Problem(
                node.origin, "status_on",
                f"status_on {status_on} is before the law's latest history entry "
                f"({latest!r} on {latest_on})",
                "Leave `status_on` out: it is taken from the latest entry."))


def _referenced_ids(batch: Batch, labels: dict[str, str]) -> set[str]:
    """Ids that relationships or `sources` name but the input does not define."""
    refs: set[str] = set()
    for rel in batch.relationships:
        for end in (rel.start, rel.end):
            if isinstance(end, str) and end not in labels and ID_PATTERN.match(end):
                refs.add(end)
    named: set[Any] = set()  # every source named anywhere; a dataset names a few dozen
    for records in (batch.nodes, batch.relationships):
        for record in records:
            sources = record.properties.get("sources")
            if isinstance(sources, list):
                try:
                    named.update(sources)
                except TypeError:  # an unhashable entry: keep the text ones
                    named.update(s for s in sources if isinstance(s, str))
    # only slugs can be stored ids; other text is reported as an unknown source, never looked up
    refs.update(s for s in named if isinstance(s, str) and s not in labels and ID_PATTERN.match(s))
    return refs


def _check_sources(sources: Any, source_ids: set[str], origin: Origin,
                   problems: list[Problem]) -> None:
    if not isinstance(sources, list) or not sources:
        return  # the required-property check has said so
    for source in sources:  # a source that is not text is reported by the list check
        if isinstance(source, str) and source not in source_ids:
            problems.append(Problem(origin, "sources", f"unknown source {brief(source)}",
                                    "Define it as a Source node (label: Source) or load it first."))


def _check_relationship(rel: RelRecord, schema: Schema, declared: _Declared, known: dict[str, str],
                        table: AliasTable | _LazyAliases,
                        source_ids: set[str], problems: list[Problem]):
    properties = declared.relationships.get(rel.type) if isinstance(rel.type, str) else None
    if properties is None:
        problems.append(Problem(rel.origin, "type",
                                _unknown("relationship type", rel.type, schema.relationship_names)))
        return None
    spec = schema.relationships[rel.type]
    start, end = rel.start, rel.end
    start_label = known.get(start) if type(start) is str else None
    end_label = known.get(end) if type(end) is str else None
    if start_label not in spec.from_labels or end_label not in spec.to_labels:
        ends = _resolve_ends(rel, spec, known, table, problems)  # names, aliases, wrong labels
        if ends is None:
            return None
        (start, start_label), (end, end_label) = ends
    given = rel.properties  # an absent value (YAML's `note:`) is no value
    props = {k: v for k, v in given.items() if v is not None} if None in given.values() \
        else given.copy()
    properties.check(props, rel.origin, problems)
    _check_sources(props.get("sources"), source_ids, rel.origin, problems)
    return (rel.type, start, end), start_label, end_label, props


def _resolve_ends(rel: RelRecord, spec: RelType, known: dict[str, str],
                  table: AliasTable | _LazyAliases,
                  problems: list[Problem]) -> list[tuple[str, str]] | None:
    """Both ends as (id, label), resolving names and aliases; None after reporting a problem."""
    ends = []
    for field_name, ref, allowed in (("from", rel.start, spec.from_labels), ("to", rel.end, spec.to_labels)):
        node_id = _resolve(ref, known, table, allowed, rel.origin, field_name, problems)
        if node_id is None:
            return None
        label = known[node_id]
        if label not in allowed:
            problems.append(Problem(
                rel.origin, field_name,
                f"{rel.type} cannot {'start at' if field_name == 'from' else 'end at'} "
                f"{node_id!r}, a {label}",
                f"{rel.type} goes from {'/'.join(spec.from_labels)} to {'/'.join(spec.to_labels)}.",
            ))
            return None
        ends.append((node_id, label))
    return ends


def _resolve(ref: Any, known: dict[str, str], table: AliasTable | _LazyAliases, allowed: tuple[str, ...],
             origin: Origin, field_name: str, problems: list[Problem]) -> str | None:
    """An endpoint given as an id, or as a name or alias that names exactly one node."""
    if not isinstance(ref, str) or not ref.strip():
        problems.append(Problem(origin, field_name, "missing relationship endpoint",
                                "Give the id (or an exact name or alias) of the node."))
        return None
    if ref in known:
        return ref
    found = [pair for pair in table.candidates(ref) if pair[0] in known]
    fitting = [pair for pair in found if pair[1] in allowed] or found
    if len(fitting) == 1:
        return fitting[0][0]
    if len(fitting) > 1:
        ids = ", ".join(node_id for node_id, _ in fitting)
        problems.append(Problem(origin, field_name, f"{brief(ref)} names several nodes: {ids}",
                                "Use the id of the one you mean."))
        return None
    problems.append(Problem(origin, field_name, f"unknown node or alias {brief(ref)}",
                            "Use the id of a node defined in the input or already loaded, "
                            "or add this spelling to that node's aliases."))
    return None


def _unknown(what: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value is None:
        return f"missing {what}"
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5) if isinstance(value, str) else []
    suggestion = f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(allowed)}"
    return f"unknown {what} {brief(value)}{suggestion}"
