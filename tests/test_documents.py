"""Notices in Word, PDF and HTML read into the same text, so they give the same tasks as plain text."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from graph.errors import PolicygraphError
from loaders import documents
from loaders.documents import mend_lines, read_document, read_path
from loaders.extract import extract
from tests.conftest import REPO

NOTICE = REPO / "tests" / "fixtures" / "notices" / "41-TB-TGV.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core
HEAD = "BỘ TƯ PHÁP\nHà Nội, ngày 12 tháng 8 năm 2025\nKẾ HOẠCH\n"
TABLE = [["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"],
         ["I.", "Hoàn thiện thể chế", "", "", ""],
         ["1.", "Xây dựng nghị định về dữ liệu mở", "Bộ Công an", "Bộ Tư pháp, các bộ, ngành",
          "Quý III/2025"],
         ["2.", "Tổ chức tập huấn kỹ năng số", "Bộ Nội vụ", "", "Thường xuyên"]]


def _tasks(text: str) -> list[tuple]:
    """What a reader must keep: each task's lead, co-operators, deadline and words."""
    return [(t.lead, tuple(t.co), t.deadline, t.deadline_text, re.sub(r"\s+", " ", t.summary))
            for t in extract(text, source_name="x").tasks]


def _docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for line in paragraphs:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, value in enumerate(row):
                grid.cell(i, j).text = value
        grid.cell(1, 1).merge(grid.cell(1, 4))  # a section row spanning the columns, as in plans
        grid.cell(1, 1).text = table[1][1]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(lines: list[str], *, width: float = 120) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for line in lines:  # each paragraph wraps at the margin: the reader must mend the breaks
        pdf.multi_cell(width, 6, line, align="L", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_docx_pdf_and_html_of_a_notice_give_the_same_tasks_as_its_text():
    text = NOTICE.read_text(encoding="utf-8")
    paragraphs = [line for line in text.split("\n") if line.strip()]
    want = _tasks(text)
    assert len(want) >= 5
    assert _tasks(read_document("n.docx", _docx(paragraphs))) == want
    from_pdf = read_document("n.pdf", _pdf(paragraphs))
    assert "Ủy ban" in from_pdf or "Uỷ ban" in from_pdf  # diacritics intact
    assert _tasks(from_pdf) == want
    page = ("<html><head><title>Tin</title></head><body><nav><ul><li><a href='/'>Trang chủ</a></li>"
            "<li><a href='/x'>Thời sự</a></li></ul></nav><article>"
            + "".join(f"<p>{line}</p>" for line in paragraphs)
            + "</article><footer>Bản quyền thuộc báo điện tử</footer></body></html>")
    from_html = read_document("n.html", page.encode())
    assert "Trang chủ" not in from_html and "Bản quyền" not in from_html  # main text only
    assert _tasks(from_html) == want


def test_a_docx_table_is_read_as_the_task_table_the_extractor_takes():
    plain = HEAD + "\n".join(["| " + " | ".join(r) + " |" for r in TABLE[:1]]
                             + ["|---|---|---|---|---|"]
                             + ["| " + " | ".join(r) + " |" for r in TABLE[1:]]) + "\n"
    want = _tasks(plain)
    assert [w[0] for w in want] == ["Bộ Công an", "Bộ Nội vụ"]
    got = read_document("plan.docx", _docx(HEAD.strip().split("\n"), TABLE))
    assert "| I. | Hoàn thiện thể chế |  |  |  |" in got  # the merged section row, once
    assert _tasks(got) == want


def test_mending_joins_broken_sentences_but_keeps_items_and_headings():
    text = ("Bộ Tài chính chủ trì xây dựng cơ chế tài chính cho các nhiệm vụ khoa học và công nghệ\n"
            "năm 2026, hoàn thành trong quý I/2026.\n"
            "a) kinh phí cho các chương trình;\n"
            "QUYẾT ĐỊNH\n"
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện Nghị quyết số 03/NQ-CP\n"
            "ngày 09/01/2025.\n"
            "Độc lập - Tự do - Hạnh phúc\n"
            "Số: 877/QĐ-BTP\n")
    assert mend_lines(text).split("\n") == [
        "Bộ Tài chính chủ trì xây dựng cơ chế tài chính cho các nhiệm vụ khoa học và công nghệ "
        "năm 2026, hoàn thành trong quý I/2026.",
        "a) kinh phí cho các chương trình;",
        "QUYẾT ĐỊNH",
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện Nghị quyết số 03/NQ-CP "
        "ngày 09/01/2025.",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 877/QĐ-BTP",
        ""]


def test_combining_marks_become_precomposed():
    decomposed = "Bo\u0323\u0302 Ta\u0300i chi\u0301nh".encode()
    assert read_document("a.txt", decomposed) == "Bộ Tài chính"


@pytest.mark.parametrize("name,data,says", [
    ("bad.docx", b"PK\x03\x04 not really a zip", "not a readable Word (.docx) file"),
    ("bad.pdf", b"%PDF-1.4\n garbage", "not a readable PDF"),
    ("notice.odt", b"whatever", "cannot read .odt"),
    ("page.html", b"<html><body><script>menu()</script></body></html>", "no article text"),
])
def test_bad_files_give_an_error_naming_the_file(name, data, says):
    with pytest.raises(PolicygraphError, match=re.escape(says)) as err:
        read_document(name, data)
    assert name in str(err.value)


def test_a_docx_that_is_a_zip_of_something_else_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "xin chào")
    with pytest.raises(PolicygraphError, match="not a readable Word"):
        read_document("z.docx", out.getvalue())


def test_an_encrypted_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf(["Bộ Tư pháp chủ trì."]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="mật", owner_password="chủ", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PolicygraphError, match="encrypted with a password"):
        read_document("secret.pdf", out.getvalue())


def test_a_scan_without_ocr_names_what_is_missing(monkeypatch):
    pdf = FPDF()
    pdf.add_page()  # a page with no text layer, as a scan has
    monkeypatch.setattr(shutil, "which", lambda _name: None)  # as on a machine without tesseract
    with pytest.raises(PolicygraphError, match="no text layer") as err:
        read_document("scan.pdf", bytes(pdf.output()))
    assert "tesseract-ocr-vie" in (err.value.hint or "")


def test_an_over_size_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 1000)
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF" + b"0" * 2000)
    with pytest.raises(PolicygraphError, match="over"):
        read_path(big)


def test_the_extract_command_reads_a_docx(cli_env, tmp_path):
    import json

    from tests.cli_run import run_cli as run

    text = NOTICE.read_text(encoding="utf-8")
    word = tmp_path / "41-TB-TGV.docx"
    word.write_bytes(_docx([line for line in text.split("\n") if line.strip()]))
    [from_word] = json.loads(run(cli_env, "extract", str(word), "-f", "json", check=True).stdout)
    [from_text] = json.loads(run(cli_env, "extract", str(NOTICE), "-f", "json", check=True).stdout)
    assert from_word["document"]["number"] == "41-TB/TGV"
    assert [t["lead"] for t in from_word["tasks"]] == [t["lead"] for t in from_text["tasks"]]


_WORD = _docx(["Bộ Tư pháp chủ trì rà soát luật, hoàn thành trong quý I/2026."], TABLE)
_PDF = _pdf(["Bộ Tư pháp chủ trì rà soát luật, hoàn thành trong quý I/2026."])


@pytest.mark.parametrize("name,good", [("m.docx", _WORD), ("m.pdf", _PDF)])
def test_mangled_word_and_pdf_files_give_text_or_a_clear_error(name, good):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @given(st.lists(st.tuples(st.integers(0, len(good)), st.binary(max_size=4), st.integers(0, 64)),
                    min_size=1, max_size=4))
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(edits):
        data = good
        for position, insert, cut in edits:
            data = data[:position] + insert + data[position + cut:]
        try:
            assert isinstance(read_document(name, data), str)
        except PolicygraphError as error:
            assert name in str(error)

    check()
