"""The FastAPI application: JSON API under /api, pages for people at /."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware

from api.caching import CONDITIONAL, install_not_modified
from api.docs import install_docs
from api.errors import install_error_handlers
from api.routes import analysis, briefing, graph, health, named_queries, queries, reports, search, viz
from api.security import install_access_rules
from api.workbench import pages as workbench
from graph.settings import Settings, get_settings

GZIP_MIN_BYTES = 1024  # below this, gzip's header and the CPU cost more than they save
# zlib's fastest level, not Starlette's default 9: the whole national blocking-laws answer
# (24 MB of NDJSON) takes 0.09 s to compress at 1 against 0.44 s at 9, for 2.5 MB against
# 1.75 MB, and a first page of 100 rows (355 kB) 1.3 ms against 5.9 ms, for 41 kB against
# 28 kB. The server mostly runs on the analyst's machine or a LAN, where the bytes are cheap
# and the CPU is the wait; on a 10 Mbit/s link the larger answer costs ~0.4 s more, no worse
# than level 9's compression time on a LAN (README, Performance).
GZIP_LEVEL = 1


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings` (default: this process's environment)."""
    explicit = settings is not None
    settings = settings or get_settings()
    app = FastAPI(
        title="policygraph",
        description="Who must do what in Vietnam's Resolution 57 reform, and what is holding it up.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
    )
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["*"])
    install_access_rules(app, settings)
    if explicit:
        app.dependency_overrides[get_settings] = lambda: settings
    install_error_handlers(app)
    install_not_modified(app)
    install_docs(app)
    app.include_router(health.router)
    # before /api/queries/{name}; answers of GET requests carry an ETag (api/caching.py)
    app.include_router(named_queries.build_router(settings.row_limit), dependencies=CONDITIONAL)
    for module in (search, graph, queries, analysis, briefing):
        app.include_router(module.router, dependencies=CONDITIONAL)
    app.include_router(viz.router)
    app.include_router(reports.router)
    app.include_router(workbench.router)
    # outermost: everything over GZIP_MIN_BYTES is compressed for clients that accept gzip
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL)
    return app
