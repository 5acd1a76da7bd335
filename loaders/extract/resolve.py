"""Resolving agency names to dataset ids: exact alias first, then a fuzzy match for slips.

Sources misspell names (``Bộ Thông tin và Truyên thông``). After the project's one fold
(``graph.text.fold``: diacritics, đ→d, case, short-form variants), ``rapidfuzz`` compares the
name with every alias of the table and accepts a single close match only: a high cutoff, and
the same head word, so ``Bộ Tài chính`` never becomes ``Bộ Tư pháp``.
"""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz import fuzz, process

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
