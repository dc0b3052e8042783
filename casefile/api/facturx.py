"""Factur-X / ZUGFeRD pièces over HTTP (issue 16 item 3): the claim a pièce's e-invoice
proposes, and its confirmation. HTTP only: the use cases are `casefile.services.facturx`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, Parameter

from casefile.api.auth import Actor, allows
from casefile.services import facturx
from casefile.services.facturx import FacturxAccepted, FacturxProposal

PieceNumber = Annotated[int, Parameter(ge=1, le=2**31 - 1, description="n° de la pièce")]
Version = Annotated[int | None, Parameter(ge=0, description="refuser si le dossier a changé")]


class FacturxAccept(msgspec.Struct, forbid_unknown_fields=True):
    """The user's confirmation. The figures come from the e-invoice itself, never from here."""

    due_date: date | None = None
    """Required when the invoice has none (MINIMUM profile); given beside its own, it wins."""
    supply: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    """marchandises | services | travaux"""
    description: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class FacturxController(Controller):
    path = "/api/cases"
    tags = ("pièces",)

    @get(
        "/{case_id:str}/pieces/{number:int}/facturx",
        opt=allows("evidence.read"),
        summary="La facture électronique (Factur-X / ZUGFeRD) d'une pièce et la créance proposée",
        description=(
            "status : facturx (lue), invalid (XML joint inutilisable : message), none (pas de "
            "facture électronique). disagreements : ce qui diffère de la créance enregistrée "
            "sous le même numéro et des parties du dossier."
        ),
    )
    async def proposal(
        self, case_id: FromPath[str], number: PieceNumber, actor: Actor
    ) -> FacturxProposal:
        return await facturx.proposal(case_id, number, actor)

    @post(
        "/{case_id:str}/pieces/{number:int}/facturx/accept",
        opt=allows("claim.write"),
        summary="Créer la créance décrite par la facture électronique et la rattacher à la pièce",
        description=(
            "Si le dossier a déjà une créance de ce numéro, la pièce y est rattachée sans la "
            "modifier (created = false) et les différences sont rendues. 422 si la facture "
            "n'est pas en euros, est un avoir, ou n'a pas de date d'échéance et qu'aucune "
            "n'est donnée ; 409 si la pièce est déjà rattachée."
        ),
    )
    async def accept(
        self,
        case_id: FromPath[str],
        number: PieceNumber,
        actor: Actor,
        data: JSONBody[FacturxAccept | None] = None,
        expected_version: Version = None,
    ) -> FacturxAccepted:
        body = data or FacturxAccept()
        return await facturx.accept(
            case_id,
            number,
            actor,
            due_date=body.due_date,
            supply=body.supply,
            description=body.description,
            expected_version=expected_version,
        )
