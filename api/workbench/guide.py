"""The workbench's own reference pages: /help (the pages, how to cite, the console's keys),
/schema (the contract of graph/schema.yaml beside what the store holds now) and /about (the
version and the data sources loaded)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import SettingsDep, StoreDep
from api.workbench.pages import render
from graph.schema import Property, Schema, get_schema
from graph.store.base import Store

router = APIRouter(include_in_schema=False)
SAMPLE_NODES = 200  # nodes of a label read to find an example value of each property
MAX_SOURCES = 500  # Source nodes listed on /about


def package_version() -> str:
    try:
        return version("policygraph")
    except PackageNotFoundError:  # pragma: no cover - run from a checkout without install
        return "unknown (not installed)"


def example(value: Any) -> str:
    """An example value, short enough for a table cell."""
    text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _properties(declared: dict[str, Property], samples: list[dict[str, Any]],
                hidden: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each declared property with how many sampled items carry it and one value they hold."""
    rows = []
    for name, prop in declared.items():
        if name in hidden:
            continue
        held = [s[name] for s in samples if s.get(name) not in (None, "", [])]
        rows.append({"name": name, "type": prop.type, "required": prop.required, "help": prop.help,
                     "enum": prop.values, "example": example(held[0]) if held else "",
                     "present": len(held)})
    return rows


def schema_view(schema: Schema, store: Store, timeout_ms: int) -> dict[str, Any]:
    """Labels and relationship types of the contract, with what the store holds of each: a
    count, and for each property one example value and how many of the sampled items have it."""
    hidden = schema.internal_properties
    labels = []
    for name, label in schema.labels.items():
        count = store.read(f"MATCH (n:`{name}`) RETURN count(n) AS c", timeout_ms=timeout_ms).rows[0]["c"]
        samples = store.read(f"MATCH (n:`{name}`) RETURN properties(n) AS p", timeout_ms=timeout_ms,
                             limit=SAMPLE_NODES).rows
        labels.append({"name": name, "help": label.help, "count": count, "sampled": len(samples),
                       "properties": _properties(schema.node_properties(name),
                                                 [r["p"] for r in samples], hidden)})
    relationships = []
    for name, rel in schema.relationships.items():
        count = store.read(f"MATCH ()-[r:`{name}`]->() RETURN count(r) AS c",
                           timeout_ms=timeout_ms).rows[0]["c"]
        samples = store.read(f"MATCH ()-[r:`{name}`]->() RETURN properties(r) AS p",
                             timeout_ms=timeout_ms, limit=SAMPLE_NODES).rows
        relationships.append({"name": name, "help": rel.help, "count": count, "sampled": len(samples),
                              "from": rel.from_labels, "to": rel.to_labels,
                              "properties": _properties(schema.relationship_properties(name),
                                                        [r["p"] for r in samples], hidden)})
    return {"labels": labels, "relationships": relationships}


def loaded_sources(store: Store, timeout_ms: int) -> tuple[list[dict[str, Any]], bool]:
    """The Source nodes in the store, newest first, and whether the list was cut."""
    result = store.read(
        "MATCH (s:Source) RETURN s.id AS id, s.title AS title, s.publisher AS publisher, "
        "s.published_on AS published_on, s.url AS url, s.file AS file "
        "ORDER BY s.published_on DESC, s.id", timeout_ms=timeout_ms, limit=MAX_SOURCES)
    return result.rows, result.truncated


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
def about_page(store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """The version and the data sources loaded, with their dates and addresses."""
    sources, cut = loaded_sources(store, settings.query_timeout_ms)
    nodes, relationships = store.counts(timeout_ms=settings.query_timeout_ms)
    return render("about.html", active="about", version=package_version(), sources=sources, cut=cut,
                  max_sources=MAX_SOURCES, nodes=nodes, relationships=relationships,
                  backend=store.backend)
