"""Writers are serialised (issue 14, item 7): two `policygraph load` at once into an empty
graph used to duplicate relationships. Now the second waits for the first, says so, and the
graph ends with exactly the distinct relationships; a writer that waits too long gives up
with a message and writes nothing; a killed writer frees the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from graph.store.falkor import FalkorStore
from graph.store.locks import StoreBusy, lock_path
from loaders.load import load_paths
from tests.conftest import REPO, scratch_graph
from tests.test_cli import POLICYGRAPH, VALID
from tests.test_hardening_crash import BATCH, NODES, RELATIONSHIPS, make_dataset
from tests.test_hardening_readonly import fingerprint

DUPLICATE_EDGES = ("MATCH (a)-[r]->(b) WITH a.id AS a, type(r) AS t, b.id AS b, count(r) AS c "
                   "WHERE c > 1 RETURN count(*) AS duplicates")


def start_load(env: dict[str, str], *paths) -> subprocess.Popen:
    return subprocess.Popen([POLICYGRAPH, "load", *map(str, paths)], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_concurrent_loads_end_with_exactly_the_distinct_relationships(server, cli_env, tmp_path):
    dataset = make_dataset(tmp_path / "generated")
    env = {**cli_env, "POLICYGRAPH_BATCH_SIZE": str(BATCH)}
    with scratch_graph(server, env["POLICYGRAPH_GRAPH"]) as graph, scratch_graph(server) as clean:
        first = start_load(env, dataset)
        second = start_load(env, dataset)
        outputs = [process.communicate(timeout=300) for process in (first, second)]
        assert [first.returncode, second.returncode] == [0, 0], outputs
        assert graph.counts() == (sum(NODES.values()), sum(RELATIONSHIPS.values())) == (2304, 6008)
        assert graph.read(DUPLICATE_EDGES).rows == [{"duplicates": 0}]
        waited = [err for _, err in outputs if "Another writer is changing the graph" in err]
        assert len(waited) == 1, "exactly one of the two waited for the other"
        assert "waiting up to 600 s" in " ".join(waited[0].split())
        load_paths([dataset], clean, batch_size=1_000)
        assert fingerprint(graph) == fingerprint(clean)


def test_a_load_that_waits_too_long_gives_up_and_writes_nothing(store, cli_env):
    env = {**cli_env, "POLICYGRAPH_GRAPH": store.graph_name, "POLICYGRAPH_WRITE_LOCK_TIMEOUT_S": "1"}
    with store.write_lock(timeout_s=0):
        started = time.monotonic()
        result = subprocess.run([POLICYGRAPH, "load", str(VALID)], env=env, cwd=REPO,
                                capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - started
    assert result.returncode == 1 and "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert f"Another writer is changing the graph '{store.graph_name}'" in message
    assert f"pid {os.getpid()}" in message and "waited 1 s" in message
    assert "POLICYGRAPH_WRITE_LOCK_TIMEOUT_S" in message
    assert waited >= 1
    assert store.counts() == (0, 0)


def test_in_process_writer_is_refused_while_another_holds_the_lock(server):
    with scratch_graph(server) as graph:
        other = FalkorStore(server, graph.graph_name)
        with other.write_lock(timeout_s=0):
            try:
                load_paths([VALID], graph, lock_timeout_s=0)
            except StoreBusy as error:
                assert "Another writer is changing the graph" in error.message
            else:
                raise AssertionError("the second writer was not refused")
        assert graph.counts() == (0, 0)
        load_paths([VALID], graph, lock_timeout_s=0)  # free again once released
        assert graph.counts() == (8, 8)
        other.close()


def test_a_killed_writer_frees_the_lock(server, cli_env, tmp_path):
    dataset = make_dataset(tmp_path / "generated")
    env = {**cli_env, "POLICYGRAPH_BATCH_SIZE": str(BATCH)}
    with scratch_graph(server, env["POLICYGRAPH_GRAPH"]) as graph:
        load = start_load(env, dataset)
        deadline = time.monotonic() + 120
        while graph.counts()[0] < 100:
            assert load.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(load.pid, signal.SIGKILL)
        load.wait(timeout=30)
        assert lock_path(server.home, graph.graph_name).exists()
        with graph.write_lock(timeout_s=0):  # the kernel released the dead writer's flock
            pass
