"""`GET /api/search?q=TEXT` (DESIGN §4b, issue 16 item 2): the visible pièces whose metadata
match every word of TEXT, each with its case `reference`, its `number` and a highlighted
passage. HTTP only: the search is `casefile.services.search`."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import get
from litestar.params import Parameter

from casefile.api.auth import Actor, allows
from casefile.services.search import search_pieces


@get(
    "/api/search",
    opt=allows("evidence.read"),
    tags=["pièces"],
    summary="Rechercher des pièces (type, description, date, fichier, factures, parties)",
)
async def search(
    actor: Actor,
    q: Annotated[str, Parameter(max_length=200, description="mots cherchés")] = "",
    limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    return (await search_pieces(actor, q, limit)).as_json()
