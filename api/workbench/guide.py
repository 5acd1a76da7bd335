"""The workbench's own reference pages: /help (the pages, how to cite, the console's keys),
/schema (the contract of graph/schema.yaml beside what the store holds now) and /about (the
version and the data sources loaded)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import PolicyGraphDep, SettingsDep, StoreDep
from api.workbench.pages import render
from graph.catalogue import MAX_SOURCES, loaded_sources, schema_view
from graph.schema import get_schema

router = APIRouter(include_in_schema=False)


def package_version() -> str:
    try:
        return version("policygraph")
    except PackageNotFoundError:  # pragma: no cover - run from a checkout without install
        return "unknown (not installed)"


@router.get("/help", response_class=HTMLResponse)
def help_page() -> HTMLResponse:
    """What each page does, how to cite a fact's source, the console's keys."""
    return render("help.html", active="help")


@router.get("/schema", response_class=HTMLResponse)
def schema_page(store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """The schema contract with live counts and example values."""
    return render("schema.html", active="schema",
                  **schema_view(get_schema(), store, settings.query_timeout_ms))


@router.get("/about", response_class=HTMLResponse)
def about_page(pg: PolicyGraphDep, settings: SettingsDep) -> HTMLResponse:
    """The version and the data sources loaded, with their dates and addresses."""
    sources, cut = loaded_sources(pg.store, settings.query_timeout_ms)
    nodes, relationships = pg.counts(timeout_ms=settings.query_timeout_ms)
    return render("about.html", active="about", version=package_version(), sources=sources, cut=cut,
                  max_sources=MAX_SOURCES, nodes=nodes, relationships=relationships,
                  backend=pg.store.backend)
