"""The loader's CSV import format, defined once: `loaders/csv_format.py` reads it, the `csv`
export (`graph/export/csv_folder.py`) and the generator's `CsvSink` (`loaders/generate.py`)
write it.

One file per label (`Agency.csv`) or relationship type (`LED_BY.csv`), named after it, with a
header. Node files start with `id`, `name`; relationship files with `from`, `to`, `sources`;
property columns follow. List items are separated by `|`, booleans are `true`/`false`, an
absent value is an empty cell.
"""

from __future__ import annotations

from typing import Any

LIST_SEPARATOR = "|"
NODE_FIRST = ("id", "name")
REL_FIRST = ("from", "to", "sources")
SUFFIX = ".csv"


def file_name(label_or_type: str) -> str:
    """The file that holds one label's nodes or one relationship type's relationships."""
    return label_or_type + SUFFIX


def cell(value: Any) -> str:
    """One value as the text of its cell (the reader types it back by the schema)."""
    if type(value) is str:  # most cells (the generator writes millions): as they are
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)
