"""Promises to pay (issue 17 item 2): the debtor commits to pay an amount by a date — for one
invoice or the balance — said by someone, received some way (a call, an e-mail, a letter, a
meeting). The promise is a deadline of the case (`promesse_N`: its "À faire", the agenda, the
.ics), suspends the reminder scenario until its date and, broken, moves the scenario to its
next level (`casefile.law.dunning`). Recorded and withdrawn with the case's version, the
recompute and an audit entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from casefile import clock
from casefile.documents.formatting import date_fr
from casefile.errors import Conflict, InputError, InvalidFields, NotFound
from casefile.law.money import cents_text, to_cents
from casefile.services.claims import find_claim
from casefile.services.parties import change_summary
from casefile.services.plausibility import promise_warnings
from casefile.store import audit
from casefile.store.cases import bump_version, resolve_case
from casefile.store.db import atomic
from casefile.store.permissions import User, require
from casefile.store.recompute import outstanding_cents, recompute_case
from casefile.store.tables import PaymentPromise

CHANNELS: Mapping[str, str] = {
    "telephone": "par téléphone",
    "email": "par e-mail",
    "courrier": "par courrier",
    "rendez_vous": "en rendez-vous",
    "autre": "autrement",
}
LABELS = {
    "amount": "montant promis",
    "promised_for": "date promise",
    "made_on": "date de la promesse",
    "made_by": "auteur de la promesse",
    "channel": "reçue",
    "note": "note",
    "invoice": "facture",
}
MAX_TEXT = 300
MAX_NOTE = 2000
MAX_HORIZON_DAYS = 366 * 2  # beyond, it is a payment plan, not a promise


@dataclass(frozen=True)
class PromiseIn:
    amount: Decimal
    promised_for: date
    made_by: str = ""
    channel: str = "telephone"
    note: str = ""
    made_on: date | None = None  # default: today
    invoice: str | None = None  # the invoice's number or id; None: the balance


def _checked(data: PromiseIn, today: date) -> dict[str, Any]:
    errors: dict[str, str] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, f"promesse de paiement, {LABELS[field]} : {message}")

    cents = 0
    try:
        cents = to_cents(data.amount, LABELS["amount"])
    except InputError:
        fail("amount", f"« {data.amount} » : un montant en euros avec deux décimales au plus")
    else:
        if cents <= 0:
            fail("amount", "doit être positif")
        elif cents > 10**14:
            fail("amount", "montant hors limites")
    made_on = data.made_on or today
    if made_on > today:
        fail("made_on", f"le {date_fr(made_on)} est dans le futur")
    if data.promised_for < made_on:
        fail("promised_for", f"le {date_fr(data.promised_for)} précède la promesse")
    elif data.promised_for > made_on + timedelta(days=MAX_HORIZON_DAYS):
        fail("promised_for", "plus de deux ans après la promesse : accordez plutôt un échéancier")
    if data.channel not in CHANNELS:
        fail("channel", f"« {data.channel} » inconnu (choisir : {', '.join(CHANNELS)})")
    made_by = " ".join((data.made_by or "").split())
    if len(made_by) > MAX_TEXT:
        fail("made_by", f"{MAX_TEXT} caractères au plus")
    note = (data.note or "").strip()
    if len(note) > MAX_NOTE:
        fail("note", f"{MAX_NOTE} caractères au plus")
    if errors:
        raise InvalidFields(errors)
    return {
        "amount_cents": cents,
        "promised_for": data.promised_for,
        "made_on": made_on,
        "made_by": made_by,
        "channel": data.channel,
        "note": note,
    }


def view(row: Mapping[str, Any], invoice: str | None = None) -> dict[str, Any]:
    return {
        "amount": cents_text(row["amount_cents"]),
        "promised_for": row["promised_for"].isoformat(),
        "made_on": row["made_on"].isoformat(),
        "made_by": row["made_by"],
        "channel": row["channel"],
        **({"invoice_number": invoice} if invoice else {}),
    }


async def add_promise(
    case: int | str,
    data: PromiseIn,
    actor: User,
    expected_version: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Record a promise; returns its id, the case's version and what it did to the deadlines."""
    require(actor, "payment.write")
    today = today or clock.today()
    values = _checked(data, today)
    async with atomic():
        row = await resolve_case(case, actor)
        claim = None
        if data.invoice not in (None, ""):
            claim = await find_claim(row["id"], row["reference"], str(data.invoice))
        if claim is not None:
            stored = claim.get("outstanding_cents")
            owed = stored if stored is not None else claim["amount_cents"] - claim["paid_cents"]
        else:
            owed = (await outstanding_cents([row["id"]])).get(row["id"], 0)
        warnings = promise_warnings(
            values["amount_cents"], owed, claim["invoice_number"] if claim else None
        )
        inserted = await PaymentPromise.insert(
            PaymentPromise(
                case=row["id"],
                claim=claim["id"] if claim else None,
                recorded_by=actor.name,
                status="en_cours",
                created_at=datetime.now(UTC),
                **values,
            )
        )
        version = await bump_version(row, expected_version)
        changes = await recompute_case(row)
        shown = view(values, claim["invoice_number"] if claim else None)
        await audit.record(
            actor,
            "promise.add",
            "case",
            row["id"],
            None,
            {**shown, "version": version, "changes": change_summary(changes)},
        )
    return {
        **changes,
        "id": inserted[0]["id"],
        "version": version,
        "promise": shown,
        "warnings": warnings,
    }


async def cancel_promise(
    case: int | str,
    promise_id: int,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Withdraw a promise recorded by mistake (or superseded): it no longer suspends anything."""
    require(actor, "payment.write")
    why = " ".join((reason or "").split())[:500]
    async with atomic():
        row = await resolve_case(case, actor)
        current = (
            await PaymentPromise.select()
            .where((PaymentPromise.id == promise_id) & (PaymentPromise.case == row["id"]))
            .first()
        )
        if current is None:
            raise NotFound(f"le dossier {row['reference']} n'a pas de promesse n° {promise_id}")
        if current["status"] == "annulee":
            raise Conflict("cette promesse est déjà annulée")
        await PaymentPromise.update({PaymentPromise.status: "annulee"}).where(
            PaymentPromise.id == promise_id
        )
        version = await bump_version(row, expected_version)
        changes = await recompute_case(row)
        after: dict[str, Any] = {
            "status": "annulee",
            "version": version,
            "changes": change_summary(changes),
        }
        if why:
            after["reason"] = why
        await audit.record(actor, "promise.cancel", "case", row["id"], view(current), after)
    return {**changes, "version": version}
