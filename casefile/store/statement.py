"""A case's claim statement: the stored invoices and payments through `casefile.law.claims`.

The arithmetic is the pure core's; this module only reads the case and writes the result as
JSON-ready values (money as strings with two decimals).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from casefile.definitions import parameters
from casefile.law import claims as law
from casefile.law.money import from_cents
from casefile.law.parties import Standing, late_payment, split_legal_form, standing
from casefile.law.parties import category_of as _category_of
from casefile.law.wording import date_fr
from casefile.store.tables import Claim, Event, Party, Payment


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


NOTICE_EVENTS = ("mise_en_demeure_envoyee", "assignation_signifiee")
"""What puts the debtor on notice (C. civ. 1344: "une sommation ou un acte portant
interpellation suffisante"): the mise en demeure, and failing one the assignation itself."""


def party_standing(row: dict[str, Any] | None) -> Standing:
    """The standing of a stored party: its `category` when recorded, else derived from the
    older `kind` / `person_or_company` columns (a professional natural person is a sole trader).
    No party recorded: a company (the statement's historical default)."""
    if row is None:
        return standing("societe")
    category = _category_of(row.get("category"), row.get("kind"), row.get("person_or_company"))
    legal_form = row.get("legal_form") or split_legal_form(row.get("name") or "")[1]
    return standing(category, legal_form)


async def notice_date(case_id: int) -> tuple[date | None, str | None]:
    """The first mise en demeure, else the first assignation served: (date, event key)."""
    for key in NOTICE_EVENTS:
        row = await (
            Event.select(Event.date)
            .where((Event.case == case_id) & (Event.key == key))
            .order_by(Event.date)
            .first()
        )
        if row is not None:
            return row["date"], key
    return None, None


def disputed_on(row: dict[str, Any], as_of: date) -> bool:
    """Whether the invoice is contested by the debtor on `as_of` (issue 17 item 2): kept out of
    the statement, the reminders and the pleadings' amounts until the dispute is lifted."""
    return bool(row.get("disputed")) and (
        row.get("disputed_on") is None or row["disputed_on"] <= as_of
    )


def dispute_note(row: dict[str, Any]) -> str:
    since = f" depuis le {date_fr(row['disputed_on'])}" if row.get("disputed_on") else ""
    reason = f" (motif : {row['dispute_reason']})" if row.get("dispute_reason") else ""
    return (
        f"Facture {row['invoice_number']} contestée par le débiteur{since}{reason} : exclue du "
        "décompte, des relances et des actes jusqu'à la fin de la contestation."
    )


def not_due_note(row: dict[str, Any], as_of: date) -> str:
    return (
        f"Facture {row['invoice_number']} non échue au {date_fr(as_of)} (échéance le "
        f"{date_fr(row['due_date'])}) : elle n'est réclamée dans une lettre ou un acte qu'à "
        f"partir du {date_fr(row['due_date'] + timedelta(days=1))}."
    )


async def statement_for(
    case: dict[str, Any], as_of: date, due_only: bool = False
) -> dict[str, Any]:
    """The case's claim statement on `as_of`. `due_only` (the documents): an invoice not yet
    due on `as_of` — its debtor may pay until the end of its due day — is set apart like a
    disputed one, with a note: a letter or a pleading never demands it before its time."""
    case_id = case["id"]
    every_claim = await Claim.select().where(Claim.case == case_id)
    disputed = [row for row in every_claim if disputed_on(row, as_of)]
    not_due = [
        row
        for row in every_claim
        if due_only and not disputed_on(row, as_of) and row["due_date"] >= as_of
    ]
    set_apart = {row["id"] for row in disputed + not_due}
    claims = [row for row in every_claim if row["id"] not in set_apart]
    numbers = {row["id"]: row["invoice_number"] for row in claims}
    # A payment that named a contested invoice stays with it, out of the statement as well.
    payments = [
        row
        for row in await Payment.select().where(Payment.case == case_id)
        if row["claim"] not in set_apart
    ]
    parties = {p["role"]: p for p in await Party.select().where(Party.case == case_id)}
    notice, notice_key = await notice_date(case_id)
    creditor = party_standing(parties.get("creditor"))
    debtor = party_standing(parties.get("debtor"))
    regime = late_payment(creditor, debtor)
    statement = law.claim_statement(
        [
            law.Invoice(
                number=row["invoice_number"],
                issue_date=row["issue_date"],
                due_date=row["due_date"],
                amount_ttc=from_cents(row["amount_cents"]),
                paid=from_cents(row["paid_cents"]),
            )
            for row in claims
        ],
        [
            law.Payment(
                date=row["date"],
                amount=from_cents(row["amount_cents"]),
                invoice=numbers.get(row["claim"]),
            )
            for row in payments
        ],
        as_of,
        rates=parameters(),
        # claims.claim_statement applies L441-10 exactly when the debtor is a professional and
        # the creditor is not an individual rate creditor: fed from the one rule of law.parties.
        debtor_kind="professionnel" if regime.between_professionals else debtor.kind,
        creditor_is_individual=regime.creditor_individual_rate,
        mise_en_demeure_date=notice if regime.regime == "taux_legal" else None,
    )
    notes = (
        [dispute_note(row) for row in disputed]
        + [not_due_note(row, as_of) for row in not_due]
        + list(statement.notes)
    )
    if (
        regime.regime == "taux_legal"
        and notice is not None
        and notice_key == "assignation_signifiee"
    ):
        notes.insert(
            0,
            f"Aucune mise en demeure enregistrée : l'assignation du {date_fr(notice)} vaut "
            "mise en demeure (C. civ. art. 1344) et fait courir les intérêts au taux légal.",
        )
    return {
        "case": case_id,
        "reference": case["reference"],
        "as_of": as_of.isoformat(),
        "debtor_kind": debtor.kind,
        "creditor_category": creditor.category,
        "debtor_category": debtor.category,
        "regime": statement.regime,
        "regime_reason": regime.reason,
        "regime_basis": regime.basis,
        "notice_date": notice.isoformat() if notice else None,
        "notice_event": notice_key,
        "provisional": statement.provisional,
        "missing_semesters": list(statement.missing_semesters),
        "invoices": [
            _jsonable(asdict(b)) | {"total_outstanding": str(b.total_outstanding)}
            for b in statement.invoices
        ],
        "interest_lines": [
            _jsonable(asdict(line)) | {"explanation": line.explanation()}
            for line in statement.interest_lines
        ],
        "imputations": [_jsonable(asdict(i)) for i in statement.imputations],
        "unapplied": str(statement.unapplied),
        "principal_outstanding": str(statement.principal_outstanding),
        "interest": str(statement.interest),
        "interest_outstanding": str(statement.interest_outstanding),
        "indemnities": str(statement.indemnities),
        "total": str(statement.total),
        "notes": notes,
        "disputed": [row["invoice_number"] for row in disputed],
        "not_due": [
            {"invoice_number": row["invoice_number"], "due_date": row["due_date"].isoformat()}
            for row in not_due
        ],
    }
