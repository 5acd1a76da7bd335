"""Security headers on every answer: pages and API alike.

The pages are offline (every script, style, font and image comes from this app), so the
Content-Security-Policy is strict: nothing from elsewhere, no inline script or style, no
plugins, no `<base>`, no framing. A route whose page needs more (ReDoc's generated styles,
Swagger UI's one inline start-up script) sets its own policy, built with
`content_security_policy`; the middleware keeps a policy a route set and adds it otherwise.

- `X-Frame-Options: DENY` and `frame-ancestors 'none'`: no page can be framed (clickjacking).
- `X-Content-Type-Options: nosniff`: a CSV or JSON answer is never run as a script.
- `Referrer-Policy: same-origin`: a link out of the app does not carry the query string.
"""

from __future__ import annotations

import base64
import hashlib

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",   # vis-network's and Swagger UI's icons are data: URLs
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CSP = "content-security-policy"
FIXED = {"x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "same-origin"}


def content_security_policy(**extra: str) -> str:
    """The app's policy with some directives widened: `script_src="'sha256-…'"` is added to
    `script-src`'s sources (a directive the policy lacks is added as given)."""
    policy = dict(POLICY)
    for name, sources in extra.items():
        directive = name.replace("_", "-")
        policy[directive] = f"{policy[directive]} {sources}" if directive in policy else sources
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


def source_hash(text: str) -> str:
    """The CSP source that allows exactly this inline script or style: `'sha256-…'`."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


DEFAULT_CSP = content_security_policy()


class SecurityHeaders:
    """Adds the headers above to every HTTP answer (a route's own CSP is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if CSP not in headers:
                    headers[CSP] = DEFAULT_CSP
                for name, value in FIXED.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
