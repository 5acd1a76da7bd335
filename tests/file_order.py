"""The order xdist hands out test files: the longest first, so the short ones fill the gaps.

`--dist loadfile` gives each worker whole files in collection order (with
`--no-loadscope-reorder`; by default xdist puts the files with the most tests first, which sent
the few long tests — the dev-set scorer, the bench smoke run, the analyst's walk — to the end of
the run, one worker finishing them alone while the other sat idle). A file's expected time is
what it took in the last whole run (kept in pytest's cache, `.pytest_cache`); a file never timed counts as
long when it holds a test marked `slow`, short otherwise, which is the whole order on a fresh
clone.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pytest

CACHE_KEY = "policygraph/file-seconds"
UNTIMED_SLOW_S = 30.0  # a `slow` file never timed: among the first
UNTIMED_S = 1.0

_seconds: defaultdict[str, float] = defaultdict(float)


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    cache = getattr(config, "cache", None)  # none under `-p no:cacheprovider`
    timed = cache.get(CACHE_KEY, {}) if cache is not None else {}
    slow_files = {_file_of(item.nodeid) for item in items if item.get_closest_marker("slow")}

    def expected_s(item: pytest.Item) -> float:
        name = _file_of(item.nodeid)
        return timed.get(name, UNTIMED_SLOW_S if name in slow_files else UNTIMED_S)

    items.sort(key=lambda item: -expected_s(item))  # stable: each file's tests stay together, in order


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _seconds[_file_of(report.nodeid)] += report.duration  # setup, call and teardown


def _whole_suite(config: pytest.Config) -> bool:
    """Only a run of every test times every file whole (`-k`, `-m`, a path or `--lf` time a
    part of some file, and would make it look short)."""
    return (config.args_source is pytest.Config.ArgsSource.TESTPATHS and not config.option.keyword
            and not config.option.markexpr and not config.getoption("lf", False))


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    cache = getattr(config, "cache", None)
    if hasattr(config, "workerinput") or cache is None or not _whole_suite(config):
        return  # a worker: the controller sees every report and writes once
    known = {name: s for name, s in cache.get(CACHE_KEY, {}).items()
             if Path(config.rootpath, name).is_file()}  # files since removed are forgotten
    cache.set(CACHE_KEY, {**known, **{name: round(s, 2) for name, s in _seconds.items()}})


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: one worker more than the machine has cores. Part of the suite waits rather
    than computes (a frozen store's timeouts, servers and browsers starting, a page's half
    second of network quiet), and a third worker on 2 cores fills those gaps (2026-12-08: 225-236 s
    with 2 workers, 205-258 s with 3; README, "Development")."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own setting, as its documentation says
    return len(os.sched_getaffinity(0)) + 1  # the cores this process may run on, as nproc says
