"""The words of every code a person reads, in Vietnamese and English: law and task statuses,
task categories, change kinds, agency kinds, document types, deadline-risk's reasons. The API
keeps the stable English codes; pages, feeds and reports show `word(code)` in the reader's
language (`language()`: Vietnamese unless the request asked for English, api/language.py).

tests/test_vocabulary.py holds it to graph/schema.yaml's enums and the changes query's kinds,
so a new status cannot reach a page in one language only."""

from __future__ import annotations

import re
from contextvars import ContextVar

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"  # the users read Vietnamese
# The reader's language for the request being answered (set by api/language.py; a CLI export
# or a test outside a request reads the default).
_LANGUAGE: ContextVar[str] = ContextVar("policygraph_language", default=DEFAULT_LANGUAGE)


def language() -> str:
    """The reader's language: "vi" or "en"."""
    return _LANGUAGE.get()


def use_language(lang: str):
    """Answer in `lang` from now on in this context; returns the token to reset it with."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return _LANGUAGE.set(lang)


def reset_language(token) -> None:
    _LANGUAGE.reset(token)


def tr(vi_text: str, en_text: str) -> str:
    """One of a page's own phrases in the reader's language (both forms side by side where the
    phrase is written, so neither can be forgotten)."""
    return en_text if language() == "en" else vi_text

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


def word(code: str | None, table: dict[str, tuple[str, str]] | None = None) -> str:
    """`code` in the reader's language (the code itself when unknown; "" for none)."""
    if not code:
        return ""
    pair = (table or _ALL).get(code, (code, code))
    return pair[1] if language() == "en" else pair[0]


def status(code: str | None) -> str:
    """A law's or task's status in the reader's language ("đã thông qua" / "passed")."""
    return word(code, STATUSES)


def change_detail(kind: str, detail: str | None) -> str:
    """A change's detail with its codes in the reader's language (a status, a category)."""
    if not detail:
        return ""
    if kind == "law_status":
        return status(detail)
    if kind == "done":
        return word(detail, CATEGORIES)
    if kind == "overdue" and detail.startswith("due "):
        return tr(f"hạn {detail[4:]}", detail)
    if detail == "recorded overdue":
        return tr("ghi nhận quá hạn", detail)
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
    """One of deadline-risk's reasons in the reader's language."""
    return tr(reason_vi(reason_en) or reason_en, reason_en)
