"""What every input format is read into: node and relationship records that know their origin."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, init=False)
class Origin:
    """Where a record came from, for error messages and provenance: file and line or row."""

    file: str
    line: int | None = None
    row: int | None = None
    item: str | None = None

    def __init__(self, file: str, line: int | None = None, row: int | None = None,
                 item: str | None = None) -> None:
        # The fields set at once: the generated frozen __init__ goes through
        # object.__setattr__ four times, half a second of a national read's million records.
        fields = self.__dict__
        fields["file"], fields["line"], fields["row"], fields["item"] = file, line, row, item

    def __str__(self) -> str:
        if self.item is not None:
            return f"{self.file} {self.item}"
        if self.line is not None:
            return f"{self.file}:{self.line}"
        if self.row is not None:
            return f"{self.file} row {self.row}"
        return self.file


@dataclass
class NodeRecord:
    label: str | None
    id: Any
    properties: dict[str, Any]
    origin: Origin
    # A statement about a node the graph already holds (a reviewed merge): it may leave out
    # required properties, which the node has from its other sources.
    existing: bool = False


@dataclass
class RelRecord:
    """A relationship; `start` and `end` are ids or names/aliases still to be resolved."""

    type: str | None
    start: Any
    end: Any
    properties: dict[str, Any]
    origin: Origin


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, which field, what, and what to do."""

    origin: Origin
    field: str | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.origin}" + (f" [{self.field}]" if self.field else "")
        text = f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.origin.file,
            "line": self.origin.line,
            "row": self.origin.row,
            "item": self.origin.item,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class Batch:
    """Everything read from a set of files, before validation."""

    nodes: list[NodeRecord] = field(default_factory=list)
    relationships: list[RelRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: Batch) -> None:
        self.nodes.extend(other.nodes)
        self.relationships.extend(other.relationships)
        self.problems.extend(other.problems)


class RowTotals:
    """Totals of a report that counts rows per label (`nodes`) and per type (`relationships`)."""

    nodes: Mapping[str, int]
    relationships: Mapping[str, int]

    @property
    def node_count(self) -> int:
        return sum(self.nodes.values())

    @property
    def relationship_count(self) -> int:
        return sum(self.relationships.values())
