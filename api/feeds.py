"""Atom feeds of what changed: the whole graph (`/feeds/changes.atom`) and one agency
(`/feeds/agency/{id}.atom`), so people follow the Steering Committee's work in any feed reader,
with no mail server.

Written with the standard library's ElementTree: feedgen 1.0.0 (the usual library) drops every
entry link's `rel`, `type` and `title` (`FeedEntry.atom_entry` reuses the name `link` for the
element it builds), so a source link would read as the entry's own page. Every entry is one
item of the `changes` named query: its id is stable (the same change keeps its id from one fetch to the
next), it links to the page of the task or law it is about, and it cites its sources: their
titles in the summary and a `related` link to each source's page.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlencode

from graph import briefing, vocabulary
from graph.vocabulary import tr
from queries import is_absent

FEED_TAG = "tag:policygraph,2025"
ATOM_NS = "http://www.w3.org/2005/Atom"


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00+00:00"


def entry_id(item: dict[str, Any]) -> str:
    """A stable id for one change: its kind, date and what it is about."""
    return f"{FEED_TAG}:change/{item['kind']}/{item['date']}/{item['task_id'] or '-'}/{item['law_id'] or '-'}"


def entry_title(item: dict[str, Any]) -> str:
    """In the reader's language, which the feed's `xml:lang` names: "luật thay đổi trạng thái:
    Luật … (đã thông qua)" or "law status: Luật … (passed)" (names stay the official ones)."""
    about = item.get("task_name") or item.get("law_name") or item.get("task_id") or item.get("law_id")
    detail = vocabulary.change_detail(item["kind"], item.get("detail"))
    return f"{vocabulary.word(item['kind'], vocabulary.CHANGE_KINDS)}: {about}" \
        + (f" ({detail})" if detail else "")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def build_feed(items: list[dict[str, Any]], *, base: str, path: str, page: str, title: str,
               subtitle: str, until: str, sources: dict[str, str]) -> bytes:
    """An Atom 1.0 document (RFC 4287) of `items` (rows of `changes`), newest first.

    `base` is the app's origin (`http://127.0.0.1:8000`), `path` this feed's path and `page` the
    HTML page that shows the same window.
    """
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": vocabulary.language()})
    _add(feed, "id", f"{FEED_TAG}:{path}")
    _add(feed, "title", title)
    _add(feed, "subtitle", subtitle)
    dates = [item["date"] for item in items if item.get("date")]
    _add(feed, "updated", _timestamp(max(dates) if dates else until))
    _add(_add(feed, "author"), "name", "policygraph")
    _add(feed, "link", href=base + path, rel="self", type="application/atom+xml")
    _add(feed, "link", href=base + page, rel="alternate", type="text/html")
    _add(feed, "generator", "policygraph")
    for item in sorted(items, key=lambda i: (i["date"] or "", entry_id(i)), reverse=True):
        entry = _add(feed, "entry")
        _add(entry, "id", entry_id(item))
        _add(entry, "title", entry_title(item))
        _add(entry, "updated", _timestamp(item["date"] or until))
        about = item["task_id"] or item["law_id"]
        _add(entry, "link", href=f"{base}/viz/node/{about}", rel="alternate", type="text/html")
        cited = item.get("sources") or []
        for source in cited:
            _add(entry, "link", href=f"{base}/viz/node/{source}", rel="related", type="text/html",
                 title=sources.get(source, source))
        _add(entry, "category", term=item["kind"],
             label=vocabulary.word(item["kind"], vocabulary.CHANGE_KINDS))
        lines = [entry_title(item), tr("ngày", "date") + f": {item['date']}"]
        if item.get("lead_ids"):
            lines.append(tr("chủ trì", "lead") + ": " + ", ".join(item["lead_ids"]))
        if item.get("via"):
            lines.append(tr("giao tại", "assigned by") + ": " + ", ".join(item["via"]))
        lines.append(tr("nguồn", "sources") + ": " + ("; ".join(sources.get(s, s) for s in cited) if cited
                                                     else tr("không có", "none")))
        _add(entry, "summary", "\n".join(lines), type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def changes_feed(store, *, base: str, agency: str | None, limits: briefing.Limits,
                 source_titles, since: str | None = None, until: str | None = None) -> bytes:
    """The feed of changes after `since` up to `until`, the dates the pages take (default:
    since the last meeting before `until`, until today); for `agency`, only what concerns it.
    A window asked for stays in the feed's own link and its page's."""
    since, until = (None if is_absent(v) else v for v in (since, until))  # `?since=` is not given
    answer = briefing.changes(store, agency=agency, since=since, until=until, limits=limits)
    window = urlencode({k: v for k, v in (("since", since and answer["since"]),
                                          ("until", until and answer["until"])) if v})
    if agency:
        node = briefing.agency_node(store, agency, limits)
        title = f"policygraph: {node['name']}"
        path = f"/feeds/agency/{agency}.atom" + (f"?{window}" if window else "")
        page = f"/digest?agency={agency}" + (f"&{window}" if window else "")
    else:
        title = "policygraph: " + tr("những gì đã thay đổi", "what changed")
        path = "/feeds/changes.atom" + (f"?{window}" if window else "")
        page = "/changes" + (f"?{window}" if window else "")
    after = answer["since"] if since else answer["since"] + tr(" (cuộc họp gần nhất)", " (the last meeting)")
    subtitle = tr(f"sau ngày {after} đến hết ngày {answer['until']}",
                  f"after {after} up to {answer['until']}")
    return build_feed(briefing.plain(answer["items"]), base=base, path=path, page=page, title=title,
                      subtitle=subtitle, until=answer["until"],
                      sources=source_titles(store, answer["items"], limits))
