"""What the database must provide for pièces: values and the `PieceRecords` interface.

The store layer (`casefile/store`, piccolo) implements `PieceRecords`; `memory.MemoryRecords`
is the reference implementation the tests run against. Each mutating method is one transaction
that also appends the given `PieceEvent` to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

CaseId = int
PieceId = int

KIND_LABELS: Mapping[str, str] = {
    "devis": "Devis",
    "bon_de_commande": "Bon de commande",
    "facture": "Facture",
    "contrat": "Contrat",
    "mise_en_demeure": "Mise en demeure",
    "accuse_reception": "Accusé de réception",
    "acte_commissaire": "Acte de commissaire de justice",
    "autre": "Pièce",
}
KINDS = tuple(KIND_LABELS)

DETAILS_CHANGED = (
    "la nature, la date ou la désignation de la pièce n° {number} a été modifiée entre-temps : "
    "rechargez la page et corrigez de nouveau"
)
"""`PieceRecords.set_details`'s refusal when the pièce changed since it was read."""

Action = Literal["added", "versioned", "renumbered", "deleted", "edited"]


@dataclass(frozen=True)
class Actor:
    """Who acts; `role` is one of the users' roles of the store layer."""

    name: str
    role: str


@dataclass(frozen=True)
class NewVersion:
    sha256: str
    size: int
    mime: str
    original_name: str
    """The name as the user gave it, decoded (names.original_name)."""
    safe_name: str
    """The same name made safe for a ZIP or a download header (names.safe_name)."""
    added_at: datetime
    added_by: str
    note: str = ""
    blake3: str | None = None
    """The BLAKE3 digest of the same bytes, computed in the SHA-256's pass at upload: what
    downloads check (faster). None for versions recorded before it existed: those are checked
    against their SHA-256. The SHA-256 alone is the pièce's fingerprint shown to people."""


@dataclass(frozen=True)
class PieceVersion(NewVersion):
    version: int = 1


@dataclass(frozen=True)
class NewPiece:
    case_id: CaseId
    kind: str
    date: date | None
    description: str
    invoices: tuple[str, ...]


@dataclass(frozen=True)
class PieceDetails:
    """What the bordereau says of a pièce besides its number: its date, its description (the
    designation's words) and its nature (`kind`, one of `KINDS`: the designation starts with
    its label). Correctable after the upload; the file is not."""

    date: date | None
    description: str
    kind: str


@dataclass(frozen=True)
class Piece:
    id: PieceId
    case_id: CaseId
    number: int | None
    """Pièce n°; None once deleted (the number it had is in the deletion event)."""
    kind: str
    date: date | None
    description: str
    invoices: tuple[str, ...]
    versions: tuple[PieceVersion, ...]
    deleted_at: datetime | None = None
    deleted_by: str | None = None
    deletion_reason: str | None = None

    @property
    def current(self) -> PieceVersion:
        return self.versions[-1]

    @property
    def details(self) -> PieceDetails:
        return PieceDetails(self.date, self.description, self.kind)


@dataclass(frozen=True)
class PieceEvent:
    """One line of the pièces' audit trail (who, when, what, why)."""

    case_id: CaseId
    piece_id: PieceId | None
    """None only when handed to `create_piece`, which fills it in."""
    action: Action
    at: datetime
    by: str
    reason: str = ""
    details: Mapping[str, object] = field(default_factory=dict)


class PieceRecords(Protocol):
    def create_piece(self, piece: NewPiece, version: NewVersion, event: PieceEvent) -> Piece:
        """Insert a pièce numbered after the case's last live pièce (max + 1, computed inside
        the transaction), with its first version; records `event` with the new piece id."""
        ...

    def add_version(self, piece_id: PieceId, version: NewVersion, event: PieceEvent) -> Piece:
        """Append a version (number = last + 1); earlier versions are kept untouched."""
        ...

    def get_piece(self, piece_id: PieceId) -> Piece:
        """The pièce with all its versions; `NotFound` naming the id when absent."""
        ...

    def list_pieces(self, case_id: CaseId, *, include_deleted: bool = False) -> list[Piece]:
        """The case's pièces ordered by number (deleted ones, if asked, last)."""
        ...

    def set_numbers(
        self, case_id: CaseId, numbers: Mapping[PieceId, int], event: PieceEvent
    ) -> list[Piece]:
        """Give the live pièces their new numbers at once (a unique (case, number) constraint
        must not trip halfway) and record `event`."""
        ...

    def mark_deleted(self, piece_id: PieceId, event: PieceEvent) -> Piece:
        """Set deleted_at/by/reason from `event`, clear the number, keep every version."""
        ...

    def set_details(
        self, piece_id: PieceId, before: PieceDetails, after: PieceDetails, event: PieceEvent
    ) -> Piece:
        """Replace the pièce's date, description and kind (what the bordereau says of it) by
        `after` and record `event`, if they are still `before` (else `Conflict`, nothing written: a
        correction made meanwhile is not overwritten unseen). Its versions (the bytes and their
        hashes) are untouched."""
        ...

    def referenced_objects(self) -> Iterator[tuple[str, int]]:
        """(sha256, size) of every version ever recorded, deleted pièces included."""
        ...

    def recorded_blake3(self) -> Iterator[tuple[str, str]]:
        """(sha256, blake3) of every version recorded with a BLAKE3 digest, deleted pièces
        included (verify checks both digests)."""
        ...

    def history(self, case_id: CaseId) -> list[PieceEvent]:
        """The case's pièce events, oldest first."""
        ...
