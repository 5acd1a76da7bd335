"""Bulk CSV: one file per label (`Agency.csv`) or relationship type (`LED_BY.csv`), with a header.

Node files have `id`, `name` and property columns; relationship files have `from`, `to`,
`sources` and property columns. List values (`aliases`, `sources`, `span`) are separated by
`|`. Values are typed by the schema, so `headcount` 277 arrives as a number.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.csv_spec import LIST_SEPARATOR
from graph.schema import Property, Schema, get_schema
from loaders.records import Batch, NodeRecord, Origin, Problem, RelRecord


def read_csv(path: Path, schema: Schema | None = None) -> Batch:
    """Records from one CSV file; its name (or a `label`/`type` column) says what it holds."""
    schema = schema or get_schema()
    batch = Batch()
    file = str(path)
    kind = path.stem
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None) or []
            repeated = sorted({name for name in header if header.count(name) > 1})
            if repeated:  # a dict of the row would keep the last column's value silently
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
            rows = _Rows(file, kind, header, _TypedColumns(schema), batch)
            # blank lines hold no record and take no row number (as csv.DictReader counts)
            for number, row in enumerate(filter(None, reader), start=2):
                rows.read(row, number)
    except UnicodeDecodeError as exc:
        batch.problems.append(Problem(Origin(file), None, f"not UTF-8 text ({exc.reason})",
                                      "Save the file as UTF-8."))
    except csv.Error as exc:
        batch.problems.append(Problem(Origin(file), None, f"not valid CSV: {exc}"))
    return batch


Converter = Callable[[str], Any]


class _TypedColumns:
    """Each label's and relationship type's columns that are not text, with their converters,
    worked out once per file: the schema merges the common properties on every call, and a
    national file has a hundred thousand rows."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._nodes: dict[str, dict[str, Converter]] = {}
        self._rels: dict[str, dict[str, Converter]] = {}

    def node(self, label: str) -> dict[str, Converter]:
        if label not in self._nodes:
            known = label in self.schema.labels
            self._nodes[label] = _typed_only(self.schema.node_properties(label) if known else {})
        return self._nodes[label]

    def relationship(self, rel_type: str) -> dict[str, Converter]:
        if rel_type not in self._rels:
            known = rel_type in self.schema.relationships
            declared = self.schema.relationship_properties(rel_type) if known else {}
            self._rels[rel_type] = _typed_only(declared)
        return self._rels[rel_type]


class _Rows:
    """The rows of one file under its header: what the file name says is worked out once,
    what a row's own `label`/`type`/`from`/`to` cells say, row by row."""

    def __init__(self, file: str, kind: str, header: list[str], columns: _TypedColumns,
                 batch: Batch) -> None:
        self.file, self.kind, self.columns, self.batch = file, kind, columns, batch
        self.keys = [name.strip() for name in header]
        self.width = len(header)
        self.kind_is_type = kind in columns.schema.relationships

    def read(self, row: list[str], number: int) -> None:
        """Append the row's record (or its problem) to the batch."""
        origin = Origin(self.file, row=number)
        if len(row) > self.width:
            self.batch.problems.append(Problem(origin, None, "more values than header columns",
                                               "Quote values that contain commas."))
            return
        # an empty cell is an absent value; a short row leaves its last columns out
        values = {key: value for key, value in zip(self.keys, row, strict=False) if value}
        if self.kind_is_type or "from" in values or "to" in values or "type" in values:
            rel_type = values.pop("type", self.kind)
            start, end = values.pop("from", None), values.pop("to", None)
            typed = _typed(values, self.columns.relationship(rel_type))
            self.batch.relationships.append(RelRecord(rel_type, start, end, typed, origin))
        else:
            label = values.pop("label", self.kind)
            node_id = values.pop("id", None)
            typed = _typed(values, self.columns.node(label))
            self.batch.nodes.append(NodeRecord(label, node_id, typed, origin))


def _typed_only(declared: dict[str, Property]) -> dict[str, Converter]:
    """Property name -> converter, for the types a text cell is converted to."""
    return {name: _CONVERTERS[prop.type] for name, prop in declared.items()
            if prop.type in _CONVERTERS}


def _typed(values: dict[str, str], converters: dict[str, Converter]) -> dict[str, Any]:
    """Convert the cells of typed columns; a cell that does not convert stays text."""
    for name, convert in converters.items():
        text = values.get(name)
        if text is not None:
            values[name] = _convert(text, convert)
    return values


def _convert(text: str, convert: Converter) -> Any:
    try:
        return convert(text)
    except ValueError:
        return text


def _bool(text: str) -> bool | str:
    return {"true": True, "false": False}.get(text.strip().lower(), text)


def _text_list(text: str) -> list[str]:
    if LIST_SEPARATOR not in text:  # most lists (a row's sources) have one item
        item = text.strip()
        return [item] if item else []
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def _int_list(text: str) -> list[int]:
    return [int(part) for part in text.split(LIST_SEPARATOR) if part.strip()]


_CONVERTERS: dict[str, Converter] = {
    "int": int, "float": float, "bool": _bool, "list": _text_list, "list_int": _int_list}
