"""The review desk's API on the real store: reading uploads and pasted text, the review file's
round trip, the diff writing nothing, and writes refused from another origin or without the token."""

from __future__ import annotations

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_store
from graph.settings import Settings
from loaders.load import load_paths
from tests.test_documents import NOTICE, _docx

TOKEN = "a-token-for-the-review-test-0123456789"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def loaded(store):
    load_paths(None, store)  # the bundled dataset: the agencies the review matches against
    return store


def _client(store, **settings) -> TestClient:
    app = create_app(Settings(**settings))
    app.dependency_overrides[get_store] = lambda: store
    return TestClient(app, base_url=BASE)


def _tasks(store) -> int:
    rows = store.read("MATCH (t:Task)-[:ASSIGNED_IN]->(:Document {number: '41-TB/TGV'}) "
                      "RETURN count(t) AS n").rows
    return rows[0]["n"]


def _read_docx(client) -> dict:
    lines = [line for line in NOTICE.read_text(encoding="utf-8").split("\n") if line.strip()]
    answer = client.post("/api/review/read", files={"file": ("41-TB-TGV.docx", _docx(lines))})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_an_upload_and_the_same_text_pasted_give_the_same_tasks_with_their_spans(loaded):
    client = _client(loaded)
    from_word = _read_docx(client)
    pasted = client.post("/api/review/read", data={"text": NOTICE.read_text(encoding="utf-8"),
                                                   "name": "41-TB-TGV"}).json()
    names = [[n["name"] for n in d["document"]["nodes"] if n["label"] == "Task"]
             for d in (from_word, pasted)]
    assert names[0] == names[1] and len(names[0]) == 7
    text = from_word["text"]
    first = next(n for n in from_word["document"]["nodes"] if n["label"] == "Task")
    lead, deadline = first["spans"]["lead"], first["spans"]["deadline"]
    assert text[lead[0]:lead[1]] == "Bộ Tư pháp"
    assert text[deadline[0]:deadline[1]] == "hoàn thành trước ngày 10/1"


def test_the_review_file_downloads_and_uploads_back_as_the_same_review(loaded):
    client = _client(loaded)
    document = _read_docx(client)["document"]
    download = client.post("/api/review/yaml", json=document)
    assert download.status_code == 200
    assert 'filename="41-TB-TGV.review.yaml"' in download.headers["content-disposition"]
    on_disk = yaml.safe_load(download.text)
    assert on_disk["review"]["source"] == "src-text-41-tb-tgv" and "spans" not in on_disk["nodes"][3]
    back = client.post("/api/review/read", files={"file": ("41-TB-TGV.review.yaml", download.content)})
    assert back.json()["document"]["nodes"] == on_disk["nodes"]


def test_the_diff_writes_nothing_and_an_undecided_agency_stops_the_load(loaded):
    client = _client(loaded)
    document = _read_docx(client)["document"]
    diff = client.post("/api/review/diff", json=document)
    assert diff.status_code == 400 and "check" in diff.text  # Bộ Tư pháp is not decided yet
    for node in document["nodes"]:
        if node.get("review") == "check":
            node["review"] = "accept"
    diff = client.post("/api/review/diff", json=document).json()
    added = {r["id"] for r in diff["changes"] if r["change"] == "added"}
    assert "task-41-tb-tgv-1-p1-1" in added
    assert _tasks(loaded) == 0
    assert client.post("/api/review/load", json=document).json()["source"] == "src-text-41-tb-tgv"
    assert _tasks(loaded) == 7
    assert client.post("/api/review/retract", json={"source": "src-text-41-tb-tgv"}).status_code == 200
    assert _tasks(loaded) == 0


def test_a_write_from_another_origin_is_refused_and_writes_nothing(loaded):
    client = _client(loaded)
    document = _read_docx(client)["document"]
    for node in document["nodes"]:
        node["review"] = "accept" if node.get("review") == "check" else node.get("review")
    answer = client.post("/api/review/load", json=document, headers={"Origin": "http://evil.example"})
    assert answer.status_code == 403 and "evil.example" in answer.json()["error"]
    assert _tasks(loaded) == 0
    same = client.post("/api/review/diff", json=document, headers={"Origin": BASE})
    assert same.status_code == 200


def test_with_a_token_writes_need_it(loaded):
    client = _client(loaded, token=TOKEN)
    assert client.post("/api/review/read", data={"text": "Bộ Tài chính chủ trì."}).status_code == 401
    with_token = client.post("/api/review/read", data={"text": NOTICE.read_text(encoding="utf-8")},
                             headers={"Authorization": f"Bearer {TOKEN}"})
    assert with_token.status_code == 200


def test_a_corrupt_upload_is_an_error_naming_the_file(loaded):
    answer = _client(loaded).post("/api/review/read", files={"file": ("bad.pdf", b"%PDF-1.4 broken")})
    assert answer.status_code == 400 and "bad.pdf" in answer.json()["error"]
    assert _client(loaded).get("/review").status_code == 200


@pytest.mark.parametrize("bad_id", [[], {"a": 1}, 7])
def test_an_entry_with_a_malformed_id_is_refused_naming_it(store, bad_id):
    """Found by schemathesis: a list as an id took the diff to a 500 (unhashable)."""
    answer = _client(store).post("/api/review/diff", json={"nodes": [{"id": bad_id}], "review": {}})
    assert answer.status_code == 400, answer.text
    assert "id" in answer.text
    assert store.counts() == (0, 0)
