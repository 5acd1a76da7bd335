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


def _blank(value: str | None) -> str | None:
    return value or None  # an empty form field means "the default"


@router.get("/changes", response_class=HTMLResponse)
def changes_page(store: StoreDep, settings: SettingsDep, since: str | None = None,
                 until: str | None = None, agency: str | None = None) -> HTMLResponse:
    """What changed between two dates (default: since the last meeting)."""
    return _page(lambda: reports.changes_page(store, since=_blank(since), until=_blank(until),
                                              agency=_blank(agency), limits=_limits(settings)))


@router.get("/risk", response_class=HTMLResponse)
def risk_page(store: StoreDep, settings: SettingsDep, as_of: str | None = None, days: str = "30",
              agency: str | None = None) -> HTMLResponse:
    """Tasks at risk of missing their deadline, per lead agency."""
    def build() -> str:
        if not days.isdigit():
            raise PolicygraphError(f"days must be a whole number of days, not {days!r}.",
                                   hint="Example: days=30")
        return reports.risk_page(store, as_of=_blank(as_of), days=int(days), agency=_blank(agency),
                                 limits=_limits(settings))
    return _page(build)


@router.get("/digest", response_class=HTMLResponse)
def digest_page(store: StoreDep, settings: SettingsDep, agency: str = "", since: str | None = None,
                until: str | None = None) -> HTMLResponse:
    """One agency's digest."""
    def build() -> str:
        if not agency:
            raise PolicygraphError("Which agency? The digest needs its id.",
                                   hint="Example: /digest?agency=bo-tai-chinh")
        return reports.digest_page(store, agency, since=_blank(since), until=_blank(until),
                                   limits=_limits(settings))
    return _page(build)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/feeds/changes.atom")
def changes_atom(request: Request, store: StoreDep, settings: SettingsDep, since: str | None = None,
                 until: str | None = None) -> Response:
    """Atom: what changed in the whole graph, in the window `/changes` takes (`since`, `until`;
    default since the last meeting, until today)."""
    body = changes_feed(store, base=_base(request), agency=None, limits=_limits(settings),
                        source_titles=reports.source_titles, since=_blank(since), until=_blank(until))
    return Response(body, media_type=ATOM)


@router.get("/feeds/agency/{agency}.atom")
def agency_atom(agency: str, request: Request, store: StoreDep, settings: SettingsDep,
                since: str | None = None, until: str | None = None) -> Response:
    """Atom: what changed for one agency, in the window its digest takes (`since`, `until`)."""
    body = changes_feed(store, base=_base(request), agency=agency, limits=_limits(settings),
                        source_titles=reports.source_titles, since=_blank(since), until=_blank(until))
    return Response(body, media_type=ATOM)
