"""A case's claim statement: the stored invoices and payments through `casefile.law.claims`.

The arithmetic is the pure core's; this module only reads the case and writes the result as
JSON-ready values (money as strings with two decimals).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from casefile.definitions import parameters
from casefile.law import claims as law
from casefile.law.money import from_cents
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


async def statement_for(case: dict[str, Any], as_of: date) -> dict[str, Any]:
    case_id = case["id"]
    claims = await Claim.select().where(Claim.case == case_id)
    numbers = {row["id"]: row["invoice_number"] for row in claims}
    payments = await Payment.select().where(Payment.case == case_id)
    parties = {p["role"]: p for p in await Party.select().where(Party.case == case_id)}
    notice = await (
        Event.select(Event.date)
        .where((Event.case == case_id) & (Event.key == "mise_en_demeure_envoyee"))
        .order_by(Event.date)
        .first()
    )
    debtor = parties.get("debtor")
    creditor = parties.get("creditor")
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
        debtor_kind=debtor["kind"] if debtor else "professionnel",
        creditor_is_individual=bool(creditor and creditor["person_or_company"] == "personne"),
        mise_en_demeure_date=notice["date"] if notice else None,
    )
    return {
        "case": case_id,
        "reference": case["reference"],
        "as_of": as_of.isoformat(),
        "debtor_kind": statement.debtor_kind,
        "regime": statement.regime,
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
        "notes": list(statement.notes),
    }
