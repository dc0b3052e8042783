"""Payment plans whose instalments are deadlines of the case (issue 3 §5), on both engines.

C. civ. art. 1343-5: the judge may stagger the debt "dans la limite de deux années".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from casefile.errors import InputError
from casefile.services import cases
from casefile.store import calendars, payment_plans
from casefile.store.cases import PaymentIn
from casefile.store.payment_plans import PlanIn
from casefile.store.users import SYSTEM
from tests.ical.checks import events, parse
from tests.store.conftest import Store
from tests.store.helpers import deadline_uid, new_case

SOURCE = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000032035267"
PLAN = PlanIn(
    total=Decimal("1000.00"),
    count=3,
    first_due=date(2026, 1, 31),
    kind="judiciaire",
    grace_days=15,
    granted_on=date(2026, 1, 10),
)


def _case_with_plan(store: Store) -> tuple[dict, dict]:
    case = store.run(cases.create_case(new_case(), SYSTEM))
    plan = store.run(payment_plans.create_plan(case["id"], PLAN, SYSTEM, today=date(2026, 1, 10)))
    return case, plan


def test_instalments_become_deadlines_of_the_case_and_of_its_calendar(store: Store) -> None:
    case, plan = _case_with_plan(store)
    assert [d["key"] for d in plan["changes"]["added"]] == [
        "echeance_1",
        "echeance_2",
        "echeance_3",
    ]
    deadlines = {
        d["key"]: d
        for d in store.run(cases.get_case(case["id"], SYSTEM, today=date(2026, 1, 10)))["deadlines"]
    }
    # Computed from the first date, never chained: 31 Jan, 28 Feb, 31 Mar; the last one takes
    # the remaining cent.
    assert [deadlines[f"echeance_{n}"]["due"] for n in (1, 2, 3)] == [
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
    ]
    first = deadlines["echeance_1"]
    assert first["basis"] == "C. civ. art. 1343-5"
    assert first["source"] == SOURCE
    assert first["status"] == "pending"
    assert first["actor"] == "debiteur"
    # The amounts as a French reader writes them (issue: "333.33 €" on the agenda and the .ics).
    assert first["label"] == "Échéance n° 1/3 du plan de paiement (333,33\u00a0€)"
    assert deadlines["echeance_3"]["label"] == "Échéance n° 3/3 du plan de paiement (333,34\u00a0€)"
    assert first["notes"][0] == "Montant : 333,33\u00a0€ ; payé : 0,00\u00a0€"

    body = store.run(calendars.case_feed(case["id"], SYSTEM, datetime(2026, 1, 11, tzinfo=UTC)))
    got = events(parse(body))
    instalment = got[deadline_uid(store, case["id"], "echeance_2")]
    assert instalment["start"] == date(2026, 2, 28)
    assert "C. civ. art. 1343-5" in instalment["description"]


def test_recording_an_event_keeps_the_plan_deadlines(store: Store) -> None:
    case, _ = _case_with_plan(store)
    changes = store.run(
        cases.add_event(case["id"], "ordonnance_rendue", date(2026, 1, 5), {}, SYSTEM)
    )
    assert [d["key"] for d in changes["added"]] == ["signification_ordonnance"]
    assert changes["removed"] == [] and changes["moved"] == []
    keys = {d["key"] for d in store.run(cases.case_deadlines(case["id"], SYSTEM))}
    assert {"echeance_1", "echeance_2", "echeance_3", "signification_ordonnance"} <= keys


def test_a_paid_instalment_is_done_and_a_missed_one_breaks_the_plan(store: Store) -> None:
    case, _ = _case_with_plan(store)
    store.run(cases.add_claim(case["id"], _invoice(), SYSTEM))
    changes = store.run(
        cases.add_payment(case["id"], PaymentIn(date(2026, 2, 2), Decimal("333.33")), SYSTEM)
    )
    assert {"key": "echeance_1", "from": "pending", "to": "done"} in changes["changed"]

    # Instalment 2 (28 February) unpaid: within the 15 days' grace on 15 March…
    [plan] = store.run(payment_plans.list_plans(case["id"], SYSTEM, today=date(2026, 3, 15)))
    assert plan["broken"] is False
    assert [i["status"] for i in plan["instalments"]] == ["paid", "pending", "pending"]
    # …broken the day after: déchéance du terme on 16 March, the whole balance due.
    [plan] = store.run(payment_plans.list_plans(case["id"], SYSTEM, today=date(2026, 3, 16)))
    assert plan["broken"] is True
    assert plan["broken_on"] == "2026-03-16"
    assert plan["broken_instalment"] == 2
    assert plan["balance"] == "666.67"
    missed = store.run(cases.case_deadlines(case["id"], SYSTEM, today=date(2026, 3, 16)))
    assert {d["key"]: d["status"] for d in missed}["echeance_2"] == "missed"


def test_a_judicial_plan_beyond_two_years_is_refused(store: Store) -> None:
    case = store.run(cases.create_case(new_case(), SYSTEM))
    too_long = PlanIn(Decimal("2500.00"), 25, date(2026, 2, 10), granted_on=date(2026, 1, 10))
    with pytest.raises(InputError, match="1343-5"):
        store.run(payment_plans.create_plan(case["id"], too_long, SYSTEM))
    assert store.run(payment_plans.list_plans(case["id"], SYSTEM)) == []
    # The same schedule agreed between the parties has no statutory maximum.
    agreed = PlanIn(
        Decimal("2500.00"),
        25,
        date(2026, 2, 10),
        kind="conventionnel",
        granted_on=date(2026, 1, 10),
    )
    plan = store.run(payment_plans.create_plan(case["id"], agreed, SYSTEM))
    assert len(plan["instalments"]) == 25
    assert plan["basis"] == "échéancier convenu"


def test_a_new_plan_supersedes_the_previous_one(store: Store) -> None:
    case, first = _case_with_plan(store)
    second = PlanIn(Decimal("1000.00"), 2, date(2026, 4, 30), granted_on=date(2026, 4, 1))
    plan = store.run(payment_plans.create_plan(case["id"], second, SYSTEM))
    assert [d["key"] for d in plan["changes"]["removed"]] == ["echeance_3"]
    plans = store.run(payment_plans.list_plans(case["id"], SYSTEM))
    assert [(p["id"], p["active"]) for p in plans] == [(plan["id"], True), (first["id"], False)]


def _invoice() -> cases.InvoiceIn:
    return cases.InvoiceIn("F-2025-118", date(2025, 9, 1), date(2025, 10, 1), Decimal("1000.00"))
