"""The derived states the briefing pages serve, read as the API starts, before it says it is ready.

Each state is parsed once per store revision and kept (graph.task_state, graph.depends_state,
graph.change_state), and deadline-risk's whole answer once per date (queries.risk_answer). Cold,
a national `/risk` paid all of that on its first request (4-5 s: the task state 1.3 s, the
depends state 0.8 s, the answer 1.9 s; issue 32); read here, the first analyst gets what the
second would. The warm-up only fills those caches: it answers nothing, a state that is not
there (another revision, Neo4j) is skipped, and a failure is logged, never fatal (the requests
then read what they need as before).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api.deps import get_store
from graph import briefing, change_state, depends_state, task_state
from graph.settings import Settings
from graph.store import Store

log = logging.getLogger("policygraph.api")


def warm(store: Store, *, timeout_ms: int | None = None) -> dict[str, float]:
    """Read the states `/risk`, `/changes`, `/digest` and the feeds answer from, and `/risk`'s
    default answer (today, the default horizon); `{what: seconds}` of those read."""
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("task_state", lambda: task_state.state(store, timeout_ms)),
        ("depends_state", lambda: depends_state.state(store, timeout_ms)),
        ("change_state", lambda: change_state.state(store, timeout_ms=timeout_ms)),
        ("risk", lambda: briefing.risk(store, limits=briefing.Limits(timeout_ms=timeout_ms, rows=1))),
    ]
    took = {}
    for name, step in steps:
        started = time.perf_counter()
        try:
            step()
        except Exception as error:  # noqa: BLE001 - a warm-up that fails leaves the requests to read
            log.warning("warm-up of %s skipped: %s", name, error)
            return took
        took[name] = round(time.perf_counter() - started, 3)
    return took


def lifespan(settings: Settings) -> Callable[[FastAPI], Any]:
    """The app's lifespan: warm the states on the store the requests get (`get_store`, or the
    override a test set), when the settings ask for it."""

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_on_start:
            provide = app.dependency_overrides.get(get_store)
            try:
                store = provide() if provide is not None else get_store(settings)
            except Exception as error:  # noqa: BLE001 - as in warm
                log.warning("warm-up skipped: %s", error)
            else:
                took = warm(store, timeout_ms=settings.query_timeout_ms)
                log.info("warmed %s", took)
        yield

    return run
