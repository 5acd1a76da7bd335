"""Who can get in: the host allow-list, the optional token, the login URL, the unix socket.

- Only requests whose `Host` is an allowed name are answered (DNS rebinding: a page on
  another site, resolved to 127.0.0.1, would otherwise read the API through a browser).
- With `POLICYGRAPH_TOKEN` set, every request but `/api/health` and `/login` needs
  `Authorization: Bearer <token>` or the session cookie that a one-time login URL sets.
- `policygraph serve --uds PATH` listens on a unix socket of mode 600 (or 660) instead.

Refusals come in the API's one error shape (`{"error", "detail"}`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import socket
import stat
from pathlib import Path

from fastapi import APIRouter, FastAPI, Query
from fastapi.responses import RedirectResponse
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response
from graph.errors import ConfigError
from graph.settings import Settings
from graph.store.permissions import secure_home, write_private

OPEN_PATHS = frozenset({"/api/health", "/login"})  # health checks need no secret
SESSION_COOKIE = "policygraph_session"
LOGIN_CODE_FILE = "login.code"
MAX_SOCKET_PATH = 107  # sun_path is 108 bytes with its NUL
_PASSED = "policygraph.host_allowed"
MIN_TOKEN_LENGTH = 16


def check_access_settings(settings: Settings) -> None:
    """Refuse, as a message, an allow-list entry that is no host name or a token too short to
    be a secret (an empty POLICYGRAPH_TOKEN would let `Authorization: Bearer` alone in)."""
    allowed_hosts(settings)
    if settings.token is not None and len(settings.token.get_secret_value()) < MIN_TOKEN_LENGTH:
        raise ConfigError(f"POLICYGRAPH_TOKEN is shorter than {MIN_TOKEN_LENGTH} characters.",
                          hint="Make one with `python -c 'import secrets; "
                               "print(secrets.token_urlsafe(32))'`, or unset it.")


def install_access_rules(app: FastAPI, settings: Settings) -> None:
    """The host check outermost (before CORS), the token gate innermost, the login route."""
    check_access_settings(settings)
    # add_middleware puts a middleware outside all others; the token gate goes inside CORS,
    # so that a CORS preflight (which carries no credentials) is still answered.
    if settings.token is not None:
        app.user_middleware.append(Middleware(TokenGate, token=settings.token.get_secret_value()))
        app.include_router(_login_router(settings))
    app.add_middleware(HostAllowList, hosts=allowed_hosts(settings))


# -- host names -------------------------------------------------------------------------------
def allowed_hosts(settings: Settings) -> list[str]:
    """The configured host names plus the bind host, IPv6 literals in brackets as in `Host`."""
    hosts: list[str] = []
    for name in [*settings.allowed_hosts, settings.host]:
        host = name.strip().lower()
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        if "*" in host[1:] or (host.startswith("*") and host != "*" and not host.startswith("*.")):
            raise ConfigError(f"POLICYGRAPH_ALLOWED_HOSTS has {name!r}, which is not a host name.",
                              hint="Write names like `graph.example.org`, `*.example.org` or `*`.")
        if host and host not in hosts:
            hosts.append(host)
    return hosts


class HostAllowList:
    """Starlette's TrustedHostMiddleware decides; its refusal is sent in our error shape."""

    def __init__(self, app: ASGIApp, hosts: list[str]) -> None:
        self.app = app
        self.hosts = hosts
        self._trusted = TrustedHostMiddleware(self._through, allowed_hosts=hosts, www_redirect=False)

    async def _through(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_PASSED] = True
        await self.app(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._trusted(scope, receive, send)
            return

        async def send_unless_refused(message: Message) -> None:
            if scope.get(_PASSED):
                await send(message)

        await self._trusted(scope, receive, send_unless_refused)
        if not scope.get(_PASSED):
            host = Headers(scope=scope).get("host", "")
            response = error_response(
                400, f"Host {host!r} is not one this server answers to.",
                "Use http://127.0.0.1 or http://localhost, or add the name to "
                "POLICYGRAPH_ALLOWED_HOSTS.")
            await response(scope, receive, send)


# -- the token ----------------------------------------------------------------------------------
def session_cookie_value(token: str) -> str:
    """Derived from the token, so every worker checks it alone and a new token ends sessions."""
    return hmac.new(token.encode(), b"policygraph session", hashlib.sha256).hexdigest()


class TokenGate:
    """401 unless the request carries the bearer token or the session cookie."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._token = token.encode()
        self._session = session_cookie_value(token).encode()

    def _authorised(self, headers: Headers) -> bool:
        scheme, _, credentials = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(credentials.strip().encode(),
                                                              self._token):
            return True
        cookie = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE, "")
        return hmac.compare_digest(cookie.encode(), self._session)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS or \
                self._authorised(Headers(scope=scope)):
            await self.app(scope, receive, send)
            return
        response = error_response(
            401, "This server needs its token.",
            "Send `Authorization: Bearer <POLICYGRAPH_TOKEN>`, or open the login URL that "
            "`policygraph serve` printed (`policygraph login` prints a new one).")
        response.headers["WWW-Authenticate"] = "Bearer"
        await response(scope, receive, send)


# -- the one-time login URL ------------------------------------------------------------------
def issue_login_code(settings: Settings) -> str:
    """A new one-time login code; it replaces any unused one. Only its hash is kept, in a
    600 file in the data directory, so that every worker process sees the same code and the
    first to use it removes it."""
    home = settings.home.expanduser().absolute()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    secure_home(home)
    code = secrets.token_urlsafe(32)
    write_private(home / LOGIN_CODE_FILE, _digest(code))
    return code


def consume_login_code(settings: Settings, code: str) -> bool:
    """True once for the code last issued; False for any other, and for it a second time."""
    path = settings.home.expanduser().absolute() / LOGIN_CODE_FILE
    try:
        stored = path.read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return False
    if not hmac.compare_digest(_digest(code).encode(), stored.encode()):
        return False
    try:
        path.unlink()  # atomic: of two workers given the same code, one succeeds
    except FileNotFoundError:
        return False
    return True


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _login_router(settings: Settings) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/login")
    def login(token: str = Query("", description="The one-time code of the login URL.")):
        if not consume_login_code(settings, token):
            return error_response(401, "This login link is not valid: it was used already, or "
                                       "a newer one replaced it.",
                                  "Run `policygraph login` for a new one.")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(SESSION_COOKIE, session_cookie_value(
            settings.token.get_secret_value()), httponly=True, samesite="strict", path="/")
        return response

    return router


def server_base(settings: Settings) -> str:
    """`http://host:port` of the server the settings describe; "" on a unix socket (the login
    path is then opened through the proxy in front of it)."""
    if settings.uds:
        return ""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{host}:{settings.port}"


def login_url(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/login?token={code}"


# -- the unix socket ---------------------------------------------------------------------------
def bind_unix_socket(path: Path, mode: str) -> socket.socket:
    """A listening-ready unix socket at `path` with `mode` (600 or 660) from the first moment.

    A stale socket nobody answers on is replaced; a live one or any other file is refused.
    """
    path = path.expanduser().absolute()
    if len(str(path)) > MAX_SOCKET_PATH:
        raise ConfigError(f"The socket path {path} is longer than the {MAX_SOCKET_PATH} bytes a "
                          "unix socket may have.", hint="Choose a shorter path for --uds.")
    if path.is_symlink() or path.exists():
        if not stat.S_ISSOCK(path.lstat().st_mode):
            raise ConfigError(f"{path} exists and is not a socket.",
                              hint="Choose another path for --uds, or remove that file.")
        if _answers(path):
            raise ConfigError(f"Something already serves on {path}.",
                              hint="Stop it, or choose another path for --uds.")
        path.unlink()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)  # the socket is born 600: never briefly open to others
    try:
        sock.bind(str(path))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"Cannot create the socket {path}: {exc.strerror}.",
                          hint="Choose a path in a directory you can write to.") from exc
    finally:
        os.umask(old_umask)
    os.chmod(path, int(mode, 8))
    return sock


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe, \
            contextlib.suppress(OSError):
        probe.settimeout(1)
        probe.connect(str(path))
        return True
    return False

