"""The development sets as the measure: ``../shared/extract-dev/score`` must stay above target.

The texts and annotations live outside the repository (``../shared/extract-dev/`` and its
``added/`` folder, which CI has); nothing of them is copied here. The scorer runs
``policygraph extract`` on each one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

DEV = REPO.parent / "shared" / "extract-dev"
if not DEV.is_dir():  # a worktree sits one level deeper than a plain checkout
    DEV = REPO.parents[1] / "shared" / "extract-dev"


def _score(folder: Path) -> str:
    """The scorer's report on *folder*, or a failed assertion naming what it could not read."""
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"}
    out = subprocess.run([sys.executable, str(DEV / "score"), "--dir", str(folder)],
                         capture_output=True, text=True, env=env, timeout=600).stdout
    assert re.search(r"F1=([0-9.]+)", out), f"no figure from score --dir {folder}:\n{out}"
    return out


def _check(out: str, f1_min: float, recall_min: float, refs_min: float | None) -> None:
    f1 = float(re.search(r"F1=([0-9.]+)", out).group(1))
    assert f1 >= f1_min, out
    if refs_min is not None:
        hit, total = (int(x) for x in re.search(r"refs found (\d+)/(\d+)", out).groups())
        assert hit / total >= refs_min, out
    per_doc = 0
    for line in out.splitlines():
        assert "extract failed" not in line, line
        m = re.match(r"(\S+): (\d+)/(\d+) tasks found", line)
        if m and int(m.group(3)):
            per_doc += 1
            assert int(m.group(2)) / int(m.group(3)) >= recall_min, line
    assert per_doc, f"no per-document lines in:\n{out}"


@pytest.mark.slow  # extracts and scores every annotated document
@pytest.mark.skipif(not (DEV / "score").is_file(), reason="development set not available here")
def test_dev_set_figures_meet_the_targets():
    _check(_score(DEV), f1_min=0.90, recall_min=0.75, refs_min=0.90)


@pytest.mark.slow
@pytest.mark.skipif(not (DEV / "added").is_dir(), reason="added development set not available here")
def test_added_set_figures_meet_the_targets():
    _check(_score(DEV / "added"), f1_min=0.85, recall_min=0.6, refs_min=None)


HOLDOUT = REPO / "tests" / "data" / "extract-holdout"


@pytest.mark.slow
@pytest.mark.skipif(not (DEV / "score").is_file(), reason="the scorer is not here")
def test_first_held_out_set_keeps_what_it_reached():
    """A regression guard, not a target: the first held-out set (tests/data/extract-holdout)
    scored F1 0.93 (P 0.92, R 0.95) after issue 28's third round; it must not slide back. The
    second held-out set (extract-holdout2) is the measure on unseen texts and has no floor here,
    so that nobody tunes to it."""
    _check(_score(HOLDOUT), f1_min=0.90, recall_min=0.75, refs_min=0.85)
