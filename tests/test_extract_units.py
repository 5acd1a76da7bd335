"""The extractor's parts, one behaviour at a time."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from loaders.extract import extract
from loaders.extract.agencies import AgencyReader, resolve_mention
from loaders.extract.deadlines import find_deadlines, find_recurrence
from loaders.extract.refs import find_documents, find_laws
from loaders.extract.structure import parse
from loaders.extract.text import Segment, caps_to_sentence, fold

ISSUED = date(2025, 5, 24)


# -- deadlines -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("phrase", "iso"),
    [
        ("Báo cáo trước ngày 28/5/2025.", "2025-05-28"),
        ("báo cáo trước ngày 28-5, qua đó", "2025-05-28"),
        ("hoàn thành chậm nhất ngày 28 tháng 5 năm 2025", "2025-05-28"),
        ("trình trước ngày 15 tháng 6", "2025-06-15"),
        ("hoàn thành trong tháng 6/2025", "2025-06-30"),
        ("hoàn thành trong tháng 2 năm 2028", "2028-02-29"),
        ("trình Chính phủ trong quý III/2025", "2025-09-30"),
        ("Thời gian hoàn thành: Quý 4/2025", "2025-12-31"),
        ("hoàn thành trong 6 tháng đầu năm 2026", "2026-06-30"),
        ("hoàn thành trong năm 2025", "2025-12-31"),
        ("trước ngày 28/5/2025 .", "2025-05-28"),
    ],
)
def test_deadline_forms(phrase, iso):
    found = find_deadlines(phrase, issued_on=ISSUED)
    assert found and found[0].on.isoformat() == iso


def test_dates_without_a_deadline_cue_are_not_deadlines():
    text = "theo Thông báo số 23-TB/TGV, ngày 20/5/2025 và Nghị định số 10/2024/NĐ-CP"
    assert find_deadlines(text, issued_on=ISSUED) == []


def test_missing_year_comes_from_the_document_and_rolls_over():
    assert find_deadlines("trước ngày 10/1", issued_on=date(2025, 12, 19))[0].on == date(2026, 1, 10)
    assert find_deadlines("trước ngày 10/6", issued_on=date(2025, 5, 24))[0].on == date(2025, 6, 10)
    undated = find_deadlines("trước ngày 10/6", issued_on=None)[0]
    assert undated.on is None and undated.text == "trước ngày 10/6"


def test_planning_horizons_are_not_deadlines():
    text = "xây dựng Chiến lược đến năm 2030, tầm nhìn đến năm 2045, trình trong quý 3 năm 2025"
    assert [d.on.isoformat() for d in find_deadlines(text, issued_on=ISSUED)] == ["2025-09-30"]


@pytest.mark.parametrize(
    ("phrase", "iso"),
    [
        ("trước năm 2026", "2025-12-31"),
        ("trước tháng 7/2025", "2025-06-30"),
        ("trước quý III/2025", "2025-06-30"),
    ],
)
def test_before_a_period_means_before_it_starts(phrase, iso):
    assert find_deadlines(phrase, issued_on=ISSUED)[0].on.isoformat() == iso


def test_relative_deadline_keeps_its_phrase():
    found = find_deadlines("trong 15 ngày làm việc kể từ ngày nhận được văn bản", issued_on=ISSUED)
    assert found[0].on is None
    assert found[0].text.startswith("trong 15 ngày làm việc")


@pytest.mark.parametrize(
    ("text", "phrase", "strong"),
    [
        ("tổng hợp và báo cáo định kỳ hằng tuần gửi Cơ quan", "định kỳ hằng tuần", True),
        ("hằng quý báo cáo Thường trực", "hằng quý", True),
        ("báo cáo hàng tháng", "hàng tháng", True),
        ("định kỳ 6 tháng báo cáo", "định kỳ 6 tháng", True),
        ("báo cáo sau mỗi chuyến công tác. Tiếp", "sau mỗi chuyến công tác", True),
        ("Thường xuyên theo dõi", "Thường xuyên", False),
    ],
)
def test_recurrences(text, phrase, strong):
    found, is_strong = find_recurrence(text)
    assert found.text == phrase and is_strong is strong


# -- references ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        ("Nghị quyết số 57-NQ/TW của Bộ Chính trị", "57-NQ/TW", "resolution"),
        ("Nghị quyết số 57-NQ/TƯ", "57-NQ/TW", "resolution"),
        ("Nghị định số 10/2024/NĐ-CHÍNH PHủ, ngày 01/02/2024", "10/2024/NĐ-CP", "decree"),
        ("theo 71/NQ-CP", "71/NQ-CP", "resolution"),
        ("Quyết định số 1131/QĐ-TTg", "1131/QĐ-TTg", "decision"),
        ("Nghị quyết số 193/2025/QH15", "193/2025/QH15", "resolution"),
        ("Kế hoạch 02-KH/BCĐTW", "02-KH/BCĐTW", "plan"),
        ("Thông báo 15-TB/BCĐTW", "15-TB/BCĐTW", "notice"),
    ],
)
def test_document_numbers(text, number, kind):
    found = find_documents(text)
    assert [(d.name, d.doc_type) for d in found] == [(number, kind)]


def test_things_that_look_like_numbers_are_not():
    assert find_documents("mô hình 3-Nhà, 28/5/2025, tháng 6/2025, quý III/2025, 100 chuyên gia") == []


def test_law_names():
    text = (
        "(Luật Khoa học và Công nghệ, Luật Giáo dục đại học, Luật Sở hữu trí tuệ, Luật Quản lý "
        "tài sản công, Luật Ngân sách nhà nước,...) và Luật Khoa học, Công nghệ và Đổi mới sáng "
        "tạo; theo quy định của Luật Công nghệ cao, Nghị định số 10/2024/NĐ-CP; Luật Đầu tư theo "
        "phương thức đối tác công tư; Bộ luật Lao động. Luật này quy định."
    )
    assert [law.name for law in find_laws(text)] == [
        "Luật Khoa học và Công nghệ",
        "Luật Giáo dục đại học",
        "Luật Sở hữu trí tuệ",
        "Luật Quản lý tài sản công",
        "Luật Ngân sách nhà nước",
        "Luật Khoa học, Công nghệ và Đổi mới sáng tạo",
        "Luật Công nghệ cao",
        "Luật Đầu tư theo phương thức đối tác công tư",
        "Bộ luật Lao động",
    ]


def test_known_law_written_in_lower_case():
    assert [x.name for x in find_laws("sửa Luật thuế thu nhập cá nhân và")] == ["Luật thuế thu nhập cá nhân"]


# -- agencies --------------------------------------------------------------------------------
def _subject(text: str) -> list[tuple[str, str]]:
    reader = AgencyReader(text)
    found = reader.subject(0, len(text))
    return [(m.text, m.kind) for m in found[0]] if found else []


@pytest.mark.parametrize(
    ("text", "leads"),
    [
        ("Bộ Nông nghiệp và Môi trường khẩn trương rà soát", ["Bộ Nông nghiệp và Môi trường"]),
        ("Bộ Tài chính chủ trì, phối hợp với các cơ quan liên quan", ["Bộ Tài chính"]),
        ("Bộ KH&CN chủ trì xây dựng", ["Bộ KH&CN"]),
        (
            "Giao Bộ Tài chính và Bộ Khoa học và Công nghệ nghiên cứu",
            ["Bộ Tài chính", "Bộ Khoa học và Công nghệ"],
        ),
        (
            "Các Bộ: Khoa học và Công nghệ, Tài chính, Nội vụ và Xây dựng chủ động rà soát",
            ["Bộ Khoa học và Công nghệ", "Bộ Tài chính", "Bộ Nội vụ", "Bộ Xây dựng"],
        ),
        (
            "Ủy ban nhân dân thành phố Hà Nội và Uỷ ban nhân dân Thành phố Hồ Chí Minh hoàn thiện",
            ["Ủy ban nhân dân thành phố Hà Nội", "Uỷ ban nhân dân Thành phố Hồ Chí Minh"],
        ),
        ("Tập đoàn FPT chủ trì xây dựng", ["Tập đoàn FPT"]),
        ("Sở Khoa học và Công nghệ tỉnh Nghệ An rà soát", ["Sở Khoa học và Công nghệ tỉnh Nghệ An"]),
        ("Trung tâm Đổi mới sáng tạo Quốc gia chủ trì", ["Trung tâm Đổi mới sáng tạo Quốc gia"]),
        (
            "Đề nghị Phó Thủ tướng Chính phủ Nguyễn Chí Dũng chỉ đạo",
            ["Phó Thủ tướng Chính phủ Nguyễn Chí Dũng"],
        ),
        ("Trường hợp cần thiết, Bộ Tài chính chủ động tổng hợp", ["Bộ Tài chính"]),
    ],
)
def test_subjects(text, leads):
    assert [t for t, _ in _subject(text)] == leads


def test_subject_kinds():
    assert _subject("Các bộ, cơ quan, địa phương rà soát") == [("Các bộ, cơ quan, địa phương", "generic")]
    assert _subject("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương, đặc biệt là") == [
        ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "collective")
    ]
    assert _subject("Đề nghị Phó Thủ tướng Chính phủ Nguyễn Chí Dũng chỉ đạo")[0][1] == "person"


@pytest.mark.parametrize(
    "text",
    [
        "Bộ Khoa học và Công nghệ đã trình Chính phủ",  # a fact, not an assignment
        "Báo cáo kết quả thực hiện, gửi Cơ quan Thường trực",  # starts with a verb
        "Trường hợp còn khó khăn, vướng mắc, chủ động kiến nghị",
        "Bộ Tư pháp, Bộ Công an phối hợp.",  # co-operators, not leads
    ],
)
def test_not_subjects(text):
    assert _subject(text) == []


def test_cooperators_named_and_generic():
    text = (
        "Bộ Tư pháp chủ trì, phối hợp với Văn phòng Chính phủ và các cơ quan liên quan rà soát; "
        "Tập đoàn FPT và Đại học Quốc gia Hà Nội phối hợp. Bộ Y tế chủ trì, cùng Hiệp hội Bệnh viện tư nhân "
        "xây dựng đề án."
    )
    co = AgencyReader(text).cooperators(0, len(text))
    assert [(m.text, m.kind) for m in co] == [
        ("Văn phòng Chính phủ", "agency"),
        ("các cơ quan liên quan", "generic"),
        ("Tập đoàn FPT", "agency"),
        ("Đại học Quốc gia Hà Nội", "agency"),
        ("Hiệp hội Bệnh viện tư nhân", "agency"),
    ]


def test_resolution_and_candidates():
    reader = AgencyReader("Bộ KH&CN chủ trì")
    mention = reader.read_one(0)[0][0]
    assert mention.canonical == "Bộ Khoa học và Công nghệ"
    # the resolver knows only the long name: the gazetteer's official name bridges the two
    table = {fold("Bộ Khoa học và Công nghệ"): "bo-khcn"}
    assert resolve_mention(mention, lambda s: table.get(fold(s))) == ("bo-khcn", False)
    unknown = AgencyReader("Tập đoàn FPT chủ trì").read_one(0)[0][0]
    assert resolve_mention(unknown, lambda s: None) == (None, True)
    assert resolve_mention(unknown, None) == (None, True)


# -- structure -------------------------------------------------------------------------------
def test_numbering_restarts_and_broken_lines():
    text = (
        "Số 1-TB/X\nHà Nội, ngày 2 tháng 6 năm 2025\nTHÔNG BÁO\n"
        "Nội dung cuộc họp đã được thống nhất giữa các cơ quan như sau đây:\n"
        "1. Về A\n"
        "a) Bộ Tài chính chủ trì:\n"
        "(1) Rà soát quy định, hoàn thành trong\n"
        "2025. Nội dung tiếp theo.\n"
        "(2) Xây dựng đề án, gồm: (1) mục tiêu; (2) giải pháp.\n"
        "b) Bộ Nội vụ chủ trì:\n"
        "(1) Hướng dẫn các địa phương\n"
        "(2) Tổng hợp ý kiến.\n"
        "2. Về B\n"
        "Bộ Y tế chủ trì nghiên cứu.\n"
        "Nơi nhận:\n- Như trên.\n"
    )
    st = parse(text)
    paths = [b.path for b in st.walk()]
    assert paths == [
        "1",
        "1.a",
        "1.a.(1)",
        "1.a.(2)",
        "1.a.(2).(1)",
        "1.a.(2).(2)",
        "1.b",
        "1.b.(1)",
        "1.b.(2)",
        "2",
        "2.p1",
    ]
    first = next(b for b in st.walk() if b.path == "1.a.(1)")
    assert first.text == "Rà soát quy định, hoàn thành trong 2025. Nội dung tiếp theo."
    assert text[st.body_end :].startswith("Nơi nhận")


def test_a_number_at_the_start_of_a_broken_line_does_not_open_the_body():
    text = (
        "Sáng 2/7, Ban Chỉ đạo đã ban hành Kế hoạch hành động chiến lược (Kế hoạch số\n"
        "01) và Kế hoạch số 02-KH/BCĐTW. Các Bộ, cơ quan khẩn trương xây dựng văn bản\n"
        "trong 6 tháng đầu năm 2025.\n"
    )
    st = parse(text)
    assert st.blocks == [] and st.header_end == len(text)
    assert extract(text, source_name="news.txt").tasks == []


def test_a_later_report_date_covers_earlier_tasks_but_not_the_reverse():
    text = (
        "Số 7-TB/X\nHà Nội, ngày 2 tháng 6 năm 2025\nTHÔNG BÁO\n"
        "Các cơ quan đã họp và thống nhất những nội dung cụ thể như sau đây:\n"
        "1. Bộ Nội vụ chủ trì rà soát, hoàn thành trong tháng 7/2025. Bộ Y tế chủ trì xây dựng đề án.\n"
        "2. Bộ Tư pháp chủ trì thẩm định. Bộ Công an chủ trì kiểm tra. Báo cáo trước ngày 30/6/2025.\n"
    )
    got = [(t.lead, t.deadline and t.deadline.isoformat()) for t in extract(text, source_name="x").tasks]
    assert got == [
        ("Bộ Nội vụ", "2025-07-31"),
        ("Bộ Y tế", None),
        ("Bộ Tư pháp", "2025-06-30"),
        ("Bộ Công an", "2025-06-30"),
    ]


def test_caps_headings_without_numbers_open_sections():
    text = (
        "Số 9-TB/X\nHà Nội, ngày 2 tháng 6 năm 2025\nTHÔNG BÁO KẾT LUẬN\n"
        "Ngày 1/6/2025, Thường trực đã họp với các cơ quan và kết luận như sau đây:\n"
        "NHIỆM VỤ CỦA TỈNH NGHỆ AN\n- Tỉnh ủy Nghệ An chỉ đạo xây dựng đề án.\n"
        "NHIỆM VỤ CỦA CÁC BỘ\n1. Bộ Y tế chủ trì nghiên cứu.\n"
    )
    result = extract(text, source_name="x.txt")
    assert [(t.section, t.lead, t.topic) for t in result.tasks] == [
        ("H1.-1", "Tỉnh ủy Nghệ An", "Nhiệm vụ của tỉnh Nghệ An"),
        ("H2.1", "Bộ Y tế", "Nhiệm vụ của các bộ"),
    ]


def test_spans_point_into_decomposed_input():
    composed = (
        "Số 3-TB/X\nHà Nội, ngày 2 tháng 6 năm 2025\n"
        "1. Bộ Tài chính chủ trì, hoàn thành trong quý III/2025.\n"
    )
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > len(composed)
    task = extract(decomposed, source_name="nfd.txt").tasks[0]
    assert task.lead == "Bộ Tài chính"  # read composed
    start, end = task.span
    assert unicodedata.normalize("NFC", decomposed[start:end]).startswith("1. Bộ Tài chính")
    assert decomposed[end - 1] == "."
    assert task.deadline == date(2025, 9, 30)


def test_segment_offsets_collapse_whitespace():
    source = "Bộ  Tài\n  chính  chủ trì"
    seg = Segment.from_ranges(source, [(0, len(source))])
    assert seg.text == "Bộ Tài chính chủ trì"
    start, end = seg.span(0, len("Bộ Tài chính"))
    assert source[start:end] == "Bộ  Tài\n  chính"


def test_caps_to_sentence():
    assert caps_to_sentence("NHIỆM VỤ CỦA TỈNH NGHỆ AN") == "Nhiệm vụ của tỉnh Nghệ An"
    assert caps_to_sentence("VỀ VIỆC CỦA BAN CHỈ ĐẠO TRUNG ƯƠNG", ["Ban Chỉ đạo", "Trung ương"]) == (
        "Về việc của Ban Chỉ đạo Trung ương"
    )


# -- robustness ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "Chiều 4/3, Tổng Bí thư Tô Lâm đã chủ trì phiên họp thứ hai của Ban Chỉ đạo.",
        "1.\n2.\na)\n(1)\n- \n",
    ],
)
def test_odd_inputs_do_not_fail(text):
    result = extract(text, source_name="odd.txt")
    assert result.model_dump(mode="json")["source"] == "odd.txt"


def test_news_article_gives_no_tasks_but_finds_references():
    text = (
        "Sáng 2/7, Ban Chỉ đạo Trung ương tổ chức Hội nghị. Quốc hội đã thông qua Luật Khoa học,"
        " Công\nnghệ và Đổi mới sáng tạo. Nghị quyết số 57-NQ/TW đã tạo chuyển biến."
    )
    result = extract(text, source_name="news.txt")
    assert result.tasks == []
    assert [law.name for law in result.laws] == ["Luật Khoa học, Công nghệ và Đổi mới sáng tạo"]
    assert [d.number for d in result.documents] == ["57-NQ/TW"]
