"""Errors of the evidence store, in the `CasefileError` hierarchy so the CLI and API map them.

Their messages name keys, endpoints and paths for the operator (CLI, logs); over HTTP they are
answered with `public_message`, which names nothing internal.
"""

from __future__ import annotations

from casefile.errors import CasefileError, NotFound, Unavailable


class IntegrityError(CasefileError):
    """Stored bytes no longer match their SHA-256: the evidence is corrupt and must not be used."""

    # 409, not 500: nothing failed in the server. The stored bytes conflict with the
    # fingerprint recorded when they were deposited — a state of the resource that a person
    # resolves (the original deposited again, the backup restored), not a fault to retry
    # (503) nor a bug (500); the dossier de plaidoirie already answers 409 for an altered
    # pièce (`PieceUnusable`). The incident is recorded and logged all the same.
    http_status = 409
    code = "fichier_altere"
    title = "Fichier altéré, non servi"
    public_message = (
        "le fichier stocké ne correspond plus à son empreinte SHA-256 : il n'est pas servi ; "
        "l'incident est enregistré (casefile evidence verify le signale)"
    )


class PieceAltered(IntegrityError):
    """A pièce whose stored bytes fail their fingerprint, refused to the person who asked for
    it: what happened, what was recorded and what to do, in their words."""

    code = "piece_alteree"
    title = "Pièce altérée, non servie"

    def __init__(
        self,
        number: int | None,
        case_reference: str,
        filename: str,
        detail: str,
        *,
        refused: str = "Elle n'a pas été servie.",
        sha256: str = "",
    ):
        super().__init__(detail)
        self.sha256 = sha256
        named = f"La pièce n° {number}" if number is not None else "La pièce"
        shown = f" (« {filename} »)" if filename else ""
        self.public_message = (
            f"{named} du dossier {case_reference}{shown} est altérée : le fichier stocké ne "
            f"correspond plus à l'empreinte enregistrée lors de son dépôt. {refused} "
            "L'incident est enregistré dans le journal d'audit (date, utilisateur, "
            "pièce et empreinte) et « casefile evidence verify » le signale. Que faire : "
            "déposez à nouveau l'original de la pièce depuis la page du dossier (le fichier "
            "identique remplace la copie altérée) et prévenez l'administrateur, qui vérifie "
            "le stockage des pièces."
        )
        self.extra = {"piece": number, "case": case_reference}


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
