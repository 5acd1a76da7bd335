"""The analyst's three questions over HTTP: `/api/changes`, `/api/risk`, `/api/digest`.

Thin wrappers of `graph.briefing` (which runs the named queries `changes`, `deadline-risk`,
`task-status` and `blocking-laws`): the same answers as `policygraph changes|risk|digest`.
Rows carry no node objects; `GET /api/queries/changes` gives them with their subgraph.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from api import params
from api.deps import SettingsDep, StoreDep
from api.errors import COMMON_RESPONSES, ErrorBody
from graph import briefing
from graph.settings import Settings
from queries import get_query

router = APIRouter(prefix="/api", tags=["briefing"], responses=COMMON_RESPONSES)
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad date or parameter."},
    404: {"model": ErrorBody, "description": "No agency with that id."},
    408: {"model": ErrorBody, "description": "A query ran past the timeout."},
}
_CHANGES = {p.name: p for p in get_query("changes").params}
_RISK = {p.name: p for p in get_query("deadline-risk").params}
_DIGEST = {p.name: p for p in briefing.digest_params()}
# each parameter as the query behind the route declares it, read by its binder (api/params.py)
Since = params.annotation(_CHANGES["since"])
Until = params.annotation(_CHANGES["until"])
AsOf = params.annotation(_RISK["as_of"])
Days = params.annotation(_RISK["days"])
Agency = params.annotation(_RISK["agency"])
DigestAgency = params.annotation(_DIGEST["agency"])


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


def limits(settings: Settings) -> briefing.Limits:
    return briefing.Limits.of(settings)


@router.get("/changes", response_model=ChangesAnswer, responses=ERRORS)
def changes(store: StoreDep, settings: SettingsDep, since: Since = None, until: Until = None,
            agency: Agency = None) -> ChangesAnswer:
    """What happened between two dates: tasks assigned, done, overdue; deadlines moved; laws
    whose status changed; tasks unblocked and newly blocked. Each item has its date and sources."""
    answer = briefing.changes(store, since=since, until=until, agency=agency, limits=limits(settings))
    return ChangesAnswer(since=answer["since"], until=answer["until"], agency=answer["agency"],
                         data=briefing.plain(answer["items"]), count=answer["count"],
                         truncated=answer["truncated"])


@router.get("/risk", response_model=RiskAnswer, responses=ERRORS)
def risk(store: StoreDep, settings: SettingsDep, as_of: AsOf = None, days: Days = 30,
         agency: Agency = None) -> RiskAnswer:
    """Open tasks likely to miss their deadline, ranked per lead agency, each saying why."""
    answer = briefing.risk(store, as_of=as_of, days=days, agency=agency, limits=limits(settings))
    return RiskAnswer(as_of=answer["as_of"], days=answer["days"], agency=answer["agency"],
                      data=briefing.plain(answer["rows"]),
                      count=answer["count"], truncated=answer["truncated"])


@router.get("/digest", response_model=DigestAnswer, responses=ERRORS)
def digest(store: StoreDep, settings: SettingsDep, agency: DigestAgency, since: Since = None,
           until: Until = None, days: Days = 30) -> DigestAnswer:
    """One agency's digest: what it leads that changed, what is at risk, what is overdue, what
    now blocks its tasks."""
    answer = briefing.digest(store, agency, since=since, until=until, days=days, limits=limits(settings))
    return DigestAnswer(agency=answer["agency"], since=answer["since"], until=answer["until"],
                        **{k: briefing.plain(answer[k]) for k in ("changes", "risk", "overdue", "blocking")})
