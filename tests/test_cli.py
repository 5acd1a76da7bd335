"""The `policygraph` command as a person runs it: real process, real store, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

POLICYGRAPH = str(Path(sys.executable).with_name("policygraph"))
VALID = REPO / "tests" / "fixtures" / "load" / "valid.yaml"


def run(env, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    result = subprocess.run([POLICYGRAPH, *args], capture_output=True, text=True, env=env,
                            timeout=120, cwd=REPO)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_cypher_json_prints_exactly_one_array(cli_env):
    run(cli_env, "load", str(VALID), check=True)
    result = run(cli_env, "query", "--cypher", "MATCH (n) RETURN count(n) AS n", "--format", "json",
                 check=True)
    assert json.loads(result.stdout) == [{"n": 8}]
    assert result.stdout.count("\n") == 1


def test_named_query_with_params_as_json_and_csv(cli_env):
    run(cli_env, "load", str(VALID), check=True)
    result = run(cli_env, "query", "node-relationships", "--param", "id=bo-khcn", "-f", "json", check=True)
    assert json.loads(result.stdout) == [
        {"relationship": "PART_OF", "direction": "out", "other_id": "bo-tai-chinh",
         "other_label": "Agency", "other_name": "Bộ Tài chính"},
        {"relationship": "SUPPORTED_BY", "direction": "in", "other_id": "task-1",
         "other_label": "Task", "other_name": "Báo cáo cơ chế PPP"},
    ]
    csv_out = run(cli_env, "query", "graph-summary", "-f", "csv", check=True).stdout.splitlines()
    assert csv_out[0] == "label,nodes" and "StatusChange,3" in csv_out


def test_write_through_cli_query_is_refused_without_traceback(cli_env):
    result = run(cli_env, "query", "--cypher", "CREATE (n:Agency {id: 'x'}) RETURN n")
    assert result.returncode == 1
    assert "read-only" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_invalid_load_lists_problems_exits_2_writes_nothing(cli_env, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("nodes:\n  - {label: Agency, id: x, name: X, kind: nope, sources: [src-none]}\n",
                   encoding="utf-8")
    result = run(cli_env, "load", str(bad))
    assert result.returncode == 2
    assert f"{bad}:2 [kind]" in result.stderr and f"{bad}:2 [sources]" in result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    count = run(cli_env, "query", "--cypher", "MATCH (n) RETURN count(n) AS n", "-f", "json", check=True)
    assert json.loads(count.stdout) == [{"n": 0}]


def test_unknown_query_and_missing_param_say_what_to_do(cli_env):
    unknown = run(cli_env, "query", "no-such-query")
    assert unknown.returncode == 1 and "policygraph query --list" in unknown.stderr
    missing = run(cli_env, "query", "node-relationships")
    assert missing.returncode == 1 and "--param id=" in missing.stderr


def test_db_status_reports_the_running_store(cli_env):
    result = run(cli_env, "db", "status", "-f", "json", check=True)
    [status] = json.loads(result.stdout)
    assert status["running"] is True and status["backend"] == "falkordb"
    assert status["socket"].endswith("store.sock")


def test_query_list_shows_the_library(cli_env):
    rows = json.loads(run(cli_env, "query", "--list", "-f", "json", check=True).stdout)
    assert {"name": "node-relationships", "title": "Everything directly connected to one entity",
            "params": "id:string"} in rows
