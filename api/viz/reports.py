"""The report pages: what changed (`/changes`), what is at risk (`/risk`) and one agency's
digest (`/digest?agency=`), as tables drawn from `graph.briefing`.

Every task, law, agency and source in a table links to its own page in this app; nothing
points outside it, so the pages work on a closed network like the graph pages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from api import language
from graph import briefing, views, vocabulary
from graph.store.base import Store
from graph.vocabulary import tr
from queries import is_absent

HERE = Path(__file__).resolve().parent
KIND_TITLES = {  # (Vietnamese, English): the page shows the reader's (graph.vocabulary.tr)
    "assigned": ("Nhiệm vụ mới được giao", "Tasks assigned"),
    "done": ("Nhiệm vụ đã hoàn thành", "Tasks done"),
    "overdue": ("Nhiệm vụ trở nên quá hạn", "Tasks that became overdue"),
    "deadline_moved": ("Thời hạn được điều chỉnh", "Deadlines moved"),
    "law_status": ("Luật thay đổi trạng thái", "Laws whose status changed"),
    "unblocked": ("Hết bị luật cản trở", "Unblocked because a law passed"),
    "blocked": ("Mới bị cản trở", "Newly blocked"),
}
NODE = "/viz/node/"
DIGEST = "/digest?agency="
SHOWN_RISKS = 1_000  # rows the /risk page draws: the national answer (18,000 rows) takes seconds to draw


def _col(key: str, title: tuple[str, str], link: str | None = None) -> dict[str, Any]:
    """A table column; its `title` is (Vietnamese, English)."""
    return {"key": key, "title": title, "link": link}


CHANGE_COLUMNS = [_col("date", ("Ngày", "Date")), _col("task_id", ("Nhiệm vụ", "Task"), NODE),
                  _col("law_id", ("Luật", "Law"), NODE), _col("detail", ("Chi tiết", "Detail")),
                  _col("via", ("Giao tại", "Assigned by"), NODE),
                  _col("lead_ids", ("Chủ trì", "Lead"), DIGEST), _col("sources", ("Nguồn", "Sources"), NODE)]
RISK_COLUMNS = [_col("rank", ("#", "#")), _col("level", ("Mức", "Level")),
                _col("task_id", ("Nhiệm vụ", "Task"), NODE), _col("deadline", ("Thời hạn", "Deadline")),
                _col("days_left", ("Còn (ngày)", "Days left")), _col("reasons", ("Vì sao", "Why")),
                _col("chain", ("Chuỗi cản trở", "Blocking chain"), NODE)]
OVERDUE_COLUMNS = [_col("task_id", ("Nhiệm vụ", "Task"), NODE), _col("deadline", ("Thời hạn", "Deadline")),
                   _col("progress", ("Tiến độ ghi nhận", "Recorded progress")),
                   _col("slipped", ("Số lần lùi hạn", "Slipped"))]
BLOCKING_COLUMNS = [_col("law_id", ("Luật", "Law"), NODE), _col("law_status", ("Trạng thái", "Status")),
                    _col("task_id", ("Nhiệm vụ", "Task"), NODE), _col("hops", ("Bước", "Hops"))]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                              autoescape=select_autoescape(["html"]))
    language.install(environment)
    return environment


def source_titles(store: Store, rows: list[dict[str, Any]], limits: briefing.Limits) -> dict[str, str]:
    """The title of every source the rows cite, for the links' text."""
    ids = sorted({s for row in rows for s in (row.get("sources") or [])})
    if not ids:
        return {}
    found = views.sources_by_id(store, ids, limits)
    return {source: row["title"] or row["name"] or source for source, row in found.items()}


def _labelled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with `X_label` beside `task_id` and `law_id` (the name a link shows), and their
    codes and sentences in the reader's language (graph.vocabulary)."""
    out = []
    for row in briefing.plain(rows):
        row = dict(row)
        row["task_id_label"] = row.get("task_name")
        row["law_id_label"] = row.get("law_name")
        if row.get("kind") and "detail" in row:
            row["detail"] = vocabulary.change_detail(row["kind"], row["detail"])
        for key in ("law_status", "progress"):
            if isinstance(row.get(key), str):
                row[key] = vocabulary.status(row[key])
        if isinstance(row.get("reasons"), list):
            row["reasons"] = [vocabulary.reason(r) for r in row["reasons"]]
        out.append(row)
    return out


def change_sections(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = _labelled(items)
    return [{"id": f"changes-{kind}", "title": tr(*title), "columns": CHANGE_COLUMNS,
             "rows": [r for r in rows if r["kind"] == kind]} for kind, title in KIND_TITLES.items()]


def risk_sections(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sections: dict[str, dict[str, Any]] = {}
    for row in _labelled(rows):
        agency = row["agency_id"] or "-"
        section = sections.setdefault(agency, {
            "id": f"risk-{agency}", "columns": RISK_COLUMNS, "rows": [],
            "title": f"{row['agency_name'] or tr('Không rõ cơ quan chủ trì', 'No lead named')} ({agency})"})
        section["rows"].append(row)
    return list(sections.values())


def _render(**context: Any) -> str:
    return _environment().get_template("report.html").render(**context)


def _url(path: str, **params: Any) -> str:
    given = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return path + (f"?{given}" if given else "")


def downloads(query: str, api: str, **params: Any) -> list[dict[str, str]]:
    """What a page shows, to take away: its named query's whole answer as CSV (lean: the
    columns a table needs; and with the BOM Excel needs) and the API's JSON, for the window
    the page shows (its dates filled in, not the defaults)."""
    return [{"label": "CSV", "href": _url(f"/api/queries/{query}", **params, format="csv", lean="true")},
            {"label": "CSV (Excel)", "href": _url(f"/api/queries/{query}", **params, format="csv",
                                                  lean="true", bom=1)},
            {"label": "JSON", "href": _url(api, **params)}]


def changes_page(store: Store, *, since: str | None, until: str | None, agency: str | None,
                 limits: briefing.Limits) -> str:
    answer = briefing.changes(store, since=since, until=until, agency=agency, limits=limits)
    since = None if is_absent(since) else answer["since"]
    agency = answer["agency"]
    note = (tr(f"Sau ngày {answer['since']} đến hết ngày {answer['until']}",
               f"After {answer['since']} up to {answer['until']}")
            + ("" if since else tr(" (từ cuộc họp gần nhất)", " (since the last meeting)"))
            + (f" · {agency}" if agency else "") + f" · {answer['count']} " + tr("mục", "items"))
    return _render(
        kind="changes", title=tr("Những gì đã thay đổi", "What changed"),
        subtitle=tr("Nhiệm vụ, thời hạn và luật thay đổi trong khoảng ngày",
                    "Tasks, deadlines and laws that changed in the window"),
        action="/changes",
        feed="/feeds/changes.atom" if not agency else f"/feeds/agency/{agency}.atom", note=note,
        downloads=downloads("changes", "/api/changes", since=answer["since"], until=answer["until"],
                            agency=agency),
        form=[{"label": tr("Từ sau", "Since"), "name": "since", "type": "date", "value": since},
              {"label": tr("Đến", "Until"), "name": "until", "type": "date", "value": answer["until"]},
              {"label": tr("Cơ quan", "Agency"), "name": "agency", "type": "text", "value": agency}],
        sections=change_sections(answer["items"]), sources=source_titles(store, answer["items"], limits))


def risk_page(store: Store, *, as_of: str | None, days: int | str | None, agency: str | None,
              limits: briefing.Limits) -> str:
    shown = SHOWN_RISKS if limits.rows is None else min(limits.rows, SHOWN_RISKS)
    answer = briefing.risk(store, as_of=as_of, days=days, agency=agency,
                           limits=briefing.Limits(timeout_ms=limits.timeout_ms, rows=shown))
    days, agency = answer["days"], answer["agency"]
    note = tr(f"Ngày {answer['as_of']}, đến hạn trong {days} ngày · mức 1: sắp đến hạn và còn bị cản "
              "trở; mức 2: quá hạn, có nhiệm vụ phụ thuộc; mức 3: sắp đến hạn",
              f"As of {answer['as_of']}, due within {days} days · level 1: due soon and blocked; "
              "2: overdue with dependants; 3: due soon")
    if answer["truncated"]:  # the agencies with most level-1 risks first, as the answer orders them
        note += tr(f" · {answer['count']} dòng đầu; tệp CSV có đủ mọi dòng",
                   f" · the first {answer['count']} rows; the CSV holds every row")
    return _render(
        kind="risk", title=tr("Nhiệm vụ có nguy cơ trễ hạn", "Tasks at risk of missing their deadline"),
        subtitle=tr("Theo cơ quan chủ trì", "By lead agency"),
        action="/risk", feed=None, note=note,
        downloads=downloads("deadline-risk", "/api/risk", as_of=answer["as_of"], days=days, agency=agency),
        form=[{"label": tr("Ngày", "As of"), "name": "as_of", "type": "date", "value": answer["as_of"]},
              {"label": tr("Số ngày", "Days"), "name": "days", "type": "number", "value": days},
              {"label": tr("Cơ quan", "Agency"), "name": "agency", "type": "text", "value": agency}],
        sections=risk_sections(answer["rows"]), sources={})


def digest_page(store: Store, agency: str | None, *, since: str | None, until: str | None,
                limits: briefing.Limits) -> str:
    answer = briefing.digest(store, agency, since=since, until=until, limits=limits)
    node = answer["agency"]
    agency = node["id"]
    since = None if is_absent(since) else answer["since"]
    note = f"{node['name']} ({agency}) · " + tr(f"sau ngày {answer['since']} đến hết ngày {answer['until']}",
                                                f"after {answer['since']} up to {answer['until']}")
    sections = [
        {"id": "digest-changes", "title": tr("Thay đổi", "What changed"), "columns": CHANGE_COLUMNS,
         "rows": _labelled(answer["changes"]),
         "downloads": downloads("changes", "/api/changes", since=answer["since"], until=answer["until"],
                                agency=agency)[:2]},
        {"id": "digest-risk", "title": tr("Có nguy cơ trễ hạn", "At risk"), "columns": RISK_COLUMNS,
         "rows": _labelled(answer["risk"]),
         "downloads": downloads("deadline-risk", "/api/risk", as_of=answer["until"], agency=agency)[:2]},
        {"id": "digest-overdue", "title": tr("Quá hạn", "Overdue"), "columns": OVERDUE_COLUMNS,
         "rows": _labelled(answer["overdue"])},
        {"id": "digest-blocking", "title": tr("Đang bị luật cản trở", "What blocks its tasks"),
         "columns": BLOCKING_COLUMNS, "rows": _labelled(answer["blocking"])},
    ]
    return _render(
        kind="digest", title=tr(f"Bản tin: {node['name']}", f"Digest: {node.get('name_en') or node['name']}"),
        subtitle=tr(node.get("name_en") or agency, node["name"]),
        action="/digest", feed=f"/feeds/agency/{agency}.atom", note=note,
        downloads=[{"label": "JSON", "href": _url("/api/digest", agency=agency, since=answer["since"],
                                                  until=answer["until"])}],
        form=[{"label": tr("Cơ quan", "Agency"), "name": "agency", "type": "text", "value": agency,
               "required": True},
              {"label": tr("Từ sau", "Since"), "name": "since", "type": "date", "value": since},
              {"label": tr("Đến", "Until"), "name": "until", "type": "date", "value": answer["until"]}],
        sections=sections, sources=source_titles(store, answer["changes"], limits))
