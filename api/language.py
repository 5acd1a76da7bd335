"""The reader's language on the pages and feeds: `?lang=vi|en` (kept in a cookie, so the choice
stays with the browser), else the cookie, else `Accept-Language`, else Vietnamese.

An ASGI middleware sets `graph.vocabulary`'s language for the request and takes `lang` out of
the query string, so no route, binder or next-page link ever sees it; the JSON API (`/api/…`)
is left alone: it speaks the stable English codes and refuses `lang` as any unknown parameter.
"""

from __future__ import annotations

from contextvars import ContextVar
from http.cookies import SimpleCookie
from urllib.parse import unquote_plus

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.vocabulary import DEFAULT_LANGUAGE, LANGUAGES, reset_language, use_language
from queries import is_absent

COOKIE = "pg_lang"
PARAM = "lang"
COOKIE_AGE = 365 * 24 * 3600
# this page's address in the other language, for the toggle (None outside a request: a
# standalone export has no toggle)
_SWITCH: ContextVar[str | None] = ContextVar("policygraph_language_switch", default=None)


def switch_link() -> str | None:
    """The address of the page being drawn, in the other language."""
    return _SWITCH.get()


def from_accept_language(header: str | None) -> str | None:
    """The first of our languages the header accepts, by its q-values ("en-GB,en;q=0.9" → en)."""
    best: tuple[float, str] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if lang in LANGUAGES and quality > 0 and (best is None or quality > best[0]):
            best = (quality - position * 1e-6, lang)  # equal q: the one listed first
    return best[1] if best else None


def _split_query(raw: bytes) -> tuple[bytes, list[str]]:
    """The query string without its `lang` pieces (the others kept byte for byte), and the
    values of those pieces."""
    kept, asked = [], []
    for piece in raw.split(b"&") if raw else []:
        key, _, value = piece.partition(b"=")
        if unquote_plus(key.decode("latin-1")) == PARAM:
            asked.append(unquote_plus(value.decode("latin-1")))
        else:
            kept.append(piece)
    return b"&".join(kept), asked


def switch_href(scope: Scope, lang: str) -> str:
    """This page's address in `lang` (the toggle's link): its parameters kept, but not an empty
    or `null` one, which is "not given" (queries.is_absent), so the page reads the same."""
    kept = [piece for piece in scope.get("query_string", b"").decode("latin-1").split("&")
            if piece and not is_absent(unquote_plus(piece.partition("=")[2]))]
    return scope.get("path", "/") + "?" + "".join(f"{piece}&" for piece in kept) + f"{PARAM}={lang}"


class Language:
    """Sets the reader's language for every request outside the JSON API."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path == "/api" or path.startswith("/api/"):
            await self.app(scope, receive, send)
            return
        query, asked = _split_query(scope.get("query_string", b""))
        if asked and asked[-1] not in LANGUAGES:
            response = PlainTextResponse(
                f"lang must be one of {', '.join(LANGUAGES)}, not {asked[-1]!r}: "
                f"?lang=vi (Tiếng Việt) or ?lang=en (English).", status_code=422)
            await response(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # a malformed cookie header is not the reader's language
            cookie = SimpleCookie()
        kept = cookie[COOKIE].value if COOKIE in cookie else None
        lang = (asked[-1] if asked else None) \
            or (kept if kept in LANGUAGES else None) \
            or from_accept_language(headers.get(b"accept-language", b"").decode("latin-1")) \
            or DEFAULT_LANGUAGE
        scope = {**scope, "query_string": query}

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out.append("Vary", "Accept-Language, Cookie")
                if "content-language" not in out:
                    out["Content-Language"] = lang
                if asked:
                    out.append("Set-Cookie", f"{COOKIE}={lang}; Max-Age={COOKIE_AGE}; Path=/; SameSite=Lax")
            await send(message)

        token = use_language(lang)
        switch = _SWITCH.set(switch_href(scope, "en" if lang == "vi" else "vi"))
        try:
            await self.app(scope, receive, send_with_language)
        finally:
            _SWITCH.reset(switch)
            reset_language(token)


def install(environment) -> None:
    """A page template's words: `tr(vi, en)`, `lang()`, the toggle's `lang_switch()`, and the
    `status` filter (graph.vocabulary, in the reader's language)."""
    from graph import vocabulary

    environment.globals.update(tr=vocabulary.tr, lang=vocabulary.language, lang_switch=switch_link)
    environment.filters["status"] = vocabulary.status
