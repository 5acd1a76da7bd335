"""`policygraph db backup`, `db restore` and `db check` (issue 16), on the real store."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading

import pytest

from graph.store.backup import BackupError, backup, manifest_of, restore
from graph.store.falkor import FalkorStore
from loaders.check import check_graph
from loaders.load import load_paths
from tests.conftest import REPO
from tests.test_cli import POLICYGRAPH, VALID
from tests.test_hardening_readonly import fingerprint
from tests.test_statements import NOTICE, REPORT, write
from tests.test_sync_crash import state


def cli(home, *args):
    env = {"PATH": "/usr/bin:/bin", "POLICYGRAPH_HOME": str(home), "POLICYGRAPH_GRAPH": "g"}
    return subprocess.run([POLICYGRAPH, *args], capture_output=True, text=True, env=env,
                          timeout=300, cwd=REPO)


def test_backup_and_restore_round_trip_the_fingerprint(own_server, tmp_path):
    store = FalkorStore(own_server, "g")
    load_paths([write(tmp_path, "notice.yaml", NOTICE)], store)
    load_paths([write(tmp_path, "report.yaml", REPORT)], store)
    other = FalkorStore(own_server, "other")
    load_paths([VALID], other)
    before, before_other = state(store), fingerprint(other)
    result = cli(own_server.home, "db", "backup", str(tmp_path / "snap.rdb"))
    assert result.returncode == 0, result.stderr
    store.clear()
    load_paths([VALID], store)
    assert state(store) != before
    result = cli(own_server.home, "db", "restore", str(tmp_path / "snap.rdb"))
    assert result.returncode == 0, result.stderr
    assert "previous append-only files are kept in" in result.stderr
    assert list(own_server.home.glob("appendonlydir.before-restore-*"))
    assert state(FalkorStore(own_server, "g")) == before
    assert fingerprint(FalkorStore(own_server, "other")) == before_other
    own_server.stop()  # the restored data is in the append-only file like any other
    own_server.start()
    assert state(FalkorStore(own_server, "g")) == before


def test_a_backup_taken_during_a_load_holds_whole_batches(own_server, tmp_path):
    from tests.test_hardening_crash import NODES, assert_whole_batches, by_label, make_dataset

    dataset = make_dataset(tmp_path / "generated")
    store = FalkorStore(own_server, "g")
    loader = threading.Thread(target=load_paths, args=([dataset], store), kwargs={"batch_size": 10})
    loader.start()
    while store.counts()[0] < 200:
        pass
    backup(own_server, tmp_path / "mid.rdb")
    loader.join()
    restore(own_server, tmp_path / "mid.rdb")
    restored = FalkorStore(own_server, "g")
    assert restored.counts()[0] >= 200
    assert_whole_batches(by_label(restored), NODES)


def test_backup_and_restore_refuse_bad_files(own_server, tmp_path):
    (tmp_path / "taken").write_text("x")
    with pytest.raises(BackupError, match="exists already"):
        backup(own_server, tmp_path / "taken")
    with pytest.raises(BackupError, match="is not a policygraph backup"):
        restore(own_server, tmp_path / "taken")
    assert own_server.ping(), "a refused restore leaves the store running"


def test_db_check_finds_nothing_in_a_loaded_graph(bundled_store):
    assert check_graph(bundled_store) == []


def test_db_check_names_every_kind_of_damage(store, tmp_path):
    load_paths([write(tmp_path, "notice.yaml", NOTICE)], store)
    load_paths([write(tmp_path, "report.yaml", REPORT)], store)
    store.write("MATCH (n:Agency {id: 'bo-b'}) SET n.kind = 'bogus'")
    store.write("MATCH (n:Agency {id: 'bo-b'}) SET n.sources = ['src-nope']")
    store.write("MATCH (n:Task {id: 'task-1'}) SET n.deadline = '2030-01-01'")  # not what sources say
    store.write("CREATE (:Agency {id: 'bo-a', name: 'Second', kind: 'ministry', sources: ['src-notice']})")
    store.write("MATCH (a:Task {id: 'task-1'}), (b:Agency {id: 'bo-b'}) CREATE (a)-[:SUPPORTED_BY "
                "{sources: ['src-notice']}]->(b)")
    store.write("MATCH (n:Agency {id: 'bo-a'}) WITH n LIMIT 1 SET n.name = 'Renamed'")
    problems = [str(p) for p in check_graph(store)]
    expected = [
        "node 'bo-b' [kind]: kind must be one of",
        "node 'bo-b' [sources]: unknown source 'src-nope'",
        "node 'task-1' [deadline]: does not follow from the statements",
        "[id]: duplicate id 'bo-a'",
        "relationship 'task-1' -SUPPORTED_BY-> 'bo-b': is stored more than once",
        "[search_key]: search_key does not follow from the names",
    ]
    for text in expected:
        assert any(text in p for p in problems), (text, problems)
    result_env = {"POLICYGRAPH_HOME": str(store.server.home), "POLICYGRAPH_GRAPH": store.graph_name,
                  "PATH": "/usr/bin:/bin"}
    result = subprocess.run([POLICYGRAPH, "db", "check"], capture_output=True, text=True,
                            env=result_env, timeout=120, cwd=REPO)
    assert result.returncode == 1 and "problem(s) in the graph" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_backup_file_is_private(own_server, tmp_path):
    out = tmp_path / "private.rdb"
    old_umask = os.umask(0o022)  # the usual umask, under which files come out 644
    try:
        backup(own_server, out)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def _damaged(source, out, damage) -> None:
    """A copy of backup `source` (and its manifest) at `out`, changed by `damage(bytes, dict)`."""
    data = bytearray(source.read_bytes())
    manifest = json.loads(manifest_of(source).read_text())
    data = damage(data, manifest)
    out.write_bytes(bytes(data))
    manifest_of(out).write_text(json.dumps(manifest))


@pytest.mark.parametrize(("damage", "message"), [
    (lambda data, _: data[: len(data) // 2], "is truncated or was changed"),
    (lambda data, _: data[:-20] + bytes(20), "does not match the SHA-256"),
    (lambda data, m: (m["graphs"]["g"].__setitem__(0, 999), data)[1],
     "does not hold what its manifest records: g: 999 nodes"),
])
def test_a_damaged_backup_is_refused_and_the_old_data_kept(own_server, tmp_path, damage,
                                                           message):
    store = FalkorStore(own_server, "g")
    load_paths([VALID], store)
    backup(own_server, tmp_path / "good.rdb")
    manifest = json.loads(manifest_of(tmp_path / "good.rdb").read_text())
    assert manifest["graphs"]["g"] == list(store.counts())
    assert stat.S_IMODE(manifest_of(tmp_path / "good.rdb").stat().st_mode) == 0o600
    load_paths([write(tmp_path, "notice.yaml", NOTICE)], store)
    before = state(store)
    _damaged(tmp_path / "good.rdb", tmp_path / "bad.rdb", damage)
    with pytest.raises(BackupError, match=message):
        restore(own_server, tmp_path / "bad.rdb")
    assert own_server.ping()
    assert state(FalkorStore(own_server, "g")) == before
    assert not (own_server.home / "restoring").exists()
    assert not list(own_server.home.glob("appendonlydir.*"))


def test_a_backup_without_its_manifest_is_refused(own_server, tmp_path):
    backup(own_server, tmp_path / "alone.rdb")
    manifest_of(tmp_path / "alone.rdb").unlink()
    with pytest.raises(BackupError, match="Cannot read the manifest .*alone.rdb.manifest.json"):
        restore(own_server, tmp_path / "alone.rdb")


def test_a_restore_checks_the_backup_in_a_store_launched_as_db_start_launches_it(own_server, tmp_path,
                                                                               monkeypatch):
    """Issue 29, item 8: the store a restore loads the backup into first ran without the limits,
    network isolation and umask of `db start`. Each store it starts is looked at while it runs."""
    from pathlib import Path

    from graph.store.embedded import MB, EmbeddedServer

    store = FalkorStore(own_server, "g")
    load_paths([VALID], store)
    backup(own_server, tmp_path / "b.rdb")
    seen = []
    launch = EmbeddedServer.start

    def watched(server, *args, **kwargs):
        started = launch(server, *args, **kwargs)
        pid = server.pid()
        limits = Path(f"/proc/{pid}/limits").read_text()
        address = next(r for r in limits.splitlines() if r.startswith("Max address space")).split()[3]
        connection = FalkorStore(server, "g", start=False)._db.connection
        config = dict(connection.execute_command("GRAPH.CONFIG", "GET", "*"))
        seen.append((server.home.name, kwargs.get("from_snapshot", False), int(address),
                     config["QUERY_MEM_CAPACITY"],
                     Path(f"/proc/{pid}/ns/net").readlink() != Path("/proc/self/ns/net").readlink()))
        return started

    monkeypatch.setattr(EmbeddedServer, "start", watched)
    restore(own_server, tmp_path / "b.rdb")
    bounds = (own_server.limits.store_memory_mb * MB, own_server.limits.query_memory_mb * MB, True)
    staged = [s for s in seen if s[1]]
    assert staged and all(s[2:] == bounds for s in seen), seen
    assert staged[0][0] != own_server.home.name  # loaded apart first, then swapped in
    for path in (own_server.home / "appendonlydir").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert state(FalkorStore(own_server, "g"))
