"""The synthetic national dataset: deterministic per seed, the asked sizes, loadable through the
validating loader, with dependency chains several levels deep and consistent status histories."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cli.generate import register
from graph.errors import PolicygraphError
from loaders.generate import GenerateConfig, generate
from loaders.load import load_paths

TINY = GenerateConfig(provinces=3, communes=9, tasks=300, seed=7, laws=12, experts=20,
                      meetings=4, obstacles=5)


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.csv"))}


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    rows = []
    for path in sorted(folder.rglob(f"{name}.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("gen") / "tiny"
    return out, generate(out, TINY)


def test_same_seed_same_bytes_other_seed_other_data(tiny, tmp_path):
    out, _ = tiny
    again = generate(tmp_path / "again", TINY)
    assert _digest(again.out) == _digest(out)
    other = generate(tmp_path / "other", GenerateConfig(**{**TINY.__dict__, "seed": 8}))
    assert _digest(other.out).keys() == _digest(out).keys()
    assert _digest(other.out) != _digest(out)


def test_counts_follow_the_config_and_the_files(tiny):
    out, report = tiny
    assert report.nodes["Task"] == 300
    assert report.nodes["Law"] == 12
    assert report.nodes["Expert"] == 20 + 1  # and the AI cohort
    assert report.nodes["Meeting"] == 4
    for label, count in report.nodes.items():
        assert len(_rows(out, label)) == count, label
    for rel_type, count in report.relationships.items():
        assert len(_rows(out, rel_type)) == count, rel_type
    agencies = {row["id"]: row for row in _rows(out, "Agency")}
    part_of = [(r["from"], r["to"]) for r in _rows(out, "PART_OF")]
    provinces = [a for a, b in part_of if b == "syn-chinh-phu" and a.startswith("syn-ubnd-")]
    communes = [a for a, b in part_of if b in provinces and a.startswith("syn-ubnd-")]
    assert len(provinces) == 3 and len(communes) == 9
    assert all(agencies[c]["kind"] == "local" for c in communes)
    assert {r["kind"] for r in _rows(out, "Place")} == {"city", "commune"}  # Hà Nội, Huế, Hải Phòng
    assert all(r["id"].startswith("syn-") for label in report.nodes for r in _rows(out, label))


def test_every_task_has_a_lead_a_document_a_deadline_and_a_history(tiny):
    out, _ = tiny
    tasks = {r["id"]: r for r in _rows(out, "Task")}
    led = {r["from"] for r in _rows(out, "LED_BY")}
    assigned = {r["from"] for r in _rows(out, "ASSIGNED_IN")}
    history: dict[str, list[tuple[str, str]]] = {}
    changes = {r["id"]: r for r in _rows(out, "StatusChange")}
    for rel in _rows(out, "HAS_STATUS"):
        change = changes[rel["to"]]
        history.setdefault(rel["from"], []).append((change["on"], change["status"]))
    assert led == assigned == set(tasks)
    for task_id, task in tasks.items():
        assert task["deadline"] and task["sources"]
        assert task["status"] == max(history[task_id])[1], task_id


def test_loads_through_the_validating_loader_with_chains_and_histories(tiny, store):
    out, report = tiny
    loaded = load_paths([out], store)
    assert (loaded.node_count, loaded.relationship_count) == (report.node_count,
                                                             report.relationship_count)
    assert store.counts() == (report.node_count, report.relationship_count)
    longest = store.read(
        "MATCH p = (t:Task)-[:DEPENDS_ON*1..6]->(l:Law) RETURN max(length(p)) AS hops").rows
    assert longest[0]["hops"] >= 4
    chain = store.read(
        "MATCH (c:Task)-[:LED_BY]->(:Agency)-[:PART_OF]->(:Agency)"
        "-[:PART_OF]->(:Agency {id: 'syn-chinh-phu'}) "
        "MATCH (c)-[:DEPENDS_ON]->(p:Task)-[:DEPENDS_ON]->(t:Task)-[:DEPENDS_ON]->(l:Law) "
        "WHERE t.id STARTS WITH 'syn-task-tw-' RETURN count(*) AS n").rows
    assert chain[0]["n"] > 0, "commune task -> provincial task -> central task -> law"
    laws = store.read(
        "MATCH (l:Law)-[:HAS_STATUS]->(s) WITH l, s ORDER BY s.on DESC "
        "WITH l, collect(s) AS h RETURN l.status = h[0].status AND l.status_on = h[0].on AS ok, "
        "size(h) AS n").rows
    assert len(laws) == 12 and all(row["ok"] for row in laws)
    assert max(row["n"] for row in laws) >= 3


def test_no_task_is_done_before_what_it_depends_on(tiny):
    out, _ = tiny
    changes = {r["id"]: r for r in _rows(out, "StatusChange")}
    done_on: dict[str, str] = {}
    for rel in _rows(out, "HAS_STATUS"):
        change = changes[rel["to"]]
        if change["status"] in ("done", "passed"):
            done_on[rel["from"]] = change["on"]
        elif change["status"] == "in_force":
            done_on.setdefault(rel["from"], change["on"])
    checked = 0
    for rel in _rows(out, "DEPENDS_ON"):
        if rel["from"] in done_on and not rel["to"].startswith("syn-doc-"):
            assert rel["to"] in done_on, f"{rel['from']} is done, {rel['to']} never is"
            assert done_on[rel["to"]] <= done_on[rel["from"]]
            checked += 1
    assert checked > 0


@pytest.mark.slow  # builds the 100,000-task country
def test_national_defaults_reach_the_asked_size(tmp_path):
    report = generate(tmp_path / "national")
    assert report.nodes["Task"] == 100_000
    assert report.relationship_count >= 400_000
    assert report.nodes["Agency"] > 3_321 + 34
    assert max(p.stat().st_size for p in report.files) < 50 * 1024 * 1024  # the reader's limit


def test_impossible_sizes_and_used_folders_are_refused(tmp_path):
    with pytest.raises(PolicygraphError, match="--tasks must be at least 17"):
        generate(tmp_path / "a", GenerateConfig(provinces=2, communes=7, tasks=10))
    with pytest.raises(PolicygraphError, match="--communes must be at least --provinces"):
        generate(tmp_path / "b", GenerateConfig(provinces=5, communes=3))
    used = tmp_path / "used"
    used.mkdir()
    (used / "notes.txt").write_text("mine")
    with pytest.raises(PolicygraphError, match="is not empty"):
        generate(used, TINY)
    assert [p.name for p in used.iterdir()] == ["notes.txt"]


def test_cli_command_writes_the_files_and_reports_counts(tmp_path):
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:  # a group, so the command is addressed by name as in policygraph
        pass

    out = tmp_path / "cli"
    result = CliRunner().invoke(app, ["generate", "--out", str(out), "--provinces", "2",
                                      "--communes", "4", "--tasks", "60", "--seed", "3",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '{"kind": "node", "name": "Task", "count": 60}' in result.stdout
    assert (out / "Task.csv").exists() and (out / "DEPENDS_ON.csv").exists()
