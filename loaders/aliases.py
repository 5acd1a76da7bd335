"""The alias table: every name, English name, short form, alias and number of a node, folded.

The bundled dataset's `aliases` lists are the one alias table; the loader resolves
relationship targets written as names through it, the directive extractor resolves agencies
through it, and search ranks on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph import cypher
from graph.search import names_of
from graph.text import fold

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


class AliasTable:
    """Folded name -> the ids of nodes called that (with their labels)."""

    def __init__(self) -> None:
        self._ids: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self._names: dict[str, str] = {}

    def add(self, node_id: str, label: str, properties: dict[str, Any]) -> None:
        if isinstance(properties.get("name"), str):
            self._names.setdefault(node_id, properties["name"])
        for text in names_of(properties):
            key = fold(text)
            if key:
                self._ids[key].add((node_id, label))
        self._ids[fold(node_id)].add((node_id, label))

    def candidates(self, text: str, label: str | None = None) -> list[tuple[str, str]]:
        """Every (id, label) called `text`, however it is spelled."""
        found = self._ids.get(fold(text), set())
        return sorted(pair for pair in found if label is None or pair[1] == label)

    def resolve(self, text: str, label: str | None = None) -> str | None:
        """The one id called `text` (optionally of `label`); None if unknown or ambiguous."""
        found = self.candidates(text, label)
        return found[0][0] if len(found) == 1 else None

    def name_of(self, node_id: str) -> str:
        """The node's own name, as the dataset writes it (its id if it has none)."""
        return self._names.get(node_id, node_id)

    def names(self) -> list[str]:
        """Every folded name in the table (for fuzzy matching of misspelt names)."""
        return list(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, dict[str, Any]]]) -> AliasTable:
        table = cls()
        for node_id, label, properties in rows:
            table.add(node_id, label, properties)
        return table

    @classmethod
    def from_dataset(cls, data_dir: Path = DATA_DIR) -> AliasTable:
        """The table of the bundled dataset (read from its files, no store needed)."""
        return _dataset_table(str(data_dir))


@lru_cache(maxsize=4)
def _dataset_table(data_dir: str) -> AliasTable:
    return AliasTable.from_rows(dataset_nodes(data_dir))


@lru_cache(maxsize=4)
def dataset_nodes(data_dir: str = str(DATA_DIR)) -> tuple[tuple[str, str, dict[str, Any]], ...]:
    """(id, label, properties) of every node of the dataset in `data_dir`, read once a process:
    `extract` wants them twice (its alias table and the document numbers it knows), and
    reading the bundled dataset was most of a short extraction's time (0.47 s of 1.4; the
    bundled one is kept between runs, `loaders.dataset_cache`)."""
    from loaders.dataset_cache import cached_nodes
    from loaders.read import read_paths

    def read() -> list[tuple[str, str, dict[str, Any]]]:
        batch = read_paths([Path(data_dir)])
        return [(node.id, node.label, node.properties) for node in batch.nodes
                if isinstance(node.id, str) and isinstance(node.label, str)]

    if Path(data_dir).resolve() != DATA_DIR:  # a folder of a test or a review: read it
        return tuple(read())
    return tuple(cached_nodes(DATA_DIR, read))


def store_rows(store: Any, without_sources: Iterable[str] = ()) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, label, names) of every node in the store (`AliasTable.from_rows` takes them),
    leaving out nodes that only `without_sources` support."""
    rows = store.read(cypher.STORE_NAMES, {"own": sorted(without_sources)}).rows
    return [(r["id"], r["label"], r) for r in rows]
