"""The FastAPI application: JSON API under /api, pages for people at /."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.body_limit import BodyLimit
from api.caching import CONDITIONAL, install_answer_cache, install_not_modified
from api.compression import GZIP_LEVEL, MIN_BYTES, CompressionMiddleware
from api.docs import install_docs
from api.errors import install_error_handlers
from api.headers import SecurityHeaders
from api.held_stream import quiet_aborts
from api.language import Language
from api.params import REFUSE_UNKNOWN
from api.routes import analysis, briefing, graph, health, named_queries, queries, reports, review, search, viz
from api.security import install_access_rules
from api.warm import lifespan
from api.workbench import guide
from api.workbench import pages as workbench
from graph.settings import Settings, get_settings


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
        lifespan=lifespan(settings),  # the briefing's states read before the first request
    )
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["*"])
    install_access_rules(app, settings)
    # outside the host check and the token gate: nothing reads a body before it is measured
    app.add_middleware(BodyLimit, max_bytes=settings.request_max_bytes,
                       uploads={"/api/review/read": settings.upload_max_bytes})
    if explicit:
        app.dependency_overrides[get_settings] = lambda: settings
    install_error_handlers(app)
    quiet_aborts()
    install_not_modified(app)
    install_docs(app)
    app.include_router(health.router)
    # before /api/queries/{name}; answers of GET requests carry an ETag (api/caching.py)
    app.include_router(named_queries.build_router(settings.row_limit), dependencies=CONDITIONAL)
    for module in (search, graph, queries, analysis, briefing):
        # named queries, analytics and exports bind their own parameters (an unknown one is 422)
        checked = REFUSE_UNKNOWN if module in (search, graph, briefing) else []
        app.include_router(module.router, dependencies=[*CONDITIONAL, *checked])
    app.include_router(viz.router)
    app.include_router(reports.router)
    app.include_router(review.router)
    app.include_router(workbench.router)
    app.include_router(guide.router)
    # the reader's language on the pages and feeds (`?lang=`, its cookie, Accept-Language)
    app.add_middleware(Language)
    # on every answer, refusals of the host check and the token gate included
    app.add_middleware(SecurityHeaders)
    # everything over MIN_BYTES is compressed, zstd or gzip as the client accepts
    app.add_middleware(CompressionMiddleware, minimum_size=MIN_BYTES, compresslevel=GZIP_LEVEL)
    # outermost: the compressed bytes of each whole answer are kept for the next request
    install_answer_cache(app)
    return app
