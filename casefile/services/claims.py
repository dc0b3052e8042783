"""Invoices claimed in a case: add, correct, withdraw. Amounts incl. VAT, integer cents.

Each change runs in one transaction with the case's version, the recompute (the claim total
decides which procedures and courts are open, hence some deadlines) and an audit entry with the
fields before and after. Messages name the field in French (`InvalidFields`), so a form shows
each beside its input; implausible but valid dates come back as `warnings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from casefile import clock
from casefile.errors import CasefileError, Conflict, InputError, InvalidFields, NotFound
from casefile.law.money import cents_text, from_cents, to_cents
from casefile.law.wording import date_fr
from casefile.services.parties import change_summary
from casefile.services.plausibility import invoice_warnings
from casefile.store import audit
from casefile.store.cases import InvoiceIn, bump_version, resolve_case
from casefile.store.db import atomic
from casefile.store.ledger import refresh_ledger
from casefile.store.permissions import User, require
from casefile.store.recompute import recompute_case
from casefile.store.tables import Claim, Party, Payment

SUPPLIES = {
    "marchandises": "fourniture de marchandises",
    "services": "prestation de services",
    "travaux": "travaux",
}
NATURES = {"contractuelle": "contractuelle"}
LABELS = {
    "invoice_number": "numéro de facture",
    "issue_date": "date d'émission",
    "due_date": "date d'échéance",
    "amount": "montant TTC",
    "paid": "déjà payé",
    "nature": "nature de la créance",
    "supply": "nature de la fourniture",
    "description": "description",
}
EDITABLE = tuple(LABELS)
MAX_AMOUNT = Decimal("1000000000000")  # beyond any real invoice; keeps BIGINT cents safe
MAX_NUMBER = 100
MAX_DESCRIPTION = 2000


def claim_values(invoice: InvoiceIn) -> dict[str, Any]:
    """The `claims` columns for `invoice` (without case and creditor key); every faulty field
    is named at once."""
    errors: dict[str, str] = {}
    number = (invoice.invoice_number or "").strip()

    def fail(field: str, message: str) -> None:
        prefix = f"facture {number}" if number else "facture"
        errors.setdefault(field, f"{prefix}, {LABELS[field]} : {message}")

    if not number:
        fail("invoice_number", "obligatoire")
    elif len(number) > MAX_NUMBER:
        fail("invoice_number", f"{MAX_NUMBER} caractères au plus")
    if invoice.due_date < invoice.issue_date:
        fail(
            "due_date",
            f"le {date_fr(invoice.due_date)} précède la date d'émission "
            f"({date_fr(invoice.issue_date)})",
        )
    if invoice.supply and invoice.supply not in SUPPLIES:
        fail("supply", f"« {invoice.supply} » inconnue (choisir : {', '.join(SUPPLIES)})")
    if invoice.nature not in NATURES:
        fail("nature", f"« {invoice.nature} » inconnue (contractuelle)")
    amount = paid = 0
    for field, value in (("amount", invoice.amount), ("paid", invoice.paid)):
        try:
            cents = to_cents(value, LABELS[field])
        except InputError:
            fail(field, f"« {value} » : un montant en euros avec deux décimales au plus")
            continue
        if abs(value) > MAX_AMOUNT:
            fail(field, "montant hors limites")
        if field == "amount":
            amount = cents
        else:
            paid = cents
    if "amount" not in errors and amount <= 0:
        fail("amount", "doit être positif")
    if "paid" not in errors and "amount" not in errors and not 0 <= paid <= amount:
        fail("paid", "doit être compris entre 0 et le montant de la facture")
    description = (invoice.description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        fail("description", f"{MAX_DESCRIPTION} caractères au plus")
    if errors:
        raise InvalidFields(errors)
    return {
        "invoice_number": number,
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
        "amount_cents": amount,
        "paid_cents": paid,
        "nature": invoice.nature,
        "supply": invoice.supply or None,
        "description": description,
    }


def claim_row(case_id: int, creditor_key: str, invoice: InvoiceIn) -> Claim:
    return Claim(
        case=case_id,
        creditor_key=creditor_key,
        created_at=datetime.now(UTC),
        **claim_values(invoice),
    )


def claim_view(row: Mapping[str, Any]) -> dict[str, Any]:
    """A claim as the audit trail and the API show it (money as decimal strings)."""
    return {
        "invoice_number": row["invoice_number"],
        "issue_date": row["issue_date"].isoformat(),
        "due_date": row["due_date"].isoformat(),
        "amount": cents_text(row["amount_cents"]),
        "paid": cents_text(row["paid_cents"]),
        "nature": row["nature"],
        "supply": row["supply"],
        "description": row["description"],
    }


async def _creditor_key(case_id: int) -> str:
    row = (
        await Party.select(Party.lookup_key)
        .where((Party.case == case_id) & (Party.role == "creditor"))
        .first()
    )
    return row["lookup_key"] if row else ""


def _duplicate(number: str) -> str:
    return f"la facture {number} est déjà réclamée pour ce créancier"


async def _where_claimed(case_id: int, number: str, actor: User) -> Conflict:
    """The refusal of an invoice number this creditor already claims, naming the case that
    holds it when the person may see that case (else only that it exists elsewhere)."""
    key = await _creditor_key(case_id)
    held = (
        await Claim.select(Claim.case)
        .where((Claim.creditor_key == key) & (Claim.invoice_number == number))
        .first()
    )
    if held is None:
        return Conflict(_duplicate(number))
    try:
        other = await resolve_case(held["case"], actor)
    except CasefileError:
        return Conflict(f"{_duplicate(number)}, dans un dossier que vous ne voyez pas")
    if other["id"] == case_id:
        return Conflict(f"la facture {number} figure déjà dans ce dossier")
    return Conflict(f"{_duplicate(number)} dans le dossier {other['reference']}")


async def add_claim(
    case: int | str,
    invoice: InvoiceIn,
    actor: User,
    expected_version: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    require(actor, "claim.write")
    claim_values(invoice)  # refuse bad input before the transaction
    number = invoice.invoice_number.strip()
    try:
        return await _add_claim(case, invoice, actor, expected_version, today)
    except Conflict as refused:
        if str(refused) != _duplicate(number):
            raise
        row = await resolve_case(case, actor)
        raise await _where_claimed(row["id"], number, actor) from refused


async def _add_claim(
    case: int | str,
    invoice: InvoiceIn,
    actor: User,
    expected_version: int | None,
    today: date | None,
) -> dict[str, Any]:
    async with atomic(_duplicate(invoice.invoice_number.strip())):
        row = await resolve_case(case, actor)
        claim = claim_row(row["id"], await _creditor_key(row["id"]), invoice)
        inserted = await Claim.insert(claim)
        version = await bump_version(row, expected_version)
        changes = await recompute_case(row)
        warnings = invoice_warnings(invoice.issue_date, invoice.due_date, today or clock.today())
        after = {
            "invoice_number": claim.invoice_number,
            "amount": str(invoice.amount),
            "paid": str(invoice.paid),
            "version": version,
        }
        if claim.supply:
            after["supply"] = claim.supply
        await audit.record(actor, "claim.add", "case", row["id"], None, after)
    return {**changes, "version": version, "id": inserted[0]["id"], "warnings": warnings}


async def find_claim(case_id: int, reference: str, claim: int | str) -> dict[str, Any]:
    """The claim with this id, or this invoice number, in the case."""
    query = Claim.select().where(Claim.case == case_id)
    found = None
    if isinstance(claim, int) or (isinstance(claim, str) and claim.isascii() and claim.isdigit()):
        found = await query.where(Claim.id == int(claim)).first()
    if found is None and isinstance(claim, str):
        found = (
            await Claim.select()
            .where((Claim.case == case_id) & (Claim.invoice_number == claim.strip()))
            .first()
        )
    if found is None:
        raise NotFound(f"le dossier {reference} n'a pas de facture « {claim} »")
    return dict(found)


def _stored_invoice(row: Mapping[str, Any]) -> InvoiceIn:
    return InvoiceIn(
        invoice_number=row["invoice_number"],
        issue_date=row["issue_date"],
        due_date=row["due_date"],
        amount=from_cents(row["amount_cents"]),
        paid=from_cents(row["paid_cents"]),
        nature=row["nature"],
        supply=row["supply"],
        description=row["description"],
    )


async def edit_claim(
    case: int | str,
    claim: int | str,
    changes: Mapping[str, Any],
    actor: User,
    expected_version: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Correct some fields of an invoice (by id or number); returns the deadline changes."""
    require(actor, "claim.write")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InputError(f"champ(s) inconnu(s) pour une facture : {', '.join(unknown)}")
    number = str(changes.get("invoice_number") or claim).strip()
    async with atomic(_duplicate(number)):
        row = await resolve_case(case, actor)
        current = await find_claim(row["id"], row["reference"], claim)
        names = {f.name for f in fields(InvoiceIn)}
        merged = replace(
            _stored_invoice(current), **{k: v for k, v in changes.items() if k in names}
        )
        values = claim_values(merged)
        changed = {k: v for k, v in values.items() if current[k] != v}
        if not changed:
            return {
                "added": [],
                "moved": [],
                "removed": [],
                "changed": [],
                "version": row["version"],
                "id": current["id"],
                "warnings": [],
            }
        await Claim.update({getattr(Claim, k): v for k, v in changed.items()}).where(
            Claim.id == current["id"]
        )
        version = await bump_version(row, expected_version)
        diff = await recompute_case(row)
        before_view, after_view = claim_view(current), claim_view({**current, **values})
        keys = [k for k in before_view if before_view[k] != after_view[k]]
        await audit.record(
            actor,
            "claim.edit",
            "case",
            row["id"],
            {"invoice_number": current["invoice_number"], **{k: before_view[k] for k in keys}},
            {
                "invoice_number": values["invoice_number"],
                **{k: after_view[k] for k in keys},
                "version": version,
                "changes": change_summary(diff),
            },
        )
    warnings = invoice_warnings(values["issue_date"], values["due_date"], today or clock.today())
    return {**diff, "version": version, "id": current["id"], "warnings": warnings}


MAX_DISPUTE_REASON = 2000


async def set_dispute(
    case: int | str,
    claim: int | str,
    actor: User,
    *,
    disputed: bool,
    reason: str = "",
    on: date | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Mark an invoice disputed by the debtor (reason, date; issue 17 item 2), or lift the
    dispute. A disputed invoice is kept apart in the aged balance and out of the claim total,
    the statement, the pleadings and the reminders until the dispute is lifted."""
    require(actor, "claim.write")
    reason = " ".join((reason or "").split())
    errors: dict[str, str] = {}
    if disputed and not reason:
        errors["dispute_reason"] = "motif de la contestation : obligatoire"
    elif len(reason) > MAX_DISPUTE_REASON:
        errors["dispute_reason"] = (
            f"motif de la contestation : {MAX_DISPUTE_REASON} caractères au plus"
        )
    if errors:
        raise InvalidFields(errors)
    day = (on or today or clock.today()) if disputed else None
    async with atomic():
        row = await resolve_case(case, actor)
        current = await find_claim(row["id"], row["reference"], claim)
        values = {
            "disputed": disputed,
            "dispute_reason": reason if disputed else "",
            "disputed_on": day,
        }
        await Claim.update({getattr(Claim, k): v for k, v in values.items()}).where(
            Claim.id == current["id"]
        )
        await refresh_ledger([row["id"]])
        version = await bump_version(row, expected_version)
        diff = await recompute_case(row)  # the claim total leaves the contested invoice out

        def view(v: Mapping[str, Any]) -> dict[str, Any]:
            return {
                "invoice_number": current["invoice_number"],
                "disputed": bool(v["disputed"]),
                "dispute_reason": v["dispute_reason"],
                "disputed_on": v["disputed_on"].isoformat() if v["disputed_on"] else None,
            }

        await audit.record(
            actor,
            "claim.dispute",
            "case",
            row["id"],
            view(current),
            {**view(values), "version": version, "changes": change_summary(diff)},
        )
    return {"id": current["id"], "version": version, **view(values)}


async def delete_claim(
    case: int | str,
    claim: int | str,
    actor: User,
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Withdraw an invoice; payments that named it stay, imputed on nothing in particular."""
    require(actor, "claim.write")
    async with atomic():
        row = await resolve_case(case, actor)
        current = await find_claim(row["id"], row["reference"], claim)
        orphans = await Payment.count().where(Payment.claim == current["id"])
        await Claim.delete().where(Claim.id == current["id"])
        version = await bump_version(row, expected_version)
        diff = await recompute_case(row)
        after: dict[str, Any] = {"version": version, "changes": change_summary(diff)}
        if reason and reason.strip():
            after["reason"] = " ".join(reason.split())[:500]
        await audit.record(actor, "claim.delete", "case", row["id"], claim_view(current), after)
    warnings = (
        [
            (
                f"1 paiement désignait la facture {current['invoice_number']} : il reste "
                "enregistré, sans facture désignée."
            )
            if orphans == 1
            else f"{orphans} paiements désignaient la facture {current['invoice_number']} : "
            "ils restent enregistrés, sans facture désignée."
        ]
        if orphans
        else []
    )
    return {**diff, "version": version, "warnings": warnings}


__all__ = [
    "SUPPLIES",
    "InvalidFields",
    "InvoiceIn",
    "add_claim",
    "claim_row",
    "claim_values",
    "delete_claim",
    "edit_claim",
    "find_claim",
    "set_dispute",
]
