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

Brackets are not the only nesting the parser pays for (issue 29): `RETURN NOT NOT … NOT true`
(24 `NOT`: 16.8 s, doubling per `NOT`), `- - - … 1` and nested `CASE` cost the same way, and
so does their sum with brackets. So the guard also bounds runs of prefix operators, `CASE`
depth, the nesting of all three together, and the number of tokens. And a `range()` whose
bounds are literals or parameters is refused beyond a size before the store allocates it (one
`range(1, 1000000000)` is 16 GB in one block, which aborted the store), as is a list
parameter with too many items.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph.errors import QueryError

DEFAULT_MAX_LENGTH = 20_000
DEFAULT_MAX_DEPTH = 8
DEFAULT_ANSWER_MAX_BYTES = 16_000_000
DEFAULT_MAX_TOKENS = 5_000
DEFAULT_MAX_CHAIN = 8
DEFAULT_MAX_CASE_DEPTH = 4
DEFAULT_MAX_NESTING = 16
DEFAULT_MAX_LIST_ITEMS = 10_000_000
# prefix operators: a run of them nests one expression per operator in the parser
_PREFIX_WORDS = frozenset({"NOT"})
_PREFIX_SIGNS = frozenset({"-", "+"})
# what a range() bound may be made of for the guard to compute it
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "(", ")"})
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
    max_tokens: int = DEFAULT_MAX_TOKENS
    max_chain: int = DEFAULT_MAX_CHAIN
    max_case_depth: int = DEFAULT_MAX_CASE_DEPTH
    max_nesting: int = DEFAULT_MAX_NESTING
    max_list_items: int = DEFAULT_MAX_LIST_ITEMS

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
        self._check_shape(_shape(query))  # after the bracket depth, whose message is plainer
        self._check_ranges(query, params or {})
        for name, value in (params or {}).items():
            if isinstance(value, list | tuple) and len(value) > self.max_list_items:
                raise QueryRefused(
                    f"Query parameter {name!r} is a list of {len(value):,} items; read queries "
                    f"may pass lists of at most {self.max_list_items:,}.",
                    hint="Pass fewer values (run the query in parts), or raise "
                         "POLICYGRAPH_QUERY_MAX_LIST_ITEMS.")
            nested = _value_depth(value, self.max_depth + 1)
            if nested > self.max_depth:
                # FalkorDB's client writes parameters into the query text, for the same parser.
                raise QueryRefused(
                    f"Query parameter {name!r} nests lists or maps more than {self.max_depth} "
                    "levels deep.",
                    hint="Pass flatter values, or raise POLICYGRAPH_QUERY_MAX_DEPTH.")


    def _check_shape(self, shape: Shape) -> None:
        """The token-structure limits, each with its own message and setting."""
        limits = (
            (shape.tokens, self.max_tokens, "POLICYGRAPH_QUERY_MAX_TOKENS",
             f"The query has {shape.tokens:,} tokens; read queries may have at most "
             f"{self.max_tokens:,}.", "Shorten it, or pass long lists as parameters"),
            (shape.chain, self.max_chain, "POLICYGRAPH_QUERY_MAX_CHAIN",
             f"The query has {shape.chain} prefix operators (NOT, unary - or +) in a row; read "
             f"queries may chain at most {self.max_chain}: the store's parse time doubles with "
             "each.", "Drop the pairs that cancel (NOT NOT x is x)"),
            (shape.case_depth, self.max_case_depth, "POLICYGRAPH_QUERY_MAX_CASE_DEPTH",
             f"The query nests CASE {shape.case_depth} levels deep; read queries may nest it at "
             f"most {self.max_case_depth} levels.", "Use one CASE with more WHEN branches"),
            (shape.nesting, self.max_nesting, "POLICYGRAPH_QUERY_MAX_NESTING",
             f"The query nests expressions {shape.nesting} levels deep (brackets, CASE and "
             f"prefix operators together); read queries may nest at most {self.max_nesting}.",
             "Flatten it with WITH steps"),
        )
        for found, most, setting, message, what in limits:
            if found > most:
                raise QueryRefused(message, hint=f"{what}, or raise {setting}.")

    def _check_ranges(self, query: str, params: Mapping[str, Any]) -> None:
        """Refuse a range() that would hold more than max_list_items numbers."""
        for text, size in _ranges(query, params):
            if size > self.max_list_items:
                raise QueryRefused(
                    f"{text} makes a list of {size:,} numbers; read queries may make lists of "
                    f"at most {self.max_list_items:,}.",
                    hint="Use a smaller range, or raise POLICYGRAPH_QUERY_MAX_LIST_ITEMS.")


@dataclass(frozen=True)
class Shape:
    """How a query's tokens nest: what the store's parser pays for."""

    tokens: int
    chain: int  # the longest run of prefix operators
    case_depth: int
    nesting: int  # brackets, CASE and prefix operators along one path, together


@lru_cache(maxsize=64)
def _token_list(query: str) -> tuple[Token, ...]:
    """The query's tokens, read once for every check (the tokenizer is the guard's cost)."""
    return tuple(tokens(query))


@lru_cache(maxsize=256)
def _shape(query: str) -> Shape:
    count = chain = longest_chain = case_depth = deepest_case = nesting = 0
    # accumulated nesting at each open bracket or CASE, and which of the two it is
    stack: list[tuple[str, int]] = [("", 0)]
    for token in _token_list(query):
        count += 1
        word = token.text.upper() if token.kind == "word" else None
        if word in _PREFIX_WORDS or (token.kind == "other" and token.text in _PREFIX_SIGNS):
            chain += 1
            longest_chain = max(longest_chain, chain)
            nesting = max(nesting, stack[-1][1] + chain)
            continue
        if token.kind == "open" or word == "CASE":
            level = stack[-1][1] + chain + 1
            stack.append(("case" if word == "CASE" else "bracket", level))
            nesting = max(nesting, level)
            if word == "CASE":
                case_depth += 1
                deepest_case = max(deepest_case, case_depth)
        elif (token.kind == "close" or word == "END") and len(stack) > 1:
            kind, _ = stack.pop()
            case_depth -= kind == "case"
        chain = 0
    return Shape(count, longest_chain, deepest_case, nesting)


def _ranges(query: str, params: Mapping[str, Any]) -> Iterator[tuple[str, int]]:
    """Each `range(…)` whose bounds are numbers, parameters or arithmetic of them: its text
    and how many numbers it makes. One whose bounds come from the data is left out (the
    store's per-query memory cap covers what it builds bit by bit)."""
    items = _token_list(query)
    for i, token in enumerate(items):
        if not (token.kind == "word" and token.text.lower() == "range" and i + 1 < len(items)
                and items[i + 1].kind == "open" and items[i + 1].text == "("):
            continue
        depth = items[i + 1].depth
        args: list[list[Token]] = [[]]
        end = None
        for j in range(i + 2, len(items)):
            t = items[j]
            if t.kind == "close" and t.depth == depth:
                end = j
                break
            if t.kind == "other" and t.text == "," and t.depth == depth:
                args.append([])
            else:
                args[-1].append(t)
        if end is None or len(args) not in (2, 3):
            continue
        values = [_number(arg, params) for arg in args]
        if any(v is None for v in values):
            continue
        start, stop, step = (*values, 1) if len(values) == 2 else values
        if step == 0:
            continue
        span = (stop - start) / step
        size = max(0, int(span) + 1) if math.isfinite(span) else sys.maxsize
        yield query[token.start:items[end].start + 1], size


def _number(arg: list[Token], params: Mapping[str, Any]) -> float | None:
    """The value of a range() bound made of numbers, parameters and + - * / % ( ), or None."""
    parts: list[str] = []
    i = 0
    while i < len(arg):
        t = arg[i]
        if t.kind == "other" and t.text == "$" and i + 1 < len(arg) \
                and arg[i + 1].kind in ("word", "name", "number"):
            value = params.get(arg[i + 1].text)
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            parts.append(repr(value))
            i += 2
            continue
        if t.kind == "number":
            value = _literal(t.text)
            if value is None:
                return None
            parts.append(repr(value))
        elif t.text in _ARITHMETIC and t.kind in ("open", "close", "other"):
            parts.append(t.text)
        else:
            return None
        i += 1
    if not parts:
        return None
    try:  # only numbers, + - * / % and brackets (depth bounded) reach eval
        value = eval(" ".join(parts), {"__builtins__": {}}, {})  # noqa: S307
    except (SyntaxError, ArithmeticError, ValueError, TypeError):
        return None
    return value if isinstance(value, int | float) else None


def _literal(text: str) -> int | float | None:
    """A Cypher number literal's value (`10`, `1.5`, `1e9`, `0x1F`), or None."""
    for parse in (lambda x: int(x, 0), float):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


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
    items = list(_token_list(query))
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
