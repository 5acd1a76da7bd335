"""Dates as analysts type them: ISO `2025-05-22` or the Vietnamese `22/05/2025`, wherever a
date is asked (named-query parameters, the pages' `as_of`, the briefings' windows), and a
clear "use 2025-05-22 or 22/05/2025" for anything else."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.deps import get_store
from graph.errors import InvalidParameter
from graph.schema import DATE_HINT, iso_date
from queries import get_query
from tests.test_viz import app_with_viz


@pytest.mark.parametrize(("typed", "iso"), [
    ("2025-05-22", "2025-05-22"), ("22/05/2025", "2025-05-22"), ("2/7/2025", "2025-07-02"),
    (" 22/05/2025 ", "2025-05-22"), ("31/02/2025", None), ("05/22/2025", None), ("2025/05/22", None),
    ("22-05-2025", None), ("soon", None), (None, None), (20250522, None)])
def test_iso_date_reads_both_forms_and_nothing_else(typed, iso):
    assert iso_date(typed) == iso


def test_a_named_query_takes_a_vietnamese_date():
    query = get_query("blocking-laws")
    assert query.bind({"as_of": "22/05/2025"})["as_of"] == "2025-05-22"
    with pytest.raises(InvalidParameter) as error:
        query.bind({"as_of": "22.05.2025"})
    assert error.value.field == "as_of" and DATE_HINT in error.value.hint


@pytest.fixture(scope="module")
def client(bundled_store):
    app = app_with_viz()
    app.dependency_overrides[get_store] = lambda: bundled_store
    return TestClient(app)


def test_pages_and_the_api_read_dd_mm_yyyy_as_the_same_day(client):
    vietnamese = client.get("/api/queries/blocking-laws", params={"as_of": "22/05/2025", "limit": 5})
    iso = client.get("/api/queries/blocking-laws", params={"as_of": "2025-05-22", "limit": 5})
    assert vietnamese.status_code == 200 and vietnamese.json()["rows"] == iso.json()["rows"]
    assert iso.json()["rows"]  # the day has blocked tasks: the comparison says something
    home = client.get("/", params={"as_of": "22/05/2025"})
    assert home.status_code == 200 and 'value="2025-05-22"' in home.text
    node = client.get("/viz/node/bo-khcn", params={"as_of": "22/05/2025"})
    assert node.status_code == 200 and '"as_of": "2025-05-22"' in node.text


def test_a_wrong_date_says_which_forms_to_use(client):
    bad = client.get("/api/queries/blocking-laws", params={"as_of": "22.05.2025"})
    assert bad.status_code == 422
    assert "as_of" in bad.text and "2025-05-22 or 22/05/2025" in bad.text
    page = client.get("/viz/node/bo-khcn", params={"as_of": "mai"})
    assert page.status_code == 422 and "2025-05-22 or 22/05/2025" in page.text
