"""`null` as a parameter value (issue 14, item 13): it means the declared default, and a
required parameter given as null is refused, the same way for named queries and analytics,
over HTTP (422) and on the command line (a message, exit 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.errors import InvalidParameter
from queries import get_query
from tests.cli_run import run_cli as run

MAY_22 = "2025-05-22"


@pytest.fixture
def client(bundled_store):
    app = create_app()
    app.dependency_overrides[get_store] = lambda: bundled_store
    return TestClient(app)


def test_null_binds_to_the_declared_default():
    today = dt.date.today().isoformat()
    assert get_query("blocking-laws").bind({"as_of": "null"}) == {"as_of": today, "law": None}
    assert get_query("blocking-laws").bind({"as_of": None}) == {"as_of": today, "law": None}
    # a declared `= null` default is "not asked", never the text "null"
    assert get_query("timeline").bind({"since": "null"})["since"] is None


def test_null_for_a_required_parameter_is_refused():
    with pytest.raises(InvalidParameter, match=r"needs the parameter 'law' \(string\) \(null was given"):
        get_query("law-impact").bind({"law": "null"})


def test_api_as_of_null_is_the_default_date(client, bundled_store):
    today = dt.date.today().isoformat()
    nulled = client.get("/api/queries/blocking-laws", params={"as_of": "null", "limit": 1000})
    dated = client.get("/api/queries/blocking-laws", params={"as_of": today, "limit": 1000})
    assert nulled.status_code == 200
    assert nulled.json()["rows"] == dated.json()["rows"]
    assert nulled.json()["rows"], "the bundled graph has laws blocking tasks today"
    analytic = client.get("/api/analytics/longest-chains", params={"as_of": "null"})
    assert analytic.status_code == 200
    assert analytic.json() == client.get("/api/analytics/longest-chains",
                                         params={"as_of": today}).json()


def test_api_required_null_is_422(client):
    response = client.get("/api/queries/law-impact", params={"law": "null"})
    assert response.status_code == 422
    assert response.json()["error"].startswith("Query 'law-impact' needs the parameter 'law'")
    bad_date = client.get("/api/queries/blocking-laws", params={"as_of": "31/02/2025"})
    assert bad_date.status_code == 422


def test_cli_param_null(bundled_store, cli_env):
    env = {**cli_env, "POLICYGRAPH_GRAPH": bundled_store.graph_name}
    nulled = run(env, "query", "blocking-laws", "--param", "as_of=null", "-f", "json", check=True)
    plain = run(env, "query", "blocking-laws", "-f", "json", check=True)
    assert nulled.stdout == plain.stdout and len(plain.stdout) > 10
    refused = run(env, "query", "law-impact", "--param", "law=null")
    assert refused.returncode == 1
    assert "needs the parameter 'law'" in refused.stderr and "Traceback" not in refused.stderr
