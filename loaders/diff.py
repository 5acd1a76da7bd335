"""A load's or retraction's changes as rows a person reads: what is added, changed and
removed (nodes, relationships, property values), and what each source's statements do."""

from __future__ import annotations

from typing import Any

from loaders.statements import Change

DIFF_COLUMNS = ["change", "kind", "label", "id", "property", "old", "new", "sources"]


def entity_name(change: Change) -> str:
    if change.kind == "node":
        return str(change.key)
    rel_type, start, end = change.key
    return f"{start} -{rel_type}-> {end}"


def diff_rows(changes: list[Change]) -> list[dict[str, Any]]:
    """One row per added, removed or changed entity (`sources`: what each source's statement
    does), then, for a changed one, a row per property value that changes."""
    rows = []
    for change in sorted(changes, key=lambda c: (c.kind != "node", c.key)):  # nodes first, by key
        label = change.labels[0] if change.kind == "node" else change.key[0]
        base = {"kind": change.kind, "label": label, "id": entity_name(change)}
        by_source = "; ".join(f"{source} {verb}" for source, verb in change.by_source().items())
        rows.append({"change": change.action, **base, "property": None, "old": None,
                     "new": None, "sources": by_source})
        if change.action == "changed":
            rows += [{"change": "value", **base, "property": name, "old": old, "new": new,
                      "sources": None} for name, old, new in change.values()]
    return rows


def source_summary(changes: list[Change]) -> list[dict[str, Any]]:
    """Per source: how many nodes and relationships its statements add, change, withdraw."""
    short = {"node": "nodes", "relationship": "rels"}
    columns = [f"{short[kind]}_{verb}" for kind in ("node", "relationship")
               for verb in ("adds", "changes", "withdraws")]
    counts: dict[str, dict[str, int]] = {}
    for change in changes:
        for source, verb in change.by_source().items():
            row = counts.setdefault(source, dict.fromkeys(columns, 0))
            row[f"{short[change.kind]}_{verb}"] += 1
    return [{"source": source, **counts[source]} for source in sorted(counts)]


def totals(changes: list[Change]) -> str:
    """`2 nodes added, 1 changed, 0 removed; 3 relationships added, …`"""
    parts = []
    for kind in ("node", "relationship"):
        counted = {a: sum(1 for c in changes if c.kind == kind and c.action == a)
                   for a in ("added", "changed", "removed")}
        parts.append(f"{counted['added']} {kind}s added, {counted['changed']} changed, "
                     f"{counted['removed']} removed")
    return "; ".join(parts)
