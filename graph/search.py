"""Vietnamese-aware search: however a person types a name, the right entity comes first.

The loader stores on every node a `search_key`: all its names (name, English name, short
form, number, aliases) folded by `graph.text.fold`. A query is folded the same way; the store
finds candidates whose key contains every word (one portable Cypher query for FalkorDB and
Neo4j), and they are ranked here: an exact name first, then a name that starts with the query,
then whole words, then fragments.
"""

from __future__ import annotations

from typing import Any

from graph import cypher
from graph.schema import Schema, get_schema
from graph.store.base import Store
from graph.text import fold, words

NAME_FIELDS = ("name", "name_en", "abbr", "number")
KEY_SEPARATOR = " | "
CANDIDATES = 500
# Status history nodes repeat their law's or task's name: leave them out unless asked for.
HIDDEN_BY_DEFAULT = ("StatusChange",)
# Equal matches rank by label: these first, in this order, then every other label of the schema
SEARCH_FIRST = ("Agency", "Law", "Document", "Meeting", "Person", "Topic", "Task", "Expert",
                "Obstacle", "Place", "Source", "StatusChange")
LABEL_ORDER = SEARCH_FIRST + tuple(label for label in get_schema().label_names if label not in SEARCH_FIRST)


def names_of(properties: dict[str, Any]) -> list[str]:
    """Every way a node is named: name, English name, short form, number and aliases."""
    names = [properties[f] for f in NAME_FIELDS if isinstance(properties.get(f), str)]
    aliases = properties.get("aliases")
    if isinstance(aliases, list):  # anything else is refused by validation, not a crash here
        names.extend(a for a in aliases if isinstance(a, str))
    return names


def search_key(properties: dict[str, Any]) -> str:
    """The folded names of a node, joined: what the store matches search words against."""
    folded = dict.fromkeys(fold(name) for name in names_of(properties))
    return KEY_SEPARATOR.join(name for name in folded if name)


def search(store: Store, text: str, *, label: str | None = None, limit: int = 10,
           schema: Schema | None = None) -> list[dict[str, Any]]:
    """Entities matching `text`, best first: `[{id, label, name, name_en, score, matched}]`."""
    schema = schema or get_schema()
    query_words = words(text)
    if not query_words:
        return []
    if label is not None and label not in schema.labels:
        raise ValueError(f"unknown label {label!r}")
    hidden = [] if label else list(HIDDEN_BY_DEFAULT)
    rows = store.read(cypher.search_candidates(label),
                      {"words": query_words, "hidden": hidden, "candidates": CANDIDATES}).rows
    ranked = []
    for row in rows:
        score, matched = rank(text, row)
        if score > 0:
            ranked.append({"id": row["id"], "label": row["label"], "name": row["name"],
                           "name_en": row["name_en"], "score": score, "matched": matched})
    ranked.sort(key=lambda r: (-r["score"], _label_rank(r["label"]), len(r["name"] or ""), r["id"]))
    return ranked[:limit]


def rank(text: str, properties: dict[str, Any]) -> tuple[int, str | None]:
    """How well `text` names a node (0–100) and which of its names matched best."""
    query = fold(text)
    query_words = words(text)
    best, matched = 0, None
    for name in names_of(properties):
        folded = fold(name)
        name_words = words(name)
        if folded == query:
            score = 100
        elif folded.startswith(query) and name_words[: len(query_words)] == query_words:
            score = 85
        elif _contains_run(name_words, query_words):
            score = 70
        elif all(w in name_words for w in query_words):
            score = 55
        elif query in folded:
            score = 30
        else:
            score = 0
        if score > best:
            best, matched = score, name
    return best, matched


def _contains_run(haystack: list[str], needle: list[str]) -> bool:
    size = len(needle)
    return any(haystack[i:i + size] == needle for i in range(len(haystack) - size + 1))


def _label_rank(label: str | None) -> int:
    return LABEL_ORDER.index(label) if label in LABEL_ORDER else len(LABEL_ORDER)
