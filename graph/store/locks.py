"""One writer at a time per graph: two loads at once used to MERGE the same relationships
twice (210,736 relationships of which 148,804 distinct).

The embedded store's lock is an `flock` on a file in the data directory: the kernel releases
it when its holder dies (kill -9 included), so a crash never leaves the graph locked. The
Neo4j store's lock is a lease node taken in a write transaction (see `LeaseLock`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from graph.errors import PolicygraphError

Waiting = Callable[[str], None]  # told once, when the lock is held by another writer
POLL_S = 0.1


class StoreBusy(PolicygraphError):
    """Another writer held the graph's write lock for longer than we would wait."""

    status_code = 409


def lock_path(home: Path, graph_name: str) -> Path:
    """The lock file of one graph: a safe file name, distinct for distinct graph names."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", graph_name)[:60]
    digest = hashlib.sha1(graph_name.encode()).hexdigest()[:8]
    return Path(home) / f".write-{safe}-{digest}.lock"


def _holder() -> str:
    command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))
    since = dt.datetime.now(dt.UTC).strftime("%H:%M:%S UTC")
    return f"pid {os.getpid()} ({command[:120]}) since {since}"


def _busy(what: str, holder: str, timeout_s: float) -> StoreBusy:
    return StoreBusy(
        f"Another writer is changing {what}: {holder or 'unknown'}; waited {timeout_s:.0f} s.",
        hint="Let it finish and run this again, or wait longer with "
             "POLICYGRAPH_WRITE_LOCK_TIMEOUT_S.")


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


@contextlib.contextmanager
def file_write_lock(path: Path, *, what: str, timeout_s: float,
                    waiting: Waiting | None = None) -> Iterator[None]:
    """Hold an exclusive `flock` on `path` for the block, waiting up to `timeout_s`."""
    # 600 like everything in the data directory: the file names who holds the lock
    with open(path, "a+", encoding="utf-8", opener=_private) as handle:
        deadline = time.monotonic() + timeout_s
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip()
                if time.monotonic() >= deadline:
                    raise _busy(what, holder, timeout_s) from None
                if waiting and not told:
                    waiting(f"Another writer is changing {what} ({holder or 'unknown'}); "
                            f"waiting up to {timeout_s:.0f} s for it to finish …")
                    told = True
                time.sleep(POLL_S)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(_holder())
            handle.flush()
            yield
        finally:
            with contextlib.suppress(OSError):
                handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


class LeaseLock:
    """A write lock kept in the store itself, for stores shared by several machines (Neo4j).

    The lock is one `_PolicygraphWriteLock` node. Taking it is one write transaction that
    MERGEs the node (the transaction holds the node's write lock, so two takers serialise)
    and claims it when it is free or its lease has run out; a thread renews the lease while
    the block runs, so a writer that died frees the graph `lease_s` seconds later. The node
    exists only while a writer runs; it is not part of the schema contract.
    """

    TAKE = ("MERGE (l:_PolicygraphWriteLock {id: 'write-lock'}) "
            "WITH l, (coalesce(l.expires, 0) < $now OR l.token = $token) AS free "
            "SET l.token = CASE WHEN free THEN $token ELSE l.token END, "
            "l.holder = CASE WHEN free THEN $holder ELSE l.holder END, "
            "l.expires = CASE WHEN free THEN $now + $lease ELSE l.expires END "
            "RETURN l.token = $token AS taken, l.holder AS holder")
    RELEASE = "MATCH (l:_PolicygraphWriteLock {id: 'write-lock', token: $token}) DELETE l"

    def __init__(self, write: Callable[[str, dict[str, Any]], Any], *, lease_s: float = 60.0) -> None:
        self._write = write
        self.lease_s = lease_s

    @contextlib.contextmanager
    def hold(self, *, what: str, timeout_s: float, waiting: Waiting | None = None) -> Iterator[None]:
        token, holder = uuid.uuid4().hex, _holder()
        deadline = time.monotonic() + timeout_s
        told = False
        while True:
            row = self._take(token, holder)
            if row["taken"]:
                break
            if time.monotonic() >= deadline:
                raise _busy(what, row["holder"], timeout_s)
            if waiting and not told:
                waiting(f"Another writer is changing {what} ({row['holder']}); waiting up to "
                        f"{timeout_s:.0f} s for it to finish …")
                told = True
            time.sleep(POLL_S * 5)
        stop = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(token, holder, stop), daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join()
            self._write(self.RELEASE, {"token": token})

    def _take(self, token: str, holder: str) -> dict[str, Any]:
        result = self._write(self.TAKE, {"now": time.time(), "lease": self.lease_s,
                                         "token": token, "holder": holder})
        return result.rows[0]

    def _renew(self, token: str, holder: str, stop: threading.Event) -> None:
        while not stop.wait(self.lease_s / 3):
            with contextlib.suppress(PolicygraphError):
                self._take(token, holder)
