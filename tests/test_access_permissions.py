"""The data directory is private (issue 14, item 14): on the real store, after a start and a
write, every directory under the home is 700 and every file 600 (AOF files, log, pidfile,
socket); a home left too open is made private at start; one owned by someone else is refused."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

from graph.errors import ConfigError
from graph.store.embedded import EmbeddedServer
from graph.store.falkor import FalkorStore
from graph.store.permissions import OWN_ENTRIES
from tests.conftest import short_tempdir


def _modes_that_are_not_private(home: Path) -> list[str]:
    """Every path under `home` (itself included) whose mode is not 700 (dirs) / 600 (files)."""
    wrong = []
    for path in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        want = 0o700 if path.is_dir() else 0o600
        if mode != want:
            wrong.append(f"{path.relative_to(home.parent)} {mode:o} (want {want:o})")
    return wrong


def _wait_for_rewrite(graph: FalkorStore) -> None:
    deadline = time.monotonic() + 30
    while graph._db.connection.info("persistence")["aof_rewrite_in_progress"]:
        assert time.monotonic() < deadline, "the AOF rewrite did not finish within 30 s"
        time.sleep(0.05)


@pytest.fixture
def fresh_home():
    home = short_tempdir("pgperm") / "home"  # not made by mkdtemp: the store must create it
    yield home
    shutil.rmtree(home.parent, ignore_errors=True)


def test_everything_the_store_creates_is_private(fresh_home):
    old_umask = os.umask(0o022)  # what a person's shell usually has: files 644, dirs 755
    try:
        server = EmbeddedServer(fresh_home)
        server.start()
    finally:
        os.umask(old_umask)
    try:
        graph = FalkorStore(server, "perm")
        graph.write_batch("UNWIND $rows AS row MERGE (n:Agency {id: row.id})",
                          [{"id": f"a{i}"} for i in range(50)])
        graph._db.connection.bgrewriteaof()  # new AOF files come from a forked child
        _wait_for_rewrite(graph)
        graph.write("MERGE (:Agency {id: 'after-rewrite'})")
        graph.close()
        names = {p.name for p in fresh_home.rglob("*")}
        assert {"appendonlydir", "store.log", "store.pid", "store.sock", ".start.lock"} <= names
        assert any(name.endswith(".incr.aof") for name in names)
        assert stat.S_ISSOCK(server.socket.stat().st_mode)
        assert _modes_that_are_not_private(fresh_home) == []
    finally:
        server.stop()


def test_another_user_cannot_read_the_data(fresh_home):
    if os.getuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root and runuser to act as another user")
    server = EmbeddedServer(fresh_home)
    server.start()
    try:
        aof = next((fresh_home / "appendonlydir").glob("*.aof"))
        shutil.chown(fresh_home.parent, "nobody")  # let nobody reach the home, not enter it
        result = subprocess.run(["runuser", "-u", "nobody", "--", "cat", str(aof)],
                                capture_output=True, text=True, timeout=30)
        assert result.returncode != 0 and "Permission denied" in result.stderr
    finally:
        server.stop()


def test_a_home_left_open_is_made_private_at_start(fresh_home, caplog):
    fresh_home.mkdir(mode=0o755)
    os.chmod(fresh_home, 0o755)
    aof_dir = fresh_home / "appendonlydir"
    aof_dir.mkdir()
    os.chmod(aof_dir, 0o755)
    (fresh_home / "store.log").write_text("an older version's log\n")
    os.chmod(fresh_home / "store.log", 0o644)
    notes = fresh_home / "notes.txt"  # not the store's: left as its owner set it
    notes.write_text("mine\n")
    os.chmod(notes, 0o644)
    server = EmbeddedServer(fresh_home)
    with caplog.at_level(logging.WARNING, logger="graph.store.permissions"):
        server.start()
    try:
        assert stat.S_IMODE(fresh_home.stat().st_mode) == 0o700
        assert stat.S_IMODE(aof_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE((fresh_home / "store.log").stat().st_mode) == 0o600
        assert stat.S_IMODE(notes.stat().st_mode) == 0o644
        warned = caplog.text
        assert f"{fresh_home} was readable by other users" in warned
        assert f"{aof_dir} was readable by other users" in warned
        assert "notes.txt" not in warned
    finally:
        server.stop()


def test_a_home_owned_by_another_user_is_refused(fresh_home):
    if os.getuid() == 0:  # root can give a directory away; anyone else finds one of root's
        fresh_home.mkdir(mode=0o700)
        shutil.chown(fresh_home, "nobody")
        home = fresh_home
    else:
        home = Path("/tmp")
    before = _store_entries(home)  # /tmp is shared: look only at what the store would make
    server = EmbeddedServer(home)
    with pytest.raises(ConfigError, match=f"The data directory {home} belongs to another user"):
        server.start()
    assert _store_entries(home) == before, "a refused home must be left as it was"


def _store_entries(home: Path) -> set[str]:
    return {name for name in OWN_ENTRIES if (home / name).exists()}
