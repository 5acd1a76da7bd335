"""Agency mentions in free prose: officials, places, role nouns and groups, besides named bodies.

``AgencyReader`` reads the names a notice prints (``Bộ Tài chính``, ``Các Bộ: A, B``). Reports and
letters also name assignees as officials (``Bộ trưởng Bộ Công an``, ``Bộ trưởng, Thủ trưởng cơ quan
ngang bộ``), bare places (``Hà Nội`` for its People's Committee), roles (``cơ quan chủ trì``) and
groups (``từng đơn vị``). ``ProseReader`` reads those first, then falls back to ``AgencyReader``.
Each mention carries its body in ``canonical`` when the text names one (official → body).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .agencies import _GENERIC_NOUN_RX, _GENERIC_QUAL_RX, AgencyReader, Mention
from .gazetteer import CITIES, OFFICIAL_TITLES, PROVINCES, ROLE_NOUNS, SO_FIELDS
from .text import fold, light

_rx = lambda words: "|".join(  # noqa: E731 - a one-line helper for alternations
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
)

_TITLE_RX = _rx(OFFICIAL_TITLES)
_TITLES_RE = re.compile(
    rf"(?:(?:các|Các)\s+)?(?:(?:đồng\s+chí|Đồng\s+chí)\s+)?(?:Ủy\s+viên\s+|Phó\s+)?"
    rf"(?:{_TITLE_RX})(?:\s*,\s*(?:Phó\s+)?(?:{_TITLE_RX}))*\s+",
    re.IGNORECASE,
)
_COMRADES_RE = re.compile(r"(?:(?:các|Các)\s+)?(?:đồng\s+chí|Đồng\s+chí)\s+(?:Ủy\s+viên\s+)?")
_BARE_GENERIC_RE = re.compile(
    rf"(?:{_GENERIC_NOUN_RX})(?:\s*,\s*(?:{_GENERIC_NOUN_RX}))*(?:\s+(?:có\s+)?(?:{_GENERIC_QUAL_RX}))*"
    r"(?!\w)",
    re.IGNORECASE,
)
_ROLE_RE = re.compile(rf"(?:{_rx(ROLE_NOUNS)})(?!\w)", re.IGNORECASE)
_EACH_RE = re.compile(
    rf"(?:từng|mỗi|Từng|Mỗi)\s+(?:{_GENERIC_NOUN_RX})(?:\s+(?:có\s+)?(?:{_GENERIC_QUAL_RX}))*(?!\w)",
    re.IGNORECASE,
)
_PLACE_RE = re.compile(
    rf"(?P<kind>(?:[Tt]hành\s+phố|TP\.?|Tp\.?|[Tt]ỉnh)\s+)?(?P<name>{_rx(CITIES + PROVINCES)})(?!\w)"
)
_SO_SHORT_RE = re.compile(r"^Sở\s+(?P<code>[A-ZĐ&\-]{2,12})\b")


def place_body(kind: str | None, name: str) -> str:
    """``Hà Nội`` → ``Ủy ban nhân dân thành phố Hà Nội``: a place as assignee is its committee."""
    word = "thành phố" if (name in CITIES and not (kind or "").lower().startswith("tỉnh")) else "tỉnh"
    return f"Ủy ban nhân dân {word} {name}"


def department_body(text: str) -> str | None:
    """``Sở KH-CN`` → ``Sở Khoa học và Công nghệ``: provincial departments in short form."""
    m = _SO_SHORT_RE.match(text)
    if not m:
        return None
    field = SO_FIELDS.get(re.sub(r"[^a-z]", "", fold(m.group("code"))))
    return f"Sở {field}" if field else None


class ProseReader(AgencyReader):
    """``AgencyReader`` plus officials, places, roles and ``từng …`` groups."""

    def read_one(self, i: int):  # type: ignore[override]
        toks = self.tokens
        if i >= len(toks) or not toks[i].is_word:
            return None
        at = toks[i].start
        titled = self._titled(i)
        if titled:
            return titled
        for rx in (_ROLE_RE, _EACH_RE):
            m = rx.match(self.text, at)
            if m:
                return [Mention(m.group(0), at, m.end(), "generic")], self.index_at(m.end())
        m = _PLACE_RE.match(self.text, at)
        if m and (m.group("kind") or self._ends_name(m.end())):
            body = place_body(m.group("kind"), m.group("name"))
            return [Mention(m.group(0), at, m.end(), "agency", body)], self.index_at(m.end())
        found = super().read_one(i)
        if found:
            mentions, end = found
            fixed = [replace(x, canonical=x.canonical or department_body(x.text)) for x in mentions]
            return fixed, end
        return None

    def read_list(self, i: int):  # type: ignore[override]
        """As ``AgencyReader.read_list``, and a group goes on through ``… và địa phương``."""
        mentions, j = super().read_list(i)
        toks = self.tokens
        while mentions and mentions[-1].kind == "generic" and j + 1 < len(toks) and (
            toks[j].text == "," or light(toks[j].text) == "và"
        ):
            k = j + 1
            if toks[k].is_cap:
                break
            g = _BARE_GENERIC_RE.match(self.text, toks[k].start)
            if not g:
                break
            last = mentions[-1]
            mentions[-1] = Mention(self.text[last.start : g.end()], last.start, g.end(), "generic")
            j = self.index_at(g.end())
        return mentions, j

    def _ends_name(self, pos: int) -> bool:
        """A bare place name must not run on into a longer capitalised name (``Hà Nội Mới``)."""
        rest = self.text[pos:].lstrip()
        return not rest[:1].isupper() or rest.startswith(("TP", "Tp"))

    def _titled(self, i: int):
        """``Bộ trưởng Bộ X``, ``Bộ trưởng, Thủ trưởng cơ quan ngang bộ``, ``Đồng chí``."""
        toks = self.tokens
        at = toks[i].start
        m = _TITLES_RE.match(self.text, at) or _COMRADES_RE.match(self.text, at)
        if not m:
            return None
        j = self.index_at(m.end())
        if j >= len(toks):
            return None
        inner = self._body_after_title(j)
        if inner is None:
            if _COMRADES_RE.match(self.text, at) and m.end() - at <= 12:
                # "Đồng chí nghiên cứu …": the addressee of a letter, named by the title alone.
                end = self.index_at(m.end()) - 1
                return [Mention(self.text[at : toks[end].end], at, toks[end].end, "person")], end + 1
            return None
        body, end = inner
        text = self.text[at : toks[end - 1].end]
        return [Mention(text, at, toks[end - 1].end, body.kind, body.canonical or body.text)], end

    def _body_after_title(self, j: int) -> tuple[Mention, int] | None:
        toks = self.tokens
        pos = toks[j].start
        g = _BARE_GENERIC_RE.match(self.text, pos)
        if g and not toks[j].is_cap:
            end = self.index_at(g.end())
            return Mention(self.text[pos : g.end()], pos, g.end(), "generic"), end
        found = super().read_one(j)
        if not found:
            return None
        mentions, end = found
        return (mentions[0], end) if len(mentions) == 1 else None
