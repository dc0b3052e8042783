"""The audit trail, read by admins: who changed or downloaded what, when, before/after."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import Parameter

from casefile.api.auth import Actor, requires


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
    ) -> list[dict[str, Any]]:
        from casefile.store import audit

        result: list[dict[str, Any]] = await audit.list_entries(actor, limit=limit, entity=entity)
        return result
