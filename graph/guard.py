"""The read-query guard: what a read query may not be, checked before any store sees it.

FalkorDB's parser takes time that doubles with every level of nested brackets (23 nested
parentheses took 16-20 s, and the query timeout does not cover parsing), and its `LOAD CSV`
makes the store itself open files or outbound connections. So every read path (the CLI's
`query --cypher`, `POST /api/cypher`, named queries, exports; FalkorDB or Neo4j) refuses,
with a message, a query that is too long, nests brackets too deeply, or uses a clause that
reaches outside the graph.

The checks read Cypher's tokens, not its characters: brackets, `LOAD` and `CSV` inside a
string literal, a backtick-quoted name or a comment do not count, and no spelling, case,
spacing or comment between `LOAD` and `CSV` gets one through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph.errors import QueryError

DEFAULT_MAX_LENGTH = 20_000
DEFAULT_MAX_DEPTH = 8
DEFAULT_ANSWER_MAX_BYTES = 16_000_000
OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = frozenset(OPENERS.values())
# Procedures that read files or URLs or run other statements (Neo4j's APOC); by prefix.
REFUSED_PROCEDURES = ("apoc.load.", "apoc.import.", "apoc.export.", "apoc.cypher.",
                      "apoc.periodic.")

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_NUMBER = re.compile(r"[0-9][0-9A-Za-z_]*(?:\.[0-9][0-9A-Za-z_]*)?")


class QueryRefused(QueryError):
    """A read query the guard refuses before it reaches the store."""


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "name" (backtick-quoted), "string", "number", "open", "close", "other"
    text: str
    depth: int  # bracket depth at the token (an opener counts itself)
    start: int  # offset in the query


@dataclass(frozen=True)
class QueryGuard:
    """The limits read queries keep: length in characters and bracket nesting depth of the
    query; and the bytes of rows (as JSON) one page of answer may carry."""

    max_length: int = DEFAULT_MAX_LENGTH
    max_depth: int = DEFAULT_MAX_DEPTH
    answer_max_bytes: int = DEFAULT_ANSWER_MAX_BYTES

    def check(self, query: str, params: Mapping[str, Any] | None = None) -> None:
        """Raise QueryRefused when `query` (or its parameters) break a limit."""
        if len(query) > self.max_length:
            raise QueryRefused(
                f"The query is {len(query):,} characters long; read queries may have at most "
                f"{self.max_length:,}.",
                hint="Shorten it, pass long values as parameters, or raise "
                     "POLICYGRAPH_QUERY_MAX_LENGTH.")
        depth, refused = _scan(query)
        if depth > self.max_depth:
            raise QueryRefused(
                f"The query nests brackets {depth} levels deep; read queries may nest "
                f"(), [] and {{}} at most {self.max_depth} levels.",
                hint="Flatten it (WITH steps, fewer parentheses), or raise "
                     "POLICYGRAPH_QUERY_MAX_DEPTH.")
        if refused:
            raise QueryRefused(
                f"{refused} is not allowed in a read query: it makes the store read files or "
                "reach the network.",
                hint="Load data with `policygraph load FILE`, which validates it first.")
        for name, value in (params or {}).items():
            nested = _value_depth(value, self.max_depth + 1)
            if nested > self.max_depth:
                # FalkorDB's client writes parameters into the query text, for the same parser.
                raise QueryRefused(
                    f"Query parameter {name!r} nests lists or maps more than {self.max_depth} "
                    "levels deep.",
                    hint="Pass flatter values, or raise POLICYGRAPH_QUERY_MAX_DEPTH.")


def tokens(query: str) -> Iterator[Token]:
    """Cypher's tokens that matter here; whitespace and comments are dropped.

    An unterminated string, name or comment runs to the end of the text (the store rejects
    it anyway); a closer without an opener does not make the depth negative.
    """
    i, n, depth = 0, len(query), 0
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif query.startswith("//", i):
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch in "'\"":
            j = i + 1
            while j < n and query[j] != ch:
                j += 2 if query[j] == "\\" else 1
            yield Token("string", query[i + 1:j], depth, i)
            i = j + 1
        elif ch == "`":
            start, j, parts = i, i + 1, []
            while j < n:
                end = query.find("`", j)
                if end < 0:
                    parts.append(query[j:])
                    j = n
                    break
                parts.append(query[j:end])
                if query.startswith("``", end):
                    parts.append("`")
                    j = end + 2
                    continue
                j = end + 1
                break
            yield Token("name", "".join(parts), depth, start)
            i = j
        elif ch in OPENERS:
            depth += 1
            yield Token("open", ch, depth, i)
            i += 1
        elif ch in CLOSERS:
            yield Token("close", ch, depth, i)
            depth = max(0, depth - 1)
            i += 1
        else:
            word = _WORD.match(query, i) or _NUMBER.match(query, i)
            if word:
                kind = "word" if word.re is _WORD else "number"
                yield Token(kind, word.group(), depth, i)
                i = word.end()
            else:
                yield Token("other", ch, depth, i)
                i += 1


@lru_cache(maxsize=256)
def _scan(query: str) -> tuple[int, str | None]:
    """(deepest bracket nesting, the first refused clause or procedure or None)."""
    deepest, refused = 0, None
    previous: Token | None = None
    items = list(tokens(query))
    for index, token in enumerate(items):
        deepest = max(deepest, token.depth)
        if refused is None and token.kind == "word":
            word = token.text.upper()
            if word == "CSV" and previous is not None and previous.kind == "word" \
                    and previous.text.upper() == "LOAD":
                refused = "LOAD CSV"
            elif word == "CALL":
                name = _procedure_name(items, index + 1)
                if name.lower().startswith(REFUSED_PROCEDURES):
                    refused = f"The procedure {name}"
        previous = token
    return deepest, refused


def _procedure_name(items: list[Token], start: int) -> str:
    """The dotted name after CALL (`apoc.load.json`, backtick-quoted parts unquoted)."""
    parts: list[str] = []
    i = start
    while i < len(items) and items[i].kind in ("word", "name"):
        parts.append(items[i].text)
        if i + 1 < len(items) and items[i + 1].text == ".":
            i += 2
            continue
        break
    return ".".join(parts)


def _value_depth(value: Any, cap: int) -> int:
    """How deeply lists and maps nest in a parameter value (a scalar is 0), counted up to
    `cap` (so a value nested thousands deep costs no more than one nested `cap` deep)."""
    if cap <= 0:
        return 0
    if isinstance(value, Mapping):
        return 1 + max((_value_depth(v, cap - 1) for v in value.values()), default=0)
    if isinstance(value, list | tuple):
        return 1 + max((_value_depth(v, cap - 1) for v in value), default=0)
    return 0
