"""Backup and restore of the embedded store's data directory, while it runs.

A backup is a `BGSAVE` snapshot: Redis forks and the child writes every graph as it was at
that instant (whole write batches only, since each batch is one command), while the server
keeps answering; the RDB file is then copied out (mode 600), with a manifest beside it
(`NAME.manifest.json`: its SHA-256, size, and each graph's node and relationship counts,
counted by loading the copy into a staging server, so a backup that cannot be loaded fails
when it is taken, not when it is needed).

A restore checks the file against its manifest, then loads it into a staging server of its
own (the same launch as `db start`: limits, umask, no network), counts every graph, and has it
write the append-only files. Only then is the running store stopped, its append-only files
moved aside (never deleted) and the staged ones moved in. A truncated or altered file, or one
whose graphs do not count as recorded, is refused with what was wrong; the old data stays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import redis

from graph.errors import PolicygraphError, StoreUnavailable
from graph.store.embedded import EmbeddedServer, _client
from graph.store.permissions import FILE_MODE

RDB_MAGIC = b"REDIS"
WAIT_S = 300.0
MANIFEST_SUFFIX = ".manifest.json"
STAGING = "restoring"  # the staging server's home, inside the data directory


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
        counts = _stage(server, partial, None, keep=False)  # loadable, and its counts
        _write_private(manifest_of(out), json.dumps(
            {"sha256": _sha256(partial), "bytes": partial.stat().st_size, "graphs": counts},
            indent=1, sort_keys=True) + "\n")
        partial.rename(out)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        manifest_of(out).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BackupError(f"Cannot write {out}: {exc.strerror}.") from exc
        raise
    finally:
        snapshot.unlink(missing_ok=True)
    return out.stat().st_size


def manifest_of(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + MANIFEST_SUFFIX)


def restore(server: EmbeddedServer, source: Path) -> Path:
    """Replace every graph by the snapshot in `source`, once it is checked; returns where the
    previous append-only files were kept. On any failure the running data is unchanged."""
    source = Path(source).expanduser().absolute()
    expected = _checked_file(source)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    staged = _stage(server, source, expected)
    try:
        server.stop()
        aside = server.home / f"appendonlydir.before-restore-{stamp}"
        current = server.home / "appendonlydir"
        if current.exists():
            current.rename(aside)
        (staged.home / "appendonlydir").rename(current)
        try:
            server.start()
            _check_counts(_counts(server), expected, source)
        except Exception:  # put the old files back and run on them
            server.stop()
            current.rename(server.home / f"appendonlydir.failed-restore-{stamp}")
            if aside.exists():
                aside.rename(current)
            server.start()
            raise
    finally:
        shutil.rmtree(staged.home, ignore_errors=True)
    return aside


def _checked_file(source: Path) -> dict[str, list[int]]:
    """The graphs' counts from the manifest of `source`, once the file matches it."""
    try:
        with source.open("rb") as handle:
            magic = handle.read(len(RDB_MAGIC))
    except OSError as exc:
        raise BackupError(f"Cannot read {source}: {exc.strerror}.") from exc
    if magic != RDB_MAGIC:
        raise BackupError(f"{source} is not a policygraph backup (no RDB header).",
                          hint="Give a file written by `policygraph db backup`.")
    manifest_path = manifest_of(source)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        sha, size, graphs = manifest["sha256"], manifest["bytes"], manifest["graphs"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"Cannot read the manifest {manifest_path} of {source}: {exc}.",
                          hint="`db backup` writes it beside the file; copy both together.") from exc
    actual_size = source.stat().st_size
    if actual_size != size:
        raise BackupError(f"{source} has {actual_size} bytes, its manifest says {size}: the file "
                          "is truncated or was changed.", hint="Nothing was restored; give a "
                          "complete copy of the backup.")
    if _sha256(source) != sha:
        raise BackupError(f"{source} does not match the SHA-256 in {manifest_path}: the file was "
                          "changed or damaged.", hint="Nothing was restored; give an intact copy.")
    return graphs


def _stage(server: EmbeddedServer, source: Path, expected: dict[str, list[int]] | None, *,
           keep: bool = True) -> dict[str, list[int]] | EmbeddedServer:
    """A server of its own in the data directory, started on `source` as `db start` would start
    it, its graphs counted (and checked against `expected`). `keep`: it writes its append-only
    files and is returned stopped, for the swap; else it is removed and the counts returned."""
    home = server.home / STAGING
    shutil.rmtree(home, ignore_errors=True)  # a restore that was killed midway
    staged = EmbeddedServer(home, server.limits)
    try:
        staged._check_home()
        with source.open("rb") as data, os.fdopen(os.open(home / "dump.rdb", os.O_WRONLY
                                                          | os.O_CREAT, FILE_MODE), "wb") as out:
            shutil.copyfileobj(data, out)
        try:
            staged.start(from_snapshot=True)
        except StoreUnavailable as exc:
            raise BackupError(f"{source} could not be loaded: {exc.message}",
                              hint="Nothing was restored. " + (exc.hint or "")) from exc
        counts = _counts(staged)
        if expected is not None:
            _check_counts(counts, expected, source)
        if keep:
            _write_append_only(staged)
        staged.stop()
        (home / "dump.rdb").unlink(missing_ok=True)
    except BaseException:
        staged.stop()
        shutil.rmtree(home, ignore_errors=True)
        raise
    if keep:
        return staged
    shutil.rmtree(home, ignore_errors=True)
    return counts


def _write_append_only(staged: EmbeddedServer) -> None:
    client = _client(staged.socket, timeout_s=WAIT_S)
    try:
        client.config_set("appendonly", "yes")  # rewrites the AOF from what was loaded
        deadline = time.monotonic() + WAIT_S
        while True:
            info = client.info("persistence")
            if info["aof_enabled"] and not info["aof_rewrite_in_progress"] \
                    and not info.get("aof_rewrite_scheduled"):
                return
            if time.monotonic() > deadline:
                raise BackupError("Writing the restored data to the append-only file took "
                                  f"longer than {WAIT_S:.0f} s.")
            time.sleep(0.05)
    finally:
        client.close()


_NODES = "MATCH (n) RETURN count(n)"
_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r)"


def _counts(server: EmbeddedServer) -> dict[str, list[int]]:
    """Each graph's [nodes, relationships]."""
    client = _client(server.socket, timeout_s=WAIT_S)
    try:
        graphs = [g.decode() if isinstance(g, bytes) else g
                  for g in client.execute_command("GRAPH.LIST")]
        return {graph: [int(client.execute_command("GRAPH.RO_QUERY", graph, q)[1][0][0])
                        for q in (_NODES, _RELATIONSHIPS)] for graph in graphs}
    finally:
        client.close()


def _check_counts(found: dict[str, list[int]], expected: dict[str, list[int]],
                  source: Path) -> None:
    wrong = [f"{graph}: {expected[graph][0]} nodes and {expected[graph][1]} relationships "
             f"recorded, {found.get(graph, ['no', 'no'])[0]} and "
             f"{found.get(graph, ['no', 'no'])[1]} loaded"
             for graph in sorted(expected) if found.get(graph) != expected[graph]]
    if wrong:
        raise BackupError(f"{source} does not hold what its manifest records: "
                          + "; ".join(wrong) + ".", hint="Nothing was restored.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_private(path: Path, text: str) -> None:
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE), "w",
                   encoding="utf-8") as handle:
        handle.write(text)
