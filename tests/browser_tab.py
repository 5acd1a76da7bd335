"""One browser tab for the page tests: every request outside the app blocked and recorded.

A new tab costs Chromium about half a second of CPU (a fresh renderer compiles the page's
scripts again), and a hundred tests opened one each: about a sixth of the suite's CPU. So the
tests of a module share one tab (`KeptTab`), wiped before each test: its page starts from
about:blank, the app's storage and cookies are cleared, and what it recorded is forgotten.
Tests that need a browser of their own (a second profile, another width) still open one.
"""

from __future__ import annotations

import contextlib

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page


class Tab:
    """A context and its one page, with requests outside `base` (and `file://` pages, when
    `files`) aborted into `outside`, and uncaught page errors (and console errors, when
    `console_errors`) collected in `errors`."""

    def __init__(self, browser, base: str, *, viewport: dict[str, int], files: bool = False,
                 console_errors: bool = False, **context_options) -> None:
        self.base = base
        self.viewport = viewport
        self.files = files
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport=viewport, locale="vi-VN", **context_options)
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        if console_errors:
            self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self._devtools = self.context.new_cdp_session(self.page)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base + "/") or (self.files and url.startswith("file://")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def wipe(self) -> None:
        """Back to a first visit: a blank page at the tab's size, nothing stored for the app
        (local and session storage, IndexedDB, caches, cookies), no route of a test's own, nothing
        recorded."""
        self.page.unroute_all()  # a test's own routes; the context's blocking stays
        self.page.goto("about:blank")
        self._devtools.send("Storage.clearDataForOrigin", {"origin": self.base, "storageTypes": "all"})
        self.context.clear_cookies()
        self.page.set_viewport_size(self.viewport)
        self.outside.clear()
        self.errors.clear()

    def close(self) -> None:
        self.context.close()


class KeptTab:
    """The one tab of a module, handed to each test wiped; a tab that can no longer be wiped
    (its page crashed, or a test closed it) is replaced by a new one from `make`."""

    def __init__(self, make) -> None:
        self.make = make
        self.tab: Tab | None = None

    def wiped(self) -> Tab:
        if self.tab is not None:
            try:
                self.tab.wipe()
                return self.tab
            except PlaywrightError:
                self.close()
        self.tab = self.make()
        return self.tab

    def close(self) -> None:
        if self.tab is not None:
            with contextlib.suppress(PlaywrightError):  # already gone with its page
                self.tab.close()
            self.tab = None
