"""One CSV shape for an answer's rows, wherever they are taken away: the named queries'
`?format=csv`, the query pages' `.csv`, the console's page and whole-answer downloads
(`api/workbench/static/workbench.js` `flatCSV` writes the same cells; a browser test holds the
two equal).

- Flat columns: a column holding maps (`properties(n)`, `{a: 1, b: {c: 2}}`) becomes one column
  per key, `field.sub` (`field.b.c` deeper), in the order the keys are first met.
- A node is its `id`; a relationship `start|TYPE|end`; a path or a list, its items joined
  with `; `; a map inside a list, compact JSON (a list has no columns to spread it over).
- `true`/`false`; a float with no fraction as a whole number (`2`, as JSON readers see it);
  null is an empty cell.
- `BOM`: what the Excel-friendly option (`?bom=1`) puts first, so Excel reads UTF-8 and the
  Vietnamese text is not mojibake.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

LIST_JOIN = "; "
BOM = "\ufeff"


def is_node(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("labels"), list) and "properties" in value


def is_relationship(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("type"), str) and "start" in value


def _map(value: Any) -> bool:
    """A map that spreads over columns: not a node, not a relationship."""
    return isinstance(value, dict) and not is_node(value) and not is_relationship(value)


def cell(value: Any) -> str:
    """One value as the text of its cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if is_node(value):
        return str(value["properties"].get("id", ""))
    if is_relationship(value):
        return f"{value.get('start')}|{value['type']}|{value.get('end')}"
    if isinstance(value, list | tuple):
        return LIST_JOIN.join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _spread(prefix: str, value: Any, out: dict[str, str]) -> None:
    if _map(value):
        if not value:
            out.setdefault(prefix, "")
        for key, sub in value.items():
            _spread(f"{prefix}.{key}", sub, out)
    else:
        out[prefix] = cell(value)


def flat_row(row: dict[str, Any], columns: Iterable[str]) -> dict[str, str]:
    """A row's cells by flat column name (`field.sub` for a map's keys)."""
    out: dict[str, str] = {}
    for column in columns:
        _spread(column, row.get(column), out)
    return out


def flat_columns(columns: list[str], rows: Iterable[dict[str, Any]]) -> list[str]:
    """The flat header: each column where it stands, a map column replaced by its keys in the
    order they are first met (a column that is null in every row stays one column)."""
    seen: dict[str, dict[str, None]] = {c: {} for c in columns}
    for row in rows:
        for column in columns:
            if row.get(column) is None:  # says nothing of the column's shape
                continue
            cells: dict[str, str] = {}
            _spread(column, row.get(column), cells)
            for name in cells:
                seen[column].setdefault(name, None)
    header: list[str] = []
    for column in columns:
        header.extend(seen[column] or [column])
    return header


def write(header: list[str], rows: Iterable[dict[str, Any]], columns: list[str], *,
          with_header: bool = True, bom: bool = False) -> str:
    """The CSV text of `rows` under the flat `header` (cells of keys the header lacks are left
    out; those it has and a row lacks are empty)."""
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    if with_header:
        writer.writerow(header)
    for row in rows:
        cells = flat_row(row, columns)
        writer.writerow([cells.get(name, "") for name in header])
    return out.getvalue()


def answer_csv(columns: list[str], rows: list[dict[str, Any]], *, bom: bool = False) -> str:
    """A whole answer (held in memory) as CSV: header from every row."""
    return write(flat_columns(columns, rows), rows, columns, bom=bom)
