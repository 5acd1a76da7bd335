"""The notebook client over HTTP against a server that misbehaves (issue 29, item 11): the
token stays with the configured origin, a POST is never turned into a GET, paging that does
not advance stops, and every failure is one `policygraph.ClientError` with the status.

The misbehaving server is the standard library's, on 127.0.0.1:<free port>: the client's
conduct is under test here, not the API's (that is tests/test_notebook_client.py)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import policygraph
from policygraph import ClientError

TOKEN = "s3cret-token"


@contextlib.contextmanager
def _serving(answers: dict[tuple[str, str], tuple[int, dict[str, str], bytes]],
             seen: list[tuple[str, str, str | None]]) -> Iterator[str]:
    """A server answering (method, path) from `answers`, noting (method, path, Authorization)."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            path = self.path.split("?")[0]
            seen.append((self.command, path, self.headers.get("Authorization")))
            status, headers, body = answers.get((self.command, path), (404, {}, b"{}"))
            self.send_response(status)
            for name, value in {"Content-Length": str(len(body)), **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:  # quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _page(rows: list, next_offset) -> bytes:
    return json.dumps({"columns": ["x"], "rows": rows, "next_offset": next_offset}).encode()


def test_a_redirect_to_another_host_is_refused_and_the_token_not_sent():
    other_seen: list = []
    with _serving({("GET", "/api/search"): (200, {}, b'{"data": []}')}, other_seen) as other:
        seen: list = []
        answers = {("GET", "/api/search"): (302, {"Location": other + "/api/search"}, b"")}
        refused = pytest.raises(ClientError, match="redirected to another origin")
        with _serving(answers, seen) as base, refused as error:
            policygraph.connect(base, token=TOKEN).search("x")
    assert error.value.status == 302
    assert seen == [("GET", "/api/search", f"Bearer {TOKEN}")]
    assert other_seen == []


@pytest.mark.parametrize("code", [302, 303])
def test_a_post_is_not_turned_into_a_get(code):
    seen: list = []
    answers = {("POST", "/api/cypher"): (code, {"Location": "/api/elsewhere"}, b""),
               ("GET", "/api/elsewhere"): (200, {}, _page([], None))}
    with _serving(answers, seen) as base, pytest.raises(ClientError, match=f"redirect {code}") as error:
        policygraph.connect(base).cypher("RETURN 1 AS x")
    assert error.value.status == code
    assert [m for m, _, _ in seen] == ["POST"]


def test_a_same_origin_307_keeps_the_method_and_the_token():
    seen: list = []
    answers = {("POST", "/api/cypher"): (307, {"Location": "/api/cypher2"}, b""),
               ("POST", "/api/cypher2"): (200, {}, _page([{"x": 1}], None))}
    with _serving(answers, seen) as base:
        frame = policygraph.connect(base, token=TOKEN).cypher("RETURN 1 AS x")
    assert frame.to_dict("records") == [{"x": 1}]
    assert seen == [("POST", "/api/cypher", f"Bearer {TOKEN}"),
                    ("POST", "/api/cypher2", f"Bearer {TOKEN}")]


@pytest.mark.parametrize("next_offset", [0, "0"])
def test_paging_that_does_not_advance_stops(next_offset):
    seen: list = []
    answers = {("POST", "/api/cypher"): (200, {}, _page([{"x": 1}], next_offset))}
    with _serving(answers, seen) as base, pytest.raises(ClientError, match="does not advance"):
        policygraph.connect(base).cypher("RETURN 1 AS x")
    assert len(seen) == 1


@pytest.mark.parametrize(("status", "body", "message"), [
    (200, b"<html>not json</html>", "did not answer JSON"),
    (200, b'{"rows": []}', "answered without columns, next_offset"),
    (502, b"Bad gateway", "HTTP 502 from"),
    (429, b'{"error": "Too many at once.", "detail": "Wait."}', "Too many at once."),
])
def test_every_failure_is_one_client_error(status, body, message):
    answers = {("POST", "/api/cypher"): (status, {}, body)}
    with _serving(answers, []) as base, pytest.raises(ClientError, match=message) as error:
        policygraph.connect(base).cypher("RETURN 1 AS x")
    assert error.value.status == status
    assert isinstance(error.value, policygraph.client.PolicygraphError)
