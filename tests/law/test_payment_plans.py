"""Échéanciers: monthly instalments with an exact sum, the 2-year judicial maximum (C. civ.
1343-5), payments matched in order, déchéance du terme after the grace period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefile.definitions import parameters
from casefile.errors import InputError
from casefile.law.payment_plans import PlanPayment, make_plan, plan_status

D = Decimal


def plan(total="1000.00", count=3, first=date(2025, 1, 31), kind="conventionnel", grace=15):
    return make_plan(
        D(total),
        count,
        first,
        kind=kind,
        granted_on=date(2025, 1, 15),
        grace_days=grace,
        parameters=parameters(),
    )


def test_instalments_are_monthly_from_the_first_date_and_the_last_absorbs_the_rounding():
    """1 000 € / 3 = 333.33 (rounded down) twice, the last 1000 − 666.66 = 333.34; dates from
    31 January computed from the origin: 28 Feb 2025, 31 March 2025 (not 28 March)."""
    p = plan()
    assert [(i.due, i.amount) for i in p.instalments] == [
        (date(2025, 1, 31), D("333.33")),
        (date(2025, 2, 28), D("333.33")),
        (date(2025, 3, 31), D("333.34")),
    ]
    assert sum(i.amount for i in p.instalments) == D("1000.00")


def test_judicial_plan_up_to_two_years_is_accepted_longer_is_refused():
    """Granted 15 Jan 2025: 24 instalments from 15 Feb 2025 end on 15 Jan 2027 = the limit."""
    ok = plan(count=24, first=date(2025, 2, 15), kind="judiciaire")
    assert ok.instalments[-1].due == date(2027, 1, 15)
    with pytest.raises(InputError) as refused:
        plan(count=25, first=date(2025, 2, 15), kind="judiciaire")
    assert str(refused.value) == (
        "Un échéancier judiciaire est limité à 24 mois (C. civ. art. 1343-5) : la dernière "
        "échéance, le 15 février 2027, tombe après le 15 janvier 2027."
    )
    assert len(plan(count=36, first=date(2025, 2, 15)).instalments) == 36  # agreed: no maximum


def test_plan_paid_on_time_is_not_broken():
    p = plan()
    payments = [
        PlanPayment(date(2025, 1, 30), D("333.33")),
        PlanPayment(date(2025, 3, 10), D("333.33")),
    ]
    # second instalment due 28 Feb, paid 10 March: within the 15-day grace (ends 15 March)
    status = plan_status(p, payments, date(2025, 3, 20))
    assert not status.broken
    assert [s.status for s in status.instalments] == ["paid", "paid", "pending"]
    assert status.balance == D("333.34")


def test_unpaid_instalment_beyond_the_grace_period_breaks_the_plan():
    """Second instalment (28 Feb 2025) unpaid: grace ends 15 March, broken on 16 March; a later
    payment does not mend it."""
    p = plan()
    payments = [PlanPayment(date(2025, 1, 31), D("333.33"))]
    assert not plan_status(p, payments, date(2025, 3, 15)).broken
    status = plan_status(p, payments, date(2025, 3, 16))
    assert status.broken
    assert (status.broken_on, status.broken_instalment) == (date(2025, 3, 16), 2)
    assert status.instalments[1].status == "missed"
    late = plan_status(
        p, [*payments, PlanPayment(date(2025, 3, 20), D("333.33"))], date(2025, 3, 25)
    )
    assert late.broken
    assert late.instalments[1].status == "paid_late"


def test_partial_payment_fills_the_oldest_instalment_first():
    p = plan()
    status = plan_status(p, [PlanPayment(date(2025, 1, 31), D("400.00"))], date(2025, 2, 1))
    assert [s.paid for s in status.instalments] == [D("333.33"), D("66.67"), D("0.00")]


def test_bad_plans_are_refused():
    with pytest.raises(InputError) as refused:
        plan(count=0)
    assert str(refused.value) == (
        "Échéancier : le nombre d'échéances (0) doit être d'au moins une échéance."
    )
    with pytest.raises(InputError) as refused:
        plan(first=date(2025, 1, 1))
    assert str(refused.value) == (
        "Échéancier : la première échéance (1er janvier 2025) précède la date de l'échéancier "
        "(15 janvier 2025)."
    )
    with pytest.raises(InputError) as refused:
        plan(total="0.02", count=3)
    assert str(refused.value) == (
        "Échéancier : 3 échéances pour 0,02\u00a0€ feraient moins d'un centime chacune."
    )


def test_the_explanation_says_the_dates_and_amounts_in_french():
    p = plan()
    payments = [PlanPayment(date(2025, 1, 31), D("333.33"))]
    assert plan_status(p, payments, date(2025, 2, 1)).explanation == (
        "Échéancier respecté au 1er février 2025 (C. civ. art. 1103 (accord)).",
    )
    assert plan_status(p, payments, date(2025, 3, 16)).explanation == (
        "Échéance n° 2 du 28 février 2025 (333,33\u00a0€) impayée à la fin du délai de grâce "
        "de 15 jours (15 mars 2025) : déchéance du terme le 16 mars 2025, tout le solde "
        "devient exigible.",
    )
