"""Errors of the evidence store, in the `CasefileError` hierarchy so the CLI and API map them.

Their messages name keys, endpoints and paths for the operator (CLI, logs); over HTTP they are
answered with `public_message`, which names nothing internal.
"""

from __future__ import annotations

from casefile.errors import CasefileError, NotFound, Unavailable


class IntegrityError(CasefileError):
    """Stored bytes no longer match their SHA-256: the evidence is corrupt and must not be used."""

    http_status = 500
    public_message = (
        "le fichier stocké ne correspond plus à son empreinte SHA-256 : il n'est pas servi ; "
        "l'incident est enregistré (casefile evidence verify le signale)"
    )


class StorageUnavailable(Unavailable):
    """The object store could not be reached or refused the operation; nothing was recorded."""

    public_message = (
        "le stockage des pièces est momentanément indisponible ; rien n'a été enregistré, "
        "réessayez dans quelques instants"
    )


class ObjectMissing(NotFound):
    """A recorded object is absent from the store."""

    public_message = (
        "le fichier demandé est absent du stockage (casefile evidence verify le signale)"
    )


class LinkExpired(CasefileError):
    """A download link past its expiry, or whose signature does not match."""

    http_status = 403
    public_message = "ce lien de téléchargement a expiré ou n'est pas valide"
