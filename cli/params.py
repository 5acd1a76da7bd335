"""`--param key=value` options, as a dict."""

from __future__ import annotations

import json
from typing import Any

from graph.errors import PolicygraphError


def parse_params(items: list[str] | None, *, json_values: bool = False) -> dict[str, Any]:
    """`["as_of=2025-05-22"]` -> `{"as_of": "2025-05-22"}`; with `json_values`, `n=3` is 3."""
    params: dict[str, Any] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise PolicygraphError(f"--param {item!r} is not of the form key=value.",
                                   hint="Example: --param as_of=2025-05-22")
        if json_values:
            try:
                params[key.strip()] = json.loads(value)
                continue
            except json.JSONDecodeError:
                pass
        params[key.strip()] = value
    return params
