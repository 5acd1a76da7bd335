"""Resolving agency names to dataset ids: exact alias first, then a fuzzy match for slips.

Sources misspell names (``Bộ Thông tin và Truyên thông``). After the project's one fold
(``graph.text.fold``: diacritics, đ→d, case, short-form variants), ``rapidfuzz`` compares the
name with every alias of the table and accepts a single close match only: a high cutoff, and
the same head word, so ``Bộ Tài chính`` never becomes ``Bộ Tư pháp``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import fuzz, process

from graph.search import names_of
from graph.text import fold
from loaders.aliases import AliasTable

CUTOFF = 92.0


def fuzzy_resolver(table: AliasTable, *, label: str | None = "Agency") -> Callable[[str], str | None]:
    """``resolve(text)``: the alias table's id for ``text``, exactly or by one close match."""
    names = [n for n in table.names() if table.candidates(n, label)] if label else table.names()

    def resolve(text: str) -> str | None:
        exact = table.resolve(text)
        if exact or not text:
            return exact
        key = fold(text)
        if len(key) < 8:
            return None
        best = process.extract(key, names, scorer=fuzz.ratio, score_cutoff=CUTOFF, limit=2)
        if not best or (len(best) > 1 and best[1][1] == best[0][1]):
            return None
        name = best[0][0]
        if name.split()[:1] != key.split()[:1]:
            return None
        return table.resolve(name, label) if label else table.resolve(name)

    return resolve


def document_numbers(rows) -> Callable[[str], str | None]:
    """``number(phrase)``: the full number of the document a short form names (``Nghị quyết
    18`` → ``18-NQ/TW``), from the dataset's names and aliases; None unless one number fits
    and it is more than the bare digits."""
    by_name: dict[str, set[str]] = {}
    for _id, label, props in rows:
        number = props.get("number")
        if label != "Document" or not isinstance(number, str) or not re.search(r"[-/]", number):
            continue
        for name in names_of(props):
            by_name.setdefault(fold(name), set()).add(number)

    def number(phrase: str) -> str | None:
        found = by_name.get(fold(phrase), set())
        return next(iter(found)) if len(found) == 1 else None

    return number


def dataset_rows(data_dir=None):
    """(id, label, properties) of every node of the bundled dataset (read once a process)."""
    from loaders.aliases import DATA_DIR, dataset_nodes

    return list(dataset_nodes(str(data_dir or DATA_DIR)))


def alternatives(table: AliasTable, text: str, *, label: str = "Agency", but: str | None = None,
                 limit: int = 3, cutoff: float = 70.0) -> list[str]:
    """Other ids `text` could mean (`id — name as matched`), closest first: what a reviewer
    picks from when the resolved id is wrong or missing."""
    if not text:
        return []
    names = [n for n in table.names() if table.candidates(n, label)]
    found: list[str] = []
    for name, _score, _ in process.extract(fold(text), names, scorer=fuzz.token_set_ratio,
                                            score_cutoff=cutoff, limit=limit * 4):
        for node_id, _ in table.candidates(name, label):
            if node_id != but and not any(f.startswith(f"{node_id} —") for f in found):
                found.append(f"{node_id} — {table.name_of(node_id)}")
        if len(found) >= limit:
            break
    return found[:limit]
