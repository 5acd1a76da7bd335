"""`GET /api/search`: the Vietnamese-aware search of the CLI, over HTTP."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import StoreDep
from api.errors import COMMON_RESPONSES, ErrorBody
from api.models import LabelName, SearchAnswer, SearchHit
from api.params import NOT_NULL
from graph.search import search as run_search
from queries import QueryParam, bind_params

TEXT = QueryParam(name="q", type="string", help="What to look for.")
router = APIRouter(prefix="/api", tags=["search"], responses=COMMON_RESPONSES)


@router.get("/search", response_model=SearchAnswer, responses={400: {"model": ErrorBody}})
def search(
    store: StoreDep,
    q: str = Query(min_length=1, max_length=500, json_schema_extra=NOT_NULL,
                   description="Typed any way: `bo tai chinh`, `MOST`."),
    label: LabelName | None = Query(None, description="Only nodes with this label."),
    limit: int = Query(10, ge=1, le=100),
) -> SearchAnswer:
    q = bind_params("Search", (TEXT,), {"q": q})["q"]  # `null` is not given, as everywhere
    hits = run_search(store, q, label=label.value if label else None, limit=limit)
    return SearchAnswer(data=[SearchHit(**hit) for hit in hits], count=len(hits))
