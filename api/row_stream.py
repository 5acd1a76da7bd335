"""A named query's whole answer as CSV or NDJSON: every row, past the row cap, from one run
of the query (the fast path's rows, or one read of the store within its timeout), encoded
and sent a chunk at a time."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from api.held_stream import HeldStream, one_line
from api.limits import EXPORTS
from graph import answer_csv
from graph.settings import Settings
from graph.store.base import Store
from graph.subgraph import drawing_columns
from queries import NamedQuery

CHUNK_ROWS = 5_000
STREAM_FORMATS = {"csv": ("text/csv; charset=utf-8", ".csv"),
                  "ndjson": ("application/x-ndjson", ".ndjson")}


def _encode(fmt: str, columns: list[str], rows: list[dict[str, Any]], header: bool,
            flat: list[str] | None = None, bom: bool = False) -> bytes:
    """NDJSON lines, or CSV in the one flat shape (`graph.answer_csv`) under the header `flat`
    (the flat columns of the first chunk, when not given)."""
    if fmt == "ndjson":
        return "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
                       for row in rows).encode()
    flat = flat if flat is not None else answer_csv.flat_columns(columns, rows)
    return answer_csv.write(flat, rows, columns, with_header=header, bom=bom and header).encode()


def stream_answer(query: NamedQuery, store: Store, params: dict[str, Any], fmt: str,
                  settings: Settings, *, lean: bool = False, bom: bool = False) -> HeldStream:
    """The whole answer of `query` in `fmt` (`lean`: without the columns of nodes and chains
    for drawing); the first chunk is read before anything is sent, so a bad parameter or a
    first timeout is still an error answer. A few at a time per process, like exports (429
    beyond POLICYGRAPH_EXPORT_CONCURRENCY). `bom`: a CSV starts with the UTF-8 byte-order mark
    Excel needs to read Vietnamese text."""
    EXPORTS.acquire(settings.export_concurrency)
    try:
        pieces = _fast_pieces(query, store, params, fmt, settings, lean, bom) \
            or _paged_pieces(query, store, params, fmt, settings, lean, bom)
    except BaseException:
        EXPORTS.release()
        raise
    media_type, suffix = STREAM_FORMATS[fmt]
    return HeldStream(
        pieces, EXPORTS, what=f"Streamed answer of {query.name} ({fmt})",
        error_line=_error_line if fmt == "ndjson" else None, media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{query.name}{suffix}"'})


def _error_line(error: Exception) -> bytes:
    """The last line of an NDJSON answer that failed midway: not a row, so readers notice."""
    return (json.dumps({"error": "The answer failed before it was complete.",
                        "detail": f"{type(error).__name__}: {one_line(error)}"}, ensure_ascii=False)
            + "\n").encode()


def _fast_pieces(query: NamedQuery, store: Store, params: dict[str, Any], fmt: str,
                 settings: Settings, lean: bool, bom: bool) -> Iterator[bytes] | None:
    """From the query's fast path, one pass over the whole answer; None where it has none.
    (A CSV's flat header is the first chunk's: the fast path's columns hold no maps.)"""
    text = query.fast_pieces(store, params, fmt=fmt, lean=lean, bom=bom,
                             timeout_ms=settings.query_timeout_ms)
    if text is not None:  # the rows' text itself, never built as rows
        return _read_ahead(text)
    found = query.fast_rows(store, params, timeout_ms=settings.query_timeout_ms, lean=lean)
    if found is None:
        return None
    columns, rows = found
    first = list(itertools.islice(rows, CHUNK_ROWS))  # read before the answer starts

    flat = answer_csv.flat_columns(columns, first) if fmt == "csv" else None

    def pieces() -> Iterator[bytes]:
        chunk, header = first, True
        while chunk:
            yield _encode(fmt, columns, chunk, header=header, flat=flat, bom=bom)
            chunk, header = list(itertools.islice(rows, CHUNK_ROWS)), False
        if header:
            yield _encode(fmt, columns, [], header=True, flat=flat, bom=bom)

    return pieces()


def _read_ahead(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """`pieces`, the first read before the answer starts (an empty answer is one empty piece)."""
    first = next(pieces, b"")

    def all_pieces() -> Iterator[bytes]:
        yield first
        yield from pieces

    return all_pieces()


def _paged_pieces(query: NamedQuery, store: Store, params: dict[str, Any], fmt: str,
                  settings: Settings, lean: bool, bom: bool) -> Iterator[bytes]:
    """The query run once, within the timeout, its rows sent CHUNK_ROWS at a time. (It was
    read a page at a time, and each page ran the query again to skip the rows before it:
    46k rows took about 40 s, the time growing with the square of the rows.)"""
    result = query.run(store, params, timeout_ms=settings.query_timeout_ms)
    drawing = drawing_columns(result.rows) if lean else set()
    columns = [c for c in result.columns if c not in drawing]
    flat = answer_csv.flat_columns(columns, result.rows) if fmt == "csv" else None

    def pieces() -> Iterator[bytes]:
        rows = result.rows
        yield _encode(fmt, columns, _only(rows[:CHUNK_ROWS], columns, lean), header=True, flat=flat,
                      bom=bom)
        for start in range(CHUNK_ROWS, len(rows), CHUNK_ROWS):
            yield _encode(fmt, columns, _only(rows[start:start + CHUNK_ROWS], columns, lean),
                          header=False, flat=flat)

    return pieces()


def _only(rows: list[dict[str, Any]], columns: list[str], lean: bool) -> list[dict[str, Any]]:
    return [{c: row.get(c) for c in columns} for row in rows] if lean else rows
