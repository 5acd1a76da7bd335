"""A named query's whole answer as CSV or NDJSON, sent while it is read: every row, past the
row cap, read from the store a chunk at a time (one page each, so memory stays flat and the
store's per-query timeout applies to each chunk)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from fastapi.responses import StreamingResponse

from api.limits import EXPORTS
from graph.settings import Settings
from graph.store.base import Store
from queries import NamedQuery

CHUNK_ROWS = 5_000
STREAM_FORMATS = {"csv": ("text/csv; charset=utf-8", ".csv"),
                  "ndjson": ("application/x-ndjson", ".ndjson")}


def _cell(value: Any) -> Any:
    """A CSV cell: scalars as they are, lists, nodes and paths as JSON text."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def _encode(fmt: str, columns: list[str], rows: list[dict[str, Any]], header: bool) -> bytes:
    if fmt == "ndjson":
        return "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
                       for row in rows).encode()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(columns)
    writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
    return buffer.getvalue().encode()


def stream_answer(query: NamedQuery, store: Store, params: dict[str, Any], fmt: str,
                  settings: Settings) -> StreamingResponse:
    """The whole answer of `query` in `fmt`; the first chunk is read before anything is sent,
    so a bad parameter or a first timeout is still an error answer. A few at a time per
    process, like exports (429 beyond POLICYGRAPH_EXPORT_CONCURRENCY)."""
    EXPORTS.acquire(settings.export_concurrency)
    try:
        first = query.run(store, params, timeout_ms=settings.query_timeout_ms, limit=CHUNK_ROWS)
    except BaseException:
        EXPORTS.release()
        raise

    def pieces() -> Iterator[bytes]:
        result, offset = first, 0
        columns = result.columns
        yield _encode(fmt, columns, result.rows, header=True)
        while result.truncated:
            offset += len(result.rows)
            result = query.run(store, params, timeout_ms=settings.query_timeout_ms,
                               limit=CHUNK_ROWS, skip=offset)
            yield _encode(fmt, columns, result.rows, header=False)

    media_type, suffix = STREAM_FORMATS[fmt]
    return StreamingResponse(
        EXPORTS.held_while(pieces()), media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{query.name}{suffix}"'})
