"""`/docs` and `/redoc` with every asset served by the app, so they work on a closed network.

FastAPI's stock pages load Swagger UI and ReDoc from a CDN. This follows FastAPI's documented
"self-hosting JavaScript and CSS for docs": the stock routes are turned off (`docs_url=None`,
`redoc_url=None`) and rebuilt with `get_swagger_ui_html`/`get_redoc_html` pointing at
`/static-docs/…`. The files come from the `fastapi-offline` package (MIT; it ships Swagger UI 5
and ReDoc 2 with their licence headers); only its files are used, not its app factory. The
favicon is the project's own, served at `/favicon.svg` and `/favicon.ico`.

Two things in those files would still reach out, and are turned off here: ReDoc's sidebar logo
(an `<img>` from its CDN: the app serves the script with that address replaced by its favicon)
and Swagger UI's validator badge (`validatorUrl: null`).

Both pages carry their own Content-Security-Policy (api/headers.py): Swagger UI's page starts
with one inline script, allowed by its hash; ReDoc writes its styles into `<style>` elements at
run time (styled-components) and searches in a `blob:` worker, so its page allows inline styles
and that worker, and nothing else more than the app's policy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from api.headers import CSP, content_security_policy, source_hash

DOCS_ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
DOCS_STATIC_URL = "/static-docs"
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.svg"
FAVICON_URL = "/favicon.svg"
FAVICON_LINK = f'<link rel="icon" type="image/svg+xml" href="{FAVICON_URL}">'
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
CACHE = {"Cache-Control": "public, max-age=86400"}
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
REDOC_CSP = content_security_policy(style_src="'unsafe-inline'", worker_src="'self' blob:")


def allow_inline_scripts(page: HTMLResponse) -> HTMLResponse:
    """`page` with a policy that allows exactly its inline scripts, by their hashes."""
    hashes = {source_hash(body) for body in INLINE_SCRIPT.findall(page.body.decode("utf-8"))}
    page.headers[CSP] = content_security_policy(script_src=" ".join(sorted(hashes)))
    return page


@lru_cache(maxsize=1)
def redoc_script() -> str:
    """ReDoc's standalone bundle with its one outside address (the sidebar logo) made ours."""
    text = (DOCS_ASSETS / "redoc.standalone.js").read_text(encoding="utf-8")
    return text.replace(REDOC_LOGO, FAVICON_URL)


def install_docs(app: FastAPI) -> None:
    """Add `/docs`, `/redoc`, their assets and the favicon to an app made with docs_url=None."""
    title = app.title

    @app.get(f"{DOCS_STATIC_URL}/redoc.standalone.js", include_in_schema=False)
    def redoc_js() -> Response:
        return Response(redoc_script(), media_type="text/javascript", headers=CACHE)

    app.mount(DOCS_STATIC_URL, StaticFiles(directory=DOCS_ASSETS), name="static-docs")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return allow_inline_scripts(get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{title} — API",
            oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url,
            swagger_js_url=f"{DOCS_STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_STATIC_URL}/swagger-ui.css", swagger_favicon_url=FAVICON_URL,
            swagger_ui_parameters={"validatorUrl": None}))

    @app.get(app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect", include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return allow_inline_scripts(get_swagger_ui_oauth2_redirect_html())

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        page = get_redoc_html(openapi_url=app.openapi_url or "/openapi.json", title=f"{title} — ReDoc",
                              redoc_js_url=f"{DOCS_STATIC_URL}/redoc.standalone.js",
                              redoc_favicon_url=FAVICON_URL, with_google_fonts=False)
        page.headers[CSP] = REDOC_CSP
        return page

    @app.get("/favicon.svg", include_in_schema=False)
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(FAVICON, media_type="image/svg+xml", headers=CACHE)
