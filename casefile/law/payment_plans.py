"""Payment plans (échéancier): instalments, payments matched to them, déchéance du terme.

- Judicial plan: the judge may postpone or stagger the debt "dans la limite de deux années"
  (C. civ. 1343-5; parameter `report_paiement_judiciaire_max_mois`): a longer plan is refused.
- Agreed plan: what the parties signed; no statutory maximum.
- Instalments fall monthly from the first due date, each computed from the first date (never
  chained: 31 January + 1 month is 28/29 February, + 2 months is 31 March; CPC 641 al. 2 rule
  applied as the usual reading of "le même jour de chaque mois"). Each instalment is the total
  divided by their number, rounded down to the cent; the last takes the remainder, so the sum
  is exact and no instalment exceeds the last.
- Payments settle the oldest unpaid instalment first. The plan is broken (déchéance du terme:
  the whole balance becomes due) when an instalment is still not fully paid at the end of its
  grace period (the plan's clause, or the judge's decision); later payments do not mend it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from casefile.errors import InputError
from casefile.law.parameters import Parameter
from casefile.law.periods import add_months
from casefile.law.wording import amount_fr, choices_fr, date_fr, decimal_fr

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
KINDS = ("judiciaire", "conventionnel")
BASIS = {"judiciaire": "C. civ. art. 1343-5", "conventionnel": "C. civ. art. 1103 (accord)"}


@dataclass(frozen=True, slots=True)
class Instalment:
    number: int  # 1-based
    due: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentPlan:
    kind: str
    granted_on: date  # date of the decision or of the agreement
    total: Decimal
    instalments: tuple[Instalment, ...]
    grace_days: int
    basis: str


@dataclass(frozen=True, slots=True)
class PlanPayment:
    date: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class InstalmentStatus:
    instalment: Instalment
    paid: Decimal
    paid_on: date | None  # the day it became fully paid
    status: str  # "paid", "pending" (not due or within grace), "paid_late", "missed"


@dataclass(frozen=True, slots=True)
class PlanStatus:
    as_of: date
    instalments: tuple[InstalmentStatus, ...]
    paid: Decimal
    balance: Decimal  # total − paid (never below zero)
    overpaid: Decimal
    broken: bool
    broken_on: date | None  # first day after the grace period of the missed instalment
    broken_instalment: int | None
    explanation: tuple[str, ...]


def make_plan(
    total: Decimal,
    count: int,
    first_due: date,
    *,
    kind: str,
    granted_on: date,
    grace_days: int,
    parameters: Mapping[str, Parameter],
) -> PaymentPlan:
    """`count` monthly instalments from `first_due`; a judicial plan longer than the 1343-5
    maximum (counted from `granted_on`) is refused with the date it would have to end by."""
    if kind not in KINDS:
        raise InputError(f"Échéancier de type « {kind} » inconnu : attendu {choices_fr(KINDS)}.")
    if total <= 0 or total != total.quantize(CENT):
        raise InputError(
            f"Échéancier : le montant total ({decimal_fr(total)} €) doit être positif, au "
            "centime près."
        )
    if count < 1:
        raise InputError(
            f"Échéancier : le nombre d'échéances ({count}) doit être d'au moins une échéance."
        )
    if grace_days < 0:
        raise InputError(
            f"Échéancier : le délai de grâce ({grace_days} jours) ne peut pas être négatif."
        )
    if first_due < granted_on:
        raise InputError(
            f"Échéancier : la première échéance ({date_fr(first_due)}) précède la date de "
            f"l'échéancier ({date_fr(granted_on)})."
        )
    base = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    if base == 0:
        raise InputError(
            f"Échéancier : {count} échéances pour {amount_fr(total)} feraient moins d'un centime "
            "chacune."
        )
    dues = [add_months(first_due, index) for index in range(count)]
    amounts = [base] * (count - 1) + [total - base * (count - 1)]
    instalments = tuple(
        Instalment(index + 1, due, amount)
        for index, (due, amount) in enumerate(zip(dues, amounts, strict=True))
    )
    if kind == "judiciaire":
        if "report_paiement_judiciaire_max_mois" not in parameters:
            raise InputError(
                "Paramètre « report_paiement_judiciaire_max_mois » absent de "
                "procedures/parameters.toml."
            )
        months = parameters["report_paiement_judiciaire_max_mois"].at(granted_on).value
        if months is None:
            raise InputError(
                "Durée maximale d'un échéancier judiciaire (C. civ. art. 1343-5) inconnue au "
                f"{date_fr(granted_on)}."
            )
        limit = add_months(granted_on, int(months))
        if dues[-1] > limit:
            raise InputError(
                f"Un échéancier judiciaire est limité à {int(months)} mois (C. civ. art. 1343-5) :"
                f" la dernière échéance, le {date_fr(dues[-1])}, tombe après le "
                f"{date_fr(limit)}."
            )
    return PaymentPlan(kind, granted_on, total, instalments, grace_days, BASIS[kind])


def plan_status(plan: PaymentPlan, payments: Sequence[PlanPayment], as_of: date) -> PlanStatus:
    """Where the plan stands on `as_of`: payments up to that day, oldest instalment first."""
    for payment in payments:
        if payment.amount <= 0 or payment.amount != payment.amount.quantize(CENT):
            raise InputError(
                f"Paiement du {date_fr(payment.date)} : le montant ({decimal_fr(payment.amount)} €)"
                " doit être positif, au centime près."
            )
    counted = sorted((p for p in payments if p.date <= as_of), key=lambda p: p.date)
    paid_total = sum((p.amount for p in counted), ZERO)
    # cumulative amount needed after each instalment; a payment fills them in order
    statuses: list[InstalmentStatus] = []
    lines: list[str] = []
    broken_on: date | None = None
    broken_instalment: int | None = None
    needed = ZERO
    for instalment in plan.instalments:
        before = needed
        needed += instalment.amount
        running = ZERO
        paid_on: date | None = None
        for payment in counted:
            running += payment.amount
            if running >= needed:
                paid_on = payment.date
                break
        paid = min(max(paid_total - before, ZERO), instalment.amount)
        deadline = instalment.due + timedelta(days=plan.grace_days)
        if paid_on is not None and paid_on <= deadline:
            status = "paid"
        elif as_of > deadline:
            status = "missed" if paid_on is None else "paid_late"
            if broken_on is None:
                broken_on = deadline + timedelta(days=1)
                broken_instalment = instalment.number
                lines.append(
                    f"Échéance n° {instalment.number} du {date_fr(instalment.due)} "
                    f"({amount_fr(instalment.amount)}) impayée à la fin du délai de grâce de "
                    f"{plan.grace_days} jours ({date_fr(deadline)}) : déchéance du terme le "
                    f"{date_fr(broken_on)}, tout le solde devient exigible."
                )
        else:
            status = "paid" if paid_on is not None else "pending"
        statuses.append(InstalmentStatus(instalment, paid, paid_on, status))
    if broken_on is None:
        lines.append(f"Échéancier respecté au {date_fr(as_of)} ({plan.basis}).")
    return PlanStatus(
        as_of,
        tuple(statuses),
        paid_total,
        max(plan.total - paid_total, ZERO),
        max(paid_total - plan.total, ZERO),
        broken_on is not None,
        broken_on,
        broken_instalment,
        tuple(lines),
    )
