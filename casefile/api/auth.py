"""Who is calling, and may they: bearer tokens, session cookies, CSRF and role guards.

- `/api/…` accepts `Authorization: Bearer <token>` (tokens from `casefile user add … --token`).
  A browser session also reads the API (GET), but never mutates it: the API is excluded from
  the CSRF check, so a cookie alone must not be able to change anything there.
- Pages use a session held by the server (`casefile.services.sessions`): the signed, encrypted
  cookie carries only its id; logout and deactivation delete it. Their forms carry a CSRF
  token bound to that session (`casefile.api.csrf`).
- Roles are checked per route, against `casefile.store.permissions`: by the authentication
  middleware from the route's `opt=allows(action)` (API routes), or by the guard
  `requires(action)`. Which cases a commissaire de justice sees is the store's business (it
  raises NotFound or Forbidden).
- A bearer request to `/api/` never touches the cookie session (it is neither read nor
  written: `session_middleware`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.middleware import (
    AbstractAuthenticationMiddleware,
    AuthenticationResult,
    DefineMiddleware,
)

from casefile.api import errors, limits
from casefile.api.cookies import PUBLIC_PATHS, derived_key, session_config
from casefile.api.csrf import SESSION_ID, SessionCsrfMiddleware
from casefile.labels import refused_fr
from casefile.services import sessions
from casefile.store.permissions import User, can

if TYPE_CHECKING:
    from litestar.handlers.base import BaseRouteHandler
    from litestar.types import ASGIApp, Guard, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_middleware(secret: str, secure: bool = False) -> Callable[[ASGIApp], ASGIApp]:
    """The cookie session, except on a request to `/api/` that sends `Authorization`: there
    `BearerOrSession` authenticates by the header alone and never looks at the session, and
    the CSRF check is off, so reading the cookie (and writing it back) would only cost time."""
    with_session = session_config(secret, secure).middleware

    def factory(app: ASGIApp) -> ASGIApp:
        session_app = with_session(app)

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == ScopeType.HTTP and scope["path"].startswith("/api/"):
                for name, _ in scope["headers"]:
                    if name == b"authorization":
                        await app(scope, receive, send)
                        return
            await session_app(scope, receive, send)

        return middleware

    return factory


def csrf_middleware(secret: str) -> SessionCsrfMiddleware:
    # The JSON API authenticates mutations by bearer token only (see BearerOrSession).
    return SessionCsrfMiddleware(derived_key(secret, "csrf"))


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


ALLOWS = "casefile_allows"
"""The route's `opt` key naming the action its caller's role must be allowed (`allows`)."""
FAST_GET = "casefile_fast_get"
"""The route's `opt` key of its fast answer (`fast_get`)."""

FastGet = Callable[[dict[str, Any], User], Awaitable[bytes]]
JSON_START = (b"content-type", b"application/json")  # as Litestar's Response(media_type=JSON)


def allows(action: str, **opt: Any) -> dict[str, Any]:
    """A route's `opt`: 403 unless the caller's role may perform `action` (STORE_API
    permissions), checked by the authentication middleware — the rule of `requires(action)`
    without a guard (Litestar copies the route handler for every guard it runs)."""
    can("admin", action)  # an unknown action fails when the route is declared
    return {**opt, ALLOWS: action}


def fast_get(answer: FastGet, **opt: Any) -> dict[str, Any]:
    """A route's `opt`: a GET without query string is answered by `answer(path_params, user)`,
    the route's JSON body as bytes, from the authentication middleware once the caller is
    known and allowed — no signature parsing, dependency or response object. Anything else
    (a query string, HEAD, a NUL in the path) goes to the route handler, which must give the
    same answer; an error is answered by the route's own exception handlers."""
    return {**opt, FAST_GET: answer}


class CheckedIds(BearerOrSession):
    """Authentication, then (on every request, authenticated or not) the route's `allows`
    action and its `fast_get` answer."""

    def __init__(self, app: ASGIApp, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.route_app = app
        self.app = self.checked  # what AbstractAuthenticationMiddleware calls once done

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        result = await super().authenticate_request(connection)
        ids_in_range(connection)
        return result

    async def checked(self, scope: Scope, receive: Receive, send: Send) -> None:
        route_handler = scope.get("route_handler")
        opt = route_handler.opt if route_handler is not None else {}
        action = opt.get(ALLOWS)
        answer = opt.get(FAST_GET)
        if action is None and answer is None:
            await self.route_app(scope, receive, send)
            return
        try:
            if action is not None:
                permitted(scope.get("user"), action)
            if (
                answer is not None
                and scope.get("method") == "GET"
                and not scope.get("query_string")
                and not limits.nul_in_path(scope)
            ):
                body = await answer(scope["path_params"], scope["user"])
            else:
                body = None
        except Exception as error:
            await errors.send_error(scope, receive, send, error)
            return
        if body is None:
            await self.route_app(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [JSON_START, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})


def permitted(user: User | None, action: str) -> None:
    """401 without a caller, 403 unless their role may perform `action`."""
    if user is None:
        raise NotAuthorizedException("authentification requise : Authorization: Bearer <jeton>")
    if not can(user.role, action):
        raise PermissionDeniedException(refused_fr(user.role, action))


def requires(action: str) -> Guard:
    """A guard: 403 unless the caller's role may perform `action` (STORE_API permissions)."""

    # async: Litestar sends a synchronous guard to a thread pool on every request.
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        permitted(connection.scope.get("user"), action)

    guard.__name__ = f"requires_{action.replace('.', '_')}"
    return guard


async def provide_actor(request: Request[Any, Any, Any]) -> User:
    """The authenticated user, as the `actor` argument of the store's services."""
    user: User = request.user
    return user
