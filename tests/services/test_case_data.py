"""Invoices, payments and events corrected through the services (issue 12 item 1), on both
engines: audited with before/after, the deadlines recomputed in the same transaction, and
implausible input recorded with a French warning."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefile.errors import Conflict, InvalidFields, NotFound
from casefile.services import cases, claims, events, payments
from casefile.store import audit, payment_plans
from casefile.store.cases import InvoiceIn, PaymentIn
from casefile.store.permissions import SYSTEM
from tests.store.helpers import new_case

TODAY = date(2026, 11, 30)


def _invoice(number: str = "F-2026-118", amount: str = "4080.00") -> InvoiceIn:
    return InvoiceIn(
        number, date(2026, 9, 1), date(2026, 10, 1), Decimal(amount), supply="marchandises"
    )


def _entries(store, action: str) -> list[dict]:
    return [e for e in store.run(audit.list_entries(SYSTEM)) if e["action"] == action]


def test_an_invoice_is_corrected_field_by_field_and_withdrawn(store):
    case = store.run(cases.create_case(new_case(), SYSTEM))
    added = store.run(claims.add_claim(case["id"], _invoice(), SYSTEM, today=TODAY))
    assert added["warnings"] == []
    store.run(
        claims.edit_claim(
            case["id"], "F-2026-118", {"amount": Decimal("4100.50"), "description": "Fûts"}, SYSTEM
        )
    )
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    [claim] = shown["claims"]
    assert (claim["amount"], claim["description"], claim["supply"]) == (
        "4100.50",
        "Fûts",
        "marchandises",
    )
    [entry] = _entries(store, "claim.edit")
    assert entry["before"] == {
        "invoice_number": "F-2026-118",
        "amount": "4080.00",
        "description": "",
    }
    assert entry["after"]["amount"] == "4100.50" and entry["after"]["description"] == "Fûts"
    with pytest.raises(InvalidFields) as refused:
        store.run(
            claims.edit_claim(case["id"], claim["id"], {"due_date": date(2026, 8, 1)}, SYSTEM)
        )
    assert set(refused.value.errors) == {"due_date"}
    store.run(
        payments.add_payment(
            case["id"], PaymentIn(date(2026, 11, 2), Decimal("100"), "F-2026-118"), SYSTEM
        )
    )
    withdrawn = store.run(claims.delete_claim(case["id"], claim["id"], SYSTEM, reason="avoir émis"))
    assert withdrawn["warnings"] == [
        "1 paiement désignait la facture F-2026-118 : il reste enregistré, sans facture désignée."
    ]
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    assert shown["claims"] == [] and shown["payments"][0]["invoice_number"] is None
    [entry] = _entries(store, "claim.delete")
    assert entry["before"]["amount"] == "4100.50" and entry["after"]["reason"] == "avoir émis"
    with pytest.raises(NotFound):
        store.run(claims.delete_claim(case["id"], claim["id"], SYSTEM))


def test_an_invoice_number_stays_unique_per_creditor_on_correction(store):
    case = store.run(cases.create_case(new_case(), SYSTEM))
    store.run(claims.add_claim(case["id"], _invoice("F-1"), SYSTEM))
    store.run(claims.add_claim(case["id"], _invoice("F-2"), SYSTEM))
    with pytest.raises(Conflict, match="F-1 est déjà réclamée"):
        store.run(claims.edit_claim(case["id"], "F-2", {"invoice_number": "F-1"}, SYSTEM))


def test_an_invoice_already_claimed_names_the_case_that_holds_it(store):
    """Same creditor (same SIREN) on two cases: the refusal says where the invoice is, so the
    lawyer need not search the portfolio for it."""
    first = store.run(cases.create_case(new_case("2026-001"), SYSTEM))
    second = store.run(cases.create_case(new_case("2026-002"), SYSTEM))
    store.run(claims.add_claim(first["id"], _invoice("F-1"), SYSTEM))
    with pytest.raises(Conflict) as refused:
        store.run(claims.add_claim(second["id"], _invoice("F-1"), SYSTEM))
    assert str(refused.value) == (
        "la facture F-1 est déjà réclamée pour ce créancier dans le dossier 2026-001"
    )
    with pytest.raises(Conflict) as again:
        store.run(claims.add_claim(first["id"], _invoice("F-1"), SYSTEM))
    assert str(again.value) == "la facture F-1 figure déjà dans ce dossier"


def test_a_payment_larger_than_what_is_owed_is_recorded_with_a_warning(store):
    case = store.run(cases.create_case(new_case(), SYSTEM))
    nothing = store.run(
        payments.add_payment(
            case["id"], PaymentIn(date(2026, 11, 2), Decimal("50")), SYSTEM, today=TODAY
        )
    )
    assert nothing["warnings"] == [
        "Aucune facture n'est enregistrée sur ce dossier : le paiement ne peut être imputé sur rien."
    ]
    store.run(claims.add_claim(case["id"], _invoice(), SYSTEM))
    too_much = store.run(
        payments.add_payment(
            case["id"],
            PaymentIn(date(2026, 11, 3), Decimal("5000"), "F-2026-118"),
            SYSTEM,
            today=TODAY,
        )
    )
    assert too_much["warnings"] == [
        "Le paiement de 5\u202f000,00\u00a0€ dépasse le principal restant dû "
        "(4\u202f030,00\u00a0€) : vérifiez le montant."
    ]
    payment_id = too_much["id"]
    store.run(payments.edit_payment(case["id"], payment_id, {"amount": Decimal("1500")}, SYSTEM))
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    assert shown["claim_total"] == "2530.00"  # 4080 − 50 − 1500
    [entry] = _entries(store, "payment.edit")
    assert (entry["before"], {k: entry["after"][k] for k in ("amount",)}) == (
        {"amount": "5000.00"},
        {"amount": "1500.00"},
    )
    store.run(payments.delete_payment(case["id"], payment_id, SYSTEM, reason="chèque rejeté"))
    assert store.run(cases.get_case(case["id"], SYSTEM))["claim_total"] == "4030.00"


def test_a_hearing_on_a_sunday_or_years_ahead_is_said(store):
    """Sunday 27 December 2026; Friday 25 December 2026 is Christmas (C. trav. L3133-1)."""
    case = store.run(
        cases.create_case(new_case(procedure="assignation_paiement", court_department="75"), SYSTEM)
    )
    sunday = store.run(
        events.add_event(case["id"], "audience", date(2026, 12, 27), {}, SYSTEM, today=TODAY)
    )
    assert sunday["warnings"] == [
        "L'audience est fixée au 27 décembre 2026, un dimanche : vérifiez la date."
    ]
    christmas = store.run(
        events.edit_event(
            case["id"], "audience", date(2026, 12, 25), {}, SYSTEM, reason="renvoi", today=TODAY
        )
    )
    assert christmas["warnings"] == [
        "L'audience est fixée au 25 décembre 2026, jour férié (Noël) : vérifiez la date."
    ]
    far = store.run(
        events.edit_event(
            case["id"], "audience", date(2029, 1, 8), {}, SYSTEM, reason="x", today=TODAY
        )
    )
    assert far["warnings"] == [
        "« Audience » est daté du 8 janvier 2029, plus d'un an après aujourd'hui : vérifiez l'année."
    ]
    [entry] = [e for e in _entries(store, "event.edit") if e["after"]["date"] == "2029-01-08"]
    assert entry["after"]["warnings"] == far["warnings"] and entry["after"]["reason"] == "x"


def test_an_event_is_chosen_by_id_when_its_key_repeats(store):
    case = store.run(
        cases.create_case(new_case(procedure="assignation_paiement", court_department="75"), SYSTEM)
    )
    store.run(events.add_event(case["id"], "audience", date(2027, 1, 11), {}, SYSTEM))
    store.run(events.add_event(case["id"], "audience", date(2027, 2, 8), {}, SYSTEM))
    first = store.run(cases.get_case(case["id"], SYSTEM))["events"][0]
    store.run(
        events.delete_event(
            case["id"], None, SYSTEM, reason="audience renvoyée", event_id=first["id"]
        )
    )
    left = store.run(cases.get_case(case["id"], SYSTEM))["events"]
    assert [(e["key"], e["date"]) for e in left] == [("audience", "2027-02-08")]
    [entry] = _entries(store, "event.delete")
    assert (
        entry["before"]["date"] == "2027-01-11" and entry["after"]["reason"] == "audience renvoyée"
    )


def test_a_payment_plan_on_a_case_without_invoice_is_said(store):
    case = store.run(cases.create_case(new_case(), SYSTEM))
    plan = store.run(
        payment_plans.create_plan(
            case["id"],
            payment_plans.PlanIn(Decimal("1200"), 3, date(2027, 1, 5)),
            SYSTEM,
            today=TODAY,
        )
    )
    assert plan["warnings"] == [payment_plans.NO_CLAIM]


def test_the_hearing_time_is_kept_as_hh_mm_for_the_pleadings(store):
    case = store.run(
        cases.create_case(new_case(procedure="assignation_paiement", court_department="75"), SYSTEM)
    )
    store.run(
        events.add_event(case["id"], "audience", date(2027, 1, 11), {"heure": "9h30"}, SYSTEM)
    )
    [event] = store.run(cases.get_case(case["id"], SYSTEM))["events"]
    assert event["attributes"] == {"heure": "09:30"}
    with pytest.raises(InvalidFields, match="n'est pas une heure"):
        store.run(
            events.edit_event(case["id"], "audience", date(2027, 1, 11), {"heure": "25:00"}, SYSTEM)
        )
