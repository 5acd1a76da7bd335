"""Query parameters every store carries exactly, checked before they are sent.

FalkorDB's client writes parameters into the query text: an integer beyond 64 bits came back
silently clamped to 2**63-1, NaN and infinity became text the server could not parse, a lone
surrogate could not be encoded and deep nesting overflowed Python's stack. Neo4j's driver
refuses the same values with a bare ValueError. Both stores now answer one clear QueryError
that names the parameter, before anything reaches the server.
"""

from __future__ import annotations

import math
from typing import Any

from graph.errors import QueryError
from graph.schema import INT_MAX, INT_MIN

MAX_DEPTH = 64  # lists and maps inside a parameter


def check_params(params: dict[str, Any] | None) -> None:
    """Raise QueryError for the first value no store can carry exactly."""
    for name, value in (params or {}).items():
        problem = _problem(value, 0)
        if problem:
            raise QueryError(f"Query parameter {name!r} {problem}.",
                             hint="Pass numbers within 64 bits, finite floats, valid text and "
                                  f"lists or maps at most {MAX_DEPTH} levels deep.")


def _problem(value: Any, depth: int) -> str | None:
    kind = type(value)  # exact types first: a load sends millions of plain strings and maps
    if kind is str:
        return None if value.isascii() else _text(value)
    if kind is dict:
        return _map_problem(value, depth)
    if kind is list:
        return _list_problem(value, depth)
    if depth > MAX_DEPTH:
        return f"is nested more than {MAX_DEPTH} levels deep"
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if INT_MIN <= value <= INT_MAX else "holds an integer outside 64 bits"
    if isinstance(value, float):
        return None if math.isfinite(value) else f"holds {value}, which no store takes as a parameter"
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list | tuple):
        return _list_problem(value, depth)
    if isinstance(value, dict):
        return _map_problem(value, depth)
    return f"has a value of type {type(value).__name__}, which is not a Cypher value"


def _list_problem(value: list | tuple, depth: int) -> str | None:
    if depth > MAX_DEPTH:
        return f"is nested more than {MAX_DEPTH} levels deep"
    for item in value:
        problem = _problem(item, depth + 1)
        if problem:
            return problem
    return None


def _map_problem(value: dict, depth: int) -> str | None:
    if depth > MAX_DEPTH:
        return f"is nested more than {MAX_DEPTH} levels deep"
    for key, item in value.items():
        problem = _key(key) or _problem(item, depth + 1)
        if problem:
            return problem
    return None


def _text(value: str) -> str | None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "holds text that is not valid Unicode (a lone surrogate)"
    return None


def _key(key: Any) -> str | None:
    if not isinstance(key, str):
        return "has a map key that is not text"
    if not key or "`" in key or "\x00" in key:  # FalkorDB's client writes `key` unescaped
        return "has a map key that is empty or holds a backtick or NUL"
    return _text(key)
