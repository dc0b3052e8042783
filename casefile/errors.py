"""One error hierarchy whose messages name the faulty input.

The CLI turns any `CasefileError` into a one-line message and exit status 2; the API turns it
into a 4xx answer. Nothing else should reach the user as a traceback.
"""

from __future__ import annotations


class CasefileError(Exception):
    """An error the user can act on; `str(error)` is a complete sentence naming the input."""

    http_status = 400
    public_message: str | None = None
    """What an HTTP client is told instead of `str(error)` when the message holds internals
    (object keys, endpoints, driver text); None: the message itself is public."""
    extra: dict[str, object] | None = None
    """Fields the API adds to its JSON answer beside `error` (e.g. the existing pièce of a
    duplicate upload)."""
    code: str | None = None
    """The API's machine code beside the message (`code`); None: the status's own code."""
    title: str | None = None
    """The heading of the error page (a browser's answer); None: the status's own heading."""
    page_message: str | None = None
    """What a web page shows instead of `str(error)` when the message points elsewhere (to a
    command, an endpoint); None: the message itself (`shown_on_page`)."""


class InputError(CasefileError):
    """Malformed or impossible input: a date that does not exist, an unknown key…"""

    http_status = 422


class UnknownChoice(InputError):
    """A key that names none of the choices (a procedure, an event): `str(error)` points to the
    command and the endpoint that list them all; `page_message` is what a page shows instead,
    where its own form lists them (built with the message, never parsed out of it)."""

    def __init__(self, message: str, page_message: str) -> None:
        self.page_message = page_message
        super().__init__(message)


def shown_on_page(error: BaseException) -> str:
    """The message a web page shows for `error`: its own wording when it has one."""
    shown = getattr(error, "page_message", None)
    return shown if isinstance(shown, str) else str(error)


class NotFound(CasefileError):
    """A case, event, pièce or document that does not exist."""

    http_status = 404


class Conflict(CasefileError):
    """A stale version or a duplicate: the stored state was not changed."""

    http_status = 409


class Forbidden(CasefileError):
    """The user's role does not allow this action."""

    http_status = 403


class Unavailable(CasefileError):
    """A service the request needs (database, object store) does not answer: retry later."""

    http_status = 503
    retry_after = 5
    """Seconds a client should wait before retrying (the `Retry-After` header)."""
    public_message = "service momentanément indisponible ; réessayez dans quelques instants"


class DefinitionError(CasefileError):
    """A procedure, calendar or parameter file is invalid; names the file and the key."""

    def __init__(self, origin: str, key: str, message: str) -> None:
        self.origin = origin
        self.key = key
        super().__init__(f"{origin}: {key}: {message}")


class InvalidFields(InputError):
    """Several fields of one form are wrong: `errors` maps each field name to its French message,
    so a page can show each message beside its field (and the API lists them all)."""

    def __init__(self, errors: dict[str, str], on_page: dict[str, str] | None = None) -> None:
        self.errors = dict(errors)
        self.page_errors = {**self.errors, **(on_page or {})}
        """What a page shows beside each field: a field's own wording when its message points
        to a command or an endpoint (`UnknownChoice.page_message`), else `errors`."""
        super().__init__(" ; ".join(self.errors.values()))
