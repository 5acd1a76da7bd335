"""Routes of the workbench pages, their CSV download and their static assets (served here,
never from a CDN)."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api import language
from api.deps import SettingsDep, StoreDep
from api.docs import FAVICON_URL
from api.headers import CSP, content_security_policy
from api.models import MAX_OFFSET
from api.routes.queries import page_size
from api.routes.viz import error_page
from api.viz import style
from graph import answer_csv
from graph.catalogue import first_id
from graph.errors import InvalidParameter, NotFound
from graph.schema import get_schema
from graph.store.base import Store
from graph.vocabulary import tr
from queries import PAGING, NamedQuery, QueryParam, get_query, library

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
ASSET_BASE = "/workbench/assets"
TYPES = {".js": "text/javascript", ".css": "text/css", ".txt": "text/plain; charset=utf-8"}
# String parameters that name a node: the form offers ids found by /api/search with this label.
ID_PARAMS = {"law": "Law", "task": "Task", "agency": "Agency", "document": "Document",
             "meeting": "Meeting", "source": "Source", "topic": "Topic", "id": None}

router = APIRouter(include_in_schema=False)
templates = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                        autoescape=select_autoescape(["html"]))


def vn_date(value: Any) -> str:
    """An ISO date as the Vietnamese read it (2025-05-22 → 22/05/2025); anything else as it is."""
    text = "" if value is None else str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        year, month, day = text.split("-")
        return f"{day}/{month}/{year}"
    return text


templates.filters["vn_date"] = vn_date
language.install(templates)  # tr(), lang(), the toggle


def render(name: str, **context: Any) -> HTMLResponse:
    page = templates.get_template(name).render(asset_base=ASSET_BASE, favicon=FAVICON_URL, **context)
    return HTMLResponse(page)


def page_json(data: dict[str, Any]) -> str:
    """Data for a page's script, safe inside <script type="application/json">."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def form_field(param: QueryParam, given: str | None) -> dict[str, Any]:
    """How the form asks for one parameter: a date picker, a search pick-list or a text box."""
    kind = {"date": "date", "int": "number", "float": "number", "bool": "bool"}.get(param.type, "text")
    search = param.type == "string" and param.name in ID_PARAMS
    default = None if param.default in (None, "null", "today") else param.default
    if given is None and param.default == "today":
        given = dt.date.today().isoformat()  # a date box shows the date it answers for, not blank
    return {"name": param.name, "type": param.type, "input": kind, "required": param.required,
            "help": param.help, "default": param.default, "value": given if given is not None else "",
            "placeholder": default or (tr("hôm nay", "today") if param.default == "today" else ""),
            "search": search, "search_label": ID_PARAMS.get(param.name) if search else None}


def _given(query: NamedQuery, request: Request) -> dict[str, str]:
    known = {p.name for p in query.params}
    return {k: v for k, v in request.query_params.items() if k in known and v != ""}


@router.get("/queries", response_class=HTMLResponse)
def query_library() -> HTMLResponse:
    """Every named query with its titles, descriptions and parameters."""
    return render("queries.html", queries=list(library().values()))


@router.get("/queries/{name}.csv")
def query_csv(name: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """A named query's rows as CSV in the one shape (`graph.answer_csv`), from `offset`, up
    to the row cap; `bom=1` for Excel."""
    query = get_query(name)
    params = {k: v for k, v in request.query_params.items() if k not in PAGING and v != ""}
    raw_offset = request.query_params.get("offset") or "0"
    if not raw_offset.isdigit() or int(raw_offset) > MAX_OFFSET:
        raise InvalidParameter(f"offset must be a whole number from 0 to {MAX_OFFSET}, not {raw_offset!r}.",
                               field="offset",
                               hint="Use the next_offset of the answer before.")
    offset = int(raw_offset)
    result = query.run(store, params, timeout_ms=settings.query_timeout_ms,
                       limit=page_size(settings, settings.row_limit), skip=offset)
    bom = request.query_params.get("bom", "").lower() in ("1", "true", "yes")
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    if result.truncated:
        headers["X-Policygraph-Truncated"] = f"more rows follow; next offset {offset + len(result.rows)}"
    return Response(answer_csv.answer_csv(result.columns, result.rows, bom=bom),
                    media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/queries/{name}", response_class=HTMLResponse)
def query_page(name: str, request: Request, settings: SettingsDep) -> HTMLResponse:
    """One named query: its form, and (when every required parameter is given) its answer."""
    try:
        query = get_query(name)
    except NotFound as error:
        return error_page(error)
    given = _given(query, request)
    fields = [form_field(p, given.get(p.name)) for p in query.params]
    missing = [f["name"] for f in fields if f["required"] and not f["value"]]
    data = {"name": query.name, "ready": not missing, "missing": missing,
            "page_size": min(settings.page_size, settings.row_limit),
            "labels": style.legend()["labels"]}
    return render("query.html", query=query, fields=fields, missing=missing, data=page_json(data))


EXAMPLE_ID = re.compile(r"\be\.g\.\s+([\w.-]+)")


def sample_params(query: NamedQuery, store: Store, on: str, timeout_ms: int) -> str:
    """A named query's parameters as the console's `k=v` lines, ready to run: its defaults
    (`today` as the date `on`; `null`, "not asked", as JSON null, since the Cypher still reads
    it), and for a node id without one the example its help gives, else the first such node
    in the store."""
    lines = []
    for param in query.params:
        if param.default == "today":
            value = on
        elif param.default is not None:
            value = param.default
        elif found := EXAMPLE_ID.search(param.help):
            value = found.group(1)
        else:
            label = ID_PARAMS.get(param.name) or "Task"
            value = first_id(store, label, timeout_ms)
        lines.append(f"{param.name}={value}")
    return "\n".join(lines)


def samples(store: Store, timeout_ms: int) -> list[dict[str, str]]:
    """Every named query as a sample for the console: title, Cypher, parameters."""
    on = dt.date.today().isoformat()
    return [{"name": q.name, "title": q.title, "title_vi": q.title_vi, "query": q.text,
             "params": sample_params(q, store, on, timeout_ms)} for q in library().values()]


@router.get("/cypher", response_class=HTMLResponse)
def console(settings: SettingsDep, store: StoreDep) -> HTMLResponse:
    """The Cypher console: editor, parameters, graph/table/JSON, history, shareable URL."""
    schema = get_schema()
    properties = {p for label in schema.label_names for p in schema.node_properties(label)}
    properties |= {p for rel in schema.relationship_names for p in schema.relationship_properties(rel)}
    data = {"schema": {"labels": list(schema.label_names),
                       "relationshipTypes": list(schema.relationship_names),
                       "propertyKeys": sorted(properties)},
            "labels": style.legend()["labels"], "page_size": min(settings.page_size, settings.row_limit),
            "row_limit": settings.row_limit, "editor": (STATIC / "cypher-editor.js").exists(),
            "samples": samples(store, settings.query_timeout_ms)}
    # CodeMirror writes its styles into a <style> element: this answer's nonce allows that one
    data["style_nonce"] = nonce = secrets.token_urlsafe(18)
    page = render("cypher.html", data=page_json(data), editor=data["editor"], schema=data["schema"],
                  samples=data["samples"])
    page.headers[CSP] = content_security_policy(style_src=f"'nonce-{nonce}'")
    return page


@router.get("/review", response_class=HTMLResponse)
def review_desk() -> HTMLResponse:
    """The review desk: a document's text with its tasks' evidence, corrected, diffed, loaded
    (the writes go to /api/review/…, `api/routes/review.py`)."""
    return render("review.html")


@router.get(ASSET_BASE + "/{name}")
def workbench_asset(name: str) -> Response:
    """The workbench's scripts and styles (and the editor bundle's licences)."""
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file() or path.suffix not in TYPES:
        raise NotFound(f"No workbench asset {name!r}.",
                       hint=f"Assets: {', '.join(sorted(p.name for p in STATIC.iterdir()))}.")
    return FileResponse(path, media_type=TYPES[path.suffix],
                        headers={"Cache-Control": "public, max-age=3600"})
