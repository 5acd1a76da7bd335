"""Graph pages for people: `/` (laws blocking tasks), `/viz/node/{id}`, `/viz/query/{name}`.

Pages are HTML, errors on them too (a person reads them); `/viz/expand/{id}` is the JSON the
page calls to add a node's neighbours, with the API's error shape. vis-network is served from
`/viz/assets/`, so no page needs the network beyond this app.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import SettingsDep, StoreDep
from api.viz import Limits, build_page, elements, expansion, home_view, node_view, query_view
from api.viz.page import ASSET_BASE, ASSETS, asset
from graph.errors import InvalidParameter, NotFound, PolicygraphError
from graph.settings import Settings
from queries import PAGE_DATE, bind_params

router = APIRouter(include_in_schema=False)
MAX_DEPTH = 3


def _limits(settings: Settings) -> Limits:
    return Limits.of(settings)


def error_page(error: PolicygraphError) -> HTMLResponse:
    """Our error, as a page: what went wrong, what to do, a way back."""
    hint = f"<p>{escape(error.hint)}</p>" if error.hint else ""
    body = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>{escape(error.message)} — policygraph</title>
<link rel="stylesheet" href="{ASSET_BASE}/report.css"></head>
<body class="error-page">
<h1>{escape(error.message)}</h1>{hint}
<p><a href="/">policygraph</a> · <a href="/docs">API</a></p></body></html>"""
    return HTMLResponse(body, status_code=error.status_code)


def _check_date(as_of: str | None) -> str:
    """The page's date as the queries' binder reads an `as_of` (today when not given)."""
    return bind_params("The page", (PAGE_DATE,), {"as_of": as_of})["as_of"]


def _page(build) -> HTMLResponse:
    try:
        return HTMLResponse(build())
    except PolicygraphError as error:
        return error_page(error)


@router.get("/", response_class=HTMLResponse)
def home(store: StoreDep, settings: SettingsDep, as_of: str | None = None) -> HTMLResponse:
    """Laws that block unfinished tasks on `as_of` (default today), with their lead agencies."""
    return _page(lambda: build_page(home_view(store, as_of, _limits(settings),
                                              summary_above=settings.home_summary_tasks)))


@router.get("/viz/node/{node_id}", response_class=HTMLResponse)
def node_page(node_id: str, store: StoreDep, settings: SettingsDep, depth: str = "1",
              as_of: str | None = None) -> HTMLResponse:
    """One entity's neighbourhood, `depth` hops (1 to 3), drawn as on `as_of` (default today)."""
    def build() -> str:
        if not depth.isdigit() or not 1 <= int(depth) <= MAX_DEPTH:
            raise InvalidParameter(f"depth must be a whole number from 1 to {MAX_DEPTH}, not {depth!r}.",
                                   field="depth", hint=f"Example: /viz/node/{node_id}?depth=2")
        return build_page(node_view(store, node_id, depth=int(depth), as_of=_check_date(as_of),
                                    limits=_limits(settings)))
    return _page(build)


@router.get("/viz/query/{name}", response_class=HTMLResponse)
def query_page(name: str, request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """What a named query's answer mentions; its parameters are query-string parameters."""
    params = dict(request.query_params)
    return _page(lambda: build_page(query_view(store, name, params, _limits(settings))))


@router.get("/viz/expand/{node_id}")
def expand(node_id: str, store: StoreDep, settings: SettingsDep,
           as_of: str | None = Query(None, description="The page's date, for blocking laws."),
           ) -> JSONResponse:
    """A node's direct neighbours as vis-network items, styled like the page that asks."""
    view = expansion(store, node_id, as_of=_check_date(as_of), limits=_limits(settings))
    drawn = elements(view)
    return JSONResponse({"nodes": drawn["nodes"], "edges": drawn["edges"], "entities": drawn["entities"],
                         "sources": drawn["sources"], "truncated": view.truncated})


@router.get("/viz/assets/{name}")
def assets(name: str) -> Response:
    """vis-network's script and style (from the pyvis package) and the pages' own: served here,
    never from a CDN."""
    if name not in ASSETS:
        raise NotFound(f"No asset {name!r}.", hint=f"Assets: {', '.join(ASSETS)}.")
    return Response(asset(name), media_type=ASSETS[name],
                    headers={"Cache-Control": "public, max-age=86400"})
