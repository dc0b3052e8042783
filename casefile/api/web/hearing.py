"""The hearing view `/dossiers/{id}/audience` (issue 16 item 5): the pièces in the bordereau's
order with their descriptions, dates and thumbnails, a link that opens each one, and the
dossier de plaidoirie (PDF) and the ZIP to download."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from casefile.api.auth import Actor, requires
from casefile.api.web.pages import page
from casefile.services.previews import hearing_view


@get(
    "/dossiers/{case_id:str}/audience",
    guards=[requires("evidence.read")],
    include_in_schema=False,
)
async def hearing_page(
    request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor
) -> Template:
    view = await hearing_view(case_id, actor)
    return page(request, "hearing.html", view=view)
