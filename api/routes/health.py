"""`GET /api/health`: is the store reachable, which backend, how much it holds.

It answers within a second whatever else runs: the counts get their own connection and a
short deadline, and a store too busy to count in time is reported as `busy`, not waited for.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import PolicyGraphDep
from api.errors import COMMON_RESPONSES
from api.params import REFUSE_UNKNOWN
from graph.errors import Busy

router = APIRouter(prefix="/api", tags=["health"], responses=COMMON_RESPONSES)
COUNT_DEADLINE_MS = 350  # for each of the two counts: the answer stays well under 1 s


class Health(BaseModel):
    status: str  # "ok", or "busy" (reachable, but every store thread is taken)
    backend: str
    nodes: int | None
    relationships: int | None


@router.get("/health", response_model=Health, dependencies=REFUSE_UNKNOWN)
def health(pg: PolicyGraphDep) -> Health:
    backend = pg.store.backend
    try:
        nodes, relationships = pg.counts(timeout_ms=COUNT_DEADLINE_MS)
    except Busy:
        return Health(status="busy", backend=backend, nodes=None, relationships=None)
    return Health(status="ok", backend=backend, nodes=nodes, relationships=relationships)
