"""Laws cited by name and documents cited by number.

Tasks stall on laws, so every ``Luật …`` and every number such as ``57-NQ/TW``,
``10/2024/NĐ-CP`` or ``1131/QĐ-TTg`` becomes a DEPENDS_ON/REFERS_TO candidate. Numbers are
canonicalised (``NĐ-CHÍNH PHủ`` → ``NĐ-CP``, ``NQ/TƯ`` → ``NQ/TW``) so one document gets one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .gazetteer import (
    DOC_TYPE_CODES,
    DOC_TYPE_WORDS,
    DOC_WORDS,
    LAWS,
    SPELLED_CODES,
    schema_doc_type,
)
from .text import VN_UPPER, Token, fold, light, starts_with_phrase, tokenize


@dataclass(frozen=True)
class Ref:
    """A cited law or document, at ``[start, end)`` of the searched text."""

    kind: Literal["law", "document"]
    name: str
    start: int
    end: int
    doc_type: str | None = None

    @property
    def schema_doc_type(self) -> str | None:
        return schema_doc_type(self.doc_type)


_U = VN_UPPER
_SPELLED = r"(?i:chính\s+phủ|thủ\s+tướng|trung\s+ương|quốc\s+hội)"
_SEG = rf"(?:{_SPELLED}|[{_U}][{_U}a-zđ0-9]*)"
DOCNUM_RE = re.compile(
    rf"(?<![\w/.-])(?P<num>\d{{1,5}})(?:/(?P<year>\d{{4}}))?(?P<sep>[-/])"
    rf"(?P<code>{_SEG}(?:[-/]{_SEG})*)"
)
_TYPE_BEFORE_RE = re.compile(
    r"(" + "|".join(sorted(map(re.escape, DOC_TYPE_WORDS), key=len, reverse=True)) + r")"
    r"\s*(?:số|số hiệu)?\s*:?\s*$"
)


def _canonical_code(code: str) -> str:
    parts = re.split(r"([-/])", code)
    out = []
    for part in parts:
        key = fold(part)
        if key in SPELLED_CODES:
            out.append(SPELLED_CODES[key])
        elif part.upper() == "TƯ":
            out.append("TW")
        else:
            out.append(part)
    return "".join(out)


def _plausible_code(code: str) -> bool:
    """``NQ/TW`` yes, ``Nhà`` (as in ``3-Nhà``) no: the first code part is an abbreviation."""
    first = re.split(r"[-/]", code)[0]
    if re.fullmatch(_SPELLED, first):
        return False
    upper = sum(1 for c in first if c.isupper())
    return len(first) >= 2 and upper >= 2 and upper * 2 >= len(first)


def find_documents(text: str) -> list[Ref]:
    """Document numbers in ``text``, canonicalised, with their type when it can be told."""
    refs: list[Ref] = []
    for m in DOCNUM_RE.finditer(text):
        code = m.group("code")
        if not _plausible_code(code):
            continue
        number = m.group("num") + (f"/{m.group('year')}" if m.group("year") else "")
        name = f"{number}{m.group('sep')}{_canonical_code(code)}"
        refs.append(Ref("document", name, m.start(), m.end(), _doc_type(text, m.start(), code)))
    return refs


def _doc_type(text: str, start: int, code: str) -> str | None:
    before = light(text[max(0, start - 30) : start])
    m = _TYPE_BEFORE_RE.search(before)
    if m:
        return DOC_TYPE_WORDS[m.group(1)]
    for part in re.split(r"[-/]", _canonical_code(code)):
        if part in DOC_TYPE_CODES:
            return DOC_TYPE_CODES[part]
    return None


def doc_type_of_number(number: str) -> str | None:
    """Type told by the code alone (``25-TB/TGV`` → notice)."""
    m = DOCNUM_RE.search(number)
    return _doc_type("", 0, m.group("code")) if m else None


# Lower-case words that end a law name read by rule.
_LAW_STOPS = {
    light(w)
    for w in (
        "của",
        "theo",
        "để",
        "nhằm",
        "đã",
        "được",
        "trong",
        "tại",
        "cho",
        "với",
        "khi",
        "là",
        "có",
        "sẽ",
        "đang",
        "chưa",
        "số",
        "năm",
        "ngày",
        "này",
        "đó",
        "hiện",
        "các",
        "những",
        "hoặc",
        "thì",
        "mà",
        "do",
        "bởi",
        "từ",
        "đến",
        "trước",
        "sau",
        "qua",
        "sửa",
        "bổ",
        "chủ",
        "phối",
        "và",
        "về",
        "cần",
        "phải",
        "không",
        "vào",
        "đối",
        "nhưng",
        "như",
        "ra",
        "thay",
        "thế",
        "ban",
        "trình",
    )
}
_DOC_PHRASES = [tuple(t.key for t in tokenize(w)) for w in DOC_WORDS]
_LAW_GAZ = [(tuple(t.key for t in tokenize(n)), n) for n in LAWS]


def _starts_doc_word(tokens: list[Token], i: int) -> bool:
    return tokens[i].is_cap and any(starts_with_phrase(tokens, i, p) for p in _DOC_PHRASES)


def _law_end(tokens: list[Token], j: int) -> int:
    """Index after the last token of a law name whose first word is ``tokens[j]``."""
    n = len(tokens)
    end = j + 1
    lc_run = 0
    k = j + 1
    while k < n:
        t = tokens[k]
        if t.is_word:
            if t.text[0].isdigit():
                break
            if t.is_cap:
                if _starts_doc_word(tokens, k):
                    break
                lc_run = 0
                end = k + 1
            elif light(t.text) == "và":
                if k + 1 < n and tokens[k + 1].is_cap and not _starts_doc_word(tokens, k + 1):
                    end = k + 2
                    k += 2
                    lc_run = 0
                    continue
                break
            else:
                if light(t.text) in _LAW_STOPS:
                    break
                lc_run += 1
                if lc_run > 4:
                    break
                end = k + 1
        elif (t.text == "," and _comma_inside_name(tokens, k)) or (
            t.text in "-–" and k + 1 < n and tokens[k + 1].is_cap
        ):
            pass  # "Luật Khoa học, Công nghệ và …", "Lao động - Thương binh"
        else:
            break
        k += 1
    return end


def _comma_inside_name(tokens: list[Token], k: int) -> bool:
    """``Luật Khoa học, Công nghệ và Đổi mới sáng tạo``: ``A, B và C`` stays one name."""
    n = len(tokens)
    i = k + 1
    if i >= n or not tokens[i].is_cap or _starts_doc_word(tokens, i):
        return False
    for step in range(1, 5):
        if i + step >= n:
            return False
        t = tokens[i + step]
        if light(t.text) == "và":
            nxt = i + step + 1
            return nxt < n and tokens[nxt].is_cap and not _starts_doc_word(tokens, nxt)
        if not t.is_word or (not t.is_cap and light(t.text) in _LAW_STOPS):
            return False
    return False


def find_laws(text: str) -> list[Ref]:
    """Laws named in ``text``: known names first (any case), then ``Luật`` + capitalised name."""
    tokens = tokenize(text)
    refs: list[Ref] = []
    taken: set[int] = set()
    for i in range(len(tokens)):
        if tokens[i].key not in ("luat",):
            continue
        best: tuple[int, str] | None = None
        for phrase, name in _LAW_GAZ:
            if starts_with_phrase(tokens, i, phrase) and (best is None or len(phrase) > best[0]):
                best = (len(phrase), name)
        if best:
            end = i + best[0]
            start_c, end_c = tokens[i].start, tokens[end - 1].end
            refs.append(Ref("law", text[start_c:end_c], start_c, end_c))
            taken.update(range(i, end))
    for i, tok in enumerate(tokens):
        if i in taken or i + 1 >= len(tokens):
            continue
        if tok.text == "Luật" or (tok.text == "Bộ" and light(tokens[i + 1].text) == "luật"):
            j = i + 1 if tok.text == "Luật" else i + 2
            if j >= len(tokens) or not tokens[j].is_word or not tokens[j].is_cap:
                continue
            if i > 0 and tokens[i - 1].text == "Bộ" and tok.text == "Luật":
                continue
            end = _law_end(tokens, j)
            start_c, end_c = tokens[i].start, tokens[end - 1].end
            refs.append(Ref("law", text[start_c:end_c], start_c, end_c))
            taken.update(range(i, end))
    refs.sort(key=lambda r: r.start)
    return refs


def find_refs(text: str) -> list[Ref]:
    """Laws and document numbers, in text order."""
    laws = find_laws(text)
    docs = [d for d in find_documents(text) if not any(law.start <= d.start < law.end for law in laws)]
    return sorted(laws + docs, key=lambda r: r.start)


_SHORT_FORM_RE = re.compile(
    r"(?<!\w)(?P<word>[Nn]ghị\s+quyết|[Kk]ế\s+hoạch|[Tt]hông\s+báo|[Qq]uyết\s+định|[Cc]hỉ\s+thị"
    r"|[Kk]ết\s+luận|[Nn]ghị\s+định)(?:\s+số)?\s+(?P<num>\d{1,5})(?![\d/.-]|\w)"
)


def find_short_forms(text: str) -> list[Ref]:
    """``Nghị quyết 18``, ``Kế hoạch số 01``: a document named by type and bare number. The
    name is the phrase as written; which document it is, only the dataset can tell."""
    return [
        Ref("document", re.sub(r"\s+", " ", m.group(0)), m.start(), m.end(),
            DOC_TYPE_WORDS.get(light(re.sub(r"\s+", " ", m.group("word")))))
        for m in _SHORT_FORM_RE.finditer(text)
    ]
