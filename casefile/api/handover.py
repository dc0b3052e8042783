"""Handover to litigation (issue 17 item 3): `POST /api/cases/{id}/handover` with
`{"procedure": "injonction_de_payer"}` (or `{}`: the first procedure the advice opens) turns an
amicable file into a litigation case. HTTP only: the use case is `casefile.services.handover`."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, post
from litestar.params import FromPath, JSONBody, Parameter

from casefile import clock
from casefile.api.auth import Actor, allows
from casefile.services.handover import hand_over

Version = Annotated[int | None, Parameter(ge=0, description="refuser si le dossier a changé")]


class HandoverIn(msgspec.Struct, forbid_unknown_fields=True):
    procedure: Annotated[str, msgspec.Meta(max_length=60)] | None = None


class CarriedOut(msgspec.Struct):
    invoices: int
    payments: int
    pieces: int
    mise_en_demeure: str | None
    amicable_events: int


class HandoverOut(msgspec.Struct):
    case: str
    phase: str
    handed_over_on: str
    procedure: str
    procedure_label: str
    court: str | None
    reasons: list[str]
    carried: CarriedOut
    disputed_invoices: list[str]
    notes: list[str]
    deadlines_added: list[str]
    version: int


class HandoverController(Controller):
    path = "/api/cases"
    tags = ("dossiers",)

    @post(
        "/{case_id:str}/handover",
        opt=allows("case.write"),
        status_code=200,
        summary="Transmettre un dossier amiable au contentieux (procédure choisie d'après le conseil)",
    )
    async def handover(
        self,
        case_id: FromPath[str],
        actor: Actor,
        data: JSONBody[HandoverIn],
        expected_version: Version = None,
    ) -> HandoverOut:
        result = await hand_over(
            case_id, actor, data.procedure, clock.today(), expected_version=expected_version
        )
        return msgspec.convert(result, HandoverOut)
