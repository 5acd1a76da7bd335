"""Read a notice from the file it came in (.txt, .md, .docx, .pdf, .html) into the text the extractor takes.

One reader per format, chosen by the file's extension: python-docx for Word (paragraphs and
tables in body order, each table a Markdown ``| … |`` table as ``loaders/extract/tables.py``
reads it), pypdf for a PDF's text layer (line breaks inside a sentence mended), trafilatura for a
saved news page (the article only, no menus). A PDF page without a text layer is read by
``tesseract`` with the Vietnamese data when it is installed, else refused naming what is missing.
Every refusal is a :class:`PolicygraphError` naming the file, before anything is written.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

from graph.errors import PolicygraphError

MAX_BYTES = 200 * 1024 * 1024  # a document past this is not a notice (issue 30)
# A Word file's XML once unpacked: a 1,000,000-character notice (the extractor's limit) takes
# a few MB of it; a 200 KB upload of empty paragraphs unpacked to 96 MB took 2 GB and 14 s to
# parse (issue 29, item 7), so the declared sizes are checked before a byte is inflated.
MAX_WORD_XML_BYTES = 32 * 1024 * 1024
EXTENSIONS = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")


def read_document(name: str, data: bytes) -> str:
    """The text of the document ``name`` (its file name picks the reader) given as ``data``."""
    if len(data) > MAX_BYTES:
        raise PolicygraphError(f"{name}: over {MAX_BYTES // 2**20} MB; not a notice.",
                               hint="Split the file or check that it is the right one.")
    suffix = Path(name).suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise PolicygraphError(f"{name}: cannot read {suffix or 'a file without extension'}.",
                               hint=f"Give one of {', '.join(EXTENSIONS)}.")
    text = reader(name, data)
    # One form for every reader: precomposed diacritics (a .docx may carry combining marks)
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")


def read_path(path: Path) -> str:
    """The text of the document at ``path`` (size checked before it is read)."""
    if not path.is_file():
        raise PolicygraphError(f"{path}: no such file.")
    if path.stat().st_size > MAX_BYTES:
        raise PolicygraphError(f"{path}: over {MAX_BYTES // 2**20} MB; not a notice.",
                               hint="Split the file or check that it is the right one.")
    return read_document(str(path), path.read_bytes())


def _plain(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicygraphError(f"{name}: not UTF-8 text ({exc.reason}).",
                               hint="Save it as UTF-8 plain text.") from exc


# --- Word ----------------------------------------------------------------------------------

def _docx(name: str, data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        _check_unpacked(name, data)
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Paragraph):
                blocks.append(item.text)
            elif isinstance(item, Table):
                blocks.append(_table(item))
    except PolicygraphError:
        raise
    except Exception as exc:  # python-docx raises zipfile, KeyError or lxml errors alike
        raise PolicygraphError(f"{name}: not a readable Word (.docx) file ({exc}).",
                               hint="Open it in Word or LibreOffice and save it again as .docx; "
                                    "an old .doc must be saved as .docx first.") from exc
    return "\n".join(blocks) + "\n"


def _check_unpacked(name: str, data: bytes) -> None:
    """Refuse a Word file whose parts unpack past the limits, by the sizes its zip declares
    (zipfile never inflates a part past its declared size: a lie fails its CRC check)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    xml = sum(p.file_size for p in parts if p.filename.endswith((".xml", ".rels")))
    if xml > MAX_WORD_XML_BYTES or sum(p.file_size for p in parts) > MAX_BYTES:
        raise PolicygraphError(
            f"{name}: {xml:,} bytes of Word XML once unpacked "
            f"({sum(p.file_size for p in parts):,} in all), over the "
            f"{MAX_WORD_XML_BYTES:,} of XML and {MAX_BYTES:,} in all a notice may hold.",
            hint="Open it in Word or LibreOffice and save it again as .docx, or split it.")


def _cell_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "/").strip()


def _table(table) -> str:
    """A task table as Markdown rows; a one-row layout table (the header's two columns) as lines."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # python-docx repeats a merged cell once per grid column: keep it once, the rest empty
            cells.append("" if id(cell._tc) in seen else _cell_text(cell.text))
            seen.add(id(cell._tc))
        rows.append(cells)
    if len(rows) < 2:
        return "\n".join(cell.text.strip() for row in table.rows for cell in row.cells
                         if cell.text.strip())
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


# --- PDF -----------------------------------------------------------------------------------

_ITEM_START = re.compile(r"^(?:[-–•+*]|\d+(?:\.\d+)*[.)]|[a-zđ][)]|[IVXLC]+\.)\s")
_SENTENCE_END = re.compile(r"[.:;!?]\s*$")
_PAGE_NUMBER = re.compile(r"\A\s*\d{1,4}\s*\n|\n\s*\d{1,4}\s*\Z")  # a page's number line
_IN_PHRASE = re.compile(r"[a-zà-ỹđ0-9,]$")


def mend_lines(text: str) -> str:
    """Join the lines a PDF broke inside a sentence.

    A line that does not end a sentence runs on into the next unless that one is an item
    (``a)``, ``-``, ``2.``); it does when the next starts in lower case, or when the line ran
    to the right margin (at least 3/4 of the page's longest line) and ends inside a phrase
    (a lower-case letter, digit or comma): a short line is a heading or the header's motto.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    margin = 0.75 * max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        stripped = line.lstrip()
        prev = out[-1] if out else ""
        runs_on = stripped and prev.strip() and not _ITEM_START.match(stripped) and not (
            stripped.isupper()) and not (
            _SENTENCE_END.search(prev)) and (
            stripped[0].islower() or (len(prev) >= margin and _IN_PHRASE.search(prev)))
        if runs_on:
            out[-1] = prev + " " + stripped
        else:
            out.append(line)
    return "\n".join(out)


def _pdf(name: str, data: bytes) -> str:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PolicygraphError(f"{name}: the PDF is encrypted with a password.",
                                   hint="Save an unprotected copy (print to PDF) and give that.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PolicygraphError:
        raise
    except Exception as exc:  # pypdf raises its own errors, and struct, zlib or key errors alike
        raise PolicygraphError(f"{name}: not a readable PDF ({exc}).",
                               hint="Check that the file is whole; open it and save it again.") from exc
    if not pages:
        raise PolicygraphError(f"{name}: the PDF has no pages.")
    blank = [i for i, text in enumerate(pages) if not text.strip()]
    if blank:
        ocr = _ocr(name, data, blank)
        for i, text in zip(blank, ocr, strict=True):
            pages[i] = text
    return mend_lines("\n".join(_PAGE_NUMBER.sub("", text).strip("\n") for text in pages))


def _ocr(name: str, data: bytes, pages: list[int]) -> list[str]:
    """The text of scanned pages, by tesseract with the Vietnamese data (``-l vie``)."""
    tesseract, pdftoppm = shutil.which("tesseract"), shutil.which("pdftoppm")
    langs = ""
    if tesseract:
        langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True,
                               check=False).stdout
    if not (tesseract and pdftoppm and re.search(r"^vie$", langs, re.M)):
        missing = [what for what, ok in (("tesseract-ocr", tesseract),
                                         ("tesseract-ocr-vie", re.search(r"^vie$", langs, re.M)),
                                         ("poppler-utils (pdftoppm)", pdftoppm)) if not ok]
        raise PolicygraphError(
            f"{name}: page {pages[0] + 1} has no text layer (a scan) and OCR is not installed.",
            hint=f"Install {', '.join(missing)} (Debian packages) to read scans, or give a PDF "
                 "with a text layer.")
    texts = []
    with tempfile.TemporaryDirectory(prefix="pg-ocr-") as tmp:
        pdf = Path(tmp) / "in.pdf"
        pdf.write_bytes(data)
        for i in pages:
            image = Path(tmp) / f"p{i}"
            try:
                subprocess.run([pdftoppm, "-r", "300", "-png", "-singlefile", "-f", str(i + 1),
                                "-l", str(i + 1), str(pdf), str(image)], check=True,
                               capture_output=True)
                done = subprocess.run([tesseract, f"{image}.png", "-", "-l", "vie"], check=True,
                                      capture_output=True, text=True)
            except subprocess.CalledProcessError as exc:
                raise PolicygraphError(f"{name}: OCR of page {i + 1} failed ({exc.stderr!s:.200}).",
                                       hint="Check that the file opens in a PDF viewer.") from exc
            texts.append(done.stdout)
    return texts


# --- HTML ----------------------------------------------------------------------------------

def _html(name: str, data: bytes) -> str:
    import trafilatura

    text = trafilatura.extract(data, include_tables=True, include_comments=False,
                               output_format="markdown", favor_recall=True)
    if not text or not text.strip():
        raise PolicygraphError(f"{name}: no article text found in the page.",
                               hint="Save the page as it shows the article (File > Save as, "
                                    "complete page), or copy its text into a .txt file.")
    # Markdown keeps a table's rows as ``| … |`` lines; undo its escapes and paragraph gaps
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>])", r"\1", text)
    return re.sub(r"\n{2,}", "\n", text).strip() + "\n"


_READERS: dict[str, Callable[[str, bytes], str]] = {
    ".txt": _plain, ".md": _plain, ".docx": _docx, ".pdf": _pdf, ".html": _html, ".htm": _html,
}
