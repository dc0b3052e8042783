"""Payments received after the claim was recorded: add, correct, withdraw (integer cents).

A payment may name the invoice it settles. Each change runs in one transaction with the case's
version, the recompute and an audit entry with before/after; a payment larger than what is
still owed, or on a case without invoices, is recorded with a French warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from casefile import clock
from casefile.errors import InputError, InvalidFields, NotFound
from casefile.law.money import cents_text, from_cents, to_cents
from casefile.services.parties import change_summary
from casefile.services.plausibility import payment_warnings
from casefile.store import audit
from casefile.store.cases import PaymentIn, bump_version, resolve_case
from casefile.store.db import atomic
from casefile.store.permissions import User, require
from casefile.store.recompute import outstanding_cents, recompute_case
from casefile.store.tables import Claim, Payment

LABELS = {
    "date": "date",
    "amount": "montant",
    "reference": "référence",
    "invoice_number": "facture désignée",
}
EDITABLE = tuple(LABELS)
MAX_AMOUNT = Decimal("1000000000000")
MAX_REFERENCE = 100


def _fail(errors: dict[str, str], field: str, message: str) -> None:
    errors.setdefault(field, f"paiement, {LABELS[field]} : {message}")


async def _values(case_id: int, payment: PaymentIn) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cents = 0
    try:
        cents = to_cents(payment.amount, "montant")
    except InputError:
        _fail(errors, "amount", f"« {payment.amount} » : un montant avec deux décimales au plus")
    else:
        if cents <= 0:
            _fail(errors, "amount", "doit être positif")
        elif abs(payment.amount) > MAX_AMOUNT:
            _fail(errors, "amount", "montant hors limites")
    reference = (payment.reference or "").strip()
    if len(reference) > MAX_REFERENCE:
        _fail(errors, "reference", f"{MAX_REFERENCE} caractères au plus")
    claim_id = None
    number = (payment.invoice_number or "").strip()
    if number:
        claim = (
            await Claim.select(Claim.id)
            .where((Claim.case == case_id) & (Claim.invoice_number == number))
            .first()
        )
        if claim is None:
            _fail(
                errors, "invoice_number", f"la facture {number} n'est pas réclamée dans ce dossier"
            )
        else:
            claim_id = claim["id"]
    if errors:
        raise InvalidFields(errors)
    return {"date": payment.date, "amount_cents": cents, "reference": reference, "claim": claim_id}


async def _warnings(case_id: int, amount_cents: int, day: date, today: date | None) -> list[str]:
    """Judged on the state before this payment: `outstanding_cents` already counts it."""
    claims = await Claim.count().where(Claim.case == case_id)
    outstanding = (await outstanding_cents([case_id])).get(case_id, 0) + amount_cents
    return payment_warnings(amount_cents, outstanding, claims, day, today or clock.today())


def _view(row: Mapping[str, Any], numbers: Mapping[int, str]) -> dict[str, Any]:
    return {
        "date": row["date"].isoformat(),
        "amount": cents_text(row["amount_cents"]),
        "reference": row["reference"],
        "invoice_number": numbers.get(row["claim"]) if row["claim"] else None,
    }


async def _numbers(case_id: int) -> dict[int, str]:
    rows = await Claim.select(Claim.id, Claim.invoice_number).where(Claim.case == case_id)
    return {r["id"]: r["invoice_number"] for r in rows}


async def add_payment(
    case: int | str,
    payment: PaymentIn,
    actor: User,
    expected_version: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    require(actor, "payment.write")
    async with atomic():
        row = await resolve_case(case, actor)
        values = await _values(row["id"], payment)
        inserted = await Payment.insert(
            Payment(case=row["id"], created_at=datetime.now(UTC), **values)
        )
        version = await bump_version(row, expected_version)
        changes = await recompute_case(row)
        warnings = await _warnings(row["id"], values["amount_cents"], payment.date, today)
        after: dict[str, Any] = {
            **_view(values, await _numbers(row["id"])),
            "version": version,
        }
        if warnings:
            after["warnings"] = warnings
        await audit.record(actor, "payment.add", "case", row["id"], None, after)
    return {**changes, "version": version, "id": inserted[0]["id"], "warnings": warnings}


async def _find(case_id: int, reference: str, payment_id: int) -> dict[str, Any]:
    found = (
        await Payment.select().where((Payment.case == case_id) & (Payment.id == payment_id)).first()
    )
    if found is None:
        raise NotFound(f"le dossier {reference} n'a pas de paiement n° {payment_id}")
    return dict(found)


async def edit_payment(
    case: int | str,
    payment_id: int,
    changes: Mapping[str, Any],
    actor: User,
    expected_version: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    require(actor, "payment.write")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InputError(f"champ(s) inconnu(s) pour un paiement : {', '.join(unknown)}")
    async with atomic():
        row = await resolve_case(case, actor)
        current = await _find(row["id"], row["reference"], payment_id)
        numbers = await _numbers(row["id"])
        stored = PaymentIn(
            date=current["date"],
            amount=from_cents(current["amount_cents"]),
            invoice_number=numbers.get(current["claim"]) if current["claim"] else None,
            reference=current["reference"],
        )
        names = {f.name for f in fields(PaymentIn)}
        values = await _values(
            row["id"], replace(stored, **{k: v for k, v in changes.items() if k in names})
        )
        before, after = _view(current, numbers), _view(values, numbers)
        keys = [k for k in before if before[k] != after[k]]
        if not keys:
            return {
                "added": [],
                "moved": [],
                "removed": [],
                "changed": [],
                "version": row["version"],
                "id": payment_id,
                "warnings": [],
            }
        await Payment.update({getattr(Payment, k): v for k, v in values.items()}).where(
            Payment.id == payment_id
        )
        version = await bump_version(row, expected_version)
        diff = await recompute_case(row)
        outstanding = (await outstanding_cents([row["id"]])).get(row["id"], 0)
        claims = len(numbers)
        warnings = payment_warnings(
            values["amount_cents"],
            outstanding + values["amount_cents"],
            claims,
            values["date"],
            today or clock.today(),
        )
        await audit.record(
            actor,
            "payment.edit",
            "case",
            row["id"],
            {k: before[k] for k in keys},
            {**{k: after[k] for k in keys}, "version": version, "changes": change_summary(diff)},
        )
    return {**diff, "version": version, "id": payment_id, "warnings": warnings}


async def delete_payment(
    case: int | str,
    payment_id: int,
    actor: User,
    expected_version: int | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    require(actor, "payment.write")
    async with atomic():
        row = await resolve_case(case, actor)
        current = await _find(row["id"], row["reference"], payment_id)
        numbers = await _numbers(row["id"])
        await Payment.delete().where(Payment.id == payment_id)
        version = await bump_version(row, expected_version)
        diff = await recompute_case(row)
        after: dict[str, Any] = {"version": version, "changes": change_summary(diff)}
        if reason and reason.strip():
            after["reason"] = " ".join(reason.split())[:500]
        await audit.record(
            actor, "payment.delete", "case", row["id"], _view(current, numbers), after
        )
    return {**diff, "version": version, "warnings": []}


__all__ = ["PaymentIn", "add_payment", "delete_payment", "edit_payment"]
