"""The request body limit (issue 29, item 5): a body over POLICYGRAPH_REQUEST_MAX_BYTES gets
413 before it is read, whether it declares its length or comes in chunks; a body within it
is answered as before. Over a real socket, against uvicorn, so nothing buffers for us."""

from __future__ import annotations

import http.client
import json
import socket
from urllib.parse import urlsplit

import httpx

from api.app import create_app
from api.deps import get_store
from graph.settings import Settings
from tests.conftest import serve_in_thread

LIMIT = 10_000


def _app(store, server, **limits):
    app = create_app(Settings(home=server.home, graph=store.graph_name,
                              **({"request_max_bytes": LIMIT} | limits)))
    app.dependency_overrides[get_store] = lambda: store
    return app


def _reply(sock: socket.socket) -> tuple[int, dict]:
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, json.loads(response.read())


def test_a_declared_large_body_is_refused_before_a_byte_of_it_is_read(store, server):
    with serve_in_thread(_app(store, server)) as base:
        where = urlsplit(base)
        with socket.create_connection((where.hostname, where.port), timeout=5) as sock:
            # a gigabyte announced, none of it sent: the answer cannot have waited for it
            sock.sendall(b"POST /api/cypher HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n")
            status, body = _reply(sock)
    assert status == 413
    assert body["error"] == ("The request body is 1,000,000,000 bytes; the API reads at most "
                             f"{LIMIT:,}.")
    assert "POLICYGRAPH_REQUEST_MAX_BYTES" in body["detail"]


def test_a_chunked_body_is_cut_at_the_limit_and_a_small_one_is_answered(store, server):
    chunk = b"x" * 4_096
    with serve_in_thread(_app(store, server)) as base:
        where = urlsplit(base)
        with socket.create_connection((where.hostname, where.port), timeout=5) as sock:
            sock.sendall(b"POST /api/cypher HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in range(4):  # 16 KB, past the 10 KB limit; the body never ends
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            status, body = _reply(sock)
        assert status == 413
        assert body["error"] == (f"The request body is more than {LIMIT:,} bytes; the API "
                                 f"reads at most {LIMIT:,}.")
        small = http.client.HTTPConnection(where.hostname, where.port, timeout=5)
        small.request("POST", "/api/cypher", json.dumps({"query": "RETURN 2 AS two"}),
                      {"Content-Type": "application/json"})
        answer = small.getresponse()
        assert answer.status == 200 and json.loads(answer.read())["rows"] == [{"two": 2}]
        small.close()


def test_the_default_limit_is_a_megabyte_and_a_document_may_be_a_signed_pdf():
    assert Settings.model_fields["request_max_bytes"].default == 1_000_000
    assert Settings.model_fields["upload_max_bytes"].default >= 20_000_000  # 1-4 MB PDFs, and more


def test_the_review_desk_takes_a_document_past_the_body_limit_and_refuses_one_past_its_own(
        store, server):
    document = ("Bộ Tài chính chủ trì xây dựng đề án, hoàn thành trước ngày 30/6/2026.\n" * 400)
    data = document.encode()  # about 29 KB: past the 10 KB body limit, within a 100 KB upload one
    with serve_in_thread(_app(store, server, upload_max_bytes=100_000)) as base:
        taken = httpx.post(base + "/api/review/read", files={"file": ("notice.txt", data)},
                           timeout=60)
        assert taken.status_code == 200, taken.text
        assert "Bộ Tài chính" in taken.json()["text"]
        big = httpx.post(base + "/api/review/read", files={"file": ("notice.txt", data * 4)},
                         timeout=60)
        assert big.status_code == 413
        assert big.json()["error"].endswith("the API reads at most 100,000.")
        assert "POLICYGRAPH_UPLOAD_MAX_BYTES" in big.json()["detail"]
        elsewhere = httpx.post(base + "/api/cypher", json={"query": "RETURN 1", "pad": "x" * 20_000},
                               timeout=10)
        assert elsewhere.status_code == 413  # every other route keeps the body limit
        assert "POLICYGRAPH_REQUEST_MAX_BYTES" in elsewhere.json()["detail"]
