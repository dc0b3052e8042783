"""Correcting what the bordereau says of a pièce after its upload — its nature (facture,
devis…), its date and its description (the words of its designation) — once for the API and
the case page.

The file is never part of it: its bytes, versions and SHA-256 stay as uploaded (a corrected
file is a new version, never a silent replacement). The correction is one transaction with its
entry in the case's pièce history (`piece.edited`, the values before and after, who, why);
the bordereau, the bundles and the documents read the pièce as it now is.

A corrected nature changes what the pièce is called, nothing its file holds: the invoice
numbers its e-invoice gave it and its Factur-X reading (with the claim it was confirmed as)
stay as they are — the e-invoice is looked for in every PDF pièce, whatever its nature.
"""

from __future__ import annotations

import asyncio
from datetime import date

import msgspec

from casefile.errors import Forbidden
from casefile.evidence import records, service
from casefile.evidence.bundle import designation, piece_title
from casefile.evidence.records import KIND_LABELS, Piece
from casefile.evidence.service import KEEP, DetailsField, Keep
from casefile.store import pieces
from casefile.store.cases import resolve_case
from casefile.store.permissions import User, assigned_only, require

FIELD_LABELS = {"kind": "nature", "date": "date", "description": "désignation"}
"""The French names of the fields a correction changes (messages, audit trail)."""


class PieceDetails(msgspec.Struct, frozen=True):
    """A pièce as the bordereau shows it after a correction, and what the correction changed."""

    id: int
    case_id: int
    number: int | None
    """Pièce n° (its place in the bordereau)."""
    kind: str
    date: date | None
    description: str
    designation: str
    """What the bordereau writes for it: its title (nature, invoice numbers), then its
    description unless the title says it already."""
    sha256: str
    """The current version's fingerprint: unchanged by a correction."""
    changed: list[DetailsField]
    """The fields this correction changed (empty: nothing to change, nothing recorded)."""


async def edit_details(
    piece_id: int,
    actor: User,
    *,
    case: int | str | None = None,
    piece_date: date | Keep | None = KEEP,
    description: str | Keep = KEEP,
    kind: str | Keep = KEEP,
    reason: str = "",
) -> PieceDetails:
    """Correct the nature, the date and/or the description of pièce `piece_id` (of `case`, when
    given) for `actor`, who must see its case and may add pièces to it (a commissaire de
    justice: a pièce they deposited)."""
    require(actor, "evidence.write", f"la pièce id {piece_id}")
    found = await pieces.get_piece(piece_id)
    # The case named (the page's) or else the pièce's own: visible to `actor`, and the
    # pièce's (the evidence service refuses a pièce of another case).
    row = await resolve_case(found.case_id if case is None else case, actor)
    if found.case_id == row["id"] and found.deleted_at is None:  # (else the service's 404/409)
        check_correctable(found, actor)
    loop = asyncio.get_running_loop()
    edit = await asyncio.to_thread(
        service.edit_details,
        pieces.PiccoloPieceRecords(loop),
        piece_id,
        actor=records.Actor(actor.name, actor.role),
        piece_date=piece_date,
        description=description,
        kind=kind,
        reason=reason,
        case_id=row["id"],
    )
    return details_of(edit.piece, list(edit.changed))


def deposited_by_them(piece: Piece, actor: User) -> bool:
    """Whether `actor` may correct `piece`: anyone with evidence.write, except that a
    commissaire de justice corrects only the pièces they deposited (its first version's) — the
    others are the lawyer's or the creditor's, and the bordereau is theirs."""
    return not assigned_only(actor.role) or piece.versions[0].added_by == actor.name


def check_correctable(piece: Piece, actor: User) -> None:
    if not deposited_by_them(piece, actor):
        nature = KIND_LABELS.get(piece.kind, "Pièce")
        raise Forbidden(
            f"la pièce n° {piece.number} ({nature}) n'a pas été déposée par vous : un "
            "commissaire de justice corrige la nature, la date et la désignation des seules "
            "pièces qu'il a déposées (demandez la correction à l'avocat ou au créancier)"
        )


async def correctable_pieces(case_id: int, actor: User) -> set[int] | None:
    """The pièces of the case `actor` may correct: None for all of them (not a commissaire de
    justice), else the ids of those they deposited."""
    if not assigned_only(actor.role):
        return None
    return {p.id for p in await pieces.list_pieces(case_id) if deposited_by_them(p, actor)}


def details_of(piece: Piece, changed: list[DetailsField]) -> PieceDetails:
    return PieceDetails(
        id=piece.id,
        case_id=piece.case_id,
        number=piece.number,
        kind=piece.kind,
        date=piece.date,
        description=piece.description,
        designation=designation(piece_title(piece), piece.description),
        sha256=piece.current.sha256,
        changed=changed,
    )


def changed_fr(details: PieceDetails) -> str:
    """« Pièce n° 3 : nature, date et désignation corrigées. » (or that nothing changed)."""
    names = [FIELD_LABELS[name] for name in details.changed]
    if not names:
        return f"Pièce n° {details.number} : rien à corriger, aucune modification enregistrée."
    what = " et ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    ending = "corrigées" if len(names) > 1 else "corrigée"
    return f"Pièce n° {details.number} : {what} {ending}."
