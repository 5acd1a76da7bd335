"""The schema contract as data: `schema.yaml` read into frozen models.

Loaders validate against it, the stores create their indexes from it, the API takes its
enums from it and a test checks the README's schema table against it.
"""

from __future__ import annotations

import math
import re
import reprlib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from graph.text import is_blank

SCHEMA_FILE = Path(__file__).with_name("schema.yaml")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@:-]*\Z")  # \Z: `$` would let "id\n" through
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TEXT = 10_000  # characters in one text value
INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # what both stores keep as an integer

PropertyType = Literal["string", "text", "int", "float", "bool", "date", "url", "list", "list_int", "enum"]


class Property(BaseModel):
    """One declared property: its type, enum values, whether it is required, what it means."""

    model_config = ConfigDict(frozen=True)

    name: str
    type: PropertyType
    values: tuple[str, ...] = ()
    required: bool = False
    help: str = ""

    def check(self, value: Any) -> str | None:
        """Why `value` does not fit this property, or None when it does.

        A value that passes is one every store keeps exactly: whole numbers within 64 bits,
        finite numbers, text without control characters or broken Unicode.
        """
        if value is None:
            return "is required" if self.required else None
        if self.required and value in ("", []) or (
                self.required and isinstance(value, str) and is_blank(value)):
            return ("is empty: name at least one Source" if self.name == "sources"
                    else "is blank; give it a value")  # a required value must say something
        kind = self.type
        if kind in ("string", "text", "url"):
            if not isinstance(value, str):
                return f"must be text, not {type(value).__name__}"
            if kind == "url" and not re.match(r"^https?://\S+$", value):
                return "must be a URL starting with http:// or https://"
            return _text_problem(value)
        if kind == "enum":
            if value not in self.values:
                return f"must be one of {', '.join(self.values)} (got {brief(value)})"
            return None
        if kind == "int":
            whole = isinstance(value, int) and not isinstance(value, bool)
            return _int_problem(value) if whole else "must be a whole number"
        if kind == "float":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not ok:
                return "must be a number"
            if isinstance(value, int):
                return _int_problem(value)
            return None if math.isfinite(value) else f"must be a finite number (got {value})"
        if kind == "bool":
            return None if isinstance(value, bool) else "must be true or false"
        if kind == "date":
            return None if is_iso_date(value) else f"must be an ISO date YYYY-MM-DD (got {brief(value)})"
        if kind == "list":
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            if not ok:
                return "must be a list of text values"
            return next((f"item {i + 1}: {p}" for i, v in enumerate(value)
                         if (p := _text_problem(v))), None)
        if kind == "list_int":
            ok = isinstance(value, list) and all(
                isinstance(v, int) and not isinstance(v, bool) for v in value)
            if not ok:
                return "must be a list of whole numbers"
            return next((f"item {i + 1}: {p}" for i, v in enumerate(value)
                         if (p := _int_problem(v))), None)
        return f"has unknown type {kind}"  # pragma: no cover - schema.yaml is validated on load


class Label(BaseModel):
    """A node label with its own properties (the common ones come on top)."""

    model_config = ConfigDict(frozen=True)

    name: str
    help: str = ""
    properties: dict[str, Property] = Field(default_factory=dict)


class RelType(BaseModel):
    """A relationship type with the labels allowed at each end."""

    model_config = ConfigDict(frozen=True)

    name: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    help: str = ""
    properties: dict[str, Property] = Field(default_factory=dict)


class Schema(BaseModel):
    """The whole contract. Use `get_schema()` for the bundled one."""

    model_config = ConfigDict(frozen=True)

    common_node_properties: dict[str, Property]
    common_relationship_properties: dict[str, Property]
    labels: dict[str, Label]
    relationships: dict[str, RelType]
    internal_properties: tuple[str, ...] = ()

    def node_properties(self, label: str) -> dict[str, Property]:
        """Every property a node of `label` may have, common ones first."""
        return {**self.common_node_properties, **self.labels[label].properties}

    def relationship_properties(self, rel_type: str) -> dict[str, Property]:
        """Every property a relationship of `rel_type` may have."""
        return {**self.common_relationship_properties, **self.relationships[rel_type].properties}

    def enum_values(self, label: str, prop: str) -> tuple[str, ...]:
        """The allowed values of an enum property, e.g. `enum_values("Task", "status")`."""
        return self.node_properties(label)[prop].values

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(self.labels)

    @property
    def relationship_names(self) -> tuple[str, ...]:
        return tuple(self.relationships)


# Text a store keeps exactly: no C0 control characters (tab and line breaks are fine) and no
# lone surrogates, which cannot be encoded. FalkorDB's client writes values into the query
# text, where a NUL ends it early.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_BRIEF = reprlib.Repr()
_BRIEF.maxlevel, _BRIEF.maxstring, _BRIEF.maxother, _BRIEF.maxlong = 2, 60, 60, 40
_BRIEF.maxlist = _BRIEF.maxtuple = _BRIEF.maxdict = _BRIEF.maxset = 4


def brief(value: Any) -> str:
    """A short repr for messages: a huge or deeply nested input value must not become a
    huge message (a YAML alias bomb expands to 10**9 items when printed in full)."""
    return _BRIEF.repr(value)


def is_clean_text(value: str) -> bool:
    """True for text a store keeps exactly: at most MAX_TEXT characters, no control
    characters (tab and line breaks are fine), no lone surrogates."""
    # Control characters and surrogates are never printable, so the (much faster) printable
    # test clears most text; text with a tab or line break is searched.
    return len(value) <= MAX_TEXT and (value.isprintable() or not _BAD_CHAR.search(value))


def fits_int(value: int) -> bool:
    """True for a whole number both stores keep exactly (64 bits)."""
    return INT_MIN <= value <= INT_MAX


def _text_problem(value: str) -> str | None:
    if len(value) > MAX_TEXT:
        return f"is {len(value)} characters long; keep text under {MAX_TEXT} characters"
    bad = _BAD_CHAR.search(value)
    if bad:
        return (f"contains the control or invalid character U+{ord(bad.group()):04X} "
                f"at position {bad.start() + 1}; remove it")
    return None


def _int_problem(value: int) -> str | None:
    if fits_int(value):
        return None
    return f"{brief(value)} is outside the 64-bit range a store can hold"


# the Vietnamese way of writing a date (22/05/2025, 2/7/2025): accepted wherever a date is asked
VN_DATE_PATTERN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DATE_HINT = "Use 2025-05-22 or 22/05/2025."


def iso_date(value: Any) -> str | None:
    """`value` as the graph writes dates (`YYYY-MM-DD`), from that form or the Vietnamese
    `dd/mm/yyyy`; None when it is neither a real calendar date."""
    if is_iso_date(value):
        return value
    found = VN_DATE_PATTERN.match(value.strip()) if isinstance(value, str) else None
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def is_iso_date(value: Any) -> bool:
    """True for a real calendar date written `YYYY-MM-DD`."""
    if not isinstance(value, str) or not DATE_PATTERN.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _properties(raw: dict[str, Any] | None) -> dict[str, Property]:
    return {name: Property(name=name, **(spec or {})) for name, spec in (raw or {}).items()}


def parse_schema(raw: dict[str, Any]) -> Schema:
    """Build a Schema from the mapping in schema.yaml; a relationship whose ends name a label
    the schema does not declare is a ValueError that names both."""
    labels = set(raw["labels"])
    for name, spec in raw["relationships"].items():
        for end in ("from", "to"):
            unknown = [label for label in spec[end] if label not in labels]
            if unknown:
                raise ValueError(
                    f"graph/schema.yaml: relationship {name}'s {end!r} names the label "
                    f"{', '.join(unknown)}, which `labels:` does not declare. Declare it under "
                    f"`labels:`, or correct the spelling ({', '.join(sorted(labels))}).")
    return Schema(
        common_node_properties=_properties(raw["common_node_properties"]),
        common_relationship_properties=_properties(raw["common_relationship_properties"]),
        internal_properties=tuple(raw.get("internal_properties") or ()),
        labels={
            name: Label(name=name, help=spec.get("help", ""), properties=_properties(spec.get("properties")))
            for name, spec in raw["labels"].items()
        },
        relationships={
            name: RelType(
                name=name,
                from_labels=tuple(spec["from"]),
                to_labels=tuple(spec["to"]),
                help=spec.get("help", ""),
                properties=_properties(spec.get("properties")),
            )
            for name, spec in raw["relationships"].items()
        },
    )


@lru_cache(maxsize=1)
def get_schema() -> Schema:
    """The schema declared in graph/schema.yaml."""
    with SCHEMA_FILE.open(encoding="utf-8") as handle:
        return parse_schema(yaml.safe_load(handle))
