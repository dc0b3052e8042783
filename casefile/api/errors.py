"""Every error becomes `{"error": message}` with a 4xx status, in this one place.

`CasefileError` subclasses carry their own status (InputError 422, NotFound 404, Conflict 409,
Forbidden 403); Litestar's validation and HTTP errors keep theirs. Anything else is a bug: it is
logged with its traceback and answered with a 500 that says nothing about the internals.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from casefile.api import cookies
from casefile.errors import CasefileError, InvalidFields, Unavailable
from casefile.json_errors import JSON_PATTERNS
from casefile.labels import ROLES
from casefile.store.permissions import User, can

log = logging.getLogger("casefile.api")


def _wants_html(request: Request[Any, Any, Any]) -> bool:
    """Pages answer with HTML, the API (and any client that does not ask for HTML) with JSON.
    A person who followed a page's link into the API with their session (a pièce, a document,
    a bundle to download: a GET asking for HTML) gets the error as a page too, not raw JSON."""
    if "text/html" not in request.headers.get("accept", ""):
        return False
    if request.url.path.startswith("/api/"):
        return request.method == "GET" and request.scope.get("auth") == "session"
    return True


# A stable machine code beside the French message (issue 12 item 6): clients test the code,
# people read the message.
CODES = {
    400: "requete_invalide",
    401: "authentification_requise",
    403: "acces_refuse",
    404: "introuvable",
    405: "methode_non_autorisee",
    409: "conflit",
    413: "requete_trop_volumineuse",
    415: "type_de_contenu_non_pris_en_charge",
    422: "donnees_invalides",
    429: "trop_de_requetes",
    500: "erreur_interne",
    503: "service_indisponible",
}
# The page's heading: what happened, in a person's words (the code stays beside it).
TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    409: "Conflit",
    413: "Fichier ou requête trop volumineux",
    415: "Type de contenu non pris en charge",
    422: "Données refusées",
    429: "Trop de requêtes",
    500: "Erreur interne",
    503: "Service indisponible",
}
# Litestar's own English details, in French.
FRENCH_DETAILS = {
    "Not Found": "page ou ressource introuvable",
    "Method Not Allowed": "méthode HTTP non autorisée pour cette adresse",
    "Bad Request": "requête invalide",
    "Unauthorized": "authentification requise",
    "Forbidden": "accès refusé",
    "Request Entity Too Large": "requête trop volumineuse",
    "Too Many Requests": "trop de requêtes : réessayez dans quelques instants",
    "Unsupported Media Type": "type de contenu non pris en charge",
    "CSRF token verification failed": (
        "jeton de sécurité du formulaire (CSRF) invalide ou expiré : rechargez la page et "
        "recommencez"
    ),
    "Internal Server Error": "erreur interne du serveur",
}
_VALIDATION = (
    (re.compile(r"Expected `([^`]+)`, got `([^`]+)`"), r"type attendu : \1, reçu : \2"),
    (re.compile(r"Object missing required field `([^`]+)`"), r"champ obligatoire manquant : \1"),
    (re.compile(r"Object contains unknown field `([^`]+)`"), r"champ inconnu : \1"),
    (
        re.compile(r"Missing required (?:query |path |header |cookie )?parameter '?([^'\s]+)'?"),
        r"paramètre obligatoire manquant : \1",
    ),
    (re.compile(r"Invalid enum value '([^']+)'"), r"valeur non admise : « \1 »"),
    (re.compile(r"Validation failed for (\w+) (\S+)"), r"données invalides pour \1 \2"),
    (re.compile(r"^Invalid date$|Invalid RFC3339 encoded date"), "date invalide (AAAA-MM-JJ)"),
    # msgspec's decoding errors of a JSON body
    *((pattern, "JSON illisible : " + french) for pattern, french in JSON_PATTERNS),
    (re.compile(r"^(?:Integer value|Number) out of range"), "nombre hors limites"),
    (re.compile(r"\(byte (\d+)\)"), r"(octet \1)"),
    # the static files router
    (
        re.compile(r"^no file or directory match the path (.+) was found$"),
        r"aucun fichier « \1 » parmi les fichiers statiques",
    ),
)


def french_detail(status: int, detail: str) -> str:
    if detail in FRENCH_DETAILS:
        return FRENCH_DETAILS[detail]
    for pattern, replacement in _VALIDATION:
        detail = pattern.sub(replacement, detail)
    return detail


def _back(request: Request[Any, Any, Any]) -> str | None:
    """The page the refused form was sent from (its Referer, on this site only, never the
    refused address itself): the error page links back to it, so nothing else is lost."""
    from urllib.parse import urlsplit

    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return None
    back = referer.path + (f"?{referer.query}" if referer.query else "")
    return None if referer.path == request.url.path or back.startswith("//") else back


def _page(
    request: Request[Any, Any, Any],
    status: int,
    message: str,
    user: User | None,
    title: str | None = None,
) -> Template:
    return Template(
        template_name="error.html",
        context={
            "status": status,
            "title": title or TITLES.get(status, "Erreur"),
            "message": message,
            "user": user,
            "back": _back(request),
            "can": lambda action: user is not None and can(user.role, action),
            "role_labels": ROLES,
        },
        status_code=status,
        media_type=MediaType.HTML,
    )


class _VisitorPage(Response[Any]):
    """The error page of a request no route matched (404, 405): no middleware read its session,
    so the visitor is looked up from the cookie when the page is sent (an exception handler
    cannot await), and the page has the navigation of a logged-in user."""

    def __init__(
        self, request: Request[Any, Any, Any], status: int, message: str, title: str | None
    ) -> None:
        super().__init__(content=None, status_code=status, media_type=MediaType.HTML)
        self.request, self.status, self.message, self.title = request, status, message, title

    def to_asgi_response(  # type: ignore[override]
        self, app: Any, request: Request[Any, Any, Any], **kwargs: Any
    ) -> ASGIApp:
        async def send_page(scope: Scope, receive: Receive, send: Send) -> None:
            try:
                user, token = await cookies.visitor(request)
            except Exception:  # an error page never fails for want of its navigation
                log.exception("visitor of %s %s", request.method, request.url.path)
                user, token = None, ""
            ScopeState.from_scope(scope).csrf_token = token
            page = _page(request, self.status, self.message, user, self.title)
            await page.to_asgi_response(app, request, **kwargs)(scope, receive, send)

        return send_page


def _answer(
    request: Request[Any, Any, Any],
    status: int,
    message: str,
    code: str | None = None,
    title: str | None = None,
) -> Response[Any]:
    if _wants_html(request):
        if "session" not in request.scope:
            return _VisitorPage(request, status, message, title)
        return _page(request, status, message, request.scope.get("user"), title)
    return Response(
        content={"error": message, "code": code or CODES.get(status, f"http_{status}")},
        status_code=status,
        media_type=MediaType.JSON,
    )


def _public_name(request: Request[Any, Any, Any] | None, key: object) -> object:
    """The name the client sent: a parameter read from another key
    (`QueryParameter(name="date")` on `piece_date`) is named by that key, not by Python's."""
    if request is None or not isinstance(key, str):
        return key
    try:
        field = request.route_handler.parsed_fn_signature.parameters.get(key)
    except Exception:  # no handler (an unmatched route): the name as Litestar gave it
        return key
    kwarg = getattr(field, "kwarg_definition", None)
    for alias in ("query", "name", "header", "cookie"):
        value = getattr(kwarg, alias, None)
        if isinstance(value, str) and value:
            return value
    return key


def _validation_message(
    exc: ValidationException, request: Request[Any, Any, Any] | None = None
) -> str:
    """Name each faulty field: `body.date: Expected `str`, got `int``."""
    extra = exc.extra
    if isinstance(extra, list) and extra:
        parts = []
        for item in extra:
            if isinstance(item, dict):
                key = _public_name(request, item.get("key"))
                source = item.get("source")
                # Litestar names a parameter's place by an enum (ParamType.QUERY): its value.
                source = getattr(source, "value", source)
                if source == "body" and key == "data":
                    key = None  # the body as a whole (Litestar's name for it), not a field « data »
                where = ".".join(str(p) for p in (source, key) if p)
                what = french_detail(422, str(item.get("message")))
                parts.append(f"{where} : {what}" if where else what)
            else:
                parts.append(french_detail(422, str(item)))
        return "; ".join(parts)
    return french_detail(exc.status_code, str(exc.detail))


def casefile_error(request: Request[Any, Any, Any], exc: CasefileError) -> Response[Any]:
    message = str(exc)
    if exc.public_message is not None:
        # The detail (keys, endpoints, driver text) is for the operator's log only.
        log.warning("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
        message = exc.public_message
    response = _answer(request, exc.http_status, message, exc.code, exc.title)
    if isinstance(exc, InvalidFields) and isinstance(response.content, dict):
        response.content["fields"] = exc.errors  # each field's own message, for a form
    if exc.extra and isinstance(response.content, dict):
        response.content.update({k: v for k, v in exc.extra.items() if k not in ("error", "code")})
    if isinstance(exc, Unavailable):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    return _answer(request, exc.status_code, _validation_message(exc, request))


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, NotAuthorizedException) and _wants_html(request):
        # A browser without a session goes to the login form, then back where it was.
        target = request.url.path
        if request.url.query:
            target += f"?{request.url.query}"
        return Redirect(path="/login", query_params={"next": target})
    response = _answer(request, exc.status_code, french_detail(exc.status_code, str(exc.detail)))
    if isinstance(exc, NotAuthorizedException) and request.url.path.startswith("/api/"):
        response.headers["WWW-Authenticate"] = 'Bearer realm="casefile"'
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    from casefile.store.db import data_error, unavailable

    refused = data_error(exc)
    if refused is not None:
        log.warning(
            "%s %s: value refused by the database: %s", request.method, request.url.path, exc
        )
        return casefile_error(request, refused)
    outage = unavailable(exc)
    if outage is not None:
        # The database does not answer (refused, dropped, locked): 503, retry later.
        log.warning("%s %s: %s", request.method, request.url.path, outage)
        return casefile_error(request, outage)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _answer(request, HTTP_500_INTERNAL_SERVER_ERROR, "erreur interne du serveur")


async def send_error(scope: Scope, receive: Receive, send: Send, error: Exception) -> None:
    """Answer `error` as the route's own exception handling would (its handlers, its type
    encoders, inside the app's middleware), for what the authentication middleware checks and
    answers in the route's place (`auth.allows`, `auth.fast_get`)."""
    route_handler = scope["route_handler"]
    handlers = route_handler.resolve_exception_handlers()
    handler = handlers.get(error.status_code) if isinstance(error, HTTPException) else None
    if handler is None:
        handler = next(handlers[kind] for kind in type(error).__mro__ if kind in handlers)
    request: Request[Any, Any, Any] = Request(scope, receive, send)
    response = handler(request, error)
    await response.to_asgi_response(
        app=None, request=request, type_encoders=route_handler.resolve_type_encoders()
    )(scope, receive, send)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    CasefileError: casefile_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: server_error,
}
