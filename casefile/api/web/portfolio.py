"""The portfolio pages (issue 12 item 4): the case list with search, filters, sorting and
paging (`/dossiers`), its CSV export, and the month agenda of deadlines (`/agenda`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.response import Response, Template

from casefile import clock
from casefile.api.auth import Actor, requires
from casefile.api.portfolio import query_from
from casefile.api.web.pages import page
from casefile.definitions import engine
from casefile.labels import CASE_STATUSES
from casefile.services import agenda as agenda_service
from casefile.services.portfolio import SORT_LABELS, UNASSIGNED, export_csv, people, search
from casefile.services.users import people_names


def _link(params: dict[str, str], **changes: Any) -> str:
    merged = {k: v for k, v in {**params, **{k: str(v) for k, v in changes.items()}}.items() if v}
    return "?" + urlencode(merged)


class PortfolioController(Controller):
    path = "/"
    include_in_schema = False

    @get("/dossiers", guards=[requires("case.read")])
    async def portfolio(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        query = query_from(params)
        found = await search(actor, query, clock.today())
        base = {k: v for k, v in params.items() if k != "page"}
        lawyers = await people("avocat", actor)
        commissaires = await people("commissaire_de_justice", actor)
        shown = [c.get(k) for c in found.items for k in ("lawyer", "commissaire")]
        return page(
            request,
            "portfolio.html",
            found=found,
            params=params,
            procedures={k: p.title for k, p in engine().procedures.items()},
            lawyers=lawyers,
            commissaires=commissaires,
            names=await people_names([*lawyers, *commissaires, *shown]),
            case_statuses=CASE_STATUSES,
            sorts=SORT_LABELS,
            unassigned=UNASSIGNED,
            previous_link=_link(base, page=found.page - 1) if found.page > 1 else None,
            next_link=_link(base, page=found.page + 1) if found.page < found.pages else None,
            sort_link=lambda key: _link(
                base,
                sort=key,
                desc="1" if query.sort == key and not query.descending else "",
            ),
            csv_link="/dossiers/export.csv" + _link(base),
        )

    @get("/dossiers/export.csv", guards=[requires("case.read")])
    async def portfolio_csv(self, request: Request[Any, Any, Any], actor: Actor) -> Response[str]:
        params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        today = clock.today()
        text = await export_csv(actor, query_from(params), today)
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="dossiers-{today.isoformat()}.csv"'
            },
        )

    @get("/agenda", guards=[requires("case.read")])
    async def agenda(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
        today = clock.today()
        month = agenda_service.parse_month(params.get("mois"), today)
        who = params.get("qui")
        if who is None:
            who = actor.name if actor.role in agenda_service.PERSONAL_ROLES else ""
        view = await agenda_service.month(actor, month, who or None, today)
        team = await people("avocat", actor) + await people("commissaire_de_justice", actor)
        return page(
            request,
            "agenda.html",
            view=view,
            who=who,
            people=team,
            names=await people_names([*team, view.who]),
            previous_link=_link({"qui": who}, mois=agenda_service.shift(month, -1)),
            next_link=_link({"qui": who}, mois=agenda_service.shift(month, 1)),
        )


def handlers() -> list[Any]:
    return [PortfolioController]
