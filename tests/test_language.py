"""The reader's language (issue 31 §5): Vietnamese by default, English on `Accept-Language: en`
or `?lang=en` (kept in a cookie), the stable English codes in the JSON API whatever is asked."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from api.language import from_accept_language

MAY_22 = "2025-05-22"


@pytest.fixture
def client(bundled_store):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize(("header", "lang"), [
    (None, None), ("", None), ("fr-FR,fr;q=0.9", None), ("en-GB,en;q=0.9,vi;q=0.8", "en"),
    ("vi-VN,vi;q=0.9,en;q=0.8", "vi"), ("en;q=0.5,vi;q=0.6", "vi"), ("fr,en;q=0", None), ("*", None),
    ("en;q=abc,vi", "vi")])
def test_accept_language_picks_the_preferred_of_ours(header, lang):
    assert from_accept_language(header) == lang


def test_pages_default_to_vietnamese_and_follow_accept_language(client):
    vi = client.get("/risk", params={"as_of": MAY_22})
    assert vi.headers["content-language"] == "vi" and '<html lang="vi">' in vi.text
    assert "Nhiệm vụ có nguy cơ trễ hạn" in vi.text and "Tasks at risk" not in vi.text
    assert "Accept-Language" in vi.headers["vary"] and "set-cookie" not in vi.headers
    en = client.get("/risk", params={"as_of": MAY_22}, headers={"Accept-Language": "en-US,en;q=0.8"})
    assert en.headers["content-language"] == "en" and '<html lang="en">' in en.text
    assert "Tasks at risk of missing their deadline" in en.text and "Nhiệm vụ có nguy cơ" not in en.text
    # the toggle links to the same page in the other language, its parameters kept
    assert 'id="lang-switch" href="/risk?as_of=2025-05-22&amp;lang=vi"' in en.text
    assert 'id="lang-switch" href="/risk?as_of=2025-05-22&amp;lang=en"' in vi.text


def test_the_toggle_is_kept_by_the_browser_over_accept_language(client):
    chosen = client.get("/changes", params={"lang": "en", "until": "2025-07-02"})
    cookie = chosen.headers["set-cookie"]
    assert cookie.startswith("pg_lang=en;") and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    assert "What changed" in chosen.text
    # `lang` is not a page parameter: links on the page (downloads, the window) do not carry it
    assert "lang=en" not in chosen.text
    later = client.get("/changes", headers={"Accept-Language": "vi"})  # the cookie wins
    assert "What changed" in later.text
    back = client.get("/", params={"lang": "vi", "as_of": MAY_22})
    assert back.headers["set-cookie"].startswith("pg_lang=vi;") and "Luật nào cản trở" in back.text
    assert "Luật nào cản trở" in client.get("/", params={"as_of": MAY_22}).text


def test_a_query_page_and_a_workbench_page_take_lang_as_no_parameter_of_theirs(client):
    page = client.get("/viz/query/blocking-laws", params={"as_of": MAY_22, "lang": "en"})
    assert page.status_code == 200 and '<html lang="en">' in page.text
    form = client.get("/queries/blocking-laws", params={"lang": "en"})
    assert form.status_code == 200 and '<html lang="en">' in form.text and ">Queries</a>" in form.text


def test_an_unknown_language_is_refused_saying_which_are_known(client):
    response = client.get("/risk", params={"lang": "fr"})
    assert response.status_code == 422
    assert "lang must be one of vi, en, not 'fr'" in response.text and "set-cookie" not in response.headers


def test_the_api_keeps_its_english_codes_and_refuses_lang(client):
    risk = client.get("/api/risk", params={"as_of": MAY_22}, headers={"Accept-Language": "vi"}).json()
    reasons = [r for row in risk["data"] for r in row["reasons"]]
    assert any(r.startswith("blocked by laws not passed") for r in reasons)
    refused = client.get("/api/risk", params={"as_of": MAY_22, "lang": "en"})
    assert refused.status_code == 422 and refused.json()["field"] == "lang"
