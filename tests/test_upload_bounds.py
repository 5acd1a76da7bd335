"""Issue 29, item 7's size limits on every way a notice comes in: `policygraph extract` and the
review desk's upload. A text over the extractor's limit is refused naming the file; a Word file
small enough to pass the body limit but unpacking to 96 MB of empty paragraphs (2 GB and 14 s
of parsing before) is refused from the sizes its zip declares, before anything is inflated:
shown in a process whose address space the test caps at 1 GB.
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import zipfile

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.settings import Settings
from loaders.extract import MAX_TEXT_CHARS
from tests.cli_run import run_cli
from tests.conftest import REPO
from tests.test_documents import _docx

CAP = 2**30
REFUSED = "bytes of Word XML once unpacked"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A .docx of about 400 KB whose document.xml unpacks to 96 MB of `<w:p/>`."""
    plain = zipfile.ZipFile(io.BytesIO(_docx(["Bộ Tài chính chủ trì."])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in plain.infolist():
            data = plain.read(part.filename)
            if part.filename == "word/document.xml":
                at = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:at] + b"<w:p/>" * 16_000_000 + data[at:]
            archive.writestr(part.filename, data, zipfile.ZIP_DEFLATED, compresslevel=1)
    assert len(out.getvalue()) < Settings().request_max_bytes  # it passes the body limit
    return out.getvalue()


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def test_a_word_file_that_unpacks_too_far_is_refused_before_it_is_inflated(bomb, tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    script = ("import sys\nfrom graph.errors import PolicygraphError\n"
              "from loaders.documents import read_path\n"
              "try:\n    read_path(__import__('pathlib').Path(sys.argv[1]))\n"
              "except PolicygraphError as refused:\n    print(refused.message); sys.exit(3)\n")
    result = subprocess.run([sys.executable, "-c", script, str(path)], preexec_fn=_capped,
                            capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 3, result.stderr[-800:]
    assert result.stdout.startswith(f"{path}: 96,") and REFUSED in result.stdout


def test_the_review_desk_refuses_it_with_the_reason(bomb, store, server):
    app = create_app(Settings(home=server.home, graph=store.graph_name))
    app.dependency_overrides[get_store] = lambda: store
    client = TestClient(app, base_url="http://127.0.0.1:8000")
    answer = client.post("/api/review/read", files={"file": ("bomb.docx", bomb)})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"].startswith("bomb.docx: 96,") and REFUSED in answer.json()["error"]
    assert store.counts() == (0, 0)  # nothing written


def test_extract_refuses_a_text_over_the_extractors_limit_naming_the_file(cli_env, tmp_path):
    path = tmp_path / "huge-notice.txt"
    path.write_text("Bộ Tài chính báo cáo. " * (MAX_TEXT_CHARS // 20), encoding="utf-8")
    result = run_cli(cli_env, "extract", str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert f"huge-notice.txt: 1,100,000 characters of text, over the extractor's limit of " \
           f"{MAX_TEXT_CHARS:,}" in result.stderr
    assert "Traceback" not in result.stderr
