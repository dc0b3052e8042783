"""Opening a case, and the case-level reads every entry point uses.

Reads come from `casefile.store.cases` (queries); what changes a case lives here and in the
sibling modules (parties, claims, payments, events), each change in one transaction with its
audit entry and the recompute of the deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from casefile.definitions import engine
from casefile.errors import InputError, InvalidFields, shown_on_page
from casefile.labels import court_fr
from casefile.law.suggestions import procedure_of
from casefile.services.claims import add_claim, delete_claim, edit_claim
from casefile.services.events import add_event, delete_event, edit_event
from casefile.services.parties import PartyIn, edit_party, party_row
from casefile.services.payments import add_payment, delete_payment, edit_payment
from casefile.store import audit
from casefile.store.cases import (
    InvoiceIn,
    PaymentIn,
    assign,
    case_deadlines,
    case_deadlines_json,
    claim_statement,
    find_case,
    full_case,
    get_case,
    list_cases,
    phase_of,
    resolve_case,
    user_id,
)
from casefile.store.db import atomic
from casefile.store.permissions import User, require
from casefile.store.recompute import recompute_case
from casefile.store.tables import Case, Party


@dataclass(frozen=True)
class NewCase:
    reference: str
    procedure: str
    court: str | None
    court_department: str
    creditor: PartyIn
    debtor: PartyIn
    lawyer: str | None = None
    commissaire: str | None = None


def _party_rows(case_id: int, data: NewCase, department: str) -> list[Party]:
    """Both parties validated together, so a form shows every faulty field at once."""
    errors: dict[str, str] = {}
    rows: list[Party] = []
    for role, party in (("creditor", data.creditor), ("debtor", data.debtor)):
        try:
            rows.append(party_row(case_id, role, party, department))
        except InvalidFields as error:
            errors |= {f"{role}.{field}": message for field, message in error.errors.items()}
    if errors:
        raise InvalidFields(errors)
    return rows


def _validate_new_case(data: NewCase) -> tuple[str | None, str]:
    """Every faulty field named at once (procedure, court, department, reference and both
    parties), so that a form shows each message beside its field."""
    eng = engine()
    errors: dict[str, str] = {}
    on_page: dict[str, str] = {}  # a page lists the procedures itself (no command, no endpoint)
    court: str | None = data.court
    department: str | None = None
    try:
        procedure = procedure_of(eng.procedures, data.procedure)
    except InputError as error:
        errors["procedure"] = str(error)
        on_page["procedure"] = shown_on_page(error)
    else:
        court = data.court or procedure.default_court
        if procedure.courts and court not in procedure.courts:
            expected = " ou ".join(court_fr(key) for key in procedure.courts)
            errors["court"] = (
                f"juridiction « {court_fr(court)} » impossible pour la procédure "
                f"« {procedure.title} » (attendu : {expected})"
            )
    try:
        department = eng.territories.normalise_department(
            data.court_department, "département de la juridiction"
        )
        eng.territories.for_court(department)
    except InputError as error:
        errors["court_department"] = str(error)
    reference = data.reference.strip()
    if not reference or len(reference) > 100:
        errors["reference"] = (
            f"référence « {data.reference} » : elle doit compter de 1 à 100 caractères"
        )
    # The parties are checked even when the department is refused (it only gives a party its
    # default residence): a form names a missing debtor at once, not after the next attempt.
    try:
        _party_rows(0, data, department or data.court_department)
    except InvalidFields as error:
        errors |= error.errors
    if errors:
        raise InvalidFields(errors, on_page)
    assert department is not None
    return court, department


async def create_case(data: NewCase, actor: User, today: date | None = None) -> dict[str, Any]:
    require(actor, "case.write")
    court, department = _validate_new_case(data)  # and the parties, before the transaction
    reference = data.reference.strip()
    async with atomic(f"la référence de dossier « {reference} » existe déjà"):
        lawyer = await user_id(data.lawyer, "lawyer")
        commissaire = await user_id(data.commissaire, "commissaire", "commissaire_de_justice")
        now = datetime.now(UTC)
        inserted = await Case.insert(
            Case(
                reference=reference,
                procedure=data.procedure,
                court=court,
                court_department=department,
                lawyer=lawyer,
                commissaire=commissaire,
                status="open",
                phase=phase_of(data.procedure),
                version=1,
                warnings=[],
                created_at=now,
                updated_at=now,
            )
        )
        case_id = inserted[0]["id"]
        await Party.insert(*_party_rows(case_id, data, department))
        row = await find_case(case_id)
        await recompute_case(row)
        result = await full_case(await find_case(case_id), today)
        await audit.record(actor, "case.create", "case", case_id, None, _audit_view(result))
    return result


def _audit_view(case: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "reference",
        "procedure",
        "court",
        "court_department",
        "lawyer",
        "commissaire",
        "status",
        "phase",
        "version",
    )
    view = {key: case[key] for key in keys}
    view["creditor"] = case["creditor"]["name"] if case.get("creditor") else None
    view["debtor"] = case["debtor"]
    return view


__all__ = [
    "InvoiceIn",
    "NewCase",
    "PartyIn",
    "PaymentIn",
    "add_claim",
    "add_event",
    "add_payment",
    "assign",
    "case_deadlines",
    "case_deadlines_json",
    "claim_statement",
    "create_case",
    "delete_claim",
    "delete_event",
    "delete_payment",
    "edit_claim",
    "edit_event",
    "edit_party",
    "edit_payment",
    "get_case",
    "list_cases",
    "resolve_case",
]
