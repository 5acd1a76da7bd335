"""Progress statements: a later document saying an earlier task is done, late or moved.

A progress report or a later notice reports on assignments made before: ``Bộ Tài chính đã
hoàn thành việc ban hành hướng dẫn …``, ``… còn chậm so với yêu cầu``, ``Lùi thời hạn hoàn
thành nhiệm vụ … đến ngày 30/6/2025``, ``gia hạn … đến hết tháng 9/2025``. Each such sentence
becomes a candidate :class:`~loaders.extract.model.Update`: what it says (a status, or a new
deadline), who it is about, the description to match against known tasks, and, where the text
names it, the earlier document and item (``nhiệm vụ tại điểm 1.b Thông báo số 25-TB/TGV``).
Which task it is about is decided later (``loaders.matching``), and applied only through the
review file or, for an explicit document and item, by a trusted ``--load``.
"""

from __future__ import annotations

import re
from datetime import date

from .agencies import AgencyReader, Mention
from .deadlines import find_deadlines
from .model import Update
from .refs import find_documents
from .segment import paragraphs
from .text import Segment

_W = r"\s+"
# A deadline move: the verb, what moves, then "đến/sang/tới" and the new date.
_MOVED_RE = re.compile(
    rf"(?:lùi|gia{_W}hạn|điều{_W}chỉnh|kéo{_W}dài|dời)(?:{_W}(?:thời{_W}hạn|thời{_W}gian|"
    rf"thời{_W}điểm|tiến{_W}độ)(?:{_W}hoàn{_W}thành|{_W}thực{_W}hiện|{_W}trình)?)?"
    rf"(?P<what>.{{0,240}}?)\b(?P<to>(?:đến|sang|tới){_W})(?P<tail>.{{0,80}})",
    re.IGNORECASE | re.DOTALL,
)
_DONE_RE = re.compile(rf"\bđã{_W}(?:cơ{_W}bản{_W})?hoàn{_W}thành\b",
                      re.IGNORECASE)
_NOT_DONE_RE = re.compile(rf"\bchưa{_W}(?:được{_W})?(?:hoàn{_W}thành|thực{_W}hiện|triển{_W}khai)\b",
                          re.IGNORECASE)
_LATE_RE = re.compile(rf"\b(?:còn{_W}|bị{_W}|đang{_W})?(?:chậm(?:{_W}(?:tiến{_W}độ|so{_W}với|"
                      rf"trễ|muộn))?|quá{_W}hạn|trễ{_W}hạn)\b", re.IGNORECASE)
# "không để chậm trễ", "tránh chậm", "phấn đấu hoàn thành": a direction, not a report
_INSTRUCTION_RE = re.compile(rf"(?:không(?:{_W}được|{_W}để)?|tránh|khắc{_W}phục(?:{_W}tình{_W}trạng)?|"
                             rf"phấn{_W}đấu|bảo{_W}đảm|đảm{_W}bảo|phải|cần){_W}$", re.IGNORECASE)
# "nhiệm vụ (tại) (điểm|mục|khoản) 1.b" — the item of the earlier document, in its numbering
_ITEM_RE = re.compile(
    rf"(?:điểm|mục|khoản|tiểu{_W}mục|nhiệm{_W}vụ(?:{_W}(?:số|tại))?){_W}(?:số{_W})?"
    rf"(?P<item>\d+(?:\s*\.\s*[a-zđ](?:\s*\.\s*\(\d+\))?|\s*\.\s*\d+)?|[a-zđ]\))",
    re.IGNORECASE,
)
# A sentence ends at . ; ! ? before a space and a capital (not inside "1.b" or "25-TB/TGV.").
_SENTENCE_RE = re.compile(r".+?(?:[.;!?]+(?=\s+[^\sa-zà-ỹđ0-9]|\s*$)|$)", re.DOTALL)


def _item(text: str) -> str | None:
    """The item as the extractor numbers sections (``1.b``, ``1.a.(2)``), if the text names one."""
    m = _ITEM_RE.search(text)
    if not m:
        return None
    raw = re.sub(r"\s+", "", m.group("item"))
    if re.fullmatch(r"[a-zđ]\)", raw):
        return raw[0]
    return raw.replace("(", ".(").replace("..", ".")


def _who(text: str) -> Mention | None:
    """The body the statement is about: its subject, else the first agency it names."""
    reader = AgencyReader(text)
    found = reader.subject(0, len(text))
    if found and found[0]:
        return found[0][0]
    i = 0
    while i < len(reader.tokens):
        read = reader.read_one(i)
        if read and read[0] and read[0][0].kind != "generic":
            return read[0][0]
        i = read[1] if read and read[1] > i else i + 1
    return None


def _statement(sentence: str, issued_on: date | None) -> tuple[str, dict] | None:
    """(cue, fields) of a progress statement, or None: a move first, then done, not done, late."""
    moved = _MOVED_RE.search(sentence)
    if moved:
        for d in find_deadlines(sentence[moved.start("to"):], issued_on=issued_on):
            if d.on is not None:
                return moved.group(0).split()[0].lower(), {
                    "kind": "deadline", "deadline": d.on, "deadline_text": d.text[:200]}
    for rx, status in ((_NOT_DONE_RE, "not_done"), (_DONE_RE, "done"), (_LATE_RE, "overdue")):
        for m in rx.finditer(sentence):
            if not _INSTRUCTION_RE.search(sentence[max(0, m.start() - 30):m.start()]):
                return m.group(0).strip(), {"kind": "status", "status": status}
    return None


def find_updates(text: str, *, key: str, issued_on: date | None) -> list[Update]:
    """Every candidate progress statement of the text, in text order, with deterministic ids."""
    updates: list[Update] = []
    for para in paragraphs(text):
        seg = Segment.from_ranges(text, para.ranges)
        for m in _SENTENCE_RE.finditer(seg.text):
            sentence = m.group(0).strip()
            if len(sentence) < 12:
                continue
            found = _statement(sentence, issued_on)
            if found is None:
                continue
            cue, fields = found
            who = _who(sentence)
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            docs = [r.name for r in find_documents(sentence)]
            updates.append(Update(
                id=f"{key}:update-{len(updates) + 1}", cue=cue, text=sentence[:2000],
                span=seg.span(start, start + len(sentence)), on=issued_on,
                lead=who.text if who else None, lead_norm=(who.canonical or who.text) if who else None,
                item=_item(sentence), document=docs[0] if docs else None, **fields))
    return updates
