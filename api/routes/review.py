"""The review desk's API (/api/review/…): read a document into a review, diff it, load it, retract it.

A review is the same document as `policygraph extract FILE --review OUT.yaml` writes
(`loaders/review.py`); the page edits its JSON form and sends it back. Diff and load go
through `load --dry-run` and `load`'s own code (`loaders.load.load_paths` over the review
file), so the browser sees and writes exactly what the command line would. Writes are
refused from another origin (CSRF); the token gate (`api/security.py`) covers them as it
covers every route.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from pydantic import BaseModel

from api.deps import SettingsDep, StoreDep
from api.errors import COMMON_RESPONSES, _doc
from graph.errors import InvalidParameter, PolicygraphError
from loaders.documents import MAX_BYTES, read_document

RESPONSES: dict[int | str, dict] = {
    **COMMON_RESPONSES,
    400: _doc("The document cannot be read, or the review does not validate (each problem named)."),
    403: _doc("A write from another origin (CSRF)."),
    404: _doc("No such source to retract."),
}
router = APIRouter(prefix="/api/review", tags=["review"], responses=RESPONSES)


class ForeignOrigin(PolicygraphError):
    status_code = 403


def same_origin(request: Request) -> None:
    """Refuse a write a page of another site sends through this browser (CSRF)."""
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    if origin is not None and urlsplit(origin).netloc.lower() != host.lower():
        raise ForeignOrigin(f"Write refused: the request comes from {origin}, not from this site.",
                            hint="Use the review page of this server.")
    if origin is None and request.headers.get("sec-fetch-site") == "cross-site":
        raise ForeignOrigin("Write refused: the request comes from another site.",
                            hint="Use the review page of this server.")


SameOrigin = Depends(same_origin)


class ReviewBody(BaseModel):
    """A review document (the JSON form of one YAML document of a review file)."""

    review: dict[str, Any]
    nodes: list[dict[str, Any]]


class RetractBody(BaseModel):
    source: str


def task_spans(node: dict[str, Any], text: str) -> dict[str, list[int]]:
    """The evidence spans of a task entry the page highlights: the clause, its cue, its lead,
    its deadline (offsets into `text`, the text the review was read from). The one place that
    knows where the extractor keeps them: a deadline without a span of its own is its phrase,
    found in the clause."""
    evidence = node.get("evidence") or {}
    spans = {"clause": evidence.get("span"), "cue": evidence.get("cue_span"),
             "lead": evidence.get("lead_span"), "deadline": evidence.get("deadline_span")}
    phrase, clause = evidence.get("deadline_phrase"), spans["clause"]
    if not spans["deadline"] and phrase and clause:
        at = text.find(phrase, clause[0], clause[1] + len(phrase))
        if at >= 0:
            spans["deadline"] = [at, at + len(phrase)]
    return {k: list(v) for k, v in spans.items() if v}


def _extract(store, name: str, text: str) -> dict[str, Any]:
    from loaders.aliases import AliasTable, store_rows
    from loaders.extract import extract
    from loaders.extract.resolve import document_numbers, fuzzy_resolver
    from loaders.extract.to_graph import review_document
    from loaders.known import known_tasks

    rows = store_rows(store)
    aliases = AliasTable.from_rows(rows)
    result = extract(text, source_name=name, resolve=fuzzy_resolver(aliases),
                     numbers=document_numbers(rows))
    document = review_document(result, Path(name), aliases, known_tasks(store))
    for node in document["nodes"]:
        if node.get("label") == "Task":
            node["spans"] = task_spans(node, text)
    return document


@router.post("/read", dependencies=[SameOrigin])
async def read(store: StoreDep, file: Annotated[UploadFile | None, File()] = None,
               text: Annotated[str | None, Form()] = None,
               name: Annotated[str | None, Form()] = None) -> dict[str, Any]:
    """A document (uploaded .txt/.md/.docx/.pdf/.html, pasted text, or a review .yaml back from
    an editor) as a review: `{text, document}`."""
    if file is not None and file.filename:
        data = await file.read(MAX_BYTES + 1)
        filename = Path(file.filename).name
        if filename.endswith((".yaml", ".yml")):
            return {"text": None, "document": _review_from_yaml(filename, data)}
        body = read_document(filename, data)
    elif text and text.strip():
        filename = Path(name or "pasted.txt").name
        if not filename.endswith((".txt", ".md")):
            filename += ".txt"
        body = text
    else:
        raise InvalidParameter("Give a file or paste a text.", field="file")
    return {"text": body, "document": _extract(store, filename, body)}


def _review_from_yaml(filename: str, data: bytes) -> dict[str, Any]:
    from loaders.review import is_review

    try:
        document = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidParameter(f"{filename}: not a readable YAML review file ({exc}).",
                               field="file") from exc
    if not is_review(document):
        raise InvalidParameter(f"{filename}: not a review file (no top-level `review:`).",
                               field="file", hint="Give a file `extract --review` wrote.")
    return document


def review_yaml(document: dict[str, Any]) -> str:
    """The review file of `document`, as `extract --review` writes it (the page's own keys out)."""
    from loaders.review import dump_review

    plain = {**document, "nodes": [{k: v for k, v in n.items() if k != "spans"}
                                   for n in document["nodes"]]}
    return dump_review([plain])


def _run(document: dict[str, Any], store, settings, *, dry_run: bool):
    from loaders.diff import diff_rows, totals
    from loaders.load import load_paths

    name = Path(str(document["review"].get("file") or "review")).stem + ".review.yaml"
    with tempfile.TemporaryDirectory(prefix="pg-review-") as tmp:
        path = Path(tmp) / name
        path.write_text(review_yaml(document), encoding="utf-8")
        report = load_paths([path], store, dry_run=dry_run, batch_size=settings.batch_size,
                            lock_timeout_s=settings.write_lock_timeout_s)
    # the time of the last load when it read the same files and nothing was written since
    return {"changes": diff_rows(report.changes), "totals": totals(report.changes),
            "source": document["review"].get("source"), "unchanged_since": report.unchanged_since}


@router.post("/yaml", dependencies=[SameOrigin], response_class=Response,
             responses={200: {"content": {"application/yaml": {}},
                              "description": "The review file (`extract --review`'s YAML)."}})
def download(body: ReviewBody) -> Response:
    """The review as the YAML file to edit in an editor and upload back."""
    document = body.model_dump()
    name = Path(str(document["review"].get("file") or "review")).stem + ".review.yaml"
    return Response(review_yaml(document), media_type="application/yaml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/diff", dependencies=[SameOrigin])
def diff(body: ReviewBody, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """What loading the review would add, change and remove (`load --dry-run`): nothing written."""
    return _run(body.model_dump(), store, settings, dry_run=True)


@router.post("/load", dependencies=[SameOrigin])
def load(body: ReviewBody, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """Write the review through the validating loader (`load`); the answer names the source."""
    return _run(body.model_dump(), store, settings, dry_run=False)


@router.post("/retract", dependencies=[SameOrigin])
def retract(body: RetractBody, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """Withdraw a source (`retract`): what it alone supported goes."""
    from loaders.diff import diff_rows, totals
    from loaders.load import retract_source

    report = retract_source(body.source, store, batch_size=settings.batch_size,
                            lock_timeout_s=settings.write_lock_timeout_s)
    return {"changes": diff_rows(report.changes), "totals": totals(report.changes)}
