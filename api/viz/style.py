"""The visual language of every graph page, declared once: shape and colour by label, tasks by
status, blocking laws in red, edges labelled by relationship type.

The server-rendered pages, the pages the CLI exports and the nodes a page adds when the user
expands a neighbour all go through `node_style` / `edge_style`, so a thing looks the same
wherever it is drawn. The legend is built from the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph import vocabulary
from graph.schema import get_schema
from graph.vocabulary import tr


@dataclass(frozen=True)
class LabelStyle:
    shape: str          # a vis-network shape with the label drawn under it
    colour: str
    size: int
    title_vi: str       # the label's name in the legend, Vietnamese first
    title_en: str


LABELS: dict[str, LabelStyle] = {
    "Agency": LabelStyle("square", "#4e79a7", 16, "Cơ quan", "Agency"),
    "Person": LabelStyle("triangleDown", "#e377c2", 14, "Cá nhân", "Person"),
    "Expert": LabelStyle("star", "#b07aa1", 14, "Chuyên gia", "Expert"),
    "Law": LabelStyle("diamond", "#9c755f", 18, "Luật", "Law"),
    "Document": LabelStyle("triangle", "#76b7b2", 14, "Văn bản", "Document"),
    "Task": LabelStyle("dot", "#c7c7c7", 12, "Nhiệm vụ", "Task"),
    "Meeting": LabelStyle("hexagon", "#edc948", 14, "Cuộc họp", "Meeting"),
    "Topic": LabelStyle("hexagon", "#86bcb6", 14, "Chủ đề", "Topic"),
    "Obstacle": LabelStyle("star", "#7f3c8d", 14, "Điểm nghẽn", "Obstacle"),
    "Place": LabelStyle("triangleDown", "#8cd17d", 14, "Địa bàn", "Place"),
    "Source": LabelStyle("square", "#bab0ac", 10, "Nguồn", "Source"),
    "StatusChange": LabelStyle("dot", "#dddddd", 7, "Mốc trạng thái", "Status change"),
    "DeadlineChange": LabelStyle("dot", "#d9c8a9", 7, "Lùi / đổi hạn", "Deadline change"),
}
UNKNOWN_LABEL = LabelStyle("dot", "#999999", 10, "Khác", "Other")


@dataclass(frozen=True)
class StatusStyle:
    colour: str
    title_vi: str
    title_en: str


# Tasks are drawn by their derived category on the date drawn (graph.asof, one definition for
# pages, queries and analytics); a task not assigned by then is drawn in the Task grey.
TASK_CATEGORIES: dict[str, StatusStyle] = {
    "done_on_time": StatusStyle("#2ca02c", "Hoàn thành đúng hạn", "Done on time"),
    "done_late": StatusStyle("#8c9f3a", "Hoàn thành chậm", "Done late"),
    "open_within_deadline": StatusStyle("#f2c12e", "Đang thực hiện, trong hạn", "Open, within deadline"),
    "overdue": StatusStyle("#8c1c13", "Quá hạn", "Overdue"),
    "open_no_deadline": StatusStyle("#9ecae1", "Đang thực hiện, không có hạn", "Open, no deadline"),
}
NO_STATUS = StatusStyle(LABELS["Task"].colour, "Chưa được giao", "Not assigned yet")

BLOCKING_LAW_COLOUR = "#e41a1c"
BLOCKING_LAW = StatusStyle(BLOCKING_LAW_COLOUR, "Luật đang cản trở", "Law that blocks")
EDGE_COLOUR = "#8a94a0"
CURRENT: Any = object()  # node_style's default: draw the node's current status

# The properties worth a line in a tooltip, per label (name, English name and sources always).
KEY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "Agency": ("kind", "abbr"),
    "Person": ("title",),
    "Expert": ("field", "headcount"),
    "Law": ("status", "status_on"),
    "Document": ("doc_type", "number", "issued_on"),
    "Task": ("status", "deadline", "deadline_text"),
    "Meeting": ("held_on",),
    "Place": ("kind",),
    "Source": ("title", "publisher", "published_on"),
    "StatusChange": ("status", "on"),
}


TOOLTIP_PROPERTIES = 2
DATED_KEYS = ("status", "status_on")  # today's values: the panel shows them as "current"
LABEL_MIN_PX = 10      # labels drawn smaller than this on screen are hidden until zoomed in
FOCUS_FONT = 18        # the page's own entity: larger, on a white box, always drawn
BLOCKING_FONT = 15     # laws that block: always drawn


def label_style(label: str | None) -> LabelStyle:
    return LABELS.get(label or "", UNKNOWN_LABEL)


def node_colour(label: str | None, category: str | None, *, blocking: bool) -> str:
    """Blocking laws are red; tasks take their category colour; everything else its label colour."""
    if label == "Law" and blocking:
        return BLOCKING_LAW_COLOUR
    if label == "Task":
        return TASK_CATEGORIES.get(category or "", NO_STATUS).colour
    return label_style(label).colour


def display_name(node: dict[str, Any], *, limit: int = 48) -> str:
    """The short text drawn under a node: its Vietnamese name, cut to stay readable."""
    name = node.get("name") or node.get("id") or "?"
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def tooltip(node: dict[str, Any], *, status: str | None, blocking: bool, as_of: str | None,
            sources: dict[str, dict[str, Any]] | None = None, dated: bool = False,
            category: str | None = None) -> str:
    """Hover text (plain text; vis-network shows it with its line breaks), short so that it
    does not cover the graph: names, what it is, where it stands on the date and at most
    `TOOLTIP_PROPERTIES` key properties. Sources are listed in the details panel (a click)."""
    label = node.get("label")
    props = node.get("properties") or {}
    style = label_style(label)
    lines = [node.get("name") or node["id"]]
    if node.get("name_en"):
        lines.append(node["name_en"])
    lines.append(f"{tr(style.title_vi, style.title_en)} · {node['id']}")
    if blocking:
        lines.append(tr("Đang cản trở nhiệm vụ", "Blocks tasks") + _on(as_of))
    if label == "Task" and dated:
        kind = TASK_CATEGORIES.get(category or "", NO_STATUS)
        lines.append(tr(kind.title_vi, kind.title_en) + _on(as_of))
    if dated and (label == "Law" or status != props.get("status")):
        lines.append(tr("trạng thái", "status") + f"{_on(as_of)}: "
                     + (vocabulary.status(status) or tr("chưa ghi nhận", "none recorded")))
    shown = [key for key in KEY_PROPERTIES.get(label or "", ())
             if props.get(key) not in (None, "", []) and not (dated and key in DATED_KEYS)]
    for key in shown[:TOOLTIP_PROPERTIES]:
        lines.append(f"{key}: {props[key]}")
    if props.get("sources"):
        lines.append(tr(f"nguồn: {len(props['sources'])} (bấm để xem)",
                        f"sources: {len(props['sources'])} (click for them)"))
    return "\n".join(lines)


def _on(as_of: str | None) -> str:
    return f" ({as_of})" if as_of else ""


def node_style(node: dict[str, Any], *, status: str | None = CURRENT, blocking: bool = False,
               as_of: str | None = None, sources: dict[str, dict[str, Any]] | None = None,
               focus: bool = False, category: str | None = None) -> dict[str, Any]:
    """vis-network options of one node of the graph format (`graph.subgraph`).

    `status` is the recorded status (progress) on the date drawn (None: none recorded by then);
    left out, the node's current `status` property is used. `category` is a task's derived
    category on that date (`graph.asof`), which gives its colour.
    """
    label = node.get("label")
    dated = status is not CURRENT
    if not dated:
        status = (node.get("properties") or {}).get("status")
    style = label_style(label)
    colour = node_colour(label, category, blocking=blocking)
    size = style.size + (6 if blocking else 0) + (6 if focus else 0)
    always = focus or (label == "Law" and blocking)
    font: dict[str, Any] = {}
    if focus:
        font = {"size": FOCUS_FONT, "background": "rgba(255,255,255,0.92)", "strokeWidth": 0}
    elif always:
        font = {"size": BLOCKING_FONT}
    return {
        "label": display_name(node),
        **({"font": font} if font else {}),
        # labels too small to read are hidden until zoomed in, but never the focus or a
        # blocking law (vis-network's drawThreshold compares the on-screen font size)
        "scaling": {"label": {"drawThreshold": 1 if always else LABEL_MIN_PX}},
        "shape": style.shape,
        "color": {"background": colour, "border": "#222222" if focus else _darker(colour),
                  "highlight": {"background": colour, "border": "#000000"},
                  "hover": {"background": colour, "border": "#000000"}},
        "size": size,
        "borderWidth": 3 if focus else 1,
        "title": tooltip(node, status=status, blocking=blocking, as_of=as_of, sources=sources or {},
                         dated=dated, category=category),
        # Our own fields (vis-network ignores them): what the filters and the panel read.
        "pg_label": label,
        "pg_status": category if label == "Task" else None,   # what the task filters read
        "pg_progress": status if label == "Task" else None,
        "pg_blocking": blocking,
    }


def edge_style(edge: dict[str, Any]) -> dict[str, Any]:
    """vis-network options of one edge: labelled by its relationship type, arrow to the target."""
    rel_type = edge["type"]
    tasks = (edge.get("properties") or {}).get("tasks")
    if rel_type == "BLOCKS" and isinstance(tasks, int):  # the national picture: a count
        return {"label": f"{tasks:,}".replace(",", "."), "arrows": "to",
                "title": tr(f"{tasks} nhiệm vụ bị cản trở", f"{tasks} blocked tasks"),
                "width": 1 + min(8.0, tasks ** 0.5 / 4),
                "font": {"size": 12, "color": "#8c1c13"},
                "color": {"color": "#d98c8c", "highlight": "#8c1c13", "hover": "#8c1c13"}}
    if rel_type == "SHARES_TASKS" and isinstance(tasks, int):  # a pair query's row (coordination)
        return {"label": str(tasks), "arrows": "", "dashes": True,
                "title": tr(f"{tasks} nhiệm vụ chung", f"{tasks} shared tasks"),
                "width": 1 + min(6.0, tasks ** 0.5),
                "font": {"size": 12, "color": "#1f3a5f"},
                "color": {"color": "#7f9cc0", "highlight": "#1f3a5f", "hover": "#1f3a5f"}}
    rel = get_schema().relationships.get(rel_type)
    help_text = f" — {rel.help}" if rel and rel.help else ""
    return {"label": rel_type, "arrows": "to", "title": f"{rel_type}{help_text}",
            "color": {"color": EDGE_COLOUR, "highlight": "#333333", "hover": "#333333"}}


def legend() -> dict[str, Any]:
    """The tables above as plain data, for the page's legend and filters."""
    return {
        "labels": [{"label": name, "shape": s.shape, "colour": s.colour, "title_vi": s.title_vi,
                    "title_en": s.title_en}
                   for name, s in ((n, label_style(n)) for n in get_schema().label_names)],
        "statuses": [{"status": name, "colour": s.colour, "title_vi": s.title_vi,
                      "title_en": s.title_en} for name, s in TASK_CATEGORIES.items()]
        + [{"status": None, "colour": NO_STATUS.colour, "title_vi": NO_STATUS.title_vi,
            "title_en": NO_STATUS.title_en}],
        "blocking": {"colour": BLOCKING_LAW.colour, "title_vi": BLOCKING_LAW.title_vi,
                     "title_en": BLOCKING_LAW.title_en},
    }


def _darker(hex_colour: str, factor: float = 0.7) -> str:
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02x}" for c in (red, green, blue))
