"""Writes the disk cannot take (issue 14, items 8 and 12), on the real store.

- The store fsyncs every write before it acknowledges it (`appendfsync always`).
- A write its append-only file cannot take stops the load with a message that names the data
  directory and the disk, never a traceback; nothing acknowledged before is lost, the failed
  batch is not applied, and after the disk is freed a rerun converges to a clean load.
- Shown twice: deterministically, with the next AOF file pointed at /dev/full (every write
  to it fails with ENOSPC), and on a real, small tmpfs that fills up mid-load.
- A store left in MISCONF (a server started by an older version, with everysec) gives every
  command a message too.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import redis

from graph.errors import PersistenceFailed
from graph.store.embedded import EmbeddedServer
from graph.store.falkor import FalkorStore
from loaders.load import load_paths
from tests.conftest import REPO, short_tempdir
from tests.test_cli import POLICYGRAPH, VALID
from tests.test_hardening_crash import BATCH, NODES, assert_whole_batches, by_label, make_dataset
from tests.test_hardening_readonly import fingerprint

SECOND = REPO / "tests" / "fixtures" / "load" / "second.yaml"


def cli(home: Path, *args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "POLICYGRAPH_HOME": str(home), "POLICYGRAPH_GRAPH": "g",
           **(env_extra or {})}
    return subprocess.run([POLICYGRAPH, *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=REPO)


def point_next_aof_at_dev_full(server: EmbeddedServer, store: FalkorStore) -> Path:
    """Make every later append-only write fail with ENOSPC: the next incremental AOF file
    Redis opens (on BGREWRITEAOF) is a symlink to /dev/full."""
    aof = server.home / "appendonlydir"
    manifest = (aof / "appendonly.aof.manifest").read_text()
    seq = max(int(line.split(" seq ")[1].split()[0]) for line in manifest.splitlines()
              if " type i" in line)
    target = aof / f"appendonly.aof.{seq + 1}.incr.aof"
    target.symlink_to("/dev/full")
    store._db.connection.execute_command("BGREWRITEAOF")
    deadline = time.monotonic() + 10
    while store._db.connection.info("persistence")["aof_rewrite_in_progress"]:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return target


def free_the_disk(full: Path) -> None:
    """What freeing space does here: the AOF file becomes a plain (empty) file again."""
    full.unlink()
    full.write_bytes(b"")


def test_the_store_fsyncs_each_write_before_acknowledging_it(own_server):
    store = FalkorStore(own_server, "g")
    assert store._db.connection.config_get("appendfsync") == {"appendfsync": "always"}
    assert store._db.connection.config_get("appendonly") == {"appendonly": "yes"}


def test_a_write_the_aof_cannot_take_fails_the_load_and_loses_nothing(own_server):
    store = FalkorStore(own_server, "g")
    load_paths([VALID], store)
    before = fingerprint(store)
    full = point_next_aof_at_dev_full(own_server, store)
    result = cli(own_server.home, "load", str(SECOND))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "changed:" not in result.stdout + result.stderr
    message = " ".join(result.stderr.split())
    assert f"could not write its append-only file in the data directory {own_server.home}" in message
    assert "No space left on device" in message and f"df -h {own_server.home}" in message
    # a command after the failure is a message too
    status = cli(own_server.home, "db", "status")
    assert status.returncode == 3 and "Traceback" not in status.stderr
    free_the_disk(full)
    assert own_server.start() is True
    assert fingerprint(FalkorStore(own_server, "g")) == before  # every acknowledged write kept
    rerun = cli(own_server.home, "load", str(SECOND))
    assert rerun.returncode == 0, rerun.stderr
    clean = FalkorStore(own_server, "clean")
    load_paths([VALID], clean)
    load_paths([SECOND], clean)
    assert fingerprint(FalkorStore(own_server, "g")) == fingerprint(clean)


def test_the_loader_checks_persistence_after_each_batch(own_server, monkeypatch):
    """Where the store stays up with its AOF in error (everysec semantics), the loader's
    `INFO persistence` check stops the load at the first batch that did not reach the file."""
    store = FalkorStore(own_server, "g")
    checks = []
    real = store.check_persistence

    def counted() -> None:
        checks.append(1)
        real()

    monkeypatch.setattr(store, "check_persistence", counted)
    report = load_paths([VALID], store, batch_size=1)
    assert len(checks) == report.node_count + report.relationship_count


class _EverysecServer(EmbeddedServer):
    """A server as an older version started it, with `appendfsync everysec`: on a failed AOF
    write it stays up and answers MISCONF to everything."""

    def _command(self, *, appendonly: bool = True) -> list[str]:
        command = super()._command(appendonly=appendonly)
        command[command.index("--appendfsync") + 1] = "everysec"
        return command


def test_a_store_in_misconf_gives_every_command_a_message():
    server = _EverysecServer(short_tempdir("pgmisc"))
    server.start()
    try:
        store = FalkorStore(server, "g")
        load_paths([VALID], store)
        full = point_next_aof_at_dev_full(server, store)
        with contextlib.suppress(PersistenceFailed):
            store.write("CREATE (:Agency {id: 'x', name: 'x', sources: ['src-test']})")
        deadline = time.monotonic() + 10
        while store._db.connection.info("persistence")["aof_last_write_status"] == "ok":
            assert time.monotonic() < deadline, "the AOF write never failed"
            time.sleep(0.05)
        with pytest.raises(PersistenceFailed, match=str(server.home)):
            store.check_persistence()
        for args in (("load", str(SECOND)), ("db", "status"), ("query", "--cypher", "RETURN 1 AS x")):
            result = cli(server.home, *args)
            assert result.returncode != 0, args
            assert "Traceback" not in result.stderr, (args, result.stderr)
            assert "append-only file" in result.stderr, (args, result.stderr)
        free_the_disk(full)
    finally:
        with contextlib.suppress(OSError, redis.RedisError):
            server._kill(server.pid())
        shutil.rmtree(server.home, ignore_errors=True)


@contextlib.contextmanager
def small_tmpfs(size: str):
    mount_point = short_tempdir("pgfs")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=700", "tmpfs",
                              str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the /dev/full "
                    "test covers the same failure")
    try:
        yield mount_point
    finally:
        server = EmbeddedServer(mount_point / "home")
        with contextlib.suppress(Exception):
            pid = server.pid()
            if pid:
                server._kill(pid)
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
        shutil.rmtree(mount_point, ignore_errors=True)


def test_a_full_tmpfs_fails_the_load_and_a_rerun_after_freeing_converges(tmp_path, server):
    dataset = make_dataset(tmp_path / "generated")  # its AOF is 1.7 MB at 10 rows a batch
    with small_tmpfs("1m") as disk:
        home = disk / "home"
        env = {"POLICYGRAPH_BATCH_SIZE": str(BATCH)}
        result = cli(home, "load", str(dataset), env_extra=env)
        assert result.returncode == 1
        message = " ".join(result.stderr.split())
        assert "Traceback" not in result.stderr and "changed:" not in result.stdout + result.stderr
        assert f"could not write its append-only file in the data directory {home}" in message
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        restarted = EmbeddedServer(home)
        assert restarted.start() is True
        store = FalkorStore(restarted, "g")
        assert_whole_batches(by_label(store), NODES)  # only whole, acknowledged batches
        rerun = cli(home, "load", str(dataset), env_extra=env)
        assert rerun.returncode == 0, rerun.stderr
        with_clean = FalkorStore(server, "tmpfs-clean")
        try:
            with_clean.clear()
            load_paths([dataset], with_clean, batch_size=1_000)
            assert fingerprint(store) == fingerprint(with_clean)
        finally:
            with_clean.clear()
        restarted.stop()
