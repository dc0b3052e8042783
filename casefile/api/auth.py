"""Who is calling, and may they: bearer tokens, session cookies, CSRF and role guards.

- `/api/…` accepts `Authorization: Bearer <token>` (tokens from `casefile user add … --token`).
  A browser session also reads the API (GET), but never mutates it: the API is excluded from
  the CSRF check, so a cookie alone must not be able to change anything there.
- Pages use a session held by the server (`casefile.services.sessions`): the signed, encrypted
  cookie carries only its id; logout and deactivation delete it. Their forms carry a CSRF
  token bound to that session (`casefile.api.csrf`).
- Roles are checked per route with `requires(action)`, against `casefile.store.permissions`.
  Which cases a commissaire de justice sees is the store's business (it raises NotFound or
  Forbidden).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.middleware import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
    DefineMiddleware,
)
from litestar.middleware.session.client_side import CookieBackendConfig

from casefile.api.csrf import SESSION_ID, SessionCsrfMiddleware
from casefile.services import sessions
from casefile.store.permissions import User, can

if TYPE_CHECKING:
    from litestar.handlers.base import BaseRouteHandler
    from litestar.types import Guard

SESSION_COOKIE = "casefile_session"
SESSION_SECONDS = int(sessions.SESSION_LIFETIME.total_seconds())
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Paths that answer without anyone logged in (anchored regular expressions).
PUBLIC_PATHS = ["^/health$", "^/schema", "^/static/", "^/login$", "^/favicon.ico$"]


def _derived_key(secret: str, purpose: str) -> bytes:
    """One secret in the settings, an independent key per use."""
    return hashlib.sha256(f"casefile:{purpose}:{secret}".encode()).digest()


def session_config(secret: str, secure: bool = False) -> CookieBackendConfig:
    return CookieBackendConfig(
        secret=_derived_key(secret, "session"),
        key=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=secure,
        exclude=PUBLIC_PATHS[:3],
    )


def csrf_middleware(secret: str) -> SessionCsrfMiddleware:
    # The JSON API authenticates mutations by bearer token only (see BearerOrSession).
    return SessionCsrfMiddleware(_derived_key(secret, "csrf"))


class BearerOrSession(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        from casefile.store import users

        header = connection.headers.get("authorization")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise NotAuthorizedException("en-tête Authorization attendu : Bearer <jeton>")
            user = await users.authenticate_token(token.strip())
            if user is None:
                raise NotAuthorizedException("jeton inconnu, expiré ou révoqué")
            return AuthenticationResult(user=user, auth="token")
        session = connection.scope.get("session")
        session_id = session.get(SESSION_ID) if isinstance(session, dict) else None
        if session_id:
            is_api = connection.url.path.startswith("/api/")
            if is_api and connection.scope.get("method", "GET") not in SAFE_METHODS:
                raise NotAuthorizedException(
                    "les modifications par l'API exigent un jeton : Authorization: Bearer <jeton>"
                )
            # Checked against the table on every request: logged out, expired or deactivated
            # is refused at once.
            user = await sessions.session_user(str(session_id))
            if user is not None:
                return AuthenticationResult(user=user, auth="session")
        raise NotAuthorizedException("authentification requise : Authorization: Bearer <jeton>")


Actor = NamedDependency[User]
"""A handler's `actor: Actor` argument: the authenticated user, for the store's services."""


def auth_middleware() -> DefineMiddleware:
    # OPTIONS too: Litestar's automatic OPTIONS handlers run the route's guards, which need
    # a user (there is no cross-origin use to preflight).
    return DefineMiddleware(CheckedIds, exclude=PUBLIC_PATHS, exclude_http_methods=())


ID_LABELS = {
    "case": "dossier",
    "piece": "pièce",
    "document": "document",
    "claim": "facture",
    "payment": "paiement",
    "event": "événement",
    "action": "relance",
    "promise": "promesse",
    "task": "tâche",
    "feed": "abonnement",
    "token": "jeton",
    "court": "juridiction",
    "plan": "échéancier",
}
"""How a 404 names what an out-of-range `…_id` path parameter pointed to."""
MAX_ID = 2_147_483_647  # PostgreSQL `integer`: a larger id can only be "not found"


def ids_in_range(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """An integer `…_id` path parameter the database cannot even represent (`{piece_id:int}`,
    `{feed_id:int}`…) is a 404, not a driver error. Text ids such as `{case_id:str}` need
    none: the store reads what is no valid id as a reference. Checked by the authentication
    middleware once the caller is known (every route with such a parameter needs a login),
    not by an app-wide guard: Litestar copies the route handler for every guard it runs."""
    from casefile.errors import NotFound

    for name, value in connection.path_params.items():
        if name.endswith("_id") and type(value) is int and not 0 < value <= MAX_ID:
            what = ID_LABELS.get(name.removesuffix("_id"), "ressource")
            raise NotFound(f"{what} (id {value}) introuvable")


class CheckedIds(BearerOrSession):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        result = await super().authenticate_request(connection)
        ids_in_range(connection)
        return result


def requires(action: str) -> Guard:
    """A guard: 403 unless the caller's role may perform `action` (STORE_API permissions)."""

    # async: Litestar sends a synchronous guard to a thread pool on every request.
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if user is None:
            raise NotAuthorizedException("authentification requise : Authorization: Bearer <jeton>")
        if not can(user.role, action):
            raise PermissionDeniedException(
                f"le rôle {user.role} ne permet pas cette action ({action})"
            )

    guard.__name__ = f"requires_{action.replace('.', '_')}"
    return guard


async def provide_actor(request: Request[Any, Any, Any]) -> User:
    """The authenticated user, as the `actor` argument of the store's services."""
    user: User = request.user
    return user
