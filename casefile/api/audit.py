"""The audit trail, read by admins and lawyers: who did what, when, in a French sentence, with
the before/after of each field; filtered by case, user and dates (issue 12 item 7)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.params import Parameter

from casefile.api.auth import Actor, requires
from casefile.services import audit
from casefile.services.audit import AuditLine


class AuditController(Controller):
    path = "/api/audit"
    tags = ("audit",)
    guards = (requires("audit.read"),)

    @get("/", summary="Journal d'audit (le plus récent d'abord)")
    async def list_entries(
        self,
        actor: Actor,
        limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
        entity: Annotated[str | None, Parameter(max_length=100)] = None,
        case: Annotated[
            str | None, Parameter(max_length=100, description="id ou référence du dossier")
        ] = None,
        user: Annotated[
            str | None, Parameter(max_length=150, description="nom de l'utilisateur")
        ] = None,
        since: Annotated[date | None, Parameter(description="à partir du (AAAA-MM-JJ)")] = None,
        until: Annotated[date | None, Parameter(description="jusqu'au, inclus")] = None,
        before_id: Annotated[
            int | None, Parameter(ge=1, le=2**31 - 1, description="page suivante")
        ] = None,
    ) -> list[AuditLine]:
        return await audit.trail(
            actor,
            case=case,
            user=user,
            since=since,
            until=until,
            entity=entity,
            limit=limit,
            before_id=before_id,
        )
