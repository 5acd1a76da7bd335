"""`make up` prints what a user needs (issue 31 §7): its progress lines, then what
`policygraph up` says (the URL, the login link); pip's output goes to .venv/install.log, whose
tail and path are printed when an install fails.

The repository's own Makefile runs in a scratch folder with a stand-in `python3` whose venv holds
a `pip` as noisy as the real one (300 lines of setuptools warnings) and a `policygraph` that
prints its URL, so no package is installed and no server started."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

PIP = """#!/bin/sh
i=0
while [ $i -lt 300 ]; do echo "SetuptoolsDeprecationWarning: line $i" >&2; i=$((i+1)); done
echo "Successfully installed policygraph"
[ -n "$FAIL_PIP" ] && { echo "ERROR: no matching distribution for falkordb" >&2; exit 1; }
exit 0
"""
APP = """#!/bin/sh
echo "policygraph is serving on http://127.0.0.1:8000/  (API docs: /docs; Ctrl+C stops)" >&2
echo "Sign the browser in, once, at http://127.0.0.1:8000/login?code=abc" >&2
"""
PYTHON = f"""#!/bin/sh
# `python3 -m venv DIR`: a venv whose pip and policygraph are stand-ins
[ "$1" = "-m" ] && [ "$2" = "venv" ] || exit 3
mkdir -p "$3/bin"
cat > "$3/bin/pip" <<'PIPEOF'
{PIP}PIPEOF
cat > "$3/bin/policygraph" <<'APPEOF'
{APP}APPEOF
touch "$3/bin/python"
chmod +x "$3/bin/pip" "$3/bin/policygraph" "$3/bin/python"
"""


def _executable(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    return tmp_path


def make_up(folder: Path, **env: str) -> subprocess.CompletedProcess[str]:
    python = _executable(folder / "fake-python3", PYTHON)
    return subprocess.run(["make", "--no-print-directory", "up", f"PYTHON={python}"], cwd=folder,
                          capture_output=True, text=True, timeout=60, env={**os.environ, **env})


def test_make_up_prints_progress_the_url_and_the_login_link_only(checkout):
    done = make_up(checkout)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    assert lines == [
        "policygraph: creating .venv …",
        "policygraph: updating pip (pip output: .venv/install.log) …",
        "policygraph: installing the app (pip output: .venv/install.log) …",
        "policygraph is serving on http://127.0.0.1:8000/  (API docs: /docs; Ctrl+C stops)",
        "Sign the browser in, once, at http://127.0.0.1:8000/login?code=abc",
    ]
    log = (checkout / ".venv" / "install.log").read_text(encoding="utf-8")
    assert log.count("SetuptoolsDeprecationWarning") == 600  # both installs, kept for reading
    again = make_up(checkout)  # installed: straight to the server
    assert (again.stdout + again.stderr).splitlines()[0].startswith("policygraph is serving on")


def test_a_failed_install_prints_the_log_tail_and_its_path(checkout):
    done = make_up(checkout, FAIL_PIP="1")
    assert done.returncode != 0
    assert "ERROR: no matching distribution for falkordb" in done.stderr
    assert "policygraph: updating pip failed (pip exit 1); the whole output is in .venv/install.log" \
        in done.stderr
    assert len(done.stderr.splitlines()) < 40  # the tail, not the 300 lines
    assert "serving" not in done.stdout + done.stderr
