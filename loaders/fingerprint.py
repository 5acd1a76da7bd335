"""A reload of unchanged files writes nothing and reads nothing but the files' bytes.

Loading the same files twice changes nothing (loaders.load), but finding that out meant
reading, validating and diffing every entity again: 70 s at national scale, more than the
first load. So a load records, beside the graph (in its derived graph, which no answer
reads, `graph.blocking_state.derived_store`), a fingerprint of what it read (every file's
path and content hash, the loader's version, the schema) with the graph's revision after its
last write (`Store.revision()`, bumped by every write by any means). A load whose inputs
have that fingerprint while the revision is still the recorded one would write nothing, so
it reports so and stops (`unchanged`), writing nothing, the record included.

Kill safety: a load that changes anything forgets the record before its first write
(`forget`) and records the new one only after its last write and the derived state
(`record`). A load killed in between leaves no record, so the next load takes the normal
path; a write that landed without its revision bump (killed between the two) is covered too.
On a store without a revision or a derived graph (Neo4j) every load takes the normal path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from graph import blocking_state, cypher
from graph.schema import Schema
from graph.store.base import Store
from loaders.read import FORMATS

LOADER_VERSION = "1"  # bump when the same files come to be written differently
CHUNK = 1 << 20


@dataclass(frozen=True)
class LastLoad:
    """The record of the last load that ran to its end."""

    fingerprint: str
    revision: str
    at: str  # ISO time, UTC
    nodes: dict[str, int]
    relationships: dict[str, int]


def data_files(paths: list[Path]) -> list[Path] | None:
    """The files `loaders.read.read_paths` reads, in its order; None when it would report a
    problem instead (a missing file, an empty folder, an unsupported type): those loads take
    the normal path, which says what is wrong."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in FORMATS and p.is_file())
            if not found:
                return None
            files += found
        elif path.is_file() and path.suffix.lower() in FORMATS:
            files.append(path)
        else:
            return None
    return files


def fingerprint(paths: list[Path], schema: Schema) -> str | None:
    """One hash of everything that decides what a load of `paths` writes on a given graph."""
    files = data_files(paths)
    if files is None:
        return None
    digest = hashlib.sha256(f"loader {LOADER_VERSION}\n".encode())
    digest.update(hashlib.sha256(schema.model_dump_json().encode()).digest())
    for file in files:
        content = hashlib.sha256()
        try:
            with file.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    content.update(chunk)
        except OSError:
            return None
        digest.update(f"{file.resolve()}\n".encode())
        digest.update(content.digest())
    return digest.hexdigest()


def last_load(store: Store) -> LastLoad | None:
    """The record of the last load, if one is there."""
    derived = blocking_state.derived_store(store)
    rows = derived.read(cypher.LAST_LOAD_READ).rows if derived is not None else []
    if len(rows) != 1 or rows[0]["fingerprint"] is None:
        return None
    row = rows[0]
    return LastLoad(row["fingerprint"], row["revision"], row["at"], json.loads(row["nodes"]),
                    json.loads(row["relationships"]))


def unchanged(store: Store, print_: str | None) -> LastLoad | None:
    """The last load's record when a load with fingerprint `print_` would write nothing: the
    same inputs, and nothing written to the graph since (its revision is the one recorded)."""
    if print_ is None:
        return None
    last = last_load(store)
    if last is None or last.fingerprint != print_:
        return None
    revision = store.revision()
    return last if revision is not None and revision == last.revision else None


def forget(store: Store) -> None:
    """Before a load's or retraction's first write: no record may claim the graph until the
    writer records its own at the end."""
    derived = blocking_state.derived_store(store)
    if derived is not None:
        derived.write(cypher.LAST_LOAD_FORGET)


def record(store: Store, print_: str | None, nodes: dict[str, int],
           relationships: dict[str, int]) -> None:
    """After a load's last write (and its derived state): the fingerprint and the revision."""
    derived = blocking_state.derived_store(store)
    revision = store.revision()
    if derived is None or revision is None or print_ is None:
        return  # (a load of records, not files, that wrote something has forgotten the last)
    derived.write(cypher.LAST_LOAD_WRITE, {
        "fingerprint": print_, "revision": revision,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nodes": json.dumps(nodes), "relationships": json.dumps(relationships)})
