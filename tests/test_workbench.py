"""The analyst's workbench, server-side: offline API docs, the query library pages, the console.

Pages come through the real app with the real embedded store; browser behaviour is in
tests/test_workbench_browser.py.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

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
