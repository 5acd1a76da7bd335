"""Agency mentions: where a name starts and ends, who leads, who co-operates.

Vietnamese agency names are capitalised word by word only at their start (``Bộ Tài chính``,
``Bộ Nông nghiệp và Môi trường``), so a name's end is found by rules: a head word (``Bộ``,
``Ủy ban nhân dân``, ``Tập đoàn``…) followed by capitalised words, at most two lower-case
syllables in a row, never a verb of the predicate (``chủ trì``, ``khẩn trương``). Known names
with awkward boundaries come from the gazetteer; unknown ones are still read and kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from .gazetteer import (
    ADVERBIAL_OPENERS,
    AGENCIES,
    ASSIGN_PREFIXES,
    GENERIC_NOUNS,
    GENERIC_QUALIFIERS,
    HEADS,
    NAME_STOPS,
    NON_DIRECTIVE,
    PERSON_TITLES,
    PLACE_HEADS,
    PLACE_WORDS,
)
from .model import AgencyKind
from .text import VN_UPPER, Token, either_tone, fold, light, tokenize

Resolver = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Mention:
    """A named (or generic) body at ``[start, end)`` of the text it was read from."""

    text: str
    start: int
    end: int
    kind: AgencyKind = "agency"
    canonical: str | None = None

    @property
    def key(self) -> str:
        """Identity for de-duplication before resolution: the official name when known."""
        return fold(self.canonical or self.text)


class Phrases(list):
    """Phrases as tuples of light words, longest first, and the same grouped by first word
    (`starting`): a reader tries them at every token, and only those that begin with the
    token's word can match there."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        super().__init__(phrases)
        self.starting: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self:
            self.starting.setdefault(phrase[0], []).append(phrase)


def _phrases(words: Iterable[str]) -> Phrases:
    out = [tuple(light(t.text) for t in tokenize(w)) for w in words]
    return Phrases(sorted(set(out), key=len, reverse=True))


_HEADS = _phrases(HEADS)
_PLACE_HEADS = set(_phrases(PLACE_HEADS))
_PLACE_WORDS = _phrases(PLACE_WORDS)
_TITLES = _phrases(PERSON_TITLES)
_STOPS = _phrases(NAME_STOPS)
_NON_DIRECTIVE = _phrases(NON_DIRECTIVE)
_PREFIXES = _phrases(ASSIGN_PREFIXES)
_OPENERS = _phrases(ADVERBIAL_OPENERS)


def _build_gazetteer() -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], dict]:
    full: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    bare: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for entry in AGENCIES:
        official = entry[0]
        for form in entry:
            keys = tuple(t.key for t in tokenize(form))
            full.setdefault(keys[0], []).append((keys, official))
            if keys[0] == "bo" and len(keys) > 1 and form.startswith("Bộ "):
                bare.setdefault(keys[1], []).append((keys[1:], official))
    for table in (full, bare):
        for lst in table.values():
            lst.sort(key=lambda kv: len(kv[0]), reverse=True)
    return full, bare


_GAZ_FULL, _GAZ_BARE = _build_gazetteer()

_GENERIC_NOUN_RX = "|".join(
    either_tone(re.escape(n).replace(r"\ ", r"\s+")) for n in sorted(GENERIC_NOUNS, key=len, reverse=True)
)
_GENERIC_QUAL_RX = "|".join(
    either_tone(re.escape(q).replace(r"\ ", r"\s+"))
    for q in sorted(GENERIC_QUALIFIERS, key=len, reverse=True)
)
_GENERIC_RE = re.compile(
    rf"(?:các|những|mọi|toàn\s+bộ\s+các)\s+(?:{_GENERIC_NOUN_RX})"
    # a further noun of the group is lower case, or capitalised but not followed by a name:
    # ", Thành ủy sẽ …" goes on the group, ", Ban Chấp hành …" starts a name
    rf"(?:\s*(?:,|,?\s+và|,?\s+hoặc)\s*(?:các\s+)?(?:(?-i:(?![{VN_UPPER}]))(?:{_GENERIC_NOUN_RX})"
    rf"|(?:{_GENERIC_NOUN_RX})(?!\s+(?-i:[{VN_UPPER}]))))*"
    rf"(?:\s+(?:có\s+)?(?:{_GENERIC_QUAL_RX}))*(?!\w)",
    re.IGNORECASE,
)
_BARE_GROUP_RE = re.compile(
    rf"(?:{_GENERIC_NOUN_RX})(?:\s+(?:có\s+)?(?:{_GENERIC_QUAL_RX}))*(?!\w)"
)
_COLLECTIVE_PLACES_RE = re.compile(
    r"các\s+(?:tỉnh|thành\s+phố|quận|huyện|thị\s+xã|xã|phường|địa\s+phương)"
    r"(?:\s*,\s*(?:tỉnh|thành\s+phố|quận|huyện|thị\s+xã|xã|phường))*"
    r"(?:\s+trực\s+thuộc\s+Trung\s+ương)?(?!\w)",
    re.IGNORECASE,
)
# "Các Bộ: Khoa học và Công nghệ, Tài chính" / "các thành ủy: Hà Nội, Huế".
_LIST_RE = re.compile(
    r"(?P<pre>Ủy\s+ban\s+nhân\s+dân\s+|Uỷ\s+ban\s+nhân\s+dân\s+|UBND\s+)?[Cc]ác\s+"
    r"(?P<head>Bộ|bộ|[Tt]ỉnh\s+[uủ][yỷ]|[Tt]hành\s+[uủ][yỷ]|[Ss]ở|tỉnh|thành\s+phố|tỉnh,\s*thành\s+phố)"
    r"(?:\s*,\s*cơ\s+quan\s+ngang\s+[Bb]ộ|\s*,\s*ngành)?\s*(?::\s*|(?=\s+[" + VN_UPPER + "]))"
)


def _light_at(tokens: Sequence[Token], i: int, phrase: tuple[str, ...]) -> bool:
    if i + len(phrase) > len(tokens):
        return False
    return all(light(tokens[i + k].text) == phrase[k] for k in range(len(phrase)))


def _match_phrase(tokens: Sequence[Token], i: int, phrases: Phrases) -> int:
    """The length of the longest of `phrases` that `tokens[i:]` begins with, else 0."""
    if i >= len(tokens):
        return 0
    for p in phrases.starting.get(light(tokens[i].text), ()):
        if _light_at(tokens, i, p):
            return len(p)
    return 0


def _is_stop(tokens: Sequence[Token], i: int) -> bool:
    return not tokens[i].is_cap and _match_phrase(tokens, i, _STOPS) > 0


def _head_len(tokens: Sequence[Token], i: int) -> int:
    if i >= len(tokens) or not tokens[i].is_word or not tokens[i].is_cap:
        return 0
    return _match_phrase(tokens, i, _HEADS)


class AgencyReader:
    """Reads agency mentions from one cleaned text (a segment's ``text``)."""

    def __init__(self, text: str, start: int = 0, end: int | None = None) -> None:
        self.text = text
        self.tokens = tokenize(text, start, end)

    # -- positions ----------------------------------------------------------------------
    def index_at(self, char_pos: int) -> int:
        """Index of the first token at or after ``char_pos`` (tokens are in text order, so a
        binary search: readers call this once per token, and a linear scan made long texts
        quadratic)."""
        return bisect_left(self.tokens, char_pos, key=lambda t: t.start)

    def _span_text(self, i: int, j: int) -> str:
        return self.text[self.tokens[i].start : self.tokens[j - 1].end]

    # -- single readers -----------------------------------------------------------------
    def _gazetteer(self, i: int, bare: bool = False) -> tuple[int, str] | None:
        table = _GAZ_BARE if bare else _GAZ_FULL
        toks = self.tokens
        for keys, official in table.get(toks[i].key, ()):
            if i + len(keys) <= len(toks) and all(toks[i + k].key == keys[k] for k in range(len(keys))):
                return i + len(keys), official
        return None

    def _name_tail(self, j: int, *, place_head: bool, in_list: bool = False) -> int:
        """Index after the name that follows a head word at ``j`` (``j`` if there is none)."""
        toks = self.tokens
        n = len(toks)
        end = j
        k = j
        lc_run = 0
        seen_cap = False
        while k < n:
            t = toks[k]
            if t.is_word and t.text[0].isdigit():
                break
            if t.is_word:
                place = _match_phrase(toks, k, _PLACE_WORDS)
                if place and k + place < n and toks[k + place].is_cap:
                    k += place  # "thành phố Hà Nội", "Thành phố Hồ Chí Minh"
                    continue
            if t.is_word and t.is_cap:
                if in_list and k > j and _head_len(toks, k):
                    break
                seen_cap = True
                lc_run = 0
                k += 1
                end = k
                continue
            if t.is_word:
                word = light(t.text)
                if word == "và":
                    if in_list:
                        break
                    if k + 1 < n and toks[k + 1].is_cap and not _head_len(toks, k + 1):
                        k += 1
                        continue
                    break
                if (not seen_cap and not place_head) or (place_head and seen_cap):
                    break  # "Tỉnh ủy Nghệ An lãnh đạo": a place name ends at lower case
                if _is_stop(toks, k):
                    break
                lc_run += 1
                if lc_run > 3:  # "Đổi mới sáng tạo" has three lower-case syllables
                    break
                k += 1
                end = k
                continue
            if t.text in "-–" and k + 1 < n and toks[k + 1].is_cap and seen_cap:
                k += 1
                continue
            if (
                t.text == "."
                and k > 0
                and toks[k - 1].text in ("TP", "Tp")
                and k + 1 < n
                and toks[k + 1].is_cap
            ):
                k += 1
                continue
            if (
                t.text == "("
                and seen_cap
                and k + 2 < n
                and toks[k + 2].text == ")"
                and toks[k + 1].text.isupper()
            ):
                k += 3
                end = k
                continue
            break
        return end if seen_cap or end > j else j

    def _pattern(self, i: int) -> tuple[int, AgencyKind] | None:
        toks = self.tokens
        head = _head_len(toks, i)
        if not head:
            return None
        j = i + head
        head_key = tuple(light(t.text) for t in toks[i:j])
        place_head = head_key in _PLACE_HEADS
        if place_head and j < len(toks) and light(toks[j].text) == "các":
            m = _COLLECTIVE_PLACES_RE.match(self.text, toks[j].start)
            if m:
                return self.index_at(m.end()), "collective"
        end = self._name_tail(j, place_head=place_head)
        if end == j:
            return None
        # Trailing lower-case words must not be a place word left without its name.
        return end, "agency"

    def _person(self, i: int) -> tuple[int, str | None] | None:
        toks = self.tokens
        title = _match_phrase(toks, i, _TITLES)
        if not title or not toks[i].is_word:
            return None
        j = i + title
        org = self._gazetteer(j) if j < len(toks) else None
        if org:
            j = org[0]
        k = j
        while k < len(toks) and k - j < 4 and toks[k].is_word and toks[k].is_cap:
            if _head_len(toks, k):
                break
            k += 1
        if k == j and light(toks[i].text) == "đồng":
            return None
        if k - j == 1:  # one capitalised word is not a person's name
            k = j
        return k, (self._span_text(j, k) if k > j else None)

    def _list(self, i: int) -> tuple[list[Mention], int] | None:
        toks = self.tokens
        m = _LIST_RE.match(self.text, toks[i].start)
        if not m:
            return None
        head = light(m.group("head"))
        if m.group("pre"):
            prefix = "Ủy ban nhân dân "
        elif head in ("bộ",):
            prefix = "Bộ "
        elif head.startswith("tỉnh ủy") or head.startswith("tỉnh uỷ"):
            prefix = "Tỉnh ủy "
        elif head.startswith("thành ủy") or head.startswith("thành uỷ"):
            prefix = "Thành ủy "
        elif head == "sở":
            prefix = "Sở "
        else:
            return None
        k = self.index_at(m.end())
        out: list[Mention] = []
        while k < len(toks) and toks[k].is_word and toks[k].is_cap:
            hit = self._gazetteer(k, bare=True) if prefix == "Bộ " else None
            if hit:
                end, official = hit
            else:
                end, official = self._name_tail(k, place_head=False, in_list=True), None
                if end == k:
                    break
            written = self._span_text(k, end)
            out.append(Mention(prefix + written, toks[k].start, toks[end - 1].end, "agency", official))
            k = end
            if k < len(toks) and toks[k].text == ",":
                k += 1
            if k < len(toks) and light(toks[k].text) == "và":
                k += 1
        if not out:
            return None
        # The list's own words ("Các Bộ:") belong to the first mention's provenance.
        out[0] = replace(out[0], start=toks[i].start)
        while k > 0 and toks[k - 1].text in (",",) or (k > 0 and light(toks[k - 1].text) == "và"):
            k -= 1
        return out, k

    def read_one(self, i: int) -> tuple[list[Mention], int] | None:
        """Mentions starting at token ``i`` (several for ``Các Bộ: A, B``), and the next index."""
        toks = self.tokens
        if i >= len(toks) or not toks[i].is_word:
            return None
        listed = self._list(i)
        if listed:
            return listed
        g = _GENERIC_RE.match(self.text, toks[i].start)
        if g:
            end = self.index_at(g.end())
            return [Mention(self._span_text(i, end), toks[i].start, g.end(), "generic")], end
        person = self._person(i)
        if person and person[0] > i:
            end, name = person
            return [Mention(self._span_text(i, end), toks[i].start, toks[end - 1].end, "person", name)], end
        hit = self._gazetteer(i)
        pat = self._pattern(i)
        if hit and (pat is None or hit[0] >= pat[0]):
            end, official = self._abbreviation(hit[0]), hit[1]
            kind: AgencyKind = "agency"
        elif pat:
            end, kind = self._abbreviation(pat[0]), pat[1]
            official = None
        else:
            return None
        places = self._collective_places(i, end) if kind == "agency" else None
        if places:
            # "Sở Nông nghiệp và Môi trường các tỉnh": the departments of every province, one
            # collective lead, not "Sở …" plus a stray "các tỉnh".
            end, kind, official = places, "collective", None
        return [Mention(self._span_text(i, end), toks[i].start, toks[end - 1].end, kind, official)], end

    def _collective_places(self, i: int, end: int) -> int | None:
        """The end of ``các tỉnh, thành phố …`` right after a provincial body's name, else None
        (a ministry has no provincial copies: ``Bộ X các tỉnh`` does not occur)."""
        toks = self.tokens
        if end >= len(toks) or light(toks[i].text) == "bộ" or light(toks[end].text) != "các":
            return None
        m = _COLLECTIVE_PLACES_RE.match(self.text, toks[end].start)
        return self.index_at(m.end()) if m else None

    def _abbreviation(self, end: int) -> int:
        """Take in a short form in brackets right after a name: ``… Quân đội (Viettel)``."""
        toks = self.tokens
        if (
            end + 2 < len(toks)
            and toks[end].text == "("
            and toks[end + 2].text == ")"
            and toks[end + 1].is_cap
        ):
            return end + 3
        return end

    def read_list(self, i: int) -> tuple[list[Mention], int]:
        """Mentions joined by commas and ``và`` from token ``i``; stops at anything else."""
        toks = self.tokens
        out: list[Mention] = []
        first = self.read_one(i)
        if not first:
            return [], i
        out.extend(first[0])
        i = first[1]
        while i < len(toks):
            j = i
            if toks[j].text in (",", ";"):
                j += 1
            if j < len(toks) and light(toks[j].text) in ("và", "cùng", "hoặc"):
                j += 1
            if j == i:
                break
            nxt = self.read_one(j)
            if not nxt and j == i + 1 and toks[i].text == ",":
                nxt = self._bare_group(j)
            if not nxt:
                break
            out.extend(nxt[0])
            i = nxt[1]
        return out, i

    def _bare_group(self, j: int) -> tuple[list[Mention], int] | None:
        """A group written without ``các`` inside a list of leads (``Bộ A, hội quần chúng``):
        lower case and at least two syllables, so a lone ``ban`` is not one."""
        toks = self.tokens
        if j >= len(toks) or not toks[j].is_word or toks[j].is_cap:
            return None
        g = _BARE_GROUP_RE.match(self.text, toks[j].start)
        if not g or len(g.group(0).split()) < 2 or light(g.group(0)) in ("cơ quan", "đơn vị"):
            return None  # "Bộ A, cơ quan chủ trì, …": an apposition, not a second lead
        end = self.index_at(g.end())
        return [Mention(self._span_text(j, end), toks[j].start, g.end(), "generic")], end

    # -- roles --------------------------------------------------------------------------
    def subject(self, start: int, end: int) -> tuple[list[Mention], int] | None:
        """The agencies an assignment clause ``[start, end)`` addresses, and where its verb is.

        ``Giao Bộ A và Bộ B …``, ``Bộ A chủ trì …``, ``Trường hợp cần thiết, Bộ A chủ động …``.
        Statements of fact (``Bộ A đã …``) and co-operation (``Bộ B phối hợp.``) are not subjects.
        """
        first = self.index_at(start)
        toks = self.tokens
        last = first
        while last < len(toks) and toks[last].start < end:
            last += 1
        if first >= last:
            return None
        candidates = [first]
        if _match_phrase(toks, first, _OPENERS) and self.read_one(first) is None:
            candidates = [k + 1 for k in range(first, last) if toks[k].text == ","]
        for i in candidates:
            if i >= last:
                continue
            i += _match_phrase(toks, i, _PREFIXES) if toks[i].is_cap or i != first else 0
            mentions, j = self.read_list(i)
            if not mentions or j >= last:
                continue
            if toks[j].text == "(":
                depth = 0
                while j < last:
                    if toks[j].text == "(":
                        depth += 1
                    elif toks[j].text == ")":
                        depth -= 1
                        if depth == 0:
                            j += 1
                            break
                    j += 1
                if j >= last:
                    continue
            t = toks[j]
            if t.text == ":" or (t.text == "," and j + 1 < last and not toks[j + 1].is_cap):
                return mentions, t.start
            if not t.is_word or t.is_cap:
                continue
            if _match_phrase(toks, j, _NON_DIRECTIVE):
                continue
            if _light_at(toks, j, ("phối", "hợp")) and not (
                j + 2 < last and light(toks[j + 2].text) in ("với", "cùng")
            ):
                continue
            return mentions, t.start
        return None

    def cooperators(self, start: int, end: int) -> list[Mention]:
        """Agencies and generic phrases that co-operate: ``phối hợp với …``, ``Bộ B phối hợp``."""
        toks = self.tokens
        out: list[Mention] = []
        for m in re.finditer(
            r"(?:phối\s+hợp(?:\s+chặt\s+chẽ)?\s+(?:với|cùng)|(?:cơ\s+quan|đơn\s+vị)\s+phối\s+hợp\s*:"
            r"|^\s*phối\s+hợp\s*:|chủ\s+trì\s*,\s*cùng(?:\s+với)?)\s*",
            self.text[start:end],
            re.IGNORECASE,
        ):
            mentions, _ = self.read_list(self.index_at(start + m.end()))
            out.extend(mentions)
        # "…, Bộ B và Bộ C phối hợp": agencies whose predicate is a bare "phối hợp".
        first = self.index_at(start)
        for k in range(first, len(toks)):
            if toks[k].start >= end:
                break
            if k != first and toks[k - 1].text not in (",", ";", "."):
                continue
            mentions, j = self.read_list(k)
            if (
                mentions
                and j + 1 < len(toks)
                and _light_at(toks, j, ("phối", "hợp"))
                and not (j + 2 < len(toks) and light(toks[j + 2].text) in ("với", "cùng"))
            ):
                out.extend(mentions)
        return sorted(out, key=lambda m: m.start)

    def field_leads(self, start: int, end: int) -> list[Mention]:
        """Plans write ``Cơ quan chủ trì: Bộ A``; read the agencies after such a label."""
        out: list[Mention] = []
        for m in re.finditer(
            r"(?:(?:cơ\s+quan|đơn\s+vị)\s+chủ\s+trì|(?:^|(?<=[.;]\s))chủ\s+trì)\s*:\s*",
            self.text[start:end],
            re.IGNORECASE,
        ):
            mentions, _ = self.read_list(self.index_at(start + m.end()))
            out.extend(mentions)
        return out


def resolve_mention(m: Mention, resolve: Resolver | None) -> tuple[str | None, bool]:
    """The alias table's id for a mention, and whether it is a new candidate (unknown)."""
    if m.kind == "generic":
        return None, False
    if resolve is None:
        return None, True
    tries = [m.text]
    if m.canonical:
        tries.append(m.canonical)
    bare = re.sub(r"\s*\([^)]*\)", "", m.text).strip()
    if bare != m.text:
        tries.append(bare)
    for t in tries:
        found = resolve(t)
        if found:
            return found, False
    return None, True


def dedupe(mentions: Iterable[Mention]) -> list[Mention]:
    """Keep the first mention of each agency (by official name or folded text)."""
    seen: set[str] = set()
    out: list[Mention] = []
    for m in mentions:
        if m.key not in seen:
            seen.add(m.key)
            out.append(m)
    return out
