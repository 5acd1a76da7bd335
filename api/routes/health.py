"""`GET /api/health`: is the store reachable, which backend, how much it holds."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import SettingsDep, StoreDep
from api.errors import COMMON_RESPONSES

router = APIRouter(prefix="/api", tags=["health"], responses=COMMON_RESPONSES)


class Health(BaseModel):
    status: str
    backend: str
    nodes: int
    relationships: int


@router.get("/health", response_model=Health)
def health(store: StoreDep, settings: SettingsDep) -> Health:
    nodes, relationships = store.counts()
    return Health(status="ok", backend=store.backend, nodes=nodes, relationships=relationships)
