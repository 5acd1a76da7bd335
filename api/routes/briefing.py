"""The analyst's three questions over HTTP: `/api/changes`, `/api/risk`, `/api/digest`.

Thin wrappers of `graph.briefing` (which runs the named queries `changes`, `deadline-risk`,
`task-status` and `blocking-laws`): the same answers as `policygraph changes|risk|digest`.
Rows carry no node objects; `GET /api/queries/changes` gives them with their subgraph.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import SettingsDep, StoreDep
from api.errors import COMMON_RESPONSES, ErrorBody
from graph import briefing
from graph.settings import Settings

router = APIRouter(prefix="/api", tags=["briefing"], responses=COMMON_RESPONSES)
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad date or parameter."},
    404: {"model": ErrorBody, "description": "No agency with that id."},
    408: {"model": ErrorBody, "description": "A query ran past the timeout."},
}
SINCE = Query(description="Start of the window, not included (YYYY-MM-DD); default: the "
                                "latest meeting before until.")
UNTIL = Query(description="End of the window, included (YYYY-MM-DD); default: today.")
AGENCY = Query(description="Only what concerns this agency (its id).")


class ChangesAnswer(BaseModel):
    since: str
    until: str
    agency: str | None
    data: list[dict[str, Any]]
    count: int
    truncated: bool


class RiskAnswer(BaseModel):
    as_of: str
    days: int
    agency: str | None
    data: list[dict[str, Any]]
    count: int
    truncated: bool


class DigestAnswer(BaseModel):
    agency: dict[str, Any]
    since: str
    until: str
    changes: list[dict[str, Any]]
    risk: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    blocking: list[dict[str, Any]]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def limits(settings: Settings) -> briefing.Limits:
    return briefing.Limits.of(settings)


@router.get("/changes", response_model=ChangesAnswer, responses=ERRORS)
def changes(store: StoreDep, settings: SettingsDep, since: Annotated[dt.date | None, SINCE] = None,
            until: Annotated[dt.date | None, UNTIL] = None, agency: Annotated[str | None, AGENCY] = None,
            ) -> ChangesAnswer:
    """What happened between two dates: tasks assigned, done, overdue; deadlines moved; laws
    whose status changed; tasks unblocked and newly blocked. Each item has its date and sources."""
    answer = briefing.changes(store, since=_iso(since), until=_iso(until), agency=agency,
                              limits=limits(settings))
    return ChangesAnswer(since=answer["since"], until=answer["until"], agency=agency,
                         data=briefing.plain(answer["items"]), count=answer["count"],
                         truncated=answer["truncated"])


@router.get("/risk", response_model=RiskAnswer, responses=ERRORS)
def risk(store: StoreDep, settings: SettingsDep,
         as_of: Annotated[dt.date | None, Query(description="The date asked about; default today.")] = None,
         days: Annotated[int, Query(ge=0, le=3660, description="Days ahead that count as due soon.")] = 30,
         agency: Annotated[str | None, AGENCY] = None) -> RiskAnswer:
    """Open tasks likely to miss their deadline, ranked per lead agency, each saying why."""
    answer = briefing.risk(store, as_of=_iso(as_of), days=days, agency=agency, limits=limits(settings))
    return RiskAnswer(as_of=answer["as_of"], days=days, agency=agency, data=briefing.plain(answer["rows"]),
                      count=answer["count"], truncated=answer["truncated"])


@router.get("/digest", response_model=DigestAnswer, responses=ERRORS)
def digest(store: StoreDep, settings: SettingsDep,
           agency: Annotated[str, Query(description="The agency's id, e.g. bo-tai-chinh.")],
           since: Annotated[dt.date | None, SINCE] = None, until: Annotated[dt.date | None, UNTIL] = None,
           ) -> DigestAnswer:
    """One agency's digest: what it leads that changed, what is at risk, what is overdue, what
    now blocks its tasks."""
    answer = briefing.digest(store, agency, since=_iso(since), until=_iso(until), limits=limits(settings))
    return DigestAnswer(agency=answer["agency"], since=answer["since"], until=answer["until"],
                        **{k: briefing.plain(answer[k]) for k in ("changes", "risk", "overdue", "blocking")})
