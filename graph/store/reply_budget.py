"""A bound on the bytes of one store reply, counted while it is read, not after.

The row cap bounds how many rows a page asks for, but a row can be huge: 1,000 rows of
3,000-number lists took the API to 478 MB before `cut_to_bytes` cut the answer it had already
parsed (issue 29, item 4). The redis client parses a whole reply before it hands it over, so
the bound sits under its reader: every piece read from the store's socket is counted, and past
the budget the read stops with `ReplyTooBig`. The client then drops the connection with the
unread rest of the reply in it, as it does on any error while reading, and the next command
gets a fresh one.

The budget is set per read (`limited`), only around answers a client asked for; the loader's
and the derived state's own reads are not bounded here.
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
from collections.abc import Iterator
from typing import Any

from redis.connection import DefaultParser

from graph.errors import QueryTooBig

# the compact reply of a row is most often smaller than its JSON (ids for keys and labels), and
# up to about seven times larger only for lists of small numbers; past four times the answer's
# JSON cap the page would be cut anyway
REPLY_BYTES_PER_ANSWER_BYTE = 4

_budget: contextvars.ContextVar[int | None] = contextvars.ContextVar("reply_budget", default=None)


class ReplyTooBig(Exception):
    """The reply being read passed the budget; nothing of it is kept."""

    def __init__(self, budget: int) -> None:
        super().__init__(f"reply over {budget:,} bytes")
        self.budget = budget


@contextlib.contextmanager
def limited(max_bytes: int | None) -> Iterator[None]:
    """Replies read in this block may be at most `max_bytes` long (None: unbounded)."""
    token = _budget.set(max_bytes)
    try:
        yield
    finally:
        _budget.reset(token)


def for_answer(answer_max_bytes: int) -> int:
    """The reply budget of a page whose rows' JSON may be `answer_max_bytes` long."""
    return REPLY_BYTES_PER_ANSWER_BYTE * answer_max_bytes + 1_000_000


def too_big(budget: int) -> QueryTooBig:
    return QueryTooBig(
        f"The answer passed {budget:,} bytes as the store sent it, and was not read further "
        f"({REPLY_BYTES_PER_ANSWER_BYTE} times POLICYGRAPH_ANSWER_MAX_BYTES, the most one page "
        "carries).",
        hint="Ask for fewer rows (limit, LIMIT) or smaller ones (fewer or shorter columns, "
             "no long lists), or raise POLICYGRAPH_ANSWER_MAX_BYTES.")


class _CountingSocket:
    """The connection's socket, counting the bytes each reply reads against the budget."""

    def __init__(self, sock: socket.socket, parser: BudgetedParser) -> None:
        self._sock = sock
        self._parser = parser

    def recv_into(self, buffer: Any, *args: Any) -> int:
        read = self._sock.recv_into(buffer, *args)
        self._parser.count(read)
        return read

    def recv(self, *args: Any) -> bytes:
        data = self._sock.recv(*args)
        self._parser.count(len(data))
        return data

    def __getattr__(self, name: str) -> Any:  # fileno, settimeout, sendall, close …
        return getattr(self._sock, name)


class BudgetedParser(DefaultParser):
    """The client's own reply parser (hiredis when installed), reading through a counting
    socket; each reply starts its count at zero."""

    _read = 0

    def on_connect(self, connection: Any, **kwargs: Any) -> None:
        if not isinstance(connection._sock, _CountingSocket):
            connection._sock = _CountingSocket(connection._sock, self)
        super().on_connect(connection, **kwargs)

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        self._read = 0
        return super().read_response(*args, **kwargs)

    def count(self, read: int) -> None:
        self._read += read
        budget = _budget.get()
        if budget is not None and self._read > budget:
            raise ReplyTooBig(budget)
