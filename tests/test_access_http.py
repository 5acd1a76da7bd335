"""Who the API answers (issue 14, items 15 and 16), through the real app on the real store:
only allowed `Host` names (DNS rebinding), and with `POLICYGRAPH_TOKEN` set only requests with
the bearer token or the cookie of a one-time login URL."""

from __future__ import annotations

import shutil
import stat

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from api.security import LOGIN_CODE_FILE, SESSION_COOKIE, issue_login_code
from graph.settings import Settings
from loaders.load import load_paths
from tests.conftest import short_tempdir
from tests.test_loader import VALID

TOKEN = "correct-horse-battery-staple-0123456789"


@pytest.fixture
def home():
    path = short_tempdir("pgacc")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def loaded(store):
    load_paths([VALID], store)
    return store


def _client(store, **settings) -> tuple[TestClient, Settings]:
    config = Settings(**settings)
    app = create_app(config)
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app, base_url="http://127.0.0.1:8000"), config


def _assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error", "detail"} and body["error"] and body["detail"]
    return body


# -- 15. the host allow-list ---------------------------------------------------------------------
@pytest.fixture
def default_hosts(monkeypatch):
    """The shipped default, not the test session's (which adds TestClient's `testserver`)."""
    monkeypatch.delenv("POLICYGRAPH_ALLOWED_HOSTS", raising=False)


def test_a_foreign_host_is_refused_in_the_error_shape(loaded, default_hosts):
    client, _ = _client(loaded)
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.",
                 "testserver"):
        response = client.get("/api/health", headers={"Host": host})
        body = _assert_error_shape(response, 400)
        assert host in body["error"] and "POLICYGRAPH_ALLOWED_HOSTS" in body["detail"]
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.post("/api/cypher", json={"query": "RETURN 1 AS x"},
                       headers={"Host": "evil.example"}).status_code == 400


def test_loopback_names_are_allowed_by_default(loaded, default_hosts):
    client, _ = _client(loaded)
    for host in ("localhost", "localhost:8000", "127.0.0.1", "127.0.0.1:8000", "[::1]:8000",
                 "LOCALHOST:8000"):
        response = client.get("/api/health", headers={"Host": host})
        assert response.status_code == 200, host
        assert response.json()["nodes"] == 8
    assert client.get("/api/queries").status_code == 200


def test_the_bind_host_and_configured_names_are_allowed(loaded, default_hosts):
    client, _ = _client(loaded, host="10.1.2.3")
    assert client.get("/api/health", headers={"Host": "10.1.2.3:8000"}).status_code == 200
    assert client.get("/api/health", headers={"Host": "localhost"}).status_code == 200
    client, _ = _client(loaded, allowed_hosts=["graph.example.org", "*.corp.example"])
    for host, status in [("graph.example.org", 200), ("a.corp.example:443", 200),
                         ("localhost", 400), ("127.0.0.1", 200),  # the bind host stays
                         ("example.org", 400)]:
        assert client.get("/api/health", headers={"Host": host}).status_code == status, host


def test_a_bad_host_pattern_is_a_clear_error(loaded):
    from graph.errors import ConfigError

    with pytest.raises(ConfigError, match="POLICYGRAPH_ALLOWED_HOSTS has 'a.\\*.org'"):
        _client(loaded, allowed_hosts=["a.*.org"])


def test_a_short_or_empty_token_is_refused(loaded):
    from graph.errors import ConfigError

    for token in ("", "short"):
        with pytest.raises(ConfigError, match="POLICYGRAPH_TOKEN is shorter than 16 characters"):
            _client(loaded, token=token)


# -- 16. the token -----------------------------------------------------------------------------
@pytest.fixture
def gated(loaded, home):
    client, config = _client(loaded, token=TOKEN, home=home)
    return client, config


def test_without_the_token_everything_but_health_is_refused(gated):
    client, _ = gated
    for path in ("/api/queries", "/api/nodes/bo-tai-chinh", "/", "/viz/node/bo-tai-chinh",
                 "/viz/assets/vis-network.min.js", "/docs", "/openapi.json"):
        response = client.get(path)
        body = _assert_error_shape(response, 401)
        assert response.headers["www-authenticate"] == "Bearer", path
        assert "POLICYGRAPH_TOKEN" in body["detail"]
    _assert_error_shape(client.post("/api/cypher", json={"query": "RETURN 1 AS x"}), 401)
    for wrong in ("Bearer nope", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, "Bearer"):
        assert client.get("/api/queries", headers={"Authorization": wrong}).status_code == 401
    assert client.get("/", headers={"Cookie": f"{SESSION_COOKIE}={TOKEN}"}).status_code == 401
    health = client.get("/api/health")
    assert health.status_code == 200 and health.json()["nodes"] == 8


def test_the_bearer_token_opens_the_api(gated):
    client, _ = gated
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/nodes/bo-tai-chinh", headers=auth).json()["name"] == "Bộ Tài chính"
    assert client.post("/api/cypher", json={"query": "MATCH (n) RETURN count(n) AS n"},
                       headers=auth).json()["rows"] == [{"n": 8}]
    assert client.get("/api/queries", headers={"Authorization": f"bearer {TOKEN}"}).status_code == 200


def test_the_login_url_sets_a_cookie_once(gated):
    client, config = gated
    code = issue_login_code(config)
    code_file = config.home / LOGIN_CODE_FILE
    assert stat.S_IMODE(code_file.stat().st_mode) == 0o600
    assert code not in code_file.read_text(), "only the code's hash is kept"

    response = client.get("/login", params={"token": code}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    set_cookie = response.headers["set-cookie"]
    assert set_cookie.startswith(f"{SESSION_COOKIE}=") and TOKEN not in set_cookie
    assert "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie and "Path=/" in set_cookie
    session = {"Cookie": f"{SESSION_COOKIE}={response.cookies[SESSION_COOKIE]}"}
    client.cookies.clear()  # send the cookie by hand only, so that each request says what it has

    page = client.get("/", headers=session)
    assert page.status_code == 200 and "<html" in page.text
    assert client.get("/viz/assets/vis-network.min.js", headers=session).status_code == 200
    assert client.get("/api/nodes/bo-tai-chinh", headers=session).status_code == 200  # the page's fetches
    assert client.get("/").status_code == 401

    again = client.get("/login", params={"token": code}, follow_redirects=False)
    _assert_error_shape(again, 401)
    assert "set-cookie" not in again.headers


def test_a_new_login_url_replaces_the_unused_one(gated):
    client, config = gated
    first, second = issue_login_code(config), issue_login_code(config)
    assert first != second
    assert client.get("/login", params={"token": first}, follow_redirects=False).status_code == 401
    assert client.get("/login", params={"token": second}, follow_redirects=False).status_code == 303
    for wrong in ("", "x", second[:-1]):
        assert client.get("/login", params={"token": wrong}, follow_redirects=False).status_code == 401


def test_a_new_token_ends_old_sessions(loaded, home):
    client, config = _client(loaded, token=TOKEN, home=home)
    response = client.get("/login", params={"token": issue_login_code(config)},
                          follow_redirects=False)
    session = {"Cookie": f"{SESSION_COOKIE}={response.cookies[SESSION_COOKIE]}"}
    client.cookies.clear()
    assert client.get("/", headers=session).status_code == 200
    other, _ = _client(loaded, token=TOKEN + "-rotated", home=home)
    assert other.get("/", headers=session).status_code == 401


def test_without_a_token_there_is_no_login_and_no_gate(loaded, home):
    client, _ = _client(loaded, home=home)
    assert client.get("/api/queries").status_code == 200
    assert client.get("/login", params={"token": "x"}).status_code == 404
