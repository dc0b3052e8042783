"""The instalments of a case's active payment plan, as deadlines `echeance_N` of the case.

They are materialised with the engine's deadlines at every recompute (`recompute.py`), so they
appear in `get_case(...)["deadlines"]`, the diff of an event and the .ics, and a payment that
settles an instalment turns it "done" in the same transaction. Like the engine's, the stored
status has no clock: "pending" until paid, "done" once paid (even late); "missed" is derived
on read with a date, and the déchéance du terme is worked out by `plan_status` with a date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from casefile.law.money import from_cents
from casefile.law.payment_plans import Instalment, PaymentPlan, PlanPayment, plan_status
from casefile.law.periods import Period
from casefile.law.schedule import Deadline, StartPoint
from casefile.law.wording import amount_fr, date_fr
from casefile.store.db import among
from casefile.store.promise_deadlines import promise_deadlines_many
from casefile.store.tables import Payment, PlanInstalment
from casefile.store.tables import PaymentPlan as PlanRow

KEY_PREFIX = "echeance_"
BASIS = {"judiciaire": "C. civ. art. 1343-5", "conventionnel": "échéancier convenu"}
SOURCE = {
    "judiciaire": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000032035267",
    # An agreed plan binds as a contract (C. civ. art. 1103).
    "conventionnel": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000032040777",
}
START_KEY = {"judiciaire": "echeancier_judiciaire", "conventionnel": "echeancier_convenu"}
FIRST_KEY = "premiere_echeance"


def plan_key(number: int) -> str:
    return f"{KEY_PREFIX}{number}"


def law_plan(row: dict[str, Any], instalments: Iterable[dict[str, Any]]) -> PaymentPlan:
    """The stored plan as the pure core's value (already validated when it was made)."""
    return PaymentPlan(
        kind=row["kind"],
        granted_on=row["granted_on"],
        total=from_cents(row["total_cents"]),
        instalments=tuple(
            Instalment(i["number"], i["due"], from_cents(i["amount_cents"]))
            for i in sorted(instalments, key=lambda i: i["number"])
        ),
        grace_days=row["grace_days"],
        basis=BASIS[row["kind"]],
    )


def plan_payments(rows: Iterable[dict[str, Any]], granted_on: date) -> list[PlanPayment]:
    """The case's payments that count for the plan: those made on or after its date."""
    return [
        PlanPayment(r["date"], from_cents(r["amount_cents"]))
        for r in rows
        if r["date"] >= granted_on and r["amount_cents"] > 0
    ]


def instalment_deadlines(plan: PaymentPlan, payments: Sequence[PlanPayment]) -> list[Deadline]:
    """One clock-free deadline per instalment (status pending or done)."""
    # The latest possible date: every payment counts, nothing is "not yet due".
    status = plan_status(plan, payments, date.max.replace(year=9000))
    count = len(plan.instalments)
    first = plan.instalments[0].due
    out = []
    for entry in status.instalments:
        inst = entry.instalment
        # Each date is computed from the first one (never chained); the first from the plan.
        if inst.number == 1:
            start = StartPoint("event", START_KEY[plan.kind], plan.granted_on)
            period = Period(days=(inst.due - plan.granted_on).days)
        else:
            start = StartPoint("event", FIRST_KEY, first)
            period = Period(months=inst.number - 1)
        paid = entry.status in ("paid", "paid_late")
        notes = [f"Montant : {amount_fr(inst.amount)} ; payé : {amount_fr(entry.paid)}"]
        if entry.paid_on is not None:
            notes.append(f"Soldée le {date_fr(entry.paid_on)}")
        out.append(
            Deadline(
                key=plan_key(inst.number),
                label=f"Échéance n° {inst.number}/{count} du plan de paiement ({amount_fr(inst.amount)})",
                due=inst.due,
                start=start,
                period=period,
                extension=None,
                unadjusted=inst.due,
                moved_because=None,
                actor="debiteur",
                basis=plan.basis,
                source=SOURCE[plan.kind],
                status="done" if paid else "pending",
                consequence=(
                    f"impayée {plan.grace_days} jours après l'échéance : déchéance du terme, "
                    "tout le solde devient exigible"
                ),
                counting="calendar",
                notes=tuple(notes),
            )
        )
    return out


async def plan_deadlines_many(case_ids: Sequence[int]) -> dict[int, list[Deadline]]:
    """The instalment deadlines of the active plans of these cases, then the deadlines of their
    promises to pay (`casefile.store.promise_deadlines`); cases with neither absent."""
    out = await _instalments_many(case_ids)
    for case_id, extra in (await promise_deadlines_many(case_ids)).items():
        out.setdefault(case_id, []).extend(extra)
    return out


async def _instalments_many(case_ids: Sequence[int]) -> dict[int, list[Deadline]]:
    if not case_ids:
        return {}
    wanted = set(case_ids)
    plans = [
        row
        for row in await PlanRow.select().where(
            among(PlanRow.case, case_ids, superset=True) & (PlanRow.active == True)  # noqa: E712
        )
        if row["case"] in wanted
    ]
    if not plans:
        return {}
    by_plan: dict[int, list[dict[str, Any]]] = {}
    for row in await PlanInstalment.select().where(
        PlanInstalment.plan.is_in([p["id"] for p in plans])
    ):
        by_plan.setdefault(row["plan"], []).append(row)
    payments: dict[int, list[dict[str, Any]]] = {}
    for row in await Payment.select(Payment.case, Payment.date, Payment.amount_cents).where(
        Payment.case.is_in([p["case"] for p in plans])
    ):
        payments.setdefault(row["case"], []).append(row)
    out: dict[int, list[Deadline]] = {}
    for row in plans:
        plan = law_plan(row, by_plan.get(row["id"], []))
        if plan.instalments:
            counted = plan_payments(payments.get(row["case"], []), plan.granted_on)
            out[row["case"]] = instalment_deadlines(plan, counted)
    return out
