"""One rule for request parameters on every route (issue 29, item 13), enumerated from the app:
its OpenAPI operations, the analytics' declared parameters and the pages' own routes, so a new
route or parameter is covered (or fails here until it is).

The rule (README "Parameters"; its home is `queries.bind_params`): a value given empty or as
`null` is not given (the default); a required one not given is 422 naming it; a date lies within
`queries.REQUEST_DATES`; `days` within 0..`queries.MAX_DAYS` on every route.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from api.params import DATE_PATTERN
from graph.analytics import ANALYTICS
from queries import MAX_DAYS, REQUEST_DATES

# a real value for every required or path parameter; a route with one missing here fails
SAMPLES = {
    "law": "law-khcn-dmst", "document": "doc-25-tb-tgv", "id": "bo-tai-chinh",
    "meeting": "meeting-2025-05-22", "source": "src-25-tb-tgv", "task": "task-25-tb-tgv-1b",
    "agency": "bo-khcn", "q": "tai chinh", "node_id": "bo-tai-chinh", "target": "law-khcn-dmst",
    "format": "graphml", "name": "longest-chains",
}
# the graph path's two ends are node ids, not the Source id above
PATH_SAMPLES = {"/api/graph/path": {"source": "bo-khcn", "target": "law-khcn-dmst"}}
# what the pages take; a page parameter outside this table fails until its kind is decided here
PAGE_PARAM_KINDS = {"as_of": "date", "since": "date", "until": "date", "days": "days",
                    "agency": "string", "depth": "int"}
PAGE_REQUIRED = {"/digest": {"agency"}}
TOO_EARLY, TOO_LATE = "0001-01-01", "2101-01-01"


@pytest.fixture(scope="module")
def app():
    return create_app()


@pytest.fixture
def client(app, bundled_store):
    app.dependency_overrides[get_store] = lambda: bundled_store
    yield TestClient(app)
    app.dependency_overrides.clear()


def _operations() -> list[dict]:
    """Every GET operation: its path, its query parameters with kind and required, and a URL
    with the path parameters filled in. Analytics appear once per analytic."""
    app = create_app()
    found = []
    for path, ops in app.openapi()["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        query = {}
        for p in op.get("parameters", []):
            if p["in"] != "query":
                continue
            schema = typed(p["schema"])
            kind = ("days" if p["name"] == "days" else "date" if schema.get("format") == "date"
                    else schema.get("type", "other"))
            query[p["name"]] = {"kind": kind, "required": p.get("required", False)}
        if path == "/api/analytics/{name}":
            for analytic in ANALYTICS.values():
                params = {p.name: {"kind": "days" if p.name == "days" else p.type,
                                   "required": p.required} for p in analytic.params}
                found.append({"path": path, "url": f"/api/analytics/{analytic.name}", "params": params})
            continue
        url = path.format(**SAMPLES)
        found.append({"path": path, "url": url, "params": query})
    for route in _page_routes(app):
        params = {}
        for p in route.dependant.query_params:
            assert p.alias in PAGE_PARAM_KINDS, f"{route.path}: decide the kind of {p.alias!r}"
            params[p.alias] = {"kind": PAGE_PARAM_KINDS[p.alias],
                               "required": p.alias in PAGE_REQUIRED.get(route.path, set())}
        found.append({"path": route.path, "url": route.path.format(**SAMPLES), "params": params,
                      "page": True})
    return found


def typed(schema: dict) -> dict:
    """A parameter's typed schema: an optional one is `anyOf` it and "not given" ("", "null")."""
    for option in schema.get("anyOf", []):
        if option.get("enum") != ["", "null"]:
            return option
    return schema


def _page_routes(app) -> list[APIRoute]:
    """The pages for people (left out of OpenAPI) that take query-string parameters."""
    routes = []
    for entry in app.routes:
        for route in getattr(getattr(entry, "original_router", None), "routes", []):
            if isinstance(route, APIRoute) and not route.path.startswith("/api") \
                    and route.dependant.query_params and "GET" in route.methods:
                routes.append(route)
    return routes


OPERATIONS = _operations()


def _base(op: dict, leave_out: str | None = None) -> dict[str, str]:
    """The required parameters filled in (but `leave_out`)."""
    samples = {**SAMPLES, **PATH_SAMPLES.get(op["path"], {})}
    return {name: samples[name] for name, p in op["params"].items()
            if p["required"] and name != leave_out}


def _cases(kind: str | None = None, required: bool | None = None) -> list:
    cases = []
    for op in OPERATIONS:
        for name, p in op["params"].items():
            if (kind is None or p["kind"] == kind) and (required is None or p["required"] == required):
                cases.append(pytest.param(op, name, id=f"{op['url']}?{name}"))
    return cases


def _refused(response, name: str, page: bool) -> None:
    assert response.status_code == 422, response.text[:300]
    if response.headers["content-type"].startswith("text/html"):  # a page, naming the parameter
        assert page and f"&#x27;{name}&#x27;" in response.text, response.text[:300]
    else:
        assert response.json()["field"] == name, response.json()


def test_the_enumeration_finds_the_routes_the_rule_is_about():
    urls = {op["url"] for op in OPERATIONS}
    assert {"/api/risk", "/api/changes", "/api/digest", "/api/queries/deadline-risk",
            "/api/analytics/longest-chains", "/", "/risk", "/viz/node/bo-tai-chinh"} <= urls
    assert len(_cases("days")) >= 4 and len(_cases("date")) >= 20 and len(_cases(required=True)) >= 10


@pytest.mark.parametrize(("op", "name"), _cases(required=True))
def test_a_required_parameter_not_given_is_422_naming_it(client, op, name):
    base = _base(op, leave_out=name)
    for given in ({}, {name: ""}, {name: "null"}):
        _refused(client.get(op["url"], params={**base, **given}), name, op.get("page", False))


@pytest.mark.parametrize(("op", "name"), _cases("date"))
def test_an_empty_or_null_date_is_not_given(client, op, name):
    base = _base(op)
    plain = client.get(op["url"], params=base)
    assert plain.status_code == 200, plain.text[:300]
    for given in ("", "null"):
        other = client.get(op["url"], params={**base, name: given})
        assert other.status_code == 200, other.text[:300]
        assert other.content == plain.content, f"{name}={given!r} answers otherwise than leaving it out"


@pytest.mark.parametrize(("op", "name"), _cases("date"))
def test_request_dates_are_bounded(client, op, name):
    base = _base(op)
    for outside in (TOO_EARLY, "1944-12-31", TOO_LATE, "01/01/0001"):
        _refused(client.get(op["url"], params={**base, name: outside}), name, op.get("page", False))
    first, last = REQUEST_DATES
    # the widest window, so that `since` stays before `until` whichever end is moved
    window = {k: v for k, v in {"since": first, "until": last}.items() if k in op["params"]}
    for inside in (first, last):
        answered = client.get(op["url"], params={**base, **window, name: inside})
        assert answered.status_code != 422, answered.text[:300]  # 404: nothing there yet


@pytest.mark.parametrize(("op", "name"), _cases("days"))
def test_days_is_bounded_the_same_on_every_route(client, op, name):
    base = _base(op)
    for outside in ("-1", str(MAX_DAYS + 1), "99999999999999999999"):
        _refused(client.get(op["url"], params={**base, name: outside}), name, op.get("page", False))
    for inside in ("0", str(MAX_DAYS)):
        assert client.get(op["url"], params={**base, name: inside}).status_code == 200


def test_openapi_documents_the_bounds(app):
    spec = app.openapi()["paths"]
    days = [typed(p["schema"]) for ops in spec.values()
            for p in ops.get("get", {}).get("parameters", []) if p["name"] == "days"]
    assert days and all((d["minimum"], d["maximum"]) == (0, MAX_DAYS) for d in days)
    assert all(d["type"] == "integer" for d in days)
    params = [p for ops in spec.values() for p in ops.get("get", {}).get("parameters", [])]
    dates = [typed(p["schema"]) for p in params if typed(p["schema"]).get("format") == "date"]
    optional = [p for p in params if typed(p["schema"]).get("format") == "date" and not p.get("required")]
    assert optional and all({"type": "string", "enum": ["", "null"]} in p["schema"]["anyOf"]
                            for p in optional)
    assert dates and {d["pattern"] for d in dates} == {DATE_PATTERN}
    first, last = REQUEST_DATES
    assert re.match(DATE_PATTERN, first) and re.match(DATE_PATTERN, last)
    assert not re.match(DATE_PATTERN, "1944-12-31") and not re.match(DATE_PATTERN, "2101-01-01")


def test_a_window_before_every_meeting_starts_at_the_record_not_at_a_refused_date(client):
    """The default since of a window before the first meeting is the record's start, which no
    request may give: it must not be checked as if the client had given it."""
    answer = client.get("/api/changes", params={"until": "2008-09-16"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["since"] == "0001-01-01" and answer.json()["until"] == "2008-09-16"
    assert client.get("/changes", params={"until": "2008-09-16"}).status_code == 200


@pytest.mark.parametrize("op", [pytest.param(op, id=op["url"]) for op in OPERATIONS
                                if not op.get("page")])
def test_an_unknown_parameter_is_422_naming_it_on_every_api_route(client, op):
    """`/api/risk?since=…` answered as if since were not there: a typo read as the default."""
    answer = client.get(op["url"], params={**_base(op), "no_such_parameter": "1"})
    _refused(answer, "no_such_parameter", page=False)
