"""The demo portfolio: realistic spread, overdue deadlines, idempotent."""

from __future__ import annotations

from datetime import date

from casefile.store import cases
from casefile.store.demo import load_demo
from casefile.store.permissions import SYSTEM
from casefile.store.users import get_user
from tests.store.test_users import authenticate_password


def test_demo_portfolio_is_spread_overdue_in_part_and_loaded_once(store):
    today = date(2026, 11, 24)
    first = store.run(load_demo(today=today))
    again = store.run(load_demo(today=today))
    assert (first["created"], again["created"], again["existing"]) == (30, 0, 30)
    listed = store.run(cases.list_cases(SYSTEM, today=today))
    assert len(listed) == 30
    assert {c["procedure"] for c in listed} == {
        "injonction_de_payer",
        "refere_provision",
        "assignation_paiement",
        "petites_creances",
        "amiable",
    }
    assert {"67", "971"} <= {c["court_department"] for c in listed}
    missed = [c for c in listed if c["next_deadline"] and c["next_deadline"]["status"] == "missed"]
    assert len(missed) >= 5
    abroad = [store.run(cases.get_case(c["id"], SYSTEM)) for c in listed]
    assert any(c["debtor_party"]["residence"] == "etranger" for c in abroad)
    assert store.run(get_user("commissaire")).role == "commissaire_de_justice"
    assert authenticate_password(store, "avocat", "demo") is not None


def test_demo_courts_are_examples_recorded_once_and_named_by_the_demo_cases(store):
    """A newcomer's first pleading needs a court: the demo records a few, marked « (exemple) »
    with a bracketed address (the project has no sourced list of the greffes' addresses), once
    however often it runs; its cases of the same department and kind point to them."""
    from casefile.services.courts import list_courts
    from casefile.store.tables import Case

    today = date(2026, 11, 24)
    first = store.run(load_demo(today=today))
    store.run(load_demo(today=today))
    recorded = store.run(list_courts(SYSTEM))
    assert [(c["name"], c["kind"], c["department"], c["postal_address"]) for c in recorded] == [
        (
            "Tribunal de commerce de Bordeaux (exemple)",
            "tribunal_de_commerce",
            "33",
            "[adresse d'exemple : saisir l'adresse réelle du greffe], 33000 Bordeaux",
        ),
        (
            "Tribunal judiciaire de Strasbourg (exemple)",
            "tribunal_judiciaire",
            "67",
            "[adresse d'exemple : saisir l'adresse réelle du greffe], 67000 Strasbourg",
        ),
        (
            "Tribunal judiciaire de Strasbourg, chambre commerciale (exemple)",
            "chambre_commerciale",
            "67",
            "[adresse d'exemple : saisir l'adresse réelle du greffe], 67000 Strasbourg",
        ),
        (
            "Tribunal judiciaire de Paris (exemple)",
            "tribunal_judiciaire",
            "75",
            "[adresse d'exemple : saisir l'adresse réelle du greffe], 75009 Paris",
        ),
    ]
    assert all("(exemple)" in c["name"] for c in recorded)
    assert sorted(first["courts"]) == sorted(c["name"] for c in recorded)
    by_id = {c["id"]: c["name"] for c in recorded}
    rows = store.run(Case.select(Case.reference, Case.court_id).order_by(Case.reference))
    chosen = {r["reference"]: by_id.get(r["court_id"]) for r in rows if r["court_id"]}
    assert chosen["DEMO-001"] == "Tribunal judiciaire de Strasbourg, chambre commerciale (exemple)"
    assert chosen["DEMO-009"] == "Tribunal judiciaire de Strasbourg (exemple)"
    assert chosen["DEMO-010"] == "Tribunal de commerce de Bordeaux (exemple)"
    assert chosen["DEMO-012"] == "Tribunal judiciaire de Paris (exemple)"
    amicable = store.run(
        Case.select(Case.reference)
        .where(Case.procedure == "amiable")
        .where(Case.court_id.is_not_null())
    )
    assert amicable == []  # the amicable phase has no court yet


def test_demo_amicable_debtors_have_a_fictitious_address_and_no_reminder_fails(store):
    """The reminders start by e-mail: each amicable debtor of the demo has an address on the
    reserved `.example` domain, so a fresh install's first run records no failure; without a
    mail server the e-mails wait (nothing is sent, nothing is lost)."""
    from casefile.services import dunning

    today = date(2026, 11, 24)
    store.run(load_demo(today=today))
    listed = store.run(cases.list_cases(SYSTEM, today=today))
    amicable = [
        store.run(cases.get_case(c["id"], SYSTEM)) for c in listed if c["procedure"] == "amiable"
    ]
    addresses = [c["debtor_party"]["email"] for c in amicable]
    assert len(addresses) == 5
    assert all(a.endswith(".example") for a in addresses)
    assert "comptabilite@restaurant-au-cerf.example" in addresses
    assert "antoine.lefevre@courriel.example" in addresses
    report = store.run(dunning.run_due(today))
    assert report["created"].get("echec", 0) == 0, report
    assert report["deferred_emails"] >= 1, report
    assert "CASEFILE_SMTP_URL" in report["skipped"]
