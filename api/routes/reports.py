"""Report pages and Atom feeds for people: `/changes`, `/risk`, `/digest?agency=`,
`/feeds/changes.atom` and `/feeds/agency/{id}.atom`.

Pages answer errors with a page (as the graph pages do); feeds with the API's JSON error shape.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SettingsDep, StoreDep
from api.feeds import changes_feed
from api.routes.viz import error_page
from api.viz import reports
from graph import briefing
from graph.errors import PolicygraphError
from graph.settings import Settings

router = APIRouter(include_in_schema=False)
ATOM = "application/atom+xml; charset=utf-8"


def _limits(settings: Settings) -> briefing.Limits:
    return briefing.Limits.of(settings)


def _page(build) -> HTMLResponse:
    try:
        return HTMLResponse(build())
    except PolicygraphError as error:
        return error_page(error)


@router.get("/changes", response_class=HTMLResponse)
def changes_page(store: StoreDep, settings: SettingsDep, since: str | None = None,
                 until: str | None = None, agency: str | None = None) -> HTMLResponse:
    """What changed between two dates (default: since the last meeting)."""
    # the parameters are read by the queries' binder: an empty form field is "not given"
    return _page(lambda: reports.changes_page(store, since=since, until=until, agency=agency,
                                              limits=_limits(settings)))


@router.get("/risk", response_class=HTMLResponse)
def risk_page(store: StoreDep, settings: SettingsDep, as_of: str | None = None,
              days: str | None = None, agency: str | None = None) -> HTMLResponse:
    """Tasks at risk of missing their deadline, per lead agency."""
    return _page(lambda: reports.risk_page(store, as_of=as_of, days=days, agency=agency,
                                           limits=_limits(settings)))


@router.get("/digest", response_class=HTMLResponse)
def digest_page(store: StoreDep, settings: SettingsDep, agency: str | None = None,
                since: str | None = None, until: str | None = None) -> HTMLResponse:
    """One agency's digest."""
    return _page(lambda: reports.digest_page(store, agency, since=since, until=until,
                                             limits=_limits(settings)))


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/feeds/changes.atom")
def changes_atom(request: Request, store: StoreDep, settings: SettingsDep, since: str | None = None,
                 until: str | None = None) -> Response:
    """Atom: what changed in the whole graph, in the window `/changes` takes (`since`, `until`;
    default since the last meeting, until today)."""
    body = changes_feed(store, base=_base(request), agency=None, limits=_limits(settings),
                        source_titles=reports.source_titles, since=since, until=until)
    return Response(body, media_type=ATOM)


@router.get("/feeds/agency/{agency}.atom")
def agency_atom(agency: str, request: Request, store: StoreDep, settings: SettingsDep,
                since: str | None = None, until: str | None = None) -> Response:
    """Atom: what changed for one agency, in the window its digest takes (`since`, `until`)."""
    body = changes_feed(store, base=_base(request), agency=agency, limits=_limits(settings),
                        source_titles=reports.source_titles, since=since, until=until)
    return Response(body, media_type=ATOM)
