"""The report pages (issue 17 item 4): the aged balance `/rapports/balance-agee` with its
filters, a bar per bucket and the CSV export."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.response import Response, Template

from casefile.api.auth import Actor, requires
from casefile.api.web.pages import page
from casefile.services.portfolio import UNASSIGNED, people
from casefile.services.reports import AgedBalanceQuery, aged_balance, export_csv, parse_as_of

FILTERS = ("as_of", "creditor", "debtor", "lawyer")


def _query(request: Request[Any, Any, Any]) -> tuple[AgedBalanceQuery, dict[str, str]]:
    params = {
        k: v.strip()
        for k, v in request.query_params.items()
        if k in FILTERS and isinstance(v, str) and v.strip()
    }
    query = AgedBalanceQuery(
        parse_as_of(params.get("as_of"), date.today()),
        params.get("creditor"),
        params.get("debtor"),
        params.get("lawyer"),
    )
    return query, params


class ReportPagesController(Controller):
    path = "/rapports"
    include_in_schema = False
    guards = (requires("case.read"),)

    @get("/balance-agee")
    async def aged_balance_page(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        query, params = _query(request)
        balance = await aged_balance(actor, query)
        return page(
            request,
            "aged_balance.html",
            balance=balance.as_json(),
            total_cents=balance.total_cents,
            cents={b.key: b.amount_cents for b in balance.buckets},
            params=params,
            lawyers=await people("avocat"),
            unassigned=UNASSIGNED,
            csv_link="/rapports/balance-agee.csv?"
            + urlencode({**params, "as_of": query.as_of.isoformat()}),
        )

    @get("/balance-agee.csv")
    async def aged_balance_csv(
        self, request: Request[Any, Any, Any], actor: Actor
    ) -> Response[str]:
        query, _ = _query(request)
        text = export_csv(await aged_balance(actor, query))
        name = f"balance-agee-{query.as_of.isoformat()}.csv"
        return Response(
            text,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
