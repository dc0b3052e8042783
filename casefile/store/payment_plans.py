"""Payment plans of a case (échéancier, C. civ. 1343-5 or agreed; issue 3 item 5).

A plan is computed by `casefile.law.payment_plans.make_plan` (a judicial plan longer than two
years is refused there), stored with its instalments, and becomes the case's deadlines
`echeance_N` through the recompute, in the same transaction that bumps the case's version.
A new plan supersedes the previous one. Its standing (paid, missed, déchéance du terme) is
computed on read from the case's payments made since the plan's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from casefile import clock
from casefile.definitions import parameters
from casefile.errors import InputError
from casefile.law.money import cents_text, to_cents
from casefile.law.payment_plans import PlanStatus, make_plan, plan_status
from casefile.law.wording import amount_fr, date_fr, decimal_fr, quoted
from casefile.store import audit
from casefile.store.cases import bump_version, resolve_case
from casefile.store.db import atomic
from casefile.store.permissions import User, require
from casefile.store.plan_deadlines import BASIS, SOURCE, law_plan, plan_key, plan_payments
from casefile.store.recompute import recompute_case
from casefile.store.tables import Claim, Payment, PaymentPlan, PlanInstalment


@dataclass(frozen=True)
class PlanIn:
    total: Decimal
    count: int
    first_due: date
    kind: str = "judiciaire"  # judiciaire | conventionnel
    grace_days: int = 0
    granted_on: date | None = None  # the decision or agreement; default: today


# Implausible but valid (issue 12 item 1): recorded, and said.
NO_CLAIM = (
    "Aucune facture n'est enregistrée sur ce dossier : l'échéancier ne s'adosse à aucune "
    "créance. Ajoutez les factures."
)

# Bounds that keep a request from costing the server (a plan of a billion instalments) or
# overflowing a column; real plans are far inside them.
MAX_INSTALMENTS = 600  # fifty years of monthly instalments
MAX_TOTAL = Decimal("1000000000000")
MAX_GRACE_DAYS = 366
YEARS = (1950, 2199)  # the engine's range (casefile.law.schedule)


def _check_bounds(data: PlanIn, granted_on: date) -> None:
    if not isinstance(data.total, Decimal) or not data.total.is_finite():
        raise InputError(
            f"Échéancier : le montant total ({quoted(data.total)}) doit être un montant décimal."
        )
    if abs(data.total) > MAX_TOTAL:
        raise InputError(
            f"Échéancier : le montant total ({decimal_fr(data.total)} €) dépasse "
            f"{amount_fr(MAX_TOTAL)}."
        )
    to_cents(data.total, "montant total de l'échéancier")  # whole cents, or a clear InputError
    if not 1 <= data.count <= MAX_INSTALMENTS:
        raise InputError(
            f"Échéancier : le nombre d'échéances ({data.count}) doit être compris entre 1 et "
            f"{MAX_INSTALMENTS}."
        )
    if not 0 <= data.grace_days <= MAX_GRACE_DAYS:
        raise InputError(
            f"Échéancier : le délai de grâce ({data.grace_days} jours) doit être compris entre "
            f"0 et {MAX_GRACE_DAYS} jours."
        )
    for what, day in (("première échéance", data.first_due), ("date d'octroi", granted_on)):
        if not YEARS[0] <= day.year <= YEARS[1] - 60:
            raise InputError(
                f"Échéancier : {what} ({date_fr(day)}) hors des années {YEARS[0]} à "
                f"{YEARS[1] - 60}."
            )


async def create_plan(
    case: int | str,
    data: PlanIn,
    actor: User,
    expected_version: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Store a plan and its instalments; returns the plan and the deadline changes."""
    require(actor, "case.write")
    granted_on = data.granted_on or today or clock.today()
    _check_bounds(data, granted_on)
    plan = make_plan(
        data.total,
        data.count,
        data.first_due,
        kind=data.kind,
        granted_on=granted_on,
        grace_days=data.grace_days,
        parameters=parameters(),
    )
    async with atomic():
        row = await resolve_case(case, actor)
        await PaymentPlan.update({PaymentPlan.active: False}).where(
            (PaymentPlan.case == row["id"]) & (PaymentPlan.active == True)  # noqa: E712
        )
        inserted = await PaymentPlan.insert(
            PaymentPlan(
                case=row["id"],
                kind=plan.kind,
                granted_on=plan.granted_on,
                total_cents=to_cents(plan.total, "plan total"),
                instalment_count=len(plan.instalments),
                first_due=plan.instalments[0].due,
                grace_days=plan.grace_days,
                active=True,
                created_by=actor.name,
                created_at=datetime.now(UTC),
            )
        )
        plan_id = inserted[0]["id"]
        await PlanInstalment.insert(
            *[
                PlanInstalment(
                    plan=plan_id,
                    number=i.number,
                    due=i.due,
                    amount_cents=to_cents(i.amount, f"instalment {i.number}"),
                )
                for i in plan.instalments
            ]
        )
        version = await bump_version(row, expected_version)
        changes = await recompute_case(row)
        warnings = [] if await Claim.exists().where(Claim.case == row["id"]) else [NO_CLAIM]
        await audit.record(
            actor,
            "plan.create",
            "case",
            row["id"],
            None,
            {
                "plan": plan_id,
                "kind": plan.kind,
                "total": str(plan.total),
                "count": len(plan.instalments),
                "first_due": plan.instalments[0].due.isoformat(),
                "version": version,
                **({"warnings": warnings} if warnings else {}),
            },
        )
        [result] = await _plans(row["id"], [plan_id], today or clock.today())
    return {**result, "changes": {**changes, "version": version}, "warnings": warnings}


async def list_plans(
    case: int | str, actor: User, today: date | None = None
) -> list[dict[str, Any]]:
    """The case's plans, newest first, each with its standing on `today`."""
    row = await resolve_case(case, actor)
    return await _plans(row["id"], None, today or clock.today())


async def _plans(case_id: int, ids: list[int] | None, as_of: date) -> list[dict[str, Any]]:
    query = PaymentPlan.select().where(PaymentPlan.case == case_id)
    if ids is not None:
        query = query.where(PaymentPlan.id.is_in(ids))
    plans = await query.order_by(PaymentPlan.id, ascending=False)
    if not plans:
        return []
    instalments: dict[int, list[dict[str, Any]]] = {}
    for i in await PlanInstalment.select().where(
        PlanInstalment.plan.is_in([p["id"] for p in plans])
    ):
        instalments.setdefault(i["plan"], []).append(i)
    payments = await Payment.select(Payment.date, Payment.amount_cents).where(
        Payment.case == case_id
    )
    out = []
    for row in plans:
        plan = law_plan(row, instalments.get(row["id"], []))
        status = plan_status(plan, plan_payments(payments, plan.granted_on), as_of)
        out.append(_plan_dict(row, status))
    return out


def _plan_dict(row: dict[str, Any], status: PlanStatus) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "basis": BASIS[row["kind"]],
        "source": SOURCE[row["kind"]],
        "granted_on": row["granted_on"].isoformat(),
        "total": cents_text(row["total_cents"]),
        "grace_days": row["grace_days"],
        "active": row["active"],
        "as_of": status.as_of.isoformat(),
        "paid": str(status.paid),
        "balance": str(status.balance),
        "broken": status.broken,
        "broken_on": status.broken_on.isoformat() if status.broken_on else None,
        "broken_instalment": status.broken_instalment,
        "explanation": list(status.explanation),
        "instalments": [
            {
                "number": s.instalment.number,
                "key": plan_key(s.instalment.number),
                "due": s.instalment.due.isoformat(),
                "amount": str(s.instalment.amount),
                "paid": str(s.paid),
                "paid_on": s.paid_on.isoformat() if s.paid_on else None,
                "status": s.status,
            }
            for s in status.instalments
        ],
    }
