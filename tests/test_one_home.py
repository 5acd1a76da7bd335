"""One home per rule (issue 17): each rule is defined in one module, and the others use it."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli_app
from graph.export_formats import EXPORT_FORMATS, FORMATS


# -- the export registry -------------------------------------------------------------------------
def test_every_export_format_has_a_writer_that_resolves():
    for fmt in EXPORT_FORMATS.values():
        module, function = fmt.writer.split(":")
        assert callable(getattr(importlib.import_module(module), function)), fmt.name
        assert fmt.suffix.startswith(".") and "/" in fmt.media_type


def test_the_cli_and_the_api_offer_the_registry_formats():
    from cli.analysis import ExportFormat

    assert tuple(f.value for f in ExportFormat) == FORMATS
    refused = CliRunner().invoke(cli_app, ["export", "--format", "png", "--out", "x"])
    assert refused.exit_code == 2 and all(name in refused.output for name in FORMATS)
    spec = create_app().openapi()["paths"]["/api/export"]["get"]
    pattern = next(p for p in spec["parameters"] if p["name"] == "format")["schema"]["pattern"]
    assert pattern == "^(" + "|".join(FORMATS) + ")$"


# -- parameters: one binder (queries.bind_params), one description of a parameter -------------------
def test_named_queries_and_analytics_describe_parameters_with_one_model():
    schemas = create_app().openapi()["components"]["schemas"]
    refs = {schemas[model]["properties"]["params"]["items"]["$ref"]
            for model in ("QueryInfo", "AnalyticInfo")}
    assert refs == {"#/components/schemas/QueryParamInfo"}


# -- Cypher built in Python: in graph/cypher.py only ------------------------------------------------
REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "loaders", "queries", "api", "cli", "policygraph")
# The stores' own bookkeeping (counts, indexes, paging an analyst's query) is theirs.
CYPHER_HOMES = ("graph/cypher.py", "graph/store/")
_READ = re.compile(r"\bRETURN\s+(DISTINCT\s+)?[\w\[(*{$]")
_CLAUSE = re.compile(r"\b(MATCH|UNWIND|CALL|WITH|WHERE)\b")
_WRITE = re.compile(r"\b(MERGE|CREATE|SET|DELETE|REMOVE)\b")
_MESSAGES = {"hint", "http_hint"}  # examples shown to people, not statements sent


def _texts(tree: ast.AST):
    """Every string literal (an f-string with its holes as `{}`), but docstrings and hints."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in _MESSAGES:
            skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body \
                and isinstance(node.body[0], ast.Expr):
            skip.update(id(n) for n in ast.walk(node.body[0]))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def cypher_reads_outside_their_home() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            name = path.relative_to(REPO_ROOT).as_posix()
            if name.startswith(CYPHER_HOMES):
                continue
            for line, text in _texts(ast.parse(path.read_text(encoding="utf-8"))):
                if _READ.search(text) and _CLAUSE.search(text) and not _WRITE.search(text):
                    found.append(f"{name}:{line}: {text[:60]!r}")
    return sorted(set(found))


def test_no_cypher_read_is_built_outside_graph_cypher():
    assert cypher_reads_outside_their_home() == []


def test_the_grep_finds_a_read_written_elsewhere(tmp_path, monkeypatch):
    """The check itself: a module that builds a read of its own is named."""
    (tmp_path / "graph").mkdir()
    (tmp_path / "graph" / "sneaky.py").write_text(
        'def f(store, label):\n    """Docstring: MATCH (n) RETURN n is fine here."""\n'
        '    return store.read(f"MATCH (n:{label}) RETURN n.id AS id")\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "REPO_ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGES", ("graph",))
    assert cypher_reads_outside_their_home() == ["graph/sneaky.py:3: 'MATCH (n:{}) RETURN n.id AS id'"]


# -- the faces: api/, cli/ and the notebook client read through the core -------------------------
FACES = ("api", "cli", "policygraph")
STORE_READS = {"read", "counts", "revision", "ro_query", "query"}


def store_calls_in_faces() -> list[str]:
    """Calls `<something named store>.read(…)` (or counts, revision, a driver's query) in the
    faces: they go through `graph.core.PolicyGraph` or a core function instead."""
    found = []
    for package in FACES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and node.func.attr in STORE_READS:
                    owner = node.func.value
                    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
                    if "store" in name.lower():
                        found.append(f"{path.relative_to(REPO_ROOT).as_posix()}:{node.lineno}")
    return found


def test_api_cli_and_the_notebook_client_read_nothing_of_their_own():
    assert store_calls_in_faces() == []


# -- import directions -----------------------------------------------------------------------------
def test_the_import_contracts_in_pyproject_are_kept():
    """benchmarks over cli, over api and the notebook client, over loaders, over graph and its
    query library (no product package imports benchmarks; inside it only the runner imports the
    steps); the core's foundations import none of what is built on them (pyproject's importlinter)."""
    lint = Path(sys.executable).with_name("lint-imports")
    assert lint.exists(), "import-linter is a test extra: make .venv/.installed-test installs it"
    done = subprocess.run([str(lint)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    contracts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert f"{len(contracts)} kept, 0 broken" in done.stdout
