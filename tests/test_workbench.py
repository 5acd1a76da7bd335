"""The analyst's workbench, server-side: offline API docs, the query library pages, the console.

Pages come through the real app with the real embedded store; browser behaviour is in
tests/test_workbench_browser.py.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from api.app import create_app
from api.deps import get_store
from tests.test_viz import ATTRIBUTE_URL, external_references

ASSET_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["'](/[^"']*)["']""", re.I)


@pytest.fixture(scope="module")
def app_client(bundled_store):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    return TestClient(app)


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_reference_nothing_outside_the_app(app_client, path):
    page = app_client.get(path)
    assert page.status_code == 200
    assert external_references(page.text) == []
    assert not [u for u in ATTRIBUTE_URL.findall(page.text) if not u.startswith("/")]
    assets = ASSET_REFERENCE.findall(page.text)
    assert "/favicon.svg" in assets
    if path == "/docs":
        assert "\"validatorUrl\": null" in page.text  # no badge fetched from swagger.io
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        answer = app_client.get(asset)
        assert answer.status_code == 200, asset
        assert len(answer.content) > 200, asset


def test_favicon_is_served_at_the_name_browsers_ask_for(app_client):
    for path in ("/favicon.ico", "/favicon.svg"):
        answer = app_client.get(path)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("image/svg+xml")
        assert answer.content.startswith(b"<svg")


def test_redoc_script_is_served_without_its_cdn_logo(app_client):
    script = app_client.get("/static-docs/redoc.standalone.js")
    assert script.status_code == 200
    assert "cdn.redoc.ly" not in script.text
    assert 'src:"/favicon.svg"' in script.text


# -- the query library -----------------------------------------------------------------------
def test_library_lists_every_named_query_in_both_languages(app_client):
    from queries import library

    page = app_client.get("/queries")
    assert page.status_code == 200
    assert external_references(page.text) == []
    english = app_client.get("/queries", headers={"Accept-Language": "en"})
    for query in library().values():
        assert f'href="/queries/{query.name}"' in page.text
        assert escape(query.title_vi) in page.text and query.title_vi
        assert escape(query.description_vi) in page.text and query.description_vi
        # in English, the English title and description (issue 31 §5)
        assert escape(query.title) in english.text and escape(query.description) in english.text


def test_missing_required_parameter_gives_the_form_not_an_error(app_client):
    page = app_client.get("/queries/law-impact")
    assert page.status_code == 200
    assert 'name="law"' in page.text and 'list="dl-law"' in page.text and 'data-label="Law"' in page.text
    assert 'name="as_of" type="date"' in page.text
    assert "Điền tham số bắt buộc (law) rồi bấm Chạy." in page.text and "--param" not in page.text
    assert '"ready": false' in page.text and '"missing": ["law"]' in page.text
    given = app_client.get("/queries/law-impact?law=law-khcn-dmst&as_of=2025-05-22")
    assert '"ready": true' in given.text and 'value="law-khcn-dmst"' in given.text
    assert 'value="2025-05-22"' in given.text


def test_unknown_query_page_is_a_404_page(app_client):
    page = app_client.get("/queries/nope")
    assert page.status_code == 404
    assert "No named query &#x27;nope&#x27;." in page.text


def test_query_csv_holds_the_rows_the_api_gives(app_client):
    api = app_client.get("/api/queries/agency-workload?as_of=2025-05-22&limit=1000").json()
    csv_text = app_client.get("/queries/agency-workload.csv?as_of=2025-05-22")
    assert csv_text.status_code == 200
    assert csv_text.headers["content-disposition"] == 'attachment; filename="agency-workload.csv"'
    rows = list(csv.DictReader(io.StringIO(csv_text.text)))
    assert len(rows) == len(api["rows"]) > 3
    first = api["rows"][0]
    assert rows[0]["agency_id"] == first["agency_id"]
    assert rows[0]["open_led"] == str(first["open_led"])
    assert rows[0]["agency"] == first["agency"]["properties"]["id"]  # a node by its id
    bad = app_client.get("/queries/agency-workload.csv?as_of=someday")
    assert bad.status_code == 422 and "not a valid date" in bad.json()["error"]
    bad = app_client.get("/queries/agency-workload.csv?offset=-1")
    assert bad.status_code == 422 and "offset must be a whole number" in bad.json()["error"]
    later = app_client.get("/queries/agency-workload.csv?as_of=2025-05-22&offset=2")
    assert list(csv.DictReader(io.StringIO(later.text)))[0]["agency_id"] == api["rows"][2]["agency_id"]


def test_workbench_assets_are_served_and_nothing_else(app_client):
    assert app_client.get("/workbench/assets/workbench.js").status_code == 200
    assert app_client.get("/workbench/assets/workbench.css").status_code == 200
    assert app_client.get("/workbench/assets/pages.py").status_code == 404
    assert app_client.get("/workbench/assets/..%2Fpages.py").status_code == 404


# -- the console -----------------------------------------------------------------------------
def test_console_page_carries_the_schema_and_only_local_assets(app_client):
    from graph.schema import get_schema

    page = app_client.get("/cypher")
    assert page.status_code == 200
    assert external_references(page.text) == []
    data = json.loads(re.search(r'<script id="wb-data" type="application/json">(.*?)</script>',
                                page.text, re.S).group(1))
    schema = get_schema()
    assert data["schema"]["labels"] == list(schema.label_names)
    assert data["schema"]["relationshipTypes"] == list(schema.relationship_names)
    assert {"id", "name", "status", "due_on"} <= set(data["schema"]["propertyKeys"]) or \
        {"id", "name", "status"} <= set(data["schema"]["propertyKeys"])
    assert data["editor"] is True
    for asset in ASSET_REFERENCE.findall(page.text):
        assert app_client.get(asset).status_code == 200, asset
    licences = app_client.get("/workbench/assets/cypher-editor.LICENSES.txt").text
    for package in ("@neo4j-cypher/codemirror", "@codemirror/view", "antlr4"):
        assert package in licences


def test_a_date_box_shows_today_or_the_date_asked(app_client):
    import datetime as dt

    blank = app_client.get("/queries/agency-workload").text
    assert f'name="as_of" type="date" value="{dt.date.today().isoformat()}"' in blank
    asked = app_client.get("/queries/agency-workload?as_of=2025-05-22").text
    assert 'name="as_of" type="date" value="2025-05-22"' in asked
