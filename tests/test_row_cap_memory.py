"""Issue 29, item 4, as reported: `… RETURN x UNION RETURN 1 AS x` and `… LIMIT $n` with a
large parameter fetched every row into the API (3.68 GB RSS, OOM-killed under 2 GB). Here the
real `policygraph serve` runs under an address-space cap the test sets on it once it is up
(RLIMIT_AS: what it holds then plus 768 MB), and each shape asks for nine million rows. Read
whole they would take the API past that cap (a few hundred bytes per row in Python), and the
store past the query timeout first (tried: 408 with the row cap raised over nine million), so
a 200 with one capped page, and a server still answering after, show the cap held in the store.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, short_tempdir
from tests.test_access_serve import _wait_for_login_line
from tests.test_cli import POLICYGRAPH

TOKEN = "a-token-for-the-row-cap-memory-test-0123"
HEADROOM = 768 * 2**20
ROW_LIMIT = 1_000
NINE_MILLION = "UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b RETURN a * 10000 + b AS x"
SHAPES = [(NINE_MILLION + " UNION RETURN 1 AS x", {}),
          (NINE_MILLION + " LIMIT $n", {"n": 10**9})]


def _vm_size(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmSize:"))
    return int(kilobytes) * 1024


@pytest.fixture
def capped_api(cli_env):
    """`policygraph serve` on a unix socket, its address space capped once it answers."""
    folder = short_tempdir("pgcap")
    sock, log = folder / "api.sock", folder / "serve.log"
    env = {**cli_env, "POLICYGRAPH_TOKEN": TOKEN, "POLICYGRAPH_ROW_LIMIT": str(ROW_LIMIT),
           "POLICYGRAPH_PAGE_SIZE": str(ROW_LIMIT),
           "MALLOC_ARENA_MAX": "2"}  # glibc's per-thread arenas would reserve 64 MB each
    with log.open("w") as stderr:
        serving = subprocess.Popen([POLICYGRAPH, "serve", "--uds", str(sock)], env=env, cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        _wait_for_login_line(serving, log, sock)
        client = httpx.Client(transport=httpx.HTTPTransport(uds=str(sock), retries=20),
                              base_url="http://localhost", timeout=120,
                              headers={"Authorization": f"Bearer {TOKEN}"})
        assert client.get("/api/health").status_code == 200
        cap = _vm_size(serving.pid) + HEADROOM
        resource.prlimit(serving.pid, resource.RLIMIT_AS, (cap, cap))
        limits = Path(f"/proc/{serving.pid}/limits").read_text()
        line = next(row for row in limits.splitlines() if row.startswith("Max address space"))
        assert int(line.split()[3]) == cap, "never send a bomb to an uncapped API"
        yield serving, client
        client.close()
    finally:
        serving.terminate()
        serving.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def test_union_and_a_parameter_limit_answer_one_page_under_a_memory_cap(capped_api):
    serving, client = capped_api
    for query, params in SHAPES:
        answer = client.post("/api/cypher", json={"query": query, "params": params})
        assert answer.status_code == 200, (query, answer.text[:500])
        body = answer.json()
        assert body["count"] == ROW_LIMIT and body["truncated"] is True, query
        assert body["next_offset"] == ROW_LIMIT and body["rows"][0] == {"x": 10001}
    assert client.get("/api/health").status_code == 200 and serving.poll() is None


# 1,000 rows of 10,000 numbers: about 140 MB as the store sends them, over a GB as Python
# objects, far past the cap's headroom; the store itself runs it within its memory cap
HUGE_ROWS = "UNWIND range(1, 1000) AS i RETURN i, range(1, 10000) AS numbers"


def test_rows_too_big_to_read_are_refused_while_read_under_a_memory_cap(capped_api):
    """Item 4's second half: the answer's bytes are bounded while the reply is read
    (graph/store/reply_budget.py), not after it was parsed whole."""
    serving, client = capped_api
    answer = client.post("/api/cypher", json={"query": HUGE_ROWS})
    assert answer.status_code == 400, answer.text[:500]
    assert "was not read further" in answer.json()["error"]
    assert "POLICYGRAPH_ANSWER_MAX_BYTES" in answer.json()["detail"]
    after = client.post("/api/cypher", json={"query": "RETURN 41 + 1 AS n"})
    assert after.status_code == 200 and after.json()["rows"] == [{"n": 42}]
    assert serving.poll() is None
