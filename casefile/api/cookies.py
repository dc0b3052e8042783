"""The session cookie, and who sent it when no route (so no middleware) read it.

The session and CSRF middlewares run per route: a request that matches no route (a 404 for an
unknown address, a 405) reaches the error handler without `scope["session"]` nor a user. Its
error page still shows the navigation of a logged-in visitor (issue: the 404 page had only a
link back to the dashboard): `visitor` reads the same cookie the session middleware would,
checks the server-side session, and gives the CSRF token of that session for the logout form.
"""

from __future__ import annotations

import hashlib
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig

from casefile.api.csrf import SESSION_ID, token_for
from casefile.services import sessions
from casefile.settings import get_settings
from casefile.store.permissions import User

SESSION_COOKIE = "casefile_session"
SESSION_SECONDS = int(sessions.SESSION_LIFETIME.total_seconds())
# Paths that answer without anyone logged in (anchored regular expressions).
PUBLIC_PATHS = ["^/health$", "^/schema", "^/static/", "^/login$", "^/favicon.ico$"]


def derived_key(secret: str, purpose: str) -> bytes:
    """One secret in the settings, an independent key per use."""
    return hashlib.sha256(f"casefile:{purpose}:{secret}".encode()).digest()


def session_config(secret: str, secure: bool = False) -> CookieBackendConfig:
    return CookieBackendConfig(
        secret=derived_key(secret, "session"),
        key=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=secure,
        exclude=PUBLIC_PATHS[:3],
    )


async def visitor(connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[User | None, str]:
    """The logged-in user behind the request's session cookie (None without a live session),
    and the CSRF token of that session ("" without one)."""
    if not any(name.startswith(SESSION_COOKIE) for name in connection.cookies):
        return None, ""
    secret = get_settings().secret_key
    backend = ClientSideSessionBackend(session_config(secret))
    session = await backend.load_from_connection(connection)
    session_id = session.get(SESSION_ID)
    if not session_id:
        return None, ""
    user = await sessions.session_user(str(session_id))
    if user is None:
        return None, ""
    return user, token_for(derived_key(secret, "csrf"), session) or ""
