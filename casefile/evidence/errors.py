"""Errors of the evidence store, in the `CasefileError` hierarchy so the CLI and API map them."""

from __future__ import annotations

from casefile.errors import CasefileError, NotFound


class IntegrityError(CasefileError):
    """Stored bytes no longer match their SHA-256: the evidence is corrupt and must not be used."""

    http_status = 500


class StorageUnavailable(CasefileError):
    """The object store could not be reached or refused the operation; nothing was recorded."""

    http_status = 503


class ObjectMissing(NotFound):
    """A recorded object is absent from the store."""


class LinkExpired(CasefileError):
    """A download link past its expiry, or whose signature does not match."""

    http_status = 403
