"""Cue detection: does a clause assign work, to whom, and which words say so.

Three ways a clause names its assignee:

- a request cue before it: ``Giao X …``, ``Đề nghị X …``, ``Yêu cầu (giao) X …``, ``Thủ tướng
  giao X …``, ``chỉ đạo X như sau:``;
- a subject before a predicate: ``X chủ trì``, ``X khẩn trương``, ``X cần/phải/nên/sẽ``, ``X có
  trách nhiệm``, ``X được giao``; in a passage of directions also ``X`` + an action verb
  (``Công an tỉnh bảo vệ …``), which elsewhere is often a reported fact;
- none: a verb-first clause (``Rà soát, báo cáo …``) that continues the previous subject, or an
  anaphoric head (``Ban phối hợp …``, ``Bộ còn phải …``) that points back to it.

Statements of fact (``X đã …``, ``Ngày 22/12/2024, X ban hành …``, ``đến nay X phải …``), the
requester's own verbs (``Tổng Bí thư yêu cầu``), proposals from below (``kiến nghị``) and chairing
a meeting (``chủ trì hội nghị``) are not assignments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import Mention, _light_at, _match_phrase, _phrases
from .deadlines import find_deadlines, find_recurrence
from .gazetteer import ACTION_VERBS
from .mentions import ProseReader
from .text import fold, light

_ACTIONS = _phrases(ACTION_VERBS)
_STRONG = _phrases(
    (
        "chủ trì", "khẩn trương", "cần", "phải", "nên", "có trách nhiệm", "chịu trách nhiệm",
        "được giao", "được phân công", "chủ động", "sẽ", "tập trung", "tiếp tục", "đảm nhận",
        "cần phải", "phối hợp với", "phối hợp chặt chẽ với", "có nhiệm vụ",
    )
)
_NOT_PREDICATE_RE = re.compile(
    r"^\s*(?:về|của|tại|trong|với|cho|và|để|theo|từ|đến|như|nhằm|thuộc|trên|ở)(?!\w)", re.IGNORECASE
)
_HIGHER = {
    fold(x) for x in (
        "Chính phủ", "Thủ tướng", "Thủ tướng Chính phủ", "Quốc hội", "Trung ương", "Bộ Chính trị",
        "Ban Bí thư", "Ủy ban Thường vụ Quốc hội", "Ban Chấp hành Trung ương", "Ban Chỉ đạo",
        "Ban Chỉ đạo Trung ương",
    )
}
_MODALS = _phrases(("phải", "cần", "khẩn trương", "có trách nhiệm"))
_FILLERS = _phrases(("cũng", "còn", "thì", "đều", "vẫn", "tiếp tục", "cần", "khẩn trương"))
_ADVERBS = _phrases(("cũng", "còn", "thì", "đều", "vẫn"))  # between a subject and its verb
_ASSIGNED = _phrases(("giao", "phân công"))  # "được … giao"
_WITH_PARTNERS = _phrases(("phối hợp với", "phối hợp chặt chẽ với"))
_FACT_AFTER = _phrases(("đã", "đang", "vừa", "chưa", "không", "từng", "đã được", "sẽ được", "bị"))
_SPEECH = _phrases(
    (
        "yêu cầu", "đề nghị", "kính đề nghị", "giao", "chỉ đạo", "nhấn mạnh", "cho rằng",
        "cho biết", "khẳng định", "kết luận", "nói", "đồng ý", "đồng tình", "kiến nghị",
        "khuyến khích", "mong muốn", "nêu", "phát biểu", "lưu ý", "thống nhất", "đánh giá",
        "báo cáo", "chủ trì",
    )
)
_MEETING_RE = re.compile(
    r"^chủ\s+trì\s+(?:cuộc\s+họp|hội\s+nghị|phiên\s+họp|buổi|họp|cuộc|phiên)", re.IGNORECASE
)
_REQUEST_RE = re.compile(
    r"(?<!\w)(?P<cue>(?:kính\s+)?đề\s+nghị|yêu\s+cầu(?:\s+giao)?|giao(?:\s+nhiệm\s+vụ)?(?:\s+cho)?"
    r"|phân\s+công|chỉ\s+đạo)(?!\w)(?!\s+(?:thông|dịch|ban\b|lưu|tiếp|kết|hàng|của|nêu|tại|này))",
    re.IGNORECASE,
)
_NOT_REQUEST_BEFORE_RE = re.compile(
    r"(?:xét|theo|của|các|những|được|đã|vừa|bàn|kiến|nhiệm\s+vụ|việc|với|sự|ý\s+kiến|bản|tác|ban)\s*$",
    re.IGNORECASE,
)
_APPOSITION_RE = re.compile(
    r"^\s*(?:là|làm)\s+(?:cơ\s+quan|đơn\s+vị)\s+(?:chủ\s+trì|thường\s+trực|đầu\s+mối)\s*,?\s*",
    re.IGNORECASE,
)
_COUNTED_RE = re.compile(r"^\s*\d+\s+\w+(?:\s+\w+)?\s+là\s+", re.IGNORECASE)
_ADVERBIAL_RE = re.compile(
    r"^\s*,?\s*(?:theo|trên\s+cơ\s+sở|căn\s+cứ|trong|với|tại|về|qua)\s", re.IGNORECASE
)
_FACT_BEFORE_RE = re.compile(
    r"(?:^|\s)(?:đến\s+nay|cách\s+đây|vừa\s+qua|thời\s+gian\s+qua|hiện\s+nay|đến\s+thời\s+điểm\s+này"
    r"|trước\s+đó)(?!\w)|^\s*(?:Ngày|Sáng|Chiều|Tối|Trưa)\s+\d{1,2}\s*(?:[/-]|tháng\s)",
    re.IGNORECASE,
)
_CONNECTOR_RE = re.compile(
    r"^\s*(?:đồng\s+thời|ngoài\s+ra|bên\s+cạnh\s+đó|sau\s+đó|tiếp\s+đó|trong\s+đó|riêng|theo\s+đó)"
    r"\s*,?\s*",
    re.IGNORECASE,
)
_ANAPHOR_RE = re.compile(r"^\s*(?P<head>Bộ|Ban|Sở|Ủy\s+ban|Uỷ\s+ban|Văn\s+phòng|Cục|Tổ|Đồng\s+chí)\s+")
_CLAUSE_SPLIT_RE = re.compile(r"\s*;\s*|,\s+(?=(?:còn|trong\s+khi)\s)")
_CO_LIST_RE = re.compile(r"phối\s+hợp(?:\s+chặt\s+chẽ)?\s+(?:với|cùng)\s", re.IGNORECASE)
_CONJUNCTIONS = _phrases(("nên", "vì vậy", "vì thế", "do đó", "do vậy", "thì", "còn", "trong khi"))
_SPLIT_AFTER_RE = re.compile(r"(?<=[.!?])\s+")
_PROPOSAL_RE = re.compile(r"\b(?:kiến\s+nghị|mong\s+muốn)\b", re.IGNORECASE)


def _first_end(rx: re.Pattern[str], clause: str) -> int | None:
    """The smallest end offset of a match of ``rx`` in ``clause`` (None when there is none)."""
    return min((m.end() for m in rx.finditer(clause)), default=None)


@dataclass
class Assignment:
    """Who a clause assigns work to, and the evidence."""

    leads: list[Mention] = field(default_factory=list)
    cue: str = ""
    cue_span: tuple[int, int] = (0, 0)
    strong: bool = True
    verb_first: bool = False
    anaphor: str | None = None
    requested: bool = False


def clauses(text: str) -> list[tuple[int, int]]:
    """``;`` and ``…, còn X`` / ``…, trong khi X`` split a sentence into clauses."""
    out, pos = [], 0
    for m in _CLAUSE_SPLIT_RE.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out or [(0, len(text))]


def _due(text: str) -> bool:
    """Whether a clause sets a due date or a recurrence (``trước ngày 25``, ``hằng năm``)."""
    return bool(find_deadlines(text) or find_recurrence(text)[0])


class ClauseReader:
    """Reads the assignment of clauses of one unit's text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.reader = ProseReader(text)

    # -- helpers ------------------------------------------------------------------------
    def _predicate(self, pos: int, end: int, nested: bool = False) -> tuple[str, bool, int] | None:
        """The predicate opening at ``pos``: (cue words, strong?, where), or None if it is none."""
        text = self.text
        m = _APPOSITION_RE.match(text[pos:end])
        if m:
            pos += m.end()
        if _ADVERBIAL_RE.match(text[pos:end]):
            # "X theo chức năng, nhiệm vụ, khẩn trương …": the predicate follows one of its commas.
            for c in re.finditer(r",\s*", text[pos : min(end, pos + 160)]):
                found = self._predicate(pos + c.end(), end, nested=True)
                if found:
                    return found
        return self._predicate_here(pos, end)

    def _predicate_here(self, pos: int, end: int) -> tuple[str, bool, int] | None:
        text = self.text
        toks = self.reader.tokens
        i = self.reader.index_at(pos)
        if i >= len(toks) or toks[i].start >= end:
            return None
        if toks[i].text == ":":
            # "Bộ X:" ending the line introduces its items; "Thủ tướng: …" in a headline quotes.
            if not self.text[toks[i].end : end].strip():
                return (":", True, toks[i].start)
            return None
        if light(toks[i].text) in ("như",) and i + 1 < len(toks) and light(toks[i + 1].text) == "sau":
            return ("như sau", True, toks[i].start)
        skip = 0
        while _match_phrase(toks, i + skip, _ADVERBS):
            skip += 1
        k = i + skip
        if k >= len(toks) or not toks[k].is_word or toks[k].is_cap:
            return None
        if _light_at(toks, k, ("căn", "cứ")):
            # "X căn cứ Kế hoạch này xây dựng …": the grounds, then the predicate.
            for q in range(k + 2, min(len(toks), k + 14)):
                if toks[q].start >= end or toks[q].text in (";", "."):
                    break
                if not toks[q].is_cap and _match_phrase(toks, q, _ACTIONS):
                    return (toks[q].text, False, toks[q].start)
            return None
        if _light_at(toks, k, ("được",)):
            # "X được Thủ tướng giao chủ trì …": assigned by someone named in between.
            for q in range(k + 1, min(len(toks), k + 8)):
                if toks[q].start >= end or toks[q].text in (",", ";", "."):
                    break
                if _match_phrase(toks, q, _ASSIGNED):
                    return ("được … " + toks[q].text, True, toks[k].start)
        if _match_phrase(toks, k, _FACT_AFTER) and not _light_at(toks, k, ("đã", "giao")):
            return None
        if _MEETING_RE.match(text[toks[k].start : end]):
            return None
        if _light_at(toks, k, ("sẽ",)) and k + 1 < len(toks) and light(toks[k + 1].text) in ("được", "bị"):
            return None
        n = _match_phrase(toks, k, _STRONG)
        if n:
            words = " ".join(t.text for t in toks[k : k + n])
            if _light_at(toks, k, ("phối", "hợp")) and not _match_phrase(
                toks, k, _WITH_PARTNERS
            ):
                return None
            return (words, True, toks[k].start)
        if _light_at(toks, k, ("chỉ", "đạo")) and not self.reader.read_one(k + 2):
            return ("chỉ đạo", False, toks[k].start)  # "X chỉ đạo bố trí …": X directs its own work
        if _light_at(toks, k, ("báo", "cáo")) and _due(text[toks[k].end : end]):
            # "Các tỉnh báo cáo kết quả … hằng năm": a report with a due date is a duty, not speech.
            return ("báo cáo", False, toks[k].start)
        if _match_phrase(toks, k, _SPEECH):
            return None
        n = _match_phrase(toks, k, _ACTIONS)
        if n:
            return (" ".join(t.text for t in toks[k : k + n]), False, toks[k].start)
        return None

    def _positions(self, start: int, end: int) -> list[int]:
        """Where a subject may start: the clause start, after commas and after a speech verb."""
        out = [start]
        toks = self.reader.tokens
        i = self.reader.index_at(start)
        while i < len(toks) and toks[i].start < end:
            t = toks[i]
            if t.text in (",", ":", "“", '"', "("):
                out.append(t.end)
            elif t.is_word:
                n = _match_phrase(toks, i, _SPEECH) or _match_phrase(
                    toks, i, _CONJUNCTIONS
                )
                if n:
                    out.append(toks[i + n - 1].end)
                    i += n
                    continue
            i += 1
        return sorted(set(out))

    # -- readers ------------------------------------------------------------------------
    def _requested(self, start: int, end: int) -> Assignment | None:
        for m in _REQUEST_RE.finditer(self.text, start, end):
            if _NOT_REQUEST_BEFORE_RE.search(self.text[max(start, m.start() - 14) : m.start()]):
                continue
            if m.group(0)[0].isupper() and self.text[start:m.start()].strip(" “\"(,"):
                continue  # "Ban Chỉ đạo", "Giao thông" inside a name: a cue is lower case mid-clause
            if fold(m.group("cue")) == "chi dao" and not self.text[start:m.start()].strip(" “\"(,"):
                # "a) Chỉ đạo cơ quan chuyên môn rà soát …" with no subject: the item's own lead
                # (inherited) must see to it; the body it directs is not the lead.
                continue
            pos = m.end()
            rest = self.text[pos:end]
            lead = re.match(r"^\s*,?\s*", rest)
            pos += lead.end() if lead else 0
            counted = _COUNTED_RE.match(self.text[pos:end])
            if counted:
                pos += counted.end()
            i = self.reader.index_at(pos)
            mentions, j = self.reader.read_list(i)
            if mentions and (j >= len(self.reader.tokens) or self.reader.tokens[j].start >= end):
                continue
            if mentions:
                after = self.reader.tokens[j].start
                rest_after = self.text[after:end]
                if self._predicate(after, end) or _APPOSITION_RE.match(rest_after) or (
                    re.match(r"^\s*[a-zđàáảãạăâêôơưíìóòúùýéè]", rest_after)
                    and not _NOT_PREDICATE_RE.match(rest_after)
                ):
                    if self._proposal(start, m.start(), mentions):
                        return None
                    return Assignment(mentions, m.group("cue"), (m.start(), m.end()), True, requested=True)
                continue
            # "yêu cầu trước ngày 28/5, từng đơn vị … phải …": the addressee comes later, and
            # may carry a relative clause before its modal.
            for p in self._positions(pos, end)[1:]:
                later = self._addressee_with_modal(p, end)
                if later is not None:
                    return later
        return None

    def _proposal(self, start: int, cue_at: int, addressees: list[Mention]) -> bool:
        """``Bộ X đề nghị Chính phủ …``: a body asking those above it proposes, it assigns nothing."""
        if not all(fold(m.canonical or m.text) in _HIGHER for m in addressees):
            return False
        requester, _ = self.reader.read_list(self.reader.index_at(start))
        return bool(requester) and requester[0].kind in ("agency", "collective", "generic") and (
            requester[0].start < cue_at)

    def _addressee_with_modal(self, p: int, end: int) -> Assignment | None:
        toks = self.reader.tokens
        mentions, j = self.reader.read_list(self.reader.index_at(p))
        if not mentions:
            return None
        for k in range(j, min(len(toks), j + 20)):
            if toks[k].start >= end or toks[k].text in (";", "."):
                break
            if _match_phrase(toks, k, _MODALS):
                words = toks[k].text
                return Assignment(mentions, words, (toks[k].start, toks[k].end), True, requested=True)
        return None

    def _subject_at(self, p: int, end: int, *, directive: bool) -> Assignment | None:
        i = self.reader.index_at(p)
        toks = self.reader.tokens
        if i >= len(toks) or toks[i].start >= end:
            return None
        if toks[i].text in ("“", '"', "("):
            i += 1
        mentions, j = self.reader.read_list(i)
        if not mentions or j >= len(toks) or toks[j].start >= end:
            return None
        pred = self._predicate(toks[j].start, end)
        if pred is None:
            # "Các tỉnh còn chậm phải …": a short qualifier between the subject and its modal.
            for k in range(j, min(len(toks), j + 5)):
                if toks[k].start >= end or not toks[k].is_word or toks[k].is_cap:
                    break
                if _match_phrase(toks, k, _FACT_AFTER):
                    break
                if _match_phrase(toks, k, _MODALS) and k > j:
                    return Assignment(mentions, toks[k].text, (toks[k].start, toks[k].end), True)
            return None
        words, strong, at = pred
        if not strong and not directive:
            return None
        if not strong and any(m.kind == "person" for m in mentions):
            return None  # "Phó Thủ tướng X làm rõ …": an official's remark, not a task
        return Assignment(mentions, words, (at, at + len(words)), strong)

    def read(self, start: int, end: int, *, directive: bool) -> Assignment | None:
        """The assignment of clause ``[start, end)``, or None."""
        before = self.text[start:end]
        if _FACT_BEFORE_RE.match(before[:30]):
            return None  # "Ngày 23 tháng 5 năm 2025, X có văn bản đề nghị …": a reported event
        requested = self._requested(start, end)
        if requested:
            return requested
        headless = self._headless(start, end)
        # Where each stop phrase first ends in the clause, found once: searching the prefix
        # before every candidate position again made a long clause quadratic (issue 29 item 7).
        proposal = _first_end(_PROPOSAL_RE, before)
        co_list = _first_end(_CO_LIST_RE, before)
        fact = _first_end(_FACT_BEFORE_RE, before)
        for p in self._positions(start, end):
            if p > start and proposal is not None and proposal <= p - start:
                break
            if p > start and co_list is not None and co_list <= p - start:
                break  # past "phối hợp với A, B": a name there is a co-operator, not a subject
            if (fact is not None and fact <= p - start) if p > start else _FACT_BEFORE_RE.search(before[:12]):
                return None
            found = self._subject_at(p, end, directive=directive and headless is None)
            if found and (headless is None or p == start or found.strong):
                return found
        return headless

    def only_mentions(self, start: int, end: int) -> list[Mention]:
        """The mentions of a clause that is nothing but a list of names (or [] if it is more)."""
        mentions, j = self.reader.read_list(self.reader.index_at(start))
        toks = self.reader.tokens
        if not mentions or (j < len(toks) and toks[j].start < end and toks[j].text != ";"):
            return []
        return [m for m in mentions if m.start < end]

    def is_fact(self, start: int, end: int) -> bool:
        """A reported fact: a dated past event, or a named subject followed by ``đã``/``đang``."""
        if _FACT_BEFORE_RE.search(self.text[start : min(end, start + 40)]):
            return True
        toks = self.reader.tokens
        for p in self._positions(start, end)[:3]:
            mentions, j = self.reader.read_list(self.reader.index_at(p))
            if mentions and j < len(toks) and toks[j].start < end:
                return bool(_match_phrase(toks, j, _FACT_AFTER))
        return False

    def _headless(self, start: int, end: int) -> Assignment | None:
        """Verb-first clauses and anaphoric heads: the subject is the previous one."""
        text = self.text[start:end]
        m = _CONNECTOR_RE.match(text)
        off = m.end() if m else 0
        a = _ANAPHOR_RE.match(text[off:])
        if a:
            pred = self._predicate(start + off + a.end(), end)
            if pred:
                return Assignment([], pred[0], (start + off, start + off + a.end()), True,
                                  anaphor=a.group("head"))
        toks = self.reader.tokens
        i = self.reader.index_at(start + off)
        if i >= len(toks) or toks[i].start >= end:
            return None
        n = _match_phrase(toks, i, _ACTIONS)
        if n and (toks[i].is_cap or off):
            words = " ".join(t.text for t in toks[i : i + n])
            return Assignment([], words, (toks[i].start, toks[i].start + len(words)), True,
                              verb_first=True)
        return None
