"""Crash safety of replacement and retraction (issue 16): `policygraph load` replacing a
source and `policygraph retract` killed with SIGKILL mid-way, then run again, leave exactly
the graph an uninterrupted run leaves: fingerprint-equal, statements included."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from loaders.load import load_paths
from tests.conftest import REPO, lowest_priority, scratch_graph
from tests.test_hardening_crash import AGENCIES, BATCH, TASKS, make_dataset
from tests.test_hardening_readonly import fingerprint

POLICYGRAPH = str(Path(os.sys.executable).with_name("policygraph"))
STATEMENTS = ("MATCH (n) RETURN n.id AS id, n._pg_statements AS s ORDER BY id",
              "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
              "r._pg_statements AS s ORDER BY a, t, b")


def state(store) -> tuple:
    return fingerprint(store), [store.read(q).rows for q in STATEMENTS]


def corrected(v1: Path, folder: Path) -> Path:
    """v1 as its source corrects it: agencies renamed, every odd task withdrawn."""
    folder.mkdir()
    for path in v1.iterdir():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        header, rows = lines[0], lines[1:]
        if path.name == "Agency.csv":
            rows = [row.replace(",ministry,", " (v2),ministry,", 1) for row in rows]
        elif path.name == "Task.csv":
            rows = [row for row in rows if int(row.split(",")[0].split("-")[1]) % 2 == 0]
        elif path.name in ("LED_BY.csv", "SUPPORTED_BY.csv", "DEPENDS_ON.csv"):
            rows = [row for row in rows if all(
                int(end.split("-")[1]) % 2 == 0 for end in row.split(",")[:2] if end.startswith("task-"))]
        (folder / path.name).write_text(header + "".join(rows), encoding="utf-8")
    return folder


def other_source(folder: Path) -> Path:
    """A second source that also states the first 50 agencies."""
    folder.mkdir()
    (folder / "Source.csv").write_text("id,name\nsrc-other,Another source\n", encoding="utf-8")
    (folder / "Agency.csv").write_text("id,name,kind,sources\n" + "".join(
        f"ag-{i},Cơ quan {i} (other),ministry,src-other\n" for i in range(50)), encoding="utf-8")
    return folder


def kill_when(env: dict[str, str], args: list[str], store, ready) -> None:
    process = subprocess.Popen([POLICYGRAPH, *args], env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=lowest_priority)
    try:
        deadline = time.monotonic() + 120
        while not ready(store):
            assert process.poll() is None, "finished before the kill point: " + \
                process.stderr.read().decode(errors="replace")[-500:]
            assert time.monotonic() < deadline, "never reached the kill point"
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def run(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([POLICYGRAPH, *args], env=env, cwd=REPO, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def renamed(store) -> int:
    return store.read("MATCH (a:Agency) WHERE a.name ENDS WITH '(v2)' RETURN count(a) AS n").rows[0]["n"]


def test_a_replacement_killed_twice_then_rerun_gives_the_new_graph(server, cli_env, tmp_path):
    v1 = make_dataset(tmp_path / "v1")
    v2 = corrected(v1, tmp_path / "v2")
    env = {**cli_env, "POLICYGRAPH_BATCH_SIZE": str(BATCH)}
    with scratch_graph(server, env["POLICYGRAPH_GRAPH"]) as graph, scratch_graph(server) as clean:
        load_paths([v1], graph, batch_size=1_000)
        old = state(graph)
        # 1. killed among the upserts (agencies being renamed)
        kill_when(env, ["load", str(v2)], graph, lambda s: renamed(s) >= 50)
        assert 50 <= renamed(graph) < AGENCIES
        assert state(graph) != old
        # 2. run again, killed among the deletions (the odd tasks going)
        total = AGENCIES + TASKS + 1
        kill_when(env, ["load", str(v2)], graph, lambda s: s.counts()[0] <= total - 200)
        nodes = graph.counts()[0]
        assert AGENCIES + TASKS // 2 + 2 < nodes <= total - 200, nodes
        # 3. run again to the end: exactly the graph of an uninterrupted replacement
        run(env, "load", str(v2))
        load_paths([v1], clean, batch_size=1_000)
        load_paths([v2], clean, batch_size=1_000)
        assert state(graph) == state(clean)
        assert graph.counts() == (AGENCIES + TASKS // 2 + 2, clean.counts()[1])


def test_a_retraction_killed_then_rerun_gives_the_graph_without_the_source(server, cli_env, tmp_path):
    v1 = make_dataset(tmp_path / "v1")
    other = other_source(tmp_path / "other")
    env = {**cli_env, "POLICYGRAPH_BATCH_SIZE": str(BATCH)}
    with scratch_graph(server, env["POLICYGRAPH_GRAPH"]) as graph, scratch_graph(server) as clean:
        load_paths([v1], graph, batch_size=1_000)
        load_paths([other], graph, batch_size=1_000)
        total = graph.counts()[0]
        kill_when(env, ["retract", "src-gen"], graph, lambda s: s.counts()[0] <= total - 300)
        nodes = graph.counts()[0]
        assert 51 < nodes <= total - 300, nodes
        run(env, "retract", "src-gen")
        load_paths([other], clean, batch_size=1_000)
        assert state(graph) == state(clean)
        assert graph.counts() == (51, 0)
