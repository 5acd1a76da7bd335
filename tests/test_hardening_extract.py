"""Bad input never crashes the directive extractor: Hypothesis throws random, mangled and
malformed notice texts at `loaders.extract.extract`.

Every outcome is either a valid Extraction (JSON-ready, every span inside the text, task ids
unique) or a clear PolicygraphError; never another exception. Big inputs (a 10,000-character
agency name, a notice repeated to 1 MB) finish in bounded time. `FUZZ_EXAMPLES` raises the
number of examples (`make fuzz`).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import PolicygraphError
from loaders.aliases import AliasTable
from loaders.extract import Extraction, extract
from loaders.read import read_paths

NOTICES = sorted((Path(__file__).parent / "fixtures" / "notices").glob("*.txt"))
VALID = Path(__file__).parent / "fixtures" / "load" / "valid.yaml"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
_batch = read_paths([VALID])
RESOLVE = AliasTable.from_rows((n.id, n.label, n.properties) for n in _batch.nodes).resolve
TEXTS = {path.name: path.read_text(encoding="utf-8") for path in NOTICES}

# Text as it comes from a UTF-8 file: any character but lone surrogates.
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


def check(text: str, resolve=RESOLVE) -> Extraction | None:
    """Extract `text`; the outcome must be a valid Extraction or a PolicygraphError."""
    try:
        result = extract(text, source_name="fuzz.txt", resolve=resolve)
    except PolicygraphError as refused:
        assert refused.message
        return None
    assert isinstance(result, Extraction)
    json.dumps(result.model_dump(mode="json"), ensure_ascii=False)
    spans = [t.span for t in result.tasks] + [t.span for t in result.topics]
    spans += [s for entry in [*result.laws, *result.documents] for s in entry.spans]
    for start, end in spans:
        assert 0 <= start <= end <= len(text), (start, end, len(text))
    ids = [task.id for task in result.tasks]
    assert len(ids) == len(set(ids)), f"task ids repeat: {ids}"
    return result


def test_the_fixture_notices_extract_cleanly():
    """The starting point of the mutations below: real notices give real tasks."""
    for name, text in TEXTS.items():
        result = check(text)
        assert result is not None and result.tasks, name


@pytest.mark.parametrize("text", ["\xad", "Giao Bộ Tài chính:\n\n\xad\n\n- Rà soát."])
def test_a_paragraph_of_invisible_characters_is_no_unit(text):
    """A soft hyphen alone (found by the fuzz below) left the segmenter no unit to look at."""
    result = check(text)
    assert result is not None and not [t for t in result.tasks if not t.lead]


@FUZZ
@given(text=any_text)
def test_random_text_gives_a_result_or_a_clear_error(text):
    check(text)
    check(text, resolve=None)


@st.composite
def mangled_notices(draw) -> str:
    """A real notice, cut, repeated, spliced with random text and lines shuffled."""
    text = TEXTS[draw(st.sampled_from(sorted(TEXTS)))]
    for _ in range(draw(st.integers(1, 5))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 400)))
        action = draw(st.sampled_from(["cut", "repeat", "insert", "truncate", "lines"]))
        if action == "cut":
            text = text[:start] + text[end:]
        elif action == "repeat":
            text = text[:end] + text[start:end] + text[end:]
        elif action == "insert":
            text = text[:start] + draw(any_text) + text[start:]
        elif action == "truncate":
            text = text[:start]
        else:
            lines = text.splitlines(keepends=True)
            text = "".join(draw(st.permutations(lines))) if len(lines) < 60 else text
    return text


@FUZZ
@given(text=mangled_notices())
def test_mangled_notices_give_a_result_or_a_clear_error(text):
    check(text)


AGENCY = st.sampled_from(["Bộ Tài chính", "Bộ KH&CN", "Bộ Khoa học và Công nghệ", "Văn phòng Chính phủ",
                          "UBND thành phố Hà Nội", "Uỷ ban nhân dân tỉnh X", "các bộ, ngành", "MOF",
                          "Bộ", "Ban", "", "x" * 300])
DATE = st.sampled_from(["28/5/2025", "31/2/2025", "99/99/9999", "ngày 24 tháng 5 năm 2025",
                        "ngày 0 tháng 13 năm 0", "28-5", "tháng 6/2025", "quý I/2026", "quý V/2026",
                        "trước ngày", "10/1", "", "29/2/2023", "1/1/10000"])
NUMBER = st.sampled_from(["1.", "2.", "a)", "b)", "(1)", "II.", "1.1.", "-", "+", "", "999999.", "0."])


@st.composite
def notice_like(draw) -> str:
    """Lines in the shape of a conclusion notice, with malformed dates and numbering."""
    lines = [draw(st.sampled_from(["Số 25-TB/TGV", "Số -TB/", "Số 25-TB/TGV/TGV/TGV", ""])),
             f"Hà Nội, {draw(DATE)}", "THÔNG BÁO KẾT LUẬN"]
    for _ in range(draw(st.integers(0, 12))):
        lead, co, co2 = draw(AGENCY), draw(AGENCY), draw(AGENCY)
        lines.append(draw(st.sampled_from([
            f"{draw(NUMBER)} Về {draw(any_text)[:40]}",
            f"{draw(NUMBER)} {lead} chủ trì, phối hợp với {co}, {co2} {draw(any_text)[:60]}",
            f"{lead} chủ trì, phối hợp với {co} báo cáo trước ngày {draw(DATE)}.",
            f"{draw(NUMBER)} Báo cáo {draw(any_text)[:30]} trước ngày {draw(DATE)}",
            f"Hoàn thành trong {draw(DATE)}; {lead} chủ trì",
            f"theo Luật {draw(any_text)[:30]} và Nghị quyết số {draw(st.integers())}/2025/QH15",
        ])))
    return "\n".join(lines)


@FUZZ
@given(text=notice_like())
def test_notice_shaped_text_gives_a_result_or_a_clear_error(text):
    check(text)


def test_a_10000_character_agency_name_is_handled_in_bounded_time():
    name = "Bộ " + "Khoa học " * 1_200
    text = f"Số 9-TB/TGV\nHà Nội, ngày 1 tháng 6 năm 2025\n1. {name[:10_000]} chủ trì, phối hợp với " \
           f"Bộ Tài chính báo cáo trước ngày 28/6/2025.\n"
    started = time.monotonic()
    result = check(text)
    assert time.monotonic() - started < 10
    assert result is None or all(len(task.summary) <= len(text) for task in result.tasks)


@pytest.mark.parametrize("megabytes", [1])
def test_a_notice_repeated_to_a_megabyte_is_handled_in_bounded_time(megabytes):
    base = TEXTS["25-TB-TGV.txt"]
    text = (base * (megabytes * 2**20 // len(base.encode()) + 1))[: megabytes * 2**20]
    started = time.monotonic()
    check(text)
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"{elapsed:.1f} s for {megabytes} MB"


def test_a_numbering_repeated_in_the_text_still_gives_unique_task_ids():
    """Found by the mangled-notice fuzzing: two items `a)` in one section had one id."""
    text = ("Số 9-TB/TGV\nHà Nội, ngày 1 tháng 6 năm 2025\nTHÔNG BÁO KẾT LUẬN\n1. Về thể chế\n"
            "a) Bộ Tài chính chủ trì báo cáo trước ngày 28/6/2025.\n"
            "a) Bộ Tư pháp chủ trì báo cáo trước ngày 30/6/2025.\n")
    result = check(text)
    assert [(task.id, task.lead) for task in result.tasks] == [
        ("9-tb-tgv:1.a", "Bộ Tài chính"), ("9-tb-tgv:1.a~2", "Bộ Tư pháp")]
