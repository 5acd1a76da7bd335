"""The Vietnamese of every code a person reads: law and task statuses, task categories, change
kinds, agency kinds, document types. The API keeps the stable English codes; pages, feeds and
reports show `bilingual(code)`, Vietnamese first ("đã thông qua / passed").

tests/test_vocabulary.py holds it to graph/schema.yaml's enums and the changes query's kinds,
so a new status cannot reach a page in English only."""

from __future__ import annotations

import re

STATUSES = {  # Law and Task `status` (schema.yaml), and StatusChange's
    "drafting": ("đang soạn thảo", "drafting"),
    "submitted": ("đã trình", "submitted"),
    "amending": ("đang sửa đổi", "amending"),
    "passed": ("đã thông qua", "passed"),
    "in_force": ("có hiệu lực", "in force"),
    "stalled": ("đình trệ", "stalled"),
    "done": ("hoàn thành", "done"),
    "on_track": ("đúng tiến độ", "on track"),
    "partial": ("hoàn thành một phần", "partly done"),
    "not_done": ("chưa hoàn thành", "not done"),
    "overdue": ("quá hạn", "overdue"),
}
CATEGORIES = {  # graph.asof's derived task categories
    "done_on_time": ("hoàn thành đúng hạn", "done on time"),
    "done_late": ("hoàn thành chậm", "done late"),
    "open_within_deadline": ("đang thực hiện, trong hạn", "open, within deadline"),
    "overdue": ("quá hạn", "overdue"),
    "open_no_deadline": ("đang thực hiện, không có hạn", "open, no deadline"),
}
CHANGE_KINDS = {  # the changes query's `kind`
    "assigned": ("giao nhiệm vụ", "assigned"),
    "done": ("hoàn thành", "done"),
    "overdue": ("trở nên quá hạn", "became overdue"),
    "deadline_moved": ("điều chỉnh thời hạn", "deadline moved"),
    "law_status": ("luật thay đổi trạng thái", "law status"),
    "unblocked": ("hết bị cản trở", "unblocked"),
    "blocked": ("mới bị cản trở", "newly blocked"),
}
AGENCY_KINDS = {
    "party": ("cơ quan Đảng", "party"), "national_assembly": ("Quốc hội", "National Assembly"),
    "government": ("Chính phủ", "government"), "ministry": ("bộ, ngành", "ministry"),
    "local": ("địa phương", "local"), "steering_committee": ("Ban Chỉ đạo", "steering committee"),
    "working_group": ("Tổ giúp việc", "working group"), "enterprise": ("doanh nghiệp", "enterprise"),
    "university": ("trường đại học", "university"), "institute": ("viện nghiên cứu", "institute"),
    "other": ("khác", "other"),
}
DOC_TYPES = {
    "resolution": ("nghị quyết", "resolution"), "plan": ("kế hoạch", "plan"),
    "notice": ("thông báo", "notice"), "decree": ("nghị định", "decree"),
    "decision": ("quyết định", "decision"), "report": ("báo cáo", "report"), "other": ("khác", "other"),
}
_ALL = {**AGENCY_KINDS, **DOC_TYPES, **CHANGE_KINDS, **CATEGORIES, **STATUSES}


def vi(code: str | None, table: dict[str, tuple[str, str]] | None = None) -> str:
    """The Vietnamese of `code` (the code itself when unknown; "" for none)."""
    if not code:
        return ""
    return (table or _ALL).get(code, (code, code))[0]


def bilingual(code: str | None, table: dict[str, tuple[str, str]] | None = None) -> str:
    """"đã thông qua / passed": Vietnamese first, English beside it (the code when unknown)."""
    if not code:
        return ""
    vi_text, en = (table or _ALL).get(code, (code, code))
    return vi_text if vi_text == en else f"{vi_text} / {en}"


def status(code: str | None) -> str:
    return bilingual(code, STATUSES)


def change_detail(kind: str, detail: str | None) -> str:
    """A change's detail with its codes in both languages (a status, a category)."""
    if not detail:
        return ""
    if kind == "law_status":
        return status(detail)
    if kind == "done":
        return bilingual(detail, CATEGORIES)
    if kind == "overdue" and detail.startswith("due "):
        return f"hạn / due {detail[4:]}"
    if detail == "recorded overdue":
        return "ghi nhận quá hạn / recorded overdue"
    return detail


# the sentences deadline-risk writes in `reasons` (English, the API's), and their Vietnamese
_REASONS = [
    (re.compile(r"due in (\d+) days \((.+)\)"), "còn {0} ngày đến hạn ({1})"),
    (re.compile(r"overdue by (\d+) days \(due (.+)\)"), "quá hạn {0} ngày (hạn {1})"),
    (re.compile(r"recorded overdue, no deadline date"), "ghi nhận quá hạn, không có ngày hạn"),
    (re.compile(r"blocked by laws not passed: (.+)"), "bị cản trở bởi luật chưa thông qua: {0}"),
    (re.compile(r"waits for open tasks: (.+)"), "chờ các nhiệm vụ chưa xong: {0}"),
    (re.compile(r"(\d+) open tasks depend on it"), "{0} nhiệm vụ chưa xong phụ thuộc vào nó"),
    (re.compile(r"deadline moved later (\d+) times"), "thời hạn bị lùi {0} lần"),
]


def reason_vi(reason: str) -> str | None:
    """The Vietnamese of one of deadline-risk's reasons (None for a sentence it does not write)."""
    for pattern, text in _REASONS:
        found = pattern.fullmatch(reason)
        if found:
            return text.format(*found.groups())
    return None


def reason(reason_en: str) -> str:
    """A reason in both languages, Vietnamese first."""
    vi_text = reason_vi(reason_en)
    return f"{vi_text} / {reason_en}" if vi_text else reason_en
