"""Debian's Chromium through Playwright, headless, for the browser tests and the page benchmark.

Shared by `tests/test_*_browser.py` and `benchmarks.viz`; it lives here rather than in
`tests/` because `benchmarks` is an installed package and must not import the tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.errors import PolicygraphError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium through Playwright (Playwright's own browser downloads are not used)."""
    if not Path(CHROMIUM).exists():
        raise PolicygraphError(f"No Chromium at {CHROMIUM}.",
                               hint="Install Debian's browser: apt-get install -y chromium fonts-noto-core")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
