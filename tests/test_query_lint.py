"""Every named query is valid Neo4j 5 Cypher by Neo4j's own linter (queries/lint/lint.mjs), and
uses only functions both stores run (queries/lint/portable.json, each sample run on FalkorDB).

The linter needs node and `npm ci --prefix queries/lint`; the CI installs both. Without them the
linter tests are skipped with that instruction; the FalkorDB half always runs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from loaders.load import load_paths
from queries import library
from tests.conftest import REPO, scratch_graph
from tests.test_queries import FIXTURE

LINT_DIR = REPO / "queries" / "lint"
LINTER = LINT_DIR / "lint.mjs"
QUERY_FILES = sorted((REPO / "queries").glob("*.cypher"))
PORTABLE = json.loads((LINT_DIR / "portable.json").read_text(encoding="utf-8"))
NODE = shutil.which("node")
needs_linter = pytest.mark.skipif(
    NODE is None or not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(),
    reason="Neo4j's linter is not installed: install node, then `npm ci --prefix queries/lint`.")


# what the linter said of each text, kept between runs (lint.mjs --cache): Neo4j's semantic
# analysis is about a second a query, and a query, the schema and the linter rarely change
LINT_CACHE = REPO / ".pytest_cache" / "d" / "query-lint.json"


def lint(*files, cwd=REPO, cache: Path | None = LINT_CACHE) -> tuple[int, dict]:
    kept = []
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        kept = ["--cache", str(cache)]
    result = subprocess.run([NODE, str(LINTER), "--json", *kept, *map(str, files)],
                            capture_output=True, text=True, cwd=cwd, timeout=300)
    return result.returncode, json.loads(result.stdout) if result.stdout else {}


@pytest.fixture(scope="module")
def library_and_samples_linted(tmp_path_factory) -> tuple[int, dict, list]:
    """One linter run over every named query and every portable sample (starting Neo4j's
    linter costs about as much as linting four queries): its exit code, its report, the
    sample files."""
    folder = tmp_path_factory.mktemp("portable-samples")
    samples = []
    for name, sample in {**PORTABLE["functions"], **PORTABLE["procedures"]}.items():
        path = folder / f"{name}.cypher"
        path.write_text(sample + "\n", encoding="utf-8")
        samples.append(path)
    code, report = lint(*QUERY_FILES, *samples)
    return code, report, samples


def _diagnostics(report: dict, files) -> list[str]:
    """The report's lines about *files* (it names a file inside the repository relatively)."""
    wanted = {Path(file).resolve() for file in files}
    return [f"{d['file']}:{d['line']}: {d['severity']}: {d['message']}"
            for d in report["diagnostics"] if (REPO / d["file"]).resolve() in wanted]


@pytest.mark.slow  # Neo4j's linter takes about 0.7 s a query
@needs_linter
def test_every_named_query_lints_clean_as_neo4j_5(library_and_samples_linted):
    code, report, samples = library_and_samples_linted
    assert len(QUERY_FILES) == len(library())
    assert _diagnostics(report, QUERY_FILES) == [], "\n".join(_diagnostics(report, QUERY_FILES))
    assert (report["files"], report["errors"], code) == (len(QUERY_FILES) + len(samples), 0, 0)


@needs_linter
def test_portable_samples_are_neo4j_5_cypher(library_and_samples_linted):
    _, report, samples = library_and_samples_linted
    assert len(samples) == len(PORTABLE["functions"]) + len(PORTABLE["procedures"])
    assert _diagnostics(report, samples) == []


@needs_linter
def test_the_linter_reports_each_kind_of_mistake_with_its_place(tmp_path):
    bad = tmp_path / "bad.cypher"
    bad.write_text(
        "// title: Broken on purpose\n"
        "// param: as_of date = today -- a date\n"
        "MATCH (t:Taks)-[:DEPENDS_ON]->(l:Law)\n"
        "WHERE l.status_on <= $as_of AND t.deadlne < $until\n"
        "RETURN elementId(t) AS handle, missing\n", encoding="utf-8")
    code, report = lint(bad)
    assert code == 1
    found = {(d["line"], d["severity"], d["message"]) for d in report["diagnostics"]}
    assert found == {
        (3, "error", "Label Taks is not in graph/schema.yaml"),
        (4, "error", "Property deadlne is not in graph/schema.yaml"),
        (4, "error", "Parameter $until is not defined."),
        (5, "error", "Function elementId is not one both FalkorDB and Neo4j 5 run "
                     "(queries/lint/portable.json)"),
        (5, "error", "Variable `missing` not defined"),
    }


@needs_linter
def test_the_cache_says_what_the_linter_says_and_forgets_a_changed_text(tmp_path):
    bad = tmp_path / "bad.cypher"
    bad.write_text("MATCH (t:Taks)\nRETURN t.deadlne AS d, missing\n", encoding="utf-8")
    cache = tmp_path / "lint-cache.json"
    fresh = lint(bad, cache=None)
    assert fresh[0] == 1 and len(fresh[1]["diagnostics"]) == 3
    assert lint(bad, cache=cache) == fresh
    assert lint(bad, cache=cache) == fresh, "from the cache, another answer"
    bad.write_text("MATCH (t:Task)\nRETURN t.deadline AS d\n", encoding="utf-8")
    assert lint(bad, cache=cache) == (0, {"files": 1, "errors": 0, "diagnostics": []})


@needs_linter
def test_text_output_is_file_line_message_and_exit_1(tmp_path):
    bad = tmp_path / "syntax.cypher"
    bad.write_text("MATCH (n:Task)\nRETURN n ORDER BY\n", encoding="utf-8")
    result = subprocess.run([NODE, str(LINTER), str(bad)], capture_output=True, text=True, cwd=REPO,
                            timeout=300)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{bad}:2:")
    assert ": error: " in result.stdout.splitlines()[0]
    assert "1 queries" in result.stderr


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_a_missing_linter_package_says_how_to_install_it(tmp_path):
    copy = tmp_path / "lint.mjs"
    copy.write_text(LINTER.read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run([NODE, str(copy)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "npm ci --prefix queries/lint" in result.stderr


@pytest.fixture(scope="module")
def graph(server):
    with scratch_graph(server) as store:
        load_paths([FIXTURE], store)
        yield store


@pytest.mark.parametrize("name", sorted({**PORTABLE["functions"], **PORTABLE["procedures"]}))
def test_every_portable_function_runs_on_falkordb(graph, name):
    sample = {**PORTABLE["functions"], **PORTABLE["procedures"]}[name]
    assert name.lower() in sample.lower()
    rows = graph.read(sample).rows
    assert rows, f"{name}: {sample} returned nothing"
