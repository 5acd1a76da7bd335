"""Backup and restore of the embedded store's data directory, while it runs.

A backup is a `BGSAVE` snapshot: Redis forks and the child writes every graph as it was at
that instant (whole write batches only, since each batch is one command), while the server
keeps answering; the RDB file is then copied out. A restore stops the server, keeps the
current append-only files aside (never deleted), starts the server on the snapshot without
the append-only file, turns it back on (Redis rewrites the AOF from the loaded data), and
restarts normally, so the restored data is in the AOF like any other.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time
from pathlib import Path

import redis

from graph.errors import PolicygraphError, StoreUnavailable
from graph.store.embedded import EmbeddedServer, _client
from graph.store.permissions import FILE_MODE

RDB_MAGIC = b"REDIS"
WAIT_S = 300.0


class BackupError(PolicygraphError):
    """A backup could not be taken or a file is not a backup."""


def backup(server: EmbeddedServer, out: Path) -> int:
    """Write a consistent snapshot of every graph to `out`; returns its size in bytes."""
    out = Path(out).expanduser().absolute()
    if out.exists():
        raise BackupError(f"{out} exists already.", hint="Give a new file name.")
    server.start()
    client = _client(server.socket, timeout_s=WAIT_S)
    snapshot = server.home / "dump.rdb"
    try:
        # Count the snapshots rather than compare LASTSAVE: that has one-second resolution,
        # and a snapshot finished in the second the server started never looked done.
        saves_before = client.info("persistence")["rdb_saves"]
        client.bgsave()
        deadline = time.monotonic() + WAIT_S
        while True:
            persistence = client.info("persistence")
            if not persistence["rdb_bgsave_in_progress"] and (
                    persistence["rdb_saves"] > saves_before
                    or persistence["rdb_last_bgsave_status"] != "ok"):
                break
            if time.monotonic() > deadline:
                raise BackupError(f"The snapshot took longer than {WAIT_S:.0f} s.")
            time.sleep(0.05)
        if client.info("persistence")["rdb_last_bgsave_status"] != "ok":
            raise BackupError(f"The store could not write its snapshot in {server.home}.",
                              hint=f"See {server.logfile}; check the free space there.")
    except redis.RedisError as exc:
        raise StoreUnavailable(f"The embedded store did not take the snapshot: {exc}") from exc
    finally:
        client.close()
    partial = out.with_name(out.name + ".partial")
    try:  # 600 from its creation, like the data directory: it holds every graph
        with snapshot.open("rb") as source, \
                os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE),
                          "wb") as target:
            shutil.copyfileobj(source, target)
        partial.chmod(FILE_MODE)  # an earlier partial file kept its mode through O_CREAT
        partial.rename(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Cannot write {out}: {exc.strerror}.") from exc
    finally:
        snapshot.unlink(missing_ok=True)
    return out.stat().st_size


def restore(server: EmbeddedServer, source: Path) -> Path:
    """Replace every graph by the snapshot in `source`; returns where the previous append-only
    files were kept."""
    source = Path(source).expanduser().absolute()
    try:
        with source.open("rb") as handle:
            magic = handle.read(len(RDB_MAGIC))
    except OSError as exc:
        raise BackupError(f"Cannot read {source}: {exc.strerror}.") from exc
    if magic != RDB_MAGIC:
        raise BackupError(f"{source} is not a policygraph backup (no RDB header).",
                          hint="Give a file written by `policygraph db backup`.")
    server.stop()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = server.home / f"appendonlydir.before-restore-{stamp}"
    current = server.home / "appendonlydir"
    if current.exists():
        current.rename(aside)
    snapshot = server.home / "dump.rdb"
    shutil.copyfile(source, snapshot)
    try:
        _start_from_snapshot(server)
        client = _client(server.socket, timeout_s=WAIT_S)
        try:
            client.config_set("appendonly", "yes")  # rewrites the AOF from what was loaded
            deadline = time.monotonic() + WAIT_S
            while True:
                info = client.info("persistence")
                if info["aof_enabled"] and not info["aof_rewrite_in_progress"] \
                        and not info.get("aof_rewrite_scheduled"):
                    break
                if time.monotonic() > deadline:
                    raise BackupError("Writing the restored data to the append-only file took "
                                      f"longer than {WAIT_S:.0f} s.")
                time.sleep(0.05)
        finally:
            client.close()
        server.stop()
    finally:
        snapshot.unlink(missing_ok=True)
    server.start()
    return aside


def _start_from_snapshot(server: EmbeddedServer) -> None:
    command = server._command()
    command[command.index("--appendonly") + 1] = "no"  # so that dump.rdb is what is loaded
    server._check_home()
    with server._start_lock():
        server._remove_stale_files()
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise StoreUnavailable(f"The embedded store did not start on the backup: "
                                   f"{(result.stderr or result.stdout).strip()[-500:]}")
        server._wait_until_up()
