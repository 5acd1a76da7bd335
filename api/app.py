"""The FastAPI application: JSON API under /api, pages for people at /."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.errors import install_error_handlers
from api.routes import analysis, graph, health, named_queries, queries, search, viz
from api.security import install_access_rules
from graph.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for `settings` (default: this process's environment)."""
    explicit = settings is not None
    settings = settings or get_settings()
    app = FastAPI(
        title="policygraph",
        description="Who must do what in Vietnam's Resolution 57 reform, and what is holding it up.",
        version="0.1.0",
    )
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["*"])
    install_access_rules(app, settings)
    if explicit:
        app.dependency_overrides[get_settings] = lambda: settings
    install_error_handlers(app)
    app.include_router(named_queries.build_router())  # before /api/queries/{name}
    for module in (health, search, graph, queries, analysis):
        app.include_router(module.router)
    app.include_router(viz.router)
    return app
