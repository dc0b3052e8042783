"""Disputed invoices (issue 17 item 2, the flag): `PUT /api/cases/{id}/claims/{claim}/dispute`
with `{"disputed": true, "reason": "…", "on": "YYYY-MM-DD"}` marks an invoice contested by the
debtor (kept apart in the aged balance); `{"disputed": false}` lifts it. Audited."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, put
from litestar.params import FromPath, JSONBody, Parameter

from casefile.api.auth import Actor, allows
from casefile.services import claims

Version = Annotated[int | None, Parameter(ge=0, description="refuser si le dossier a changé")]
RowId = Annotated[int, Parameter(ge=1, le=2**31 - 1)]


class DisputeIn(msgspec.Struct, forbid_unknown_fields=True):
    disputed: bool
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    on: date | None = None


class DisputeOut(msgspec.Struct):
    id: int
    version: int
    invoice_number: str
    disputed: bool
    dispute_reason: str
    disputed_on: str | None


class DisputeController(Controller):
    path = "/api/cases"
    tags = ("dossiers",)

    @put(
        "/{case_id:str}/claims/{claim_id:int}/dispute",
        opt=allows("claim.write"),
        summary="Marquer une facture contestée (ou lever la contestation)",
    )
    async def set_dispute(
        self,
        case_id: FromPath[str],
        claim_id: RowId,
        actor: Actor,
        data: JSONBody[DisputeIn],
        expected_version: Version = None,
    ) -> DisputeOut:
        result = await claims.set_dispute(
            case_id,
            claim_id,
            actor,
            disputed=data.disputed,
            reason=data.reason,
            on=data.on,
            expected_version=expected_version,
        )
        return msgspec.convert(result, DisputeOut)
