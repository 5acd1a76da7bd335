"""Bulk CSV: one file per label (`Agency.csv`) or relationship type (`LED_BY.csv`), with a header.

Node files have `id`, `name` and property columns; relationship files have `from`, `to`,
`sources` and property columns. List values (`aliases`, `sources`, `span`) are separated by
`|`. Values are typed by the schema, so `headcount` 277 arrives as a number.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from graph.csv_spec import LIST_SEPARATOR
from graph.schema import Property, Schema, get_schema
from loaders.records import Batch, NodeRecord, Origin, Problem, RelRecord

_CONVERTED = ("int", "float", "bool", "list", "list_int")


def read_csv(path: Path, schema: Schema | None = None) -> Batch:
    """Records from one CSV file; its name (or a `label`/`type` column) says what it holds."""
    schema = schema or get_schema()
    batch = Batch()
    file = str(path)
    kind = path.stem
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            repeated = sorted({name for name in header if header.count(name) > 1})
            if repeated:  # DictReader would keep the last column's value silently
                batch.problems.append(Problem(
                    Origin(file, 1), None,
                    f"the header gives the column {', '.join(map(repr, repeated))} twice",
                    "Keep one column of each name (list values are separated by |)."))
                return batch
            if kind not in schema.labels and kind not in schema.relationships \
                    and "label" not in header and "type" not in header:
                batch.problems.append(Problem(
                    Origin(file, 1), None,
                    f"cannot tell what {path.name} holds",
                    "Name the file after a label (Agency.csv) or a relationship type (LED_BY.csv), "
                    "or add a `label` or `type` column.",
                ))
                return batch
            columns = _TypedColumns(schema)
            for number, row in enumerate(reader, start=2):
                _read_row(row, kind, number, file, columns, batch)
    except UnicodeDecodeError as exc:
        batch.problems.append(Problem(Origin(file), None, f"not UTF-8 text ({exc.reason})",
                                      "Save the file as UTF-8."))
    except csv.Error as exc:
        batch.problems.append(Problem(Origin(file), None, f"not valid CSV: {exc}"))
    return batch


class _TypedColumns:
    """Each label's and relationship type's columns that are not text, with their types,
    worked out once per file: the schema merges the common properties on every call, and a
    national file has a hundred thousand rows."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._nodes: dict[str, dict[str, str]] = {}
        self._rels: dict[str, dict[str, str]] = {}

    def node(self, label: str) -> dict[str, str]:
        if label not in self._nodes:
            known = label in self.schema.labels
            self._nodes[label] = _typed_only(self.schema.node_properties(label) if known else {})
        return self._nodes[label]

    def relationship(self, rel_type: str) -> dict[str, str]:
        if rel_type not in self._rels:
            known = rel_type in self.schema.relationships
            declared = self.schema.relationship_properties(rel_type) if known else {}
            self._rels[rel_type] = _typed_only(declared)
        return self._rels[rel_type]


def _typed_only(declared: dict[str, Property]) -> dict[str, str]:
    """Property name -> type, for the types a text cell is converted to."""
    return {name: prop.type for name, prop in declared.items() if prop.type in _CONVERTED}


def _read_row(row: dict[str | None, Any], kind: str, number: int, file: str,
              columns: _TypedColumns, batch: Batch) -> None:
    origin = Origin(file, row=number)
    if None in row:
        batch.problems.append(Problem(origin, None, "more values than header columns",
                                      "Quote values that contain commas."))
        return
    values = {k.strip(): v for k, v in row.items() if k is not None and v not in (None, "")}
    if "from" in values or "to" in values or kind in columns.schema.relationships \
            or "type" in values:
        rel_type = values.pop("type", kind)
        start, end = values.pop("from", None), values.pop("to", None)
        typed = _typed(values, columns.relationship(rel_type))
        batch.relationships.append(RelRecord(rel_type, start, end, typed, origin))
    else:
        label = values.pop("label", kind)
        node_id = values.pop("id", None)
        batch.nodes.append(NodeRecord(label, node_id, _typed(values, columns.node(label)), origin))


def _typed(values: dict[str, str], kinds: dict[str, str]) -> dict[str, Any]:
    """Convert the cells of typed columns; a cell that does not convert stays text."""
    for name, kind in kinds.items():
        text = values.get(name)
        if text is not None:
            values[name] = _convert(text, kind)
    return values


def _convert(text: str, kind: str) -> Any:
    try:
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
        if kind == "bool":
            return {"true": True, "false": False}.get(text.strip().lower(), text)
        if kind == "list":
            return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
        if kind == "list_int":
            return [int(part) for part in text.split(LIST_SEPARATOR) if part.strip()]
    except ValueError:
        return text
    return text
