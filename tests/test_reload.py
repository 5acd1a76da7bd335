"""A reload of unchanged files writes nothing (loaders/fingerprint.py): the same files, with
nothing written to the graph since, are reported unchanged without being read; a changed file,
a write in between, a retraction or a load that did not end take the normal path."""

from __future__ import annotations

import shutil

import pytest

from graph import blocking_state
from loaders import fingerprint
from loaders.generate import GenerateConfig, generate
from loaders.load import load_paths, retract_source
from tests.cli_run import run_cli
from tests.conftest import scratch_graph
from tests.test_hardening_readonly import fingerprint as graph_state
from tests.test_loader import VALID

SMALL = GenerateConfig(provinces=2, communes=6, tasks=60, experts=4)


@pytest.fixture
def country(tmp_path):
    folder = tmp_path / "country"
    generate(folder, SMALL)
    return folder


def test_a_reload_of_the_same_files_writes_nothing(store, tmp_path):
    data = tmp_path / "valid.yaml"
    shutil.copy(VALID, data)
    first = load_paths([data], store)
    assert first.unchanged_since is None and first.changes
    revision, state = store.revision(), graph_state(store)
    again = load_paths([data], store)
    assert again.unchanged_since is not None and again.changes == []
    assert (again.nodes, again.relationships) == (first.nodes, first.relationships)
    assert store.revision() == revision and graph_state(store) == state
    assert fingerprint.last_load(store).revision == revision  # not even the record rewritten


def test_a_changed_file_takes_the_normal_path(store, tmp_path):
    data = tmp_path / "valid.yaml"
    shutil.copy(VALID, data)
    load_paths([data], store)
    data.write_text(VALID.read_text(encoding="utf-8").replace(
        "name_en: Ministry of Finance", "name_en: Ministry of Finance (MOF)"), encoding="utf-8")
    changed = load_paths([data], store)
    assert changed.unchanged_since is None and changed.changes
    assert store.read("MATCH (a:Agency {id: 'bo-tai-chinh'}) RETURN a.name_en AS n").rows == \
        [{"n": "Ministry of Finance (MOF)"}]
    assert load_paths([data], store).unchanged_since is not None  # recorded again


def test_a_write_in_between_takes_the_normal_path_and_is_undone(store, tmp_path):
    data = tmp_path / "valid.yaml"
    shutil.copy(VALID, data)
    load_paths([data], store)
    state = graph_state(store)
    store.write("MATCH (a:Agency {id: 'bo-tai-chinh'}) SET a.name_en = 'someone else'")
    again = load_paths([data], store)
    assert again.unchanged_since is None and [c.action for c in again.changes] == ["changed"]
    assert graph_state(store) == state


def test_a_retraction_then_the_same_files_load_again(store, tmp_path):
    data = tmp_path / "valid.yaml"
    shutil.copy(VALID, data)
    load_paths([data], store)
    state = graph_state(store)
    retract_source("src-test", store)
    assert store.counts() == (0, 0)
    again = load_paths([data], store)
    assert again.unchanged_since is None and graph_state(store) == state


def test_a_stale_derived_state_is_not_skipped_over(server, country):
    with scratch_graph(server) as store:
        load_paths([country], store)
        blocking_state.derived_store(store).write("MATCH (b:Blocks) WITH b LIMIT 1 DELETE b")
        assert not blocking_state.is_current(store)
        assert load_paths([country], store).unchanged_since is None  # the normal path repairs it
        assert blocking_state.is_current(store)
        assert load_paths([country], store).unchanged_since is not None


class Killed(Exception):
    pass


def test_a_load_that_did_not_end_leaves_no_record_that_claims_it(server, country, tmp_path):
    """A load of other files stopped after its first batch (as a kill leaves it): no record
    is left (it was forgotten before the first write), so loading the first files again
    takes the normal path and gives their graph."""
    other = tmp_path / "other"
    shutil.copytree(country, other)
    agencies = other / "Agency.csv"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace(",ministry,", " (v2),ministry,"),
                        encoding="utf-8")
    with scratch_graph(server) as store:
        load_paths([country], store)
        state, recorded = graph_state(store), fingerprint.last_load(store)
        assert recorded is not None

        def stop(done: int, total: int) -> None:
            raise Killed

        with pytest.raises(Killed):
            load_paths([other], store, batch_size=5, progress=stop)
        assert graph_state(store) != state  # its first batch was written
        assert fingerprint.last_load(store) is None
        # even with the revision as recorded (a write that landed, its bump killed): no skip
        store._db.connection.set(store._revision_key, recorded.revision)
        again = load_paths([country], store)
        assert again.unchanged_since is None and again.changes
        assert graph_state(store) == state
        assert load_paths([country], store).unchanged_since is not None


def test_the_cli_says_nothing_was_loaded(cli_env, tmp_path):
    data = tmp_path / "valid.yaml"
    shutil.copy(VALID, data)
    first = run_cli(cli_env, "load", str(data))
    assert first.returncode == 0, first.stderr
    assert "nothing to load" not in first.stderr
    again = run_cli(cli_env, "load", str(data))
    assert again.returncode == 0, again.stderr
    assert "nothing to load: same files as the last load at " in again.stderr
    assert "8 nodes and 8 relationships" in again.stderr
