"""Advice on a stored case: procedures open by amount and date, prescription per invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from casefile.services import cases
from casefile.store.advice import case_advice
from casefile.store.cases import InvoiceIn
from casefile.store.users import SYSTEM
from tests.store.helpers import new_case


def test_small_claim_between_companies_is_open_to_every_procedure_with_reasons(store):
    case = store.run(cases.create_case(new_case(), SYSTEM))
    store.run(
        cases.add_claim(
            case["id"],
            InvoiceIn("F-1", date(2025, 9, 1), date(2025, 10, 1), Decimal("4200.50")),
            SYSTEM,
        )
    )
    advice = store.run(case_advice(case["id"], SYSTEM, date(2026, 11, 24)))
    by_key = {p["procedure"]: p for p in advice["procedures"]}
    assert advice["claim_total"] == "4200.50"
    assert by_key["petites_creances"]["open"] is True  # ≤ 5 000 € since 1 January 2020
    assert by_key["injonction_de_payer"]["court"] == "tribunal_de_commerce"  # two SAS/SARL
    assert by_key["injonction_de_payer"]["amicable_attempt_required"] is False
    assert all(p["reasons"] for p in advice["procedures"])
    [line] = advice["prescriptions"]
    # Due 1 October 2025, 5 years (C. com. L110-4), same date, never rolled.
    assert (line["invoice"], line["date"], line["acquired"]) == ("F-1", "2030-10-01", False)
    assert "L110-4" in line["basis"]


def test_above_the_small_claims_ceiling_the_macron_procedure_is_closed(store):
    case = store.run(cases.create_case(new_case(reference="BIG"), SYSTEM))
    store.run(
        cases.add_claim(
            case["id"],
            InvoiceIn("F-9", date(2019, 1, 2), date(2019, 2, 1), Decimal("5000.01")),
            SYSTEM,
        )
    )
    advice = store.run(case_advice("BIG", SYSTEM, date(2026, 11, 24)))
    by_key = {p["procedure"]: p for p in advice["procedures"]}
    assert by_key["petites_creances"]["open"] is False
    assert advice["prescriptions"][0]["date"] == "2024-02-01"
    assert advice["prescriptions"][0]["acquired"] is True


def test_a_case_without_claims_gets_no_procedure_advice(store):
    case = store.run(cases.create_case(new_case(reference="EMPTY"), SYSTEM))
    advice = store.run(case_advice(case["id"], SYSTEM, date(2026, 11, 24)))
    assert advice["procedures"] == [] and advice["prescriptions"] == []
    assert advice["notes"]
