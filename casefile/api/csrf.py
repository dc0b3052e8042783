"""CSRF tokens bound to the session (issue 11 item 7).

A page's forms carry `_csrf_token` = HMAC(key, the session's id). The id lives only in the
session cookie (signed and encrypted) and, hashed, in the `sessions` table: a token is good for
one session and dies with it at logout, and a token read from another session — or from before
the login — opens nothing. Before login, the login form's token is bound to a random value kept
in the anonymous session cookie. Mutations under `/api/` are excluded: they need a bearer token
(`casefile.api.auth`).

Templates read the token through Litestar's `csrf_input`, which takes it from the connection's
scope state; routes that stream their body opt out (`exclude_from_csrf`) and call
`check_form_token` on the field they parse themselves.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

FIELD = "_csrf_token"
HEADER = "x-csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_ID = "sid"  # the server-side session's id (casefile.services.sessions)
ANONYMOUS = "csrf_nonce"  # before login: a random value in the anonymous session cookie
EXCLUDED = re.compile("^/(api|health|schema|static)(/|$)")
REFUSED = "Jeton CSRF absent ou invalide : rechargez la page et recommencez."


def _binding(session: Any) -> str | None:
    if not isinstance(session, dict):
        return None
    if session.get(SESSION_ID):
        return f"session:{session[SESSION_ID]}"
    if session.get(ANONYMOUS):
        return f"anonymous:{session[ANONYMOUS]}"
    return None


def token_for(key: bytes, session: Any) -> str | None:
    binding = _binding(session)
    if binding is None:
        return None
    return hmac.new(key, binding.encode(), hashlib.sha256).hexdigest()


def _matches(key: bytes, session: Any, presented: object) -> bool:
    expected = token_for(key, session)
    return (
        expected is not None
        and isinstance(presented, str)
        and hmac.compare_digest(expected.encode(), presented.encode())
    )


class SessionCsrfMiddleware(ASGIMiddleware):
    """Safe methods get a token for their forms; other methods must present the right one."""

    scopes = (ScopeType.HTTP,)
    exclude_opt_key = "exclude_from_csrf"

    @staticmethod
    def should_bypass_for_scope(scope: Scope) -> bool:
        return EXCLUDED.match(scope["path"]) is not None

    def __init__(self, key: bytes) -> None:
        self.key = key

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        session = scope.get("session")
        if scope.get("method", "GET") in SAFE_METHODS:
            if _binding(session) is None:
                # First visit: an anonymous binding, saved by the session middleware's cookie.
                session = {**(session if isinstance(session, dict) else {})}
                session[ANONYMOUS] = secrets.token_urlsafe(16)
                scope["session"] = session
            ScopeState.from_scope(scope).csrf_token = token_for(self.key, session) or ""
            await next_app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = Request(scope, receive)
        presented: object = request.headers.get(HEADER)
        content_type, _ = request.content_type
        if presented is None and content_type in (
            RequestEncodingType.URL_ENCODED,
            RequestEncodingType.MULTI_PART,
        ):
            presented = (await request.form()).get(FIELD)
        if not _matches(self.key, session, presented):
            raise PermissionDeniedException(REFUSED)
        ScopeState.from_scope(scope).csrf_token = str(presented)
        await next_app(scope, receive, send)


def check_form_token(connection: ASGIConnection[Any, Any, Any, Any], presented: object) -> None:
    """For a route that parses its own (streamed) form: the token must be this session's."""
    middleware = next(
        (m for m in connection.app.middleware if isinstance(m, SessionCsrfMiddleware)), None
    )
    if middleware is None or not _matches(
        middleware.key, connection.scope.get("session"), presented
    ):
        raise PermissionDeniedException(REFUSED)
