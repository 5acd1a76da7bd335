"""Per-task lines of a derived state, kept in parts a load rewrites only where it touched.

A derived state with one text per task (graph.change_state's records, graph.task_state's
entries) keeps them in the derived graph as parts: nodes `{part, text, ids, digest}` of one
label, `text` one line per task (`id<TAB>its text`, in id order), `ids` the same ids (so where
each task is can be read without the texts). A task's part is its group, the first of its
sources, split in SPLIT by a hash of its id: loading one source's files changes the lines of
that source's tasks (and of the few others its facts reach), so it rewrites that source's parts
and leaves the others as they are; no line of a part that changes is decoded or encoded again.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import orjson

from graph import cypher
from graph.store.base import Store

SPLIT = 4  # parts per group (source)
WRITE_BYTES = 8_000_000  # text per write statement, about


def compact_json(value: Any) -> str:
    """A state's record as compact JSON text, non-ASCII as it is (orjson: 5-6x the standard
    encoder on the national state's 100,000 records, the same bytes)."""
    return orjson.dumps(value).decode()


def part_key(task_id: str, sources: Iterable[str] | None) -> str:
    """The part of a task with `sources` (its group, the first of them, and a hash of its id)."""
    group = min(sources) if sources else ""
    return f"{group}#{zlib.crc32(task_id.encode()) % SPLIT}"


def text_of(lines: dict[str, str]) -> str:
    """A part's text from `{task id: its text}` (none holds a newline or starts with a tab)."""
    return "\n".join(f"{task}\t{lines[task]}" for task in sorted(lines))


def lines_of(text: str) -> dict[str, str]:
    """`text_of` read back."""
    return dict(line.split("\t", 1) for line in text.split("\n")) if text else {}


def texts_of(text: str) -> list[str]:
    """The tasks' texts of a part, in id order (a reader joins them into one JSON list)."""
    return [line.split("\t", 1)[1] for line in text.split("\n")] if text else []


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class Parts:
    """The parts of one label in a derived graph, with the queries that read and write them."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.index_query = cypher.PARTS_INDEX.format(label=label)
        self.of_parts = cypher.PARTS_TEXTS.format(label=label)
        self.write_query = cypher.PARTS_WRITE.format(label=label)
        self.delete_query = cypher.PARTS_DELETE.format(label=label)

    def rebuild(self, derived: Store, lines: dict[str, tuple[str, str]],
                extra: dict[str, str] | None = None) -> int:
        """Make the parts `{task id: (its part, its text)}` and `extra` (`{part: text}`, with no
        ids: a state's head) hold, whole; returns the parts written (those that differ)."""
        by_part: dict[str, dict[str, str]] = defaultdict(dict)
        for task, (part, text) in lines.items():
            by_part[part][task] = text
        wanted = {part: (text_of(held), "\n".join(sorted(held))) for part, held in by_part.items()}
        wanted.update((part, (text, "")) for part, text in (extra or {}).items())
        stored = {row["part"]: row["digest"] for row in derived.read(self.index_query).rows}
        return self._write(derived, wanted, stored, sorted(set(stored) - set(wanted)))

    def update(self, derived: Store, fresh: dict[str, tuple[str, str]], dropped: set[str],
               extra: dict[str, str] | Callable[[dict[str, str]], dict[str, str]] | None = None) -> int:
        """Put `fresh` (`{task id: (its part, its text)}`) in place of the lines of the tasks
        among `dropped` (a task there and not in `fresh` is gone) and write `extra` as in
        `rebuild` (or what `extra(old)` gives, `old` the stored texts of `dropped`'s tasks:
        a head that follows them); only the parts these change are read and written. Returns
        the parts written."""
        rows = derived.read(self.index_query).rows
        stored = {row["part"]: row["digest"] for row in rows}
        where = {task: row["part"] for row in rows if row["ids"] for task in row["ids"].split("\n")}
        parts = {where[task] for task in dropped | fresh.keys() if task in where}
        parts |= {part for part, _ in fresh.values()}
        old = {row["part"]: lines_of(row["text"])
               for row in derived.read(self.of_parts, {"parts": sorted(parts)}).rows} if parts else {}
        held: dict[str, dict[str, str]] = {
            part: {task: text for task, text in old.get(part, {}).items()
                   if task not in dropped and task not in fresh} for part in parts}
        if callable(extra):
            extra = extra({task: text for lines in old.values() for task, text in lines.items()
                           if task in dropped})
        for task, (part, text) in fresh.items():
            held[part][task] = text
        wanted = {part: (text_of(lines), "\n".join(sorted(lines))) for part, lines in held.items() if lines}
        wanted.update((part, (text, "")) for part, text in (extra or {}).items())
        return self._write(derived, wanted, stored, sorted(p for p, lines in held.items()
                                                           if not lines and p in stored))

    def _write(self, derived: Store, wanted: dict[str, tuple[str, str]], stored: dict[str, str],
               gone: list[str]) -> int:
        changed = [{"part": part, "text": text, "ids": ids, "digest": made}
                   for part, (text, ids) in sorted(wanted.items())
                   if stored.get(part) != (made := digest(text))]
        if gone:
            derived.write(self.delete_query, {"parts": gone})
        batch: list[dict[str, str]] = []
        size = 0
        for row in changed:
            batch.append(row)
            size += len(row["text"])
            if size >= WRITE_BYTES:
                derived.write(self.write_query, {"rows": batch})
                batch, size = [], 0
        if batch:
            derived.write(self.write_query, {"rows": batch})
        return len(changed)
