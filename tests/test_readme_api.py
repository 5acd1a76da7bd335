"""The README's endpoint table and /openapi.json say the same: every documented operation has
a row, and every row's operation is served."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.app import create_app
from queries import library
from tests.conftest import REPO

OPERATION = re.compile(r"`(GET|POST) (/[^`?\s]*)")
NOT_IN_OPENAPI = {("GET", "/login")}  # the browser's sign-in, left out of the schema


def readme_operations() -> set[tuple[str, str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| endpoint | answers |"):]
    table = table[:table.index("\n\n")]
    first_cells = [line.split(" | ")[0] for line in table.splitlines()[2:]]
    return {m.groups() for cell in first_cells for m in OPERATION.finditer(cell)}


def openapi_operations() -> set[tuple[str, str]]:
    """Each operation, the per-query ones as the README writes them: /api/queries/NAME."""
    paths = TestClient(create_app()).get("/openapi.json").json()["paths"]
    named = {f"/api/queries/{name}" for name in library()}
    return {(method.upper(), "/api/queries/NAME" if path in named else path)
            for path, methods in paths.items() for method in methods}


def test_the_readme_table_matches_openapi():
    documented, served = readme_operations() - NOT_IN_OPENAPI, openapi_operations()
    assert served - documented == set(), "operations the README's API table does not list"
    assert documented - served == set(), "README rows the API does not serve"


def test_every_named_query_has_its_operation():
    paths = TestClient(create_app()).get("/openapi.json").json()["paths"]
    assert {f"/api/queries/{name}" for name in library()} <= set(paths)
