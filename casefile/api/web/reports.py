"""The report pages (issue 17 item 4), each with its SVG chart (`charts.py`) and its CSV:

    /rapports                         the list of reports
    /rapports/balance-agee            aged balance (filters: date, creditor, debtor, lawyer)
    /rapports/balance-agee/groupes    the same per creditor, debtor or lawyer (`by`)
    /rapports/dso                     DSO, count-back method
    /rapports/contentieux             amounts in litigation by procedure and last act
    /rapports/recouvrement            recovery rate and average time per procedure

Each `…/x` page has its `…/x.csv` (`;`, decimal comma, BOM for French Excel)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.response import Response, Template

from casefile import clock
from casefile.api.auth import Actor, requires
from casefile.api.web.charts import Bar, bar_chart
from casefile.api.web.pages import page
from casefile.documents.formatting import amount_fr, date_fr
from casefile.law.money import cents_text
from casefile.services.aged_groups import (
    DIMENSIONS,
    MAX_ROWS,
    AgedGroups,
    aged_groups,
    check_by,
    export_groups_csv,
)
from casefile.services.dso import METHOD as DSO_METHOD
from casefile.services.dso import dso, export_dso_csv
from casefile.services.litigation_figures import (
    LITIGATION_METHOD,
    RECOVERY_METHOD,
    export_recovery_csv,
    export_stages_csv,
    litigation_by_stage,
    recovery_by_procedure,
)
from casefile.services.portfolio import UNASSIGNED, people
from casefile.services.reports import AgedBalanceQuery, aged_balance, export_csv, parse_as_of
from casefile.services.users import people_names

FILTERS = ("as_of", "creditor", "debtor", "lawyer")


def _query(request: Request[Any, Any, Any]) -> tuple[AgedBalanceQuery, dict[str, str]]:
    params = {
        k: v.strip()
        for k, v in request.query_params.items()
        if k in (*FILTERS, "by") and isinstance(v, str) and v.strip()
    }
    query = AgedBalanceQuery(
        parse_as_of(params.get("as_of"), clock.today(), "date d'arrêté"),
        params.get("creditor"),
        params.get("debtor"),
        params.get("lawyer"),
    )
    return query, params


def _csv(text: str, name: str) -> Response[str]:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _euros(cents: int) -> str:
    return amount_fr(Decimal(cents_text(cents)))


def _tenths(percent: Decimal | None) -> int:
    return int((percent or 0) * 10)


def _link(path: str, params: dict[str, str], query: AgedBalanceQuery) -> str:
    return f"{path}?" + urlencode({**params, "as_of": query.as_of.isoformat()})


async def _people_named(groups: AgedGroups) -> AgedGroups:
    """Rows by lawyer named as the pages name people ("Maître Claire Lefèvre"), not by login
    (the API keeps the login, which its `lawyer` filter takes)."""
    if groups.by != "lawyer":
        return groups
    names = await people_names(row.name for row in groups.rows)
    return replace(
        groups, rows=tuple(replace(row, name=names.get(row.name, row.name)) for row in groups.rows)
    )


async def _filters_context(params: dict[str, str], actor: Actor) -> dict[str, Any]:
    lawyers = await people("avocat", actor)
    return {
        "params": params,
        "lawyers": lawyers,
        "lawyer_names": await people_names(lawyers),
        "unassigned": UNASSIGNED,
    }


class ReportPagesController(Controller):
    path = "/rapports"
    include_in_schema = False
    guards = (requires("case.read"),)

    @get("/")
    async def index(self, request: Request[Any, Any, Any]) -> Template:
        return page(request, "reports.html")

    @get("/balance-agee")
    async def aged_balance_page(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        query, params = _query(request)
        params.pop("by", None)
        balance = await aged_balance(actor, query)
        chart = bar_chart(
            f"Balance âgée au {date_fr(query.as_of)}",
            [Bar(b.label, b.amount_cents, _euros(b.amount_cents)) for b in balance.buckets],
        )
        return page(
            request,
            "aged_balance.html",
            balance=balance.as_json(),
            total_cents=balance.total_cents,
            cents={b.key: b.amount_cents for b in balance.buckets},
            chart=chart,
            csv_link=_link("/rapports/balance-agee.csv", params, query),
            groups_link=_link("/rapports/balance-agee/groupes", params, query),
            **await _filters_context(params, actor),
        )

    @get("/balance-agee.csv")
    async def aged_balance_csv(
        self, request: Request[Any, Any, Any], actor: Actor
    ) -> Response[str]:
        query, _ = _query(request)
        text = export_csv(await aged_balance(actor, query))
        return _csv(text, f"balance-agee-{query.as_of.isoformat()}.csv")

    @get("/balance-agee/groupes")
    async def groups_page(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        query, params = _query(request)
        by = check_by(params.get("by"))
        groups = await _people_named(await aged_groups(actor, query, by))
        chart = bar_chart(
            f"Restant dû par {groups.heading.lower()} au {date_fr(query.as_of)}",
            [Bar(r.name, r.total_cents, _euros(r.total_cents)) for r in groups.rows[:20]],
        )
        return page(
            request,
            "aged_groups.html",
            groups=groups.as_json(),
            dimensions={key: value[0] for key, value in DIMENSIONS.items()},
            by=by,
            chart=chart,
            csv_link=_link("/rapports/balance-agee/groupes.csv", {**params, "by": by}, query),
            **await _filters_context(params, actor),
        )

    @get("/balance-agee/groupes.csv")
    async def groups_csv(self, request: Request[Any, Any, Any], actor: Actor) -> Response[str]:
        query, params = _query(request)
        by = check_by(params.get("by"))
        text = export_groups_csv(
            await _people_named(await aged_groups(actor, query, by, limit=MAX_ROWS))
        )
        return _csv(text, f"balance-agee-par-{by}-{query.as_of.isoformat()}.csv")

    @get("/dso")
    async def dso_page(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        query, params = _query(request)
        params.pop("by", None)
        result = await dso(actor, query)
        chart = bar_chart(
            "Montant facturé par mois glissant",
            [
                Bar(
                    f"{date_fr(m.start)} → {date_fr(m.end)}",
                    m.invoiced_cents,
                    _euros(m.invoiced_cents),
                )
                for m in result.months
            ],
        )
        return page(
            request,
            "dso.html",
            dso=result,
            months=[
                {
                    "start": m.start.isoformat(),
                    "end": m.end.isoformat(),
                    "invoiced": cents_text(m.invoiced_cents),
                    "counted": str(m.counted_days).replace(".", ","),
                    "days": m.days,
                }
                for m in result.months
            ],
            receivables=cents_text(result.receivables_cents),
            method=DSO_METHOD,
            chart=chart,
            csv_link=_link("/rapports/dso.csv", params, query),
            **await _filters_context(params, actor),
        )

    @get("/dso.csv")
    async def dso_csv(self, request: Request[Any, Any, Any], actor: Actor) -> Response[str]:
        query, _ = _query(request)
        return _csv(export_dso_csv(await dso(actor, query)), f"dso-{query.as_of.isoformat()}.csv")

    @get("/contentieux")
    async def litigation_page(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        rows = await litigation_by_stage(actor)
        chart = bar_chart(
            "Restant dû au contentieux par procédure et dernier acte",
            [
                Bar(
                    f"{r.procedure_label} — {r.stage_label}", r.amount_cents, _euros(r.amount_cents)
                )
                for r in rows
            ],
        )
        return page(
            request,
            "litigation_figures.html",
            rows=rows,
            total=sum(r.amount_cents for r in rows),
            cases=sum(r.cases for r in rows),
            cents=cents_text,
            chart=chart,
            method=LITIGATION_METHOD,
            today=clock.today().isoformat(),
        )

    @get("/contentieux.csv")
    async def litigation_csv(self, actor: Actor) -> Response[str]:
        text = export_stages_csv(await litigation_by_stage(actor))
        return _csv(text, f"contentieux-{clock.today().isoformat()}.csv")

    @get("/recouvrement")
    async def recovery_page(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        rows = await recovery_by_procedure(actor)
        chart = bar_chart(
            "Taux de recouvrement du principal par procédure",
            [Bar(r.procedure_label, _tenths(r.rate), r.rate_text) for r in rows],
            scale=1000,
        )
        return page(
            request,
            "recovery.html",
            rows=rows,
            cents=cents_text,
            chart=chart,
            method=RECOVERY_METHOD,
            today=clock.today().isoformat(),
        )

    @get("/recouvrement.csv")
    async def recovery_csv(self, actor: Actor) -> Response[str]:
        text = export_recovery_csv(await recovery_by_procedure(actor))
        return _csv(text, f"recouvrement-{clock.today().isoformat()}.csv")
