"""Portfolio figures (issue 17 item 4): `GET /api/reports/aged-balance?as_of=YYYY-MM-DD`
(DESIGN §4b), with the optional filters `creditor`, `debtor` (name or SIREN) and `lawyer`;
`…/aged-balance/groups?by=creditor|debtor|lawyer`, `…/dso` (count-back), `…/litigation`
(amounts by procedure and last act), `…/recovery` (rate and average time per procedure).
HTTP only: the figures come from `casefile.services` (reports, aged_groups, dso,
litigation_figures)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import Parameter

from casefile import clock
from casefile.api.auth import Actor, requires
from casefile.law.money import cents_text
from casefile.services.aged_groups import MAX_ROWS, PAGE_ROWS, aged_groups
from casefile.services.dso import dso
from casefile.services.litigation_figures import (
    LITIGATION_METHOD,
    RECOVERY_METHOD,
    litigation_by_stage,
    recovery_by_procedure,
)
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


class GroupBucketOut(msgspec.Struct):
    key: str
    label: str
    amount: str


class GroupRowOut(msgspec.Struct):
    name: str
    total: str
    disputed: str
    invoices: int
    buckets: list[GroupBucketOut]


class AgedGroupsOut(msgspec.Struct):
    """The aged balance per creditor, debtor or lawyer, largest total first."""

    as_of: str
    by: str
    heading: str
    limit: int
    rows: list[GroupRowOut]
    method: str


class DsoMonthOut(msgspec.Struct, rename={"start": "from", "end": "to"}):
    start: str
    end: str
    invoiced: str
    counted_days: str


class DsoOut(msgspec.Struct):
    """DSO by the count-back method; `dso_days` null when nothing was invoiced in the 12
    months (non renseigné); `exhausted`: the encours exceeds 12 months of invoicing."""

    as_of: str
    method: str
    definition: str
    receivables: str
    dso_days: str | None
    exhausted: bool
    text: str
    months: list[DsoMonthOut]


class StageOut(msgspec.Struct):
    procedure: str
    procedure_label: str
    stage: str | None
    stage_label: str
    cases: int
    amount: str


class LitigationOut(msgspec.Struct):
    rows: list[StageOut]
    method: str


class RecoveryRowOut(msgspec.Struct):
    procedure: str
    procedure_label: str
    cases: int
    claimed: str
    recovered: str
    rate_percent: str | None  # null: non renseigné
    recovered_cases: int
    average_days: str | None  # null: non renseigné


class RecoveryOut(msgspec.Struct):
    rows: list[RecoveryRowOut]
    method: str


AsOf = Annotated[str | None, Parameter(max_length=20, description="date d'arrêté AAAA-MM-JJ")]


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
        query = AgedBalanceQuery(parse_as_of(as_of, clock.today()), creditor, debtor, lawyer)
        balance = await aged_balance(actor, query)
        return msgspec.convert(balance.as_json(), AgedBalanceOut)

    @get("/aged-balance/groups", summary="Balance âgée par créancier, débiteur ou avocat")
    async def aged_groups(
        self,
        actor: Actor,
        as_of: AsOf = None,
        by: Annotated[str, Parameter(max_length=20)] = "creditor",
        limit: Annotated[int, Parameter(ge=1, le=MAX_ROWS)] = PAGE_ROWS,
        creditor: Filter = None,
        debtor: Filter = None,
        lawyer: Filter = None,
    ) -> AgedGroupsOut:
        query = AgedBalanceQuery(parse_as_of(as_of, clock.today()), creditor, debtor, lawyer)
        groups = await aged_groups(actor, query, by, limit)
        return msgspec.convert(groups.as_json(), AgedGroupsOut)

    @get("/dso", summary="DSO, méthode par épuisement (count-back)")
    async def dso(
        self,
        actor: Actor,
        as_of: AsOf = None,
        creditor: Filter = None,
        debtor: Filter = None,
        lawyer: Filter = None,
    ) -> DsoOut:
        query = AgedBalanceQuery(parse_as_of(as_of, clock.today()), creditor, debtor, lawyer)
        return msgspec.convert((await dso(actor, query)).as_json(), DsoOut)

    @get("/litigation", summary="Restant dû au contentieux par procédure et dernier acte")
    async def litigation(self, actor: Actor) -> LitigationOut:
        rows = await litigation_by_stage(actor)
        return LitigationOut(
            [
                StageOut(
                    r.procedure,
                    r.procedure_label,
                    r.stage,
                    r.stage_label,
                    r.cases,
                    cents_text(r.amount_cents),
                )
                for r in rows
            ],
            LITIGATION_METHOD,
        )

    @get("/recovery", summary="Taux et délai moyen de recouvrement par procédure")
    async def recovery(self, actor: Actor) -> RecoveryOut:
        rows = await recovery_by_procedure(actor)
        return RecoveryOut(
            [
                RecoveryRowOut(
                    r.procedure,
                    r.procedure_label,
                    r.cases,
                    cents_text(r.claimed_cents),
                    cents_text(r.recovered_cents),
                    str(r.rate) if r.rate is not None else None,
                    r.recovered_cases,
                    str(r.average_days) if r.average_days is not None else None,
                )
                for r in rows
            ],
            RECOVERY_METHOD,
        )
