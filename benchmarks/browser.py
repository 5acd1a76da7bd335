"""Debian's Chromium through Playwright, headless, for the browser tests and the page benchmark.

Shared by `tests/test_*_browser.py` and `benchmarks.viz`; it lives here rather than in
`tests/` because `benchmarks` is an installed package and must not import the tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.errors import PolicygraphError

CHROMIUM = "/usr/bin/chromium"
# Debian's build of the same engine without the browser's windowing layers (Playwright's own
# default for headless runs): the page tests' Chromium used 66 s of CPU with the browser, 46 s
# with the shell, on the viz and workbench tests; the benchmark keeps the browser people use
CHROMIUM_SHELL = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]


def launch_chromium(playwright: Any, *, shell: bool = False) -> Any:
    """Debian's Chromium through Playwright (Playwright's own browser downloads are not used);
    with `shell`, Debian's chromium-headless-shell where it is installed (the tests)."""
    path = CHROMIUM_SHELL if shell and Path(CHROMIUM_SHELL).exists() else CHROMIUM
    if not Path(path).exists():
        raise PolicygraphError(f"No Chromium at {path}.",
                               hint="Install Debian's browser: apt-get install -y chromium fonts-noto-core")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
