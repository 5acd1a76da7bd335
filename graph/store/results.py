"""Turn driver values (FalkorDB or Neo4j) into plain Python, the same whichever produced them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

# Types that are JSON-ready as they come; by far most values, so they are checked first.
_READY = frozenset({str, int, float, bool, type(None)})
# Properties the loader keeps for itself (provenance bookkeeping: `_pg_statements`): never in
# an answer, a node's or relationship's properties or a `properties()` map, so never exported.
INTERNAL_PREFIX = "_pg_"
# The graph beside each graph where the loader keeps derived state (graph/blocking_state.py):
# `national` and `national__pg_derived`. No analyst's query, count or export meets it.
DERIVED_GRAPH_SUFFIX = "__pg_derived"


def is_internal(key: str) -> bool:
    return key.startswith(INTERNAL_PREFIX)


def plain_value(value: Any) -> Any:
    """Scalars, lists and maps as JSON-ready Python; temporal values as ISO strings."""
    if type(value) in _READY:
        return value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain_value(v) for k, v in value.items() if not is_internal(str(k))}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    iso = getattr(value, "iso_format", None)  # neo4j.time types
    if callable(iso):
        return iso()
    return value


def plain_properties(properties: Mapping[str, Any]) -> dict[str, Any]:
    """A fresh dict of plain values; ready values are taken without a call (the hot path)."""
    return {k: v if type(v) in _READY else plain_value(v) for k, v in properties.items()
            if not is_internal(k)}


@lru_cache(maxsize=1)
def internal_properties() -> frozenset[str]:
    """The schema's internal properties (graph/schema.yaml), dropped here, the one place
    where both backends make every node and relationship an answer carries."""
    from graph.schema import get_schema

    return frozenset(get_schema().internal_properties)


def _public(props: dict[str, Any]) -> dict[str, Any]:
    for name in internal_properties() & props.keys():
        del props[name]
    return props


def node_dict(labels: Iterable[str], properties: Mapping[str, Any]) -> dict[str, Any]:
    props = _public(plain_properties(properties))
    return {"id": props.get("id"), "labels": sorted(labels), "properties": props}


def relationship_dict(
    rel_type: str, start: Any, end: Any, properties: Mapping[str, Any]
) -> dict[str, Any]:
    return {
        "type": rel_type,
        "start": start,
        "end": end,
        "properties": _public(plain_properties(properties)),
    }


def resolve_endpoints(rows: list[dict[str, Any]], lookup: Callable[[list[Any]], dict[Any, Any]]) -> None:
    """Replace internal endpoint handles (`_start`/`_end`) left by a backend with node ids.

    A backend fills what it knows from nodes in the same result; whatever is left is
    looked up once for the whole result.
    """
    pending: list[dict[str, Any]] = []

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if "_start" in value or "_end" in value:
                pending.append(value)
            for v in value.values():
                visit(v)
        elif isinstance(value, list):
            for v in value:
                visit(v)

    for row in rows:
        visit(row)
    if not pending:
        return
    handles = {rel[k] for rel in pending for k in ("_start", "_end") if k in rel}
    ids = lookup(list(handles)) if handles else {}
    for rel in pending:
        if "_start" in rel:
            rel["start"] = ids.get(rel.pop("_start"))
        if "_end" in rel:
            rel["end"] = ids.get(rel.pop("_end"))


def cut_to_bytes(result, max_bytes: int):
    """`result` (a QueryResult) with only the rows whose JSON fits in `max_bytes` together,
    `truncated` when some were left out; at least one row, so paging always moves on."""
    total = 0
    for index, row in enumerate(result.rows):
        total += len(json.dumps(row, ensure_ascii=False, default=str).encode())
        if total > max_bytes and index > 0:
            return dataclasses.replace(result, rows=result.rows[:index], truncated=True)
    return result
