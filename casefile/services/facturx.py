"""Factur-X / ZUGFeRD pièces (issue 16 item 3): read the e-invoice a PDF pièce carries, propose
the claim it describes, and create it (or link the pièce to the claim already recorded) once
the user confirms.

The reading is done once per pièce version, right after the upload (`examine_upload`, which
never fails the upload: the pièce is stored first and stays a plain PDF whatever the XML
holds) or on first demand for pièces stored earlier; it is kept in `invoice_readings`, keyed
by the SHA-256 of the bytes read, which were verified against it as they were read.
Disagreements with the case (amount, due date, debtor's name or SIREN) are computed at each
request, against the claims and parties as they are now.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import msgspec

from casefile.errors import Conflict, InputError, InvalidFields, NotFound
from casefile.evidence import facturx
from casefile.evidence.errors import IntegrityError
from casefile.evidence.objects import ObjectStore
from casefile.law.money import CENT, from_cents
from casefile.store import audit
from casefile.store.cases import InvoiceIn, resolve_case
from casefile.store.db import atomic
from casefile.store.permissions import User, require
from casefile.store.tables import Claim, InvoiceReading, Party, Piece, PieceVersion

log = logging.getLogger(__name__)

PDF = "application/pdf"


# -- the answer ---------------------------------------------------------------------------------


class FacturxParty(msgspec.Struct):
    name: str
    siren: str | None
    legal_id: str
    vat_id: str


class LinkedClaim(msgspec.Struct):
    id: int
    invoice_number: str
    issue_date: date
    due_date: date
    amount: Decimal
    paid: Decimal


class FacturxProposal(msgspec.Struct):
    """What a pièce's e-invoice says, the claim it proposes, and how it compares with the case.

    `status`: "facturx" (read), "invalid" (an invoice XML is attached but unusable: `message`),
    "none" (no e-invoice in this pièce). Amounts are decimal strings in the invoice's currency.
    """

    case: str
    piece: int
    piece_id: int
    version: int
    sha256: str
    status: str
    message: str = ""
    details: list[str] = []
    profile: str = ""
    profile_label: str = ""
    attachment: str = ""
    invoice_number: str = ""
    type_code: str = ""
    issue_date: date | None = None
    due_date: date | None = None
    currency: str = ""
    total_without_vat: Decimal | None = None
    total_vat: Decimal | None = None
    total_with_vat: Decimal | None = None
    prepaid: Decimal | None = None
    amount_due: Decimal | None = None
    payment_terms: str = ""
    seller: FacturxParty | None = None
    buyer: FacturxParty | None = None
    warnings: list[str] = []
    existing_claim: LinkedClaim | None = None
    """The case's claim with the same invoice number, if any."""
    disagreements: list[str] = []
    """Where the e-invoice and the case differ (French sentences)."""
    linked_claim_id: int | None = None
    """The claim this pièce was confirmed as (created or linked), if any."""
    can_accept: bool = False
    refusal: str = ""
    """Why the claim cannot be created from this pièce (French), when `can_accept` is false."""


class FacturxAccepted(msgspec.Struct):
    claim_id: int
    created: bool
    """False when the pièce was linked to the claim already recorded for this invoice."""
    invoice_number: str
    piece: int
    version: int
    """The case's version after the change."""
    disagreements: list[str] = []
    warnings: list[str] = []


# -- storing what was read ----------------------------------------------------------------------


_encode = facturx.invoice_json
_decode = facturx.invoice_from_json


def _read_bytes(store: ObjectStore | None, sha256: str, size: int) -> facturx.Reading:
    """Read the object (verified against its hash as it is read) and look for an e-invoice."""
    from casefile.evidence.backends import open_store

    data = b"".join((store or open_store()).open_verified(sha256, size))
    return facturx.read_pdf(data)


@dataclass(frozen=True)
class _Target:
    piece_id: int
    number: int | None
    case_id: int
    version: int
    sha256: str
    size: int
    mime: str


async def _target(piece_id: int) -> _Target:
    piece = await Piece.select().where(Piece.id == piece_id).first()
    if piece is None:
        raise NotFound(f"pièce (id {piece_id}) introuvable")
    current = (
        await PieceVersion.select()
        .where(
            (PieceVersion.piece == piece_id) & (PieceVersion.version == piece["current_version"])
        )
        .first()
    )
    if current is None:
        raise NotFound(f"la pièce id {piece_id} n'a pas de version {piece['current_version']}")
    return _Target(
        piece_id,
        piece["number"],
        piece["case"],
        current["version"],
        current["sha256"],
        current["size"],
        current["mime"] or "",
    )


async def _stored(piece_id: int, version: int) -> dict[str, Any] | None:
    row = (
        await InvoiceReading.select()
        .where((InvoiceReading.piece == piece_id) & (InvoiceReading.version == version))
        .output(load_json=True)
        .first()
    )
    return dict(row) if row else None


async def _note_invoice(piece_id: int, number: str, issued: date | None = None) -> None:
    """Add `number` to the pièce's invoice numbers (once) and, when the pièce has no date yet,
    give it the invoice's issue date (the bordereau dates each pièce)."""
    piece = (
        await Piece.select(Piece.invoice_numbers, Piece.date)
        .where(Piece.id == piece_id)
        .output(load_json=True)
        .first()
    )
    if piece is None:
        return
    numbers = list(piece["invoice_numbers"] or [])
    changes: dict[Any, Any] = {}
    if number not in numbers:
        changes[Piece.invoice_numbers] = [*numbers, number]
    if issued is not None and piece["date"] is None:
        changes[Piece.date] = issued
    if changes:
        await Piece.update(changes).where(Piece.id == piece_id)


async def examine(piece_id: int, store: ObjectStore | None = None) -> dict[str, Any]:
    """The reading of the pièce's current version (read and stored now if it was not yet).
    A PDF over `facturx.MAX_PDF_BYTES`, or any other file, is recorded as holding none."""
    target = await _target(piece_id)
    found = await _stored(piece_id, target.version)
    if found is not None:
        return found
    if target.mime == PDF and target.size <= facturx.MAX_PDF_BYTES:
        reading = await asyncio.to_thread(_read_bytes, store, target.sha256, target.size)
    else:
        reading = facturx.Reading("none")
    row = InvoiceReading(
        piece=piece_id,
        version=target.version,
        sha256=target.sha256,
        status=reading.status,
        profile=reading.profile,
        attachment=reading.attachment,
        invoice=_encode(reading.invoice),
        message=reading.message,
        details=list(reading.details),
        claim=None,
        examined_at=datetime.now(UTC),
    )
    try:
        async with atomic():
            await InvoiceReading.insert(row)
            if reading.invoice is not None:
                # The pièce is that invoice: search and the bordereau know it at once.
                invoice = reading.invoice
                await _note_invoice(piece_id, invoice.number, invoice.issue_date)
    except Conflict:
        pass  # examined meanwhile by another request: its row is the same reading
    stored = await _stored(piece_id, target.version)
    assert stored is not None
    return stored


async def examine_upload(piece_id: int, store: ObjectStore | None = None) -> dict[str, Any] | None:
    """After an upload: the e-invoice summary for the flash message and the API answer, or
    None when the pièce holds none. Never raises: the pièce is already stored and stays so."""
    try:
        row = await examine(piece_id, store)
    except Exception:
        log.exception("reading the e-invoice of pièce id %s failed", piece_id)
        return None
    if row["status"] == "none":
        return None
    invoice = _decode(row["invoice"])
    return {
        "status": row["status"],
        "profile": facturx.PROFILES.get(row["profile"], row["profile"]),
        "invoice_number": invoice.number if invoice else None,
        "message": row["message"],
        "notice": upload_notice(row, invoice),
    }


def upload_notice(row: dict[str, Any], invoice: facturx.Invoice | None) -> str:
    """One French sentence for the page that received the upload."""
    if invoice is None:
        return str(row["message"])
    return (
        f"Facture électronique Factur-X (profil {invoice.profile_label}) détectée : facture "
        f"{invoice.number} de {facturx.money_fr(invoice.total_with_vat, invoice.currency)} TTC. "
        "Vérifiez-la pour créer la créance."
    )


# -- the proposal -------------------------------------------------------------------------------


async def _piece_by_number(case_id: int, reference: str, number: int) -> dict[str, Any]:
    row = (
        await Piece.select()
        .where((Piece.case == case_id) & (Piece.number == number) & (Piece.deleted == False))  # noqa: E712
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(f"le dossier {reference} n'a pas de pièce n° {number}")
    return dict(row)


async def _party(case_id: int, role: str) -> facturx.RecordedParty | None:
    row = (
        await Party.select(Party.name, Party.siren)
        .where((Party.case == case_id) & (Party.role == role))
        .first()
    )
    return facturx.RecordedParty(row["name"], row["siren"]) if row else None


async def _claim_by_number(case_id: int, number: str) -> dict[str, Any] | None:
    row = (
        await Claim.select()
        .where((Claim.case == case_id) & (Claim.invoice_number == number))
        .first()
    )
    return dict(row) if row else None


def _linked(row: dict[str, Any]) -> LinkedClaim:
    return LinkedClaim(
        id=row["id"],
        invoice_number=row["invoice_number"],
        issue_date=row["issue_date"],
        due_date=row["due_date"],
        amount=from_cents(row["amount_cents"]),
        paid=from_cents(row["paid_cents"]),
    )


def _recorded(row: dict[str, Any]) -> facturx.RecordedClaim:
    return facturx.RecordedClaim(
        invoice_number=row["invoice_number"],
        issue_date=row["issue_date"],
        due_date=row["due_date"],
        amount=from_cents(row["amount_cents"]),
        paid=from_cents(row["paid_cents"]),
    )


def _refusal(invoice: facturx.Invoice) -> str:
    if invoice.currency != "EUR":
        return (
            f"La facture est libellée en {invoice.currency} : casefile tient les créances en euros "
            "et ne convertit pas ; saisissez la créance en euros vous-même, au cours que vous "
            "pouvez justifier."
        )
    if invoice.is_credit_note:
        return "Ce document est un avoir : il ne fonde pas une créance."
    if invoice.amount_due <= 0:
        return "La facture ne laisse rien à payer (net à payer nul)."
    for label, amount in (("total TTC", invoice.total_with_vat), ("déjà payé", invoice.prepaid)):
        if amount != amount.quantize(CENT):
            return (
                f"Le {label} de la facture ({amount}) a plus de deux décimales : la créance, en "
                "euros et centimes, ne peut pas en être créée telle quelle."
            )
    return ""


def _party_out(party: facturx.InvoiceParty) -> FacturxParty:
    return FacturxParty(party.name, party.siren, party.legal_id, party.vat_id)


async def proposal(
    case: int | str, number: int, actor: User, store: ObjectStore | None = None
) -> FacturxProposal:
    """What the pièce n° `number` of the case says as an e-invoice, and the claim it proposes."""
    row = await resolve_case(case, actor)
    piece = await _piece_by_number(row["id"], row["reference"], number)
    try:
        reading = await examine(piece["id"], store)
    except IntegrityError as error:
        target = await _target(piece["id"])
        await audit.record_integrity_incident(
            actor, "piece", f"{row['id']}:{piece['id']}", target.sha256, str(error)
        )
        raise
    base = FacturxProposal(
        case=row["reference"],
        piece=number,
        piece_id=piece["id"],
        version=reading["version"],
        sha256=reading["sha256"],
        status=reading["status"],
        message=reading["message"]
        or (
            "Cette pièce ne contient pas de facture électronique Factur-X / ZUGFeRD."
            if reading["status"] == "none"
            else ""
        ),
        details=list(reading["details"] or []),
        profile=reading["profile"],
        profile_label=facturx.PROFILES.get(reading["profile"], reading["profile"]),
        attachment=reading["attachment"],
        linked_claim_id=reading["claim"],
    )
    invoice = _decode(reading["invoice"])
    if invoice is None:
        base.refusal = base.message
        return base
    existing = await _claim_by_number(row["id"], invoice.number)
    found = facturx.disagreements(
        invoice,
        _recorded(existing) if existing else None,
        await _party(row["id"], "debtor"),
        await _party(row["id"], "creditor"),
    )
    refusal = _refusal(invoice)
    if not refusal and reading["claim"] is not None:
        linked = (
            await Claim.select(Claim.invoice_number).where(Claim.id == reading["claim"]).first()
        )
        refusal = (
            f"La pièce est déjà rattachée à la créance {linked['invoice_number']}."
            if linked
            else "La pièce est déjà rattachée à une créance."
        )
    return msgspec.structs.replace(
        base,
        invoice_number=invoice.number,
        type_code=invoice.type_code,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        total_without_vat=invoice.total_without_vat,
        total_vat=invoice.total_vat,
        total_with_vat=invoice.total_with_vat,
        prepaid=invoice.prepaid,
        amount_due=invoice.amount_due,
        payment_terms=invoice.payment_terms,
        seller=_party_out(invoice.seller),
        buyer=_party_out(invoice.buyer),
        warnings=list(invoice.warnings),
        existing_claim=_linked(existing) if existing else None,
        disagreements=found,
        can_accept=not refusal,
        refusal=refusal,
    )


# -- confirming ---------------------------------------------------------------------------------


async def accept(
    case: int | str,
    number: int,
    actor: User,
    *,
    due_date: date | None = None,
    supply: str | None = None,
    description: str | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    store: ObjectStore | None = None,
) -> FacturxAccepted:
    """Create the claim the pièce's e-invoice describes and link it to the pièce; when the case
    already has a claim of that invoice number, link the pièce to it instead (nothing of the
    claim changes) and return where they disagree. `due_date` is needed when the invoice has
    none (MINIMUM profile); given beside the invoice's own, it wins."""
    from casefile.services import claims

    require(actor, "claim.write")
    current = await proposal(case, number, actor, store)
    invoice = _decode((await examine(current.piece_id, store))["invoice"])
    if invoice is None:
        raise InputError(current.refusal or current.message)
    if not current.can_accept:
        raise Conflict(current.refusal) if current.linked_claim_id else InputError(current.refusal)
    description_text = (description or "").strip() or (
        f"Facture électronique Factur-X {invoice.number} (pièce n° {number})"
    )
    existing = current.existing_claim
    async with atomic(f"la facture {invoice.number} est déjà réclamée pour ce créancier"):
        row = await resolve_case(case, actor)
        if existing is None:
            due = due_date or invoice.due_date
            if due is None:
                raise InvalidFields(
                    {
                        "due_date": "date d'échéance : obligatoire (la facture électronique, "
                        f"profil {invoice.profile_label}, n'en porte pas)"
                    }
                )
            added = await claims.add_claim(
                row["id"],
                InvoiceIn(
                    invoice_number=invoice.number,
                    issue_date=invoice.issue_date,
                    due_date=due,
                    amount=invoice.total_with_vat,
                    paid=invoice.prepaid,
                    supply=supply or None,
                    description=description_text,
                ),
                actor,
                expected_version=expected_version,
                today=today,
            )
            claim_id, version, warnings = added["id"], added["version"], added["warnings"]
        else:
            claim_id, version, warnings = existing.id, row["version"], []
        await InvoiceReading.update({InvoiceReading.claim: claim_id}).where(
            (InvoiceReading.piece == current.piece_id) & (InvoiceReading.version == current.version)
        )
        await _note_invoice(current.piece_id, invoice.number)
        await audit.record(
            actor,
            "facturx.accept",
            "case",
            row["id"],
            None,
            {
                "piece": number,
                "sha256": current.sha256,
                "profile": invoice.profile,
                "invoice_number": invoice.number,
                "claim_id": claim_id,
                "created": existing is None,
                "disagreements": current.disagreements,
            },
        )
    after = await proposal(case, number, actor, store)
    return FacturxAccepted(
        claim_id=claim_id,
        created=existing is None,
        invoice_number=invoice.number,
        piece=number,
        version=version,
        disagreements=after.disagreements,
        warnings=list(warnings),
    )
