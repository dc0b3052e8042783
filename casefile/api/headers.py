"""Security headers on every answer (issue 11 item 7).

The pages load their script and style from /static only (no inline script or style), so the
policy allows nothing else; no page may be framed; no URL (feed tokens live in URLs) leaks in
a Referer; no answer is sniffed into another type.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
# As the ASGI message carries them (lower-case latin-1 bytes), encoded once.
_ENCODED = tuple(
    (name.lower().encode("latin-1"), value.encode("latin-1"))
    for name, value in SECURITY_HEADERS.items()
)
_NAMES = frozenset(name for name, _ in _ENCODED)


def security_headers(app: ASGIApp) -> ASGIApp:
    """Middleware: add the headers an answer does not already set."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Appended to the raw list (no header object per answer: it is on every request).
                headers = list(message.get("headers") or ())
                present = _NAMES.intersection(name.lower() for name, _ in headers)
                headers.extend(h for h in _ENCODED if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
