"""Names in a Cypher query that the schema does not know, with the nearest one it does.

A mistyped property (`t.deadlin`) is no error to a store: it reads as null and the answer is
quietly empty. The console shows these hints beside the answer, so the analyst sees
"did you mean `deadline`?" instead of an empty table. Only names with a close known one are
reported: a map key or an alias the query made up itself has none, and stays unremarked.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from graph.schema import get_schema

# strings and comments hold no names to check
_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", re.S)
# `(n:Label:Other)`, `[r:TYPE|OTHER*1..3]`, `WHERE n:Label`
_PATTERN_LABELS = re.compile(r"[(\[]\s*`?\w*`?\s*((?::\s*`?\w+`?\s*\|?\s*)+)")
_BARE_LABEL = re.compile(r"\b\w+((?::`?[A-Z]\w*`?)+)")
_NAME = re.compile(r"`?(\w+)`?")
# `n.prop` (not `$param.x`, not a number like 1.5)
_PROPERTY = re.compile(r"(?<![\w$.])[A-Za-z_]\w*\s*\.\s*`?([A-Za-z_]\w*)`?")
CUTOFF = 0.75


@lru_cache(maxsize=1)
def known_names() -> tuple[frozenset[str], frozenset[str]]:
    """(labels and relationship types, properties) of the schema contract."""
    schema = get_schema()
    types = set(schema.label_names) | set(schema.relationship_names)
    props = set(schema.common_node_properties) | set(schema.common_relationship_properties)
    for label in schema.labels.values():
        props |= set(label.properties)
    for rel in schema.relationships.values():
        props |= set(rel.properties)
    return frozenset(types), frozenset(props)


def _nearest(name: str, known: frozenset[str]) -> str | None:
    folded = {k.lower(): k for k in known}
    if name.lower() in folded:
        return folded[name.lower()]
    found = difflib.get_close_matches(name, sorted(known), n=1, cutoff=CUTOFF)
    return found[0] if found else None


def unknown_names(query: str) -> list[str]:
    """One sentence per unknown label, type or property that has a near known name, in the
    order they first appear: what is unknown, and the name to write instead."""
    text = _LITERALS.sub("''", query)
    types, props = known_names()
    hints: list[str] = []
    seen: set[str] = set()

    def report(kind: str, kind_vi: str, name: str, known: frozenset[str]) -> None:
        if name in known or (kind, name) in seen:
            return
        seen.add((kind, name))
        nearest = _nearest(name, known)
        if nearest is not None:
            hints.append(f"Không có {kind_vi} `{name}` trong lược đồ; có phải `{nearest}`? "
                         f"/ Unknown {kind} `{name}`: did you mean `{nearest}`?")

    for match in list(_PATTERN_LABELS.finditer(text)) + list(_BARE_LABEL.finditer(text)):
        for name in _NAME.findall(match.group(1)):
            if not name.isdigit():
                report("label or relationship type", "nhãn hay loại quan hệ", name, types)
    for match in _PROPERTY.finditer(text):
        report("property", "thuộc tính", match.group(1), props)
    return hints
