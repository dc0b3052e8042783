"""The search page `/recherche` (issue 16 item 2): one box, the matching pièces of the cases
the user may see, with the passage that matched."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from casefile.api.auth import Actor, requires
from casefile.api.web.pages import page
from casefile.services.search import search_pieces


@get("/recherche", guards=[requires("evidence.read")], include_in_schema=False)
async def search_page(request: Request[Any, Any, Any], actor: Actor) -> Template:
    raw = request.query_params.get("q")
    q = raw.strip() if isinstance(raw, str) else ""
    found = await search_pieces(actor, q) if q else None
    return page(request, "search.html", q=q, found=found)
