"""A store's refusal of ad-hoc Cypher, said so that an analyst can fix the query.

FalkorDB answers `Missing parameters`, `errMsg: Invalid input 'R': expected … line: 1,
column: 15, offset: 14 errCtx: …` or `Type mismatch: expected Integer but was String`. Here
those become: which `$parameter` is not set (and how to set it), the line with a caret under
the column, the mismatch in plain words; the store's own words are kept underneath, and the
names the schema does not know (graph.schema_hints) are added to any refusal.
"""

from __future__ import annotations

import re
from typing import Any

from graph.errors import InvalidParameter, PolicygraphError, QueryError
from graph.schema_hints import unknown_names

STORE_PREFIX = "The store rejected the query: "
_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", re.S)
_PARAMETER = re.compile(r"\$`?(\w+)`?")
_SYNTAX = re.compile(r"(?:errMsg: )?Invalid input (?P<found>.+?): expected (?P<expected>.+?) "
                     r"line: (?P<line>\d+), column: (?P<column>\d+)", re.S)
_MISMATCH = re.compile(r"Type mismatch: expected (?P<expected>.+?) but was (?P<was>.+?)(?:$|\n)", re.S)
EXAMPLE_VALUE = {"as_of": "2025-05-22", "since": "2025-05-01", "until": "2025-07-02"}


def missing_parameters(query: str, params: dict[str, Any] | None) -> list[str]:
    """The `$names` the query reads that `params` does not give, in order of appearance."""
    given = set(params or {})
    names = _PARAMETER.findall(_LITERALS.sub("''", query))
    return [name for name in dict.fromkeys(names) if name not in given]


def caret(query: str, line: int, column: int) -> str:
    """The query's `line` (1-based) with a `^` under `column` (1-based)."""
    lines = query.splitlines() or [""]
    text = lines[min(max(line, 1), len(lines)) - 1]
    return f"{text}\n{' ' * max(column - 1, 0)}^"


def explain(error: QueryError, query: str, params: dict[str, Any] | None = None) -> PolicygraphError:
    """`error` from running `query` with `params`, translated where the store's words are
    known; otherwise `error` itself, with schema hints added to its hint."""
    said = error.message.removeprefix(STORE_PREFIX)
    if not error.message.startswith(STORE_PREFIX):
        return error
    hints = unknown_names(query)
    original = f"Kho dữ liệu báo / the store said: {said}"
    if "missing parameter" in said.lower():
        missing = missing_parameters(query, params)
        if missing:
            name = missing[0]
            example = EXAMPLE_VALUE.get(name, "…")
            others = f" (and ${', $'.join(missing[1:])})" if len(missing) > 1 else ""
            return InvalidParameter(
                f"${name} is not set{others}: the query reads it, the parameters do not give it.",
                field=name,
                hint=f'Set it in the parameters box, e.g. {{"{name}": "{example}"}}. ' + original)
    found = _SYNTAX.search(said)
    if found:
        line, column = int(found["line"]), int(found["column"])
        where = found["found"].strip()  # `'R'`, or `at end of input`
        where = f" {where}" if where.startswith("at ") else f", found {where}"
        return QueryError(
            f"Syntax error at line {line}, column {column}: expected {found['expected'].strip()}{where}.",
            hint="\n".join([caret(query, line, column), *hints, original]))
    found = _MISMATCH.search(said)
    if found:
        return QueryError(
            f"A value has the wrong type: the query gives {found['was'].strip()} where "
            f"{found['expected'].strip()} is needed.",
            hint="\n".join(["Compare like with like: dates are 'YYYY-MM-DD' text, counts are "
                            "numbers (toInteger('3') turns text into a number).", *hints, original]))
    if hints:
        return QueryError(error.message, hint="\n".join(filter(None, [error.hint, *hints])))
    return error
