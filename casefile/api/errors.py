"""Every error becomes `{"error": message}` with a 4xx status, in this one place.

`CasefileError` subclasses carry their own status (InputError 422, NotFound 404, Conflict 409,
Forbidden 403); Litestar's validation and HTTP errors keep theirs. Anything else is a bug: it is
logged with its traceback and answered with a 500 that says nothing about the internals.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from casefile.errors import CasefileError, Unavailable

log = logging.getLogger("casefile.api")


def _wants_html(request: Request[Any, Any, Any]) -> bool:
    """Pages answer with HTML, the API (and any client that does not ask for HTML) with JSON."""
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def _answer(request: Request[Any, Any, Any], status: int, message: str) -> Response[Any]:
    if _wants_html(request):
        return Template(
            template_name="error.html",
            context={"status": status, "message": message},
            status_code=status,
            media_type=MediaType.HTML,
        )
    return Response(content={"error": message}, status_code=status, media_type=MediaType.JSON)


def _validation_message(exc: ValidationException) -> str:
    """Name each faulty field: `body.date: Expected `str`, got `int``."""
    extra = exc.extra
    if isinstance(extra, list) and extra:
        parts = []
        for item in extra:
            if isinstance(item, dict):
                key = item.get("key")
                source = item.get("source")
                where = ".".join(str(p) for p in (source, key) if p)
                parts.append(
                    f"{where}: {item.get('message')}" if where else str(item.get("message"))
                )
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return str(exc.detail)


def casefile_error(request: Request[Any, Any, Any], exc: CasefileError) -> Response[Any]:
    message = str(exc)
    if exc.public_message is not None:
        # The detail (keys, endpoints, driver text) is for the operator's log only.
        log.warning("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
        message = exc.public_message
    response = _answer(request, exc.http_status, message)
    if isinstance(exc, Unavailable):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    return _answer(request, exc.status_code, _validation_message(exc))


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, NotAuthorizedException) and _wants_html(request):
        # A browser without a session goes to the login form, then back where it was.
        target = request.url.path
        if request.url.query:
            target += f"?{request.url.query}"
        return Redirect(path="/login", query_params={"next": target})
    response = _answer(request, exc.status_code, str(exc.detail))
    if isinstance(exc, NotAuthorizedException) and request.url.path.startswith("/api/"):
        response.headers["WWW-Authenticate"] = 'Bearer realm="casefile"'
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    from casefile.store.db import unavailable

    outage = unavailable(exc)
    if outage is not None:
        # The database does not answer (refused, dropped, locked): 503, retry later.
        log.warning("%s %s: %s", request.method, request.url.path, outage)
        return casefile_error(request, outage)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _answer(request, HTTP_500_INTERNAL_SERVER_ERROR, "erreur interne du serveur")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    CasefileError: casefile_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: server_error,
}
