"""Portfolio figures (issue 17 item 4): `GET /api/reports/aged-balance?as_of=YYYY-MM-DD`
(DESIGN §4b), with the optional filters `creditor`, `debtor` (name or SIREN) and `lawyer`.
HTTP only: the figures come from `casefile.services.reports`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import Parameter

from casefile.api.auth import Actor, requires
from casefile.services.reports import AgedBalanceQuery, aged_balance, parse_as_of

Filter = Annotated[str | None, Parameter(max_length=300)]


class BucketOut(msgspec.Struct):
    key: str  # non_echu | 1-30 | 31-60 | 61-90 | 91-120 | 120+
    label: str
    amount: str  # outstanding principal, decimal string
    invoices: int


class AgedBalanceOut(msgspec.Struct):
    """Outstanding principal by days past due on `as_of`; disputed invoices apart (not in the
    buckets nor in `total`)."""

    as_of: str
    total: str
    buckets: list[BucketOut]
    disputed: str
    disputed_invoices: int
    filters: dict[str, str | None]
    method: str
    source: str


class ReportsController(Controller):
    path = "/api/reports"
    tags = ("rapports",)
    guards = (requires("case.read"),)

    @get("/aged-balance", summary="Balance âgée des dossiers visibles")
    async def aged_balance(
        self,
        actor: Actor,
        as_of: Annotated[
            str | None, Parameter(max_length=20, description="date d'arrêté AAAA-MM-JJ")
        ] = None,
        creditor: Filter = None,
        debtor: Filter = None,
        lawyer: Filter = None,
    ) -> AgedBalanceOut:
        query = AgedBalanceQuery(parse_as_of(as_of, date.today()), creditor, debtor, lawyer)
        balance = await aged_balance(actor, query)
        return msgspec.convert(balance.as_json(), AgedBalanceOut)
