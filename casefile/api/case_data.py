"""Correcting a case's data (issue 12 item 1): its parties, invoices and payments.

HTTP only: decode the typed body, call the service, encode the typed answer. The changes are
audited and the deadlines recomputed by the services, in one transaction each.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, patch
from litestar.params import FromPath, JSONBody, Parameter

from casefile.api.auth import Actor, allows
from casefile.api.schemas import (
    Changes,
    InvoicePatch,
    PartyEdited,
    PartyOut,
    PartyPatch,
    PaymentPatch,
    changes_out,
    given,
)
from casefile.law.money import parse_amount
from casefile.services import claims, parties, payments
from casefile.store.cases import PARTY_FIELDS

Version = Annotated[int | None, Parameter(ge=0, description="refuser si le dossier a changé")]
Reason = Annotated[str | None, Parameter(max_length=500, description="motif")]
RowId = Annotated[int, Parameter(ge=1, le=2**31 - 1)]


def _amounts(values: dict[str, object]) -> dict[str, object]:
    """Decimal strings → Decimal for the money fields given."""
    out = dict(values)
    for name in ("amount", "paid"):
        if name in out:
            out[name] = parse_amount(out[name], name)
    return out


class CaseDataController(Controller):
    path = "/api/cases"
    tags = ("dossiers",)

    @patch(
        "/{case_id:str}/parties/{role:str}",
        opt=allows("case.write"),
        summary="Modifier le créancier (creditor) ou le débiteur (debtor)",
    )
    async def edit_party(
        self,
        case_id: FromPath[str],
        role: FromPath[str],
        actor: Actor,
        data: JSONBody[PartyPatch],
        expected_version: Version = None,
    ) -> PartyEdited:
        result = await parties.edit_party(
            case_id, role, given(data), actor, expected_version=expected_version
        )
        party = result["party"]
        return PartyEdited(
            party=PartyOut(**{k: party[k] for k in PARTY_FIELDS}),
            version=result["version"],
            changes=result["changes"],
            warnings=result["warnings"],
        )

    @patch(
        "/{case_id:str}/claims/{claim_id:int}",
        opt=allows("claim.write"),
        summary="Corriger une facture",
    )
    async def edit_claim(
        self,
        case_id: FromPath[str],
        claim_id: RowId,
        actor: Actor,
        data: JSONBody[InvoicePatch],
        expected_version: Version = None,
    ) -> Changes:
        result = await claims.edit_claim(
            case_id, claim_id, _amounts(given(data)), actor, expected_version=expected_version
        )
        return changes_out(result)

    @delete(
        "/{case_id:str}/claims/{claim_id:int}",
        opt=allows("claim.write"),
        status_code=200,
        summary="Retirer une facture",
    )
    async def delete_claim(
        self,
        case_id: FromPath[str],
        claim_id: RowId,
        actor: Actor,
        expected_version: Version = None,
        reason: Reason = None,
    ) -> Changes:
        result = await claims.delete_claim(
            case_id, claim_id, actor, expected_version=expected_version, reason=reason
        )
        return changes_out(result)

    @patch(
        "/{case_id:str}/payments/{payment_id:int}",
        opt=allows("payment.write"),
        summary="Corriger un paiement",
    )
    async def edit_payment(
        self,
        case_id: FromPath[str],
        payment_id: RowId,
        actor: Actor,
        data: JSONBody[PaymentPatch],
        expected_version: Version = None,
    ) -> Changes:
        result = await payments.edit_payment(
            case_id, payment_id, _amounts(given(data)), actor, expected_version=expected_version
        )
        return changes_out(result)

    @delete(
        "/{case_id:str}/payments/{payment_id:int}",
        opt=allows("payment.write"),
        status_code=200,
        summary="Retirer un paiement",
    )
    async def delete_payment(
        self,
        case_id: FromPath[str],
        payment_id: RowId,
        actor: Actor,
        expected_version: Version = None,
        reason: Reason = None,
    ) -> Changes:
        result = await payments.delete_payment(
            case_id, payment_id, actor, expected_version=expected_version, reason=reason
        )
        return changes_out(result)


__all__ = ["CaseDataController"]
