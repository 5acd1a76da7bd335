"""`policygraph serve` as a person runs it (issue 14, item 16): on a unix socket of mode 600,
with `POLICYGRAPH_TOKEN` set, printing a one-time login URL that works once; and the socket
rules (a stale socket is replaced, a live one or another file refused, 660 on request)."""

from __future__ import annotations

import re
import shutil
import socket
import stat
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from api.security import SESSION_COOKIE, bind_unix_socket
from graph.errors import ConfigError
from tests.conftest import REPO, short_tempdir
from tests.test_cli import POLICYGRAPH

TOKEN = "a-token-for-the-socket-test-0123456789"
LOGIN = re.compile(r"Sign the browser in, once, at (\S+)")


@pytest.fixture
def sockdir():
    path = short_tempdir("pgsock")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _wait_for_login_line(serving: subprocess.Popen, log: Path, sock: Path) -> str:
    deadline = time.monotonic() + 60
    while True:
        text = log.read_text(errors="replace")
        found = LOGIN.search(text)
        if found and sock.exists():
            return found.group(1)
        assert serving.poll() is None, f"serve exited {serving.returncode}: {text[-800:]}"
        assert time.monotonic() < deadline, f"serve did not come up within 60 s: {text[-800:]}"
        time.sleep(0.1)


def test_serve_on_a_unix_socket_with_the_token(cli_env, sockdir):
    sock = sockdir / "api.sock"
    log = sockdir / "serve.log"
    env = {**cli_env, "POLICYGRAPH_TOKEN": TOKEN}
    with log.open("w") as stderr:
        serving = subprocess.Popen([POLICYGRAPH, "serve", "--uds", str(sock)], env=env, cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        login_path = _wait_for_login_line(serving, log, sock)
        assert login_path.startswith("/login?token=")
        assert stat.S_ISSOCK(sock.stat().st_mode) and stat.S_IMODE(sock.stat().st_mode) == 0o600

        transport = httpx.HTTPTransport(uds=str(sock))
        with httpx.Client(transport=transport, base_url="http://localhost", timeout=30) as client:
            deadline = time.monotonic() + 30
            while True:  # uvicorn accepts on the socket a moment after serve printed it
                try:
                    health = client.get("/api/health")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "nobody answered on the socket"
                    time.sleep(0.1)
            assert health.status_code == 200 and health.json()["status"] == "ok"
            refused = client.get("/api/queries")
            assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
            assert set(refused.json()) == {"error", "detail"}
            allowed = client.get("/api/queries", headers={"Authorization": f"Bearer {TOKEN}"})
            assert allowed.status_code == 200 and allowed.json()["count"] >= 10

            login = client.get(login_path, follow_redirects=False)
            assert login.status_code == 303 and "HttpOnly" in login.headers["set-cookie"]
            cookie = {"Cookie": f"{SESSION_COOKIE}={login.cookies[SESSION_COOKIE]}"}
            client.cookies.clear()
            assert client.get("/", headers=cookie).status_code == 200
            assert client.get(login_path, follow_redirects=False).status_code == 401
            assert client.get("/api/health", headers={"Host": "evil.example"}).status_code == 400
    finally:
        serving.terminate()
        serving.wait(timeout=30)
    assert not sock.exists(), "serve removes its socket when it stops"


def test_login_prints_a_new_url_that_replaces_the_old(cli_env):
    from api.security import consume_login_code
    from graph.settings import Settings

    env = {**cli_env, "POLICYGRAPH_TOKEN": TOKEN, "POLICYGRAPH_PORT": "8123"}
    first, second = (subprocess.run([POLICYGRAPH, "login"], env=env, capture_output=True,
                                    text=True, timeout=60) for _ in range(2))
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    urls = [first.stdout.strip(), second.stdout.strip()]
    assert all(url.startswith("http://127.0.0.1:8123/login?token=") for url in urls)
    settings = Settings(home=Path(cli_env["POLICYGRAPH_HOME"]), token=TOKEN)
    codes = [url.split("token=", 1)[1] for url in urls]
    assert not consume_login_code(settings, codes[0])
    assert consume_login_code(settings, codes[1]) and not consume_login_code(settings, codes[1])

    unset = subprocess.run([POLICYGRAPH, "login"], env=cli_env, capture_output=True, text=True,
                           timeout=60)
    assert unset.returncode == 1 and "POLICYGRAPH_TOKEN is not set" in unset.stderr
    assert "Traceback" not in unset.stderr


def test_socket_modes_and_what_is_in_the_way(sockdir):
    path = sockdir / "s.sock"
    for mode, want in (("600", 0o600), ("660", 0o660)):
        sock = bind_unix_socket(path, mode)
        assert stat.S_IMODE(path.stat().st_mode) == want
        sock.listen(1)
        with pytest.raises(ConfigError, match=f"Something already serves on {path}"):
            bind_unix_socket(path, mode)
        sock.close()  # now stale: nobody answers, the next bind replaces it
    again = bind_unix_socket(path, "600")
    again.listen(1)
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(str(path))
    again.close()
    (sockdir / "plain").write_text("not a socket")
    with pytest.raises(ConfigError, match="exists and is not a socket"):
        bind_unix_socket(sockdir / "plain", "600")
    with pytest.raises(ConfigError, match="longer than the 107 bytes"):
        bind_unix_socket(sockdir / ("x" * 120), "600")
