"""Courts are data (issue 13 item 3): an administrator records a court, a case points to it,
the pleadings name it, write the greffe's address and are dated from its city; on both
engines. The court values are fictitious test values (never a real court's address)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefile.errors import Forbidden, InputError, InvalidFields
from casefile.services import cases
from casefile.services.cases import InvoiceIn
from casefile.services.courts import (
    CourtIn,
    add_court,
    court_values,
    edit_court,
    list_courts,
    set_case_court,
)
from casefile.services.documents import document_readiness
from casefile.store import audit
from casefile.store.documents import case_document_data
from casefile.store.permissions import SYSTEM, User
from tests.store.helpers import new_case

ESSAI_TJ = CourtIn(
    name="Tribunal judiciaire d'Essai",
    kind="tribunal_judiciaire",
    department="67",
    address="1 rue de l'Exemple",
    postcode="67000",
    city="Essai",
    greffe_email="greffe@example.test",
)


def test_every_faulty_court_field_is_named_in_french_at_once():
    with pytest.raises(InvalidFields) as caught:
        court_values(
            CourtIn(
                name=" ",
                kind="tribunal_de_commerce",
                department="67",
                address="",
                postcode="670",
                city="Essai",
                greffe_email="pas-une-adresse",
            )
        )
    errors = caught.value.errors
    assert set(errors) == {"name", "kind", "address", "postcode", "greffe_email"}
    assert errors["name"] == "juridiction, nom de la juridiction : obligatoire"
    assert "chambre commerciale" in errors["kind"]  # no tribunal de commerce in Alsace-Moselle
    with pytest.raises(InvalidFields, match="qu'en Alsace-Moselle"):
        court_values(CourtIn("X", "chambre_commerciale", "75", "1 rue", "75001", "Paris"))
    assert (
        court_values(CourtIn("X", "tribunal_judiciaire", "2a", "1 rue", "20000", "Y"))["department"]
        == "2A"
    )


def test_only_an_administrator_records_a_court(store):
    lawyer = User(2, "avocat", "avocat")
    with pytest.raises(Forbidden):
        store.run(add_court(ESSAI_TJ, lawyer))
    added = store.run(add_court(ESSAI_TJ, SYSTEM))
    assert added["postal_address"] == "1 rue de l'Exemple, 67000 Essai"
    assert added["kind_label"] == "tribunal judiciaire"
    assert [c["name"] for c in store.run(list_courts(lawyer))] == ["Tribunal judiciaire d'Essai"]
    edited = store.run(edit_court(added["id"], {"phone": "03 00 00 00 00"}, SYSTEM))
    assert edited["phone"] == "03 00 00 00 00"
    [entry] = [e for e in store.run(audit.list_entries(SYSTEM)) if e["action"] == "court.edit"]
    assert (entry["before"], entry["after"]) == ({"phone": ""}, {"phone": "03 00 00 00 00"})


def test_a_case_pointing_to_its_court_renders_its_name_address_and_city(store):
    case = store.run(cases.create_case(new_case(court_department="67"), SYSTEM))
    today = date(2026, 11, 30)
    # An unpaid invoice: a requête for a case with nothing owed is refused, not "missing" data.
    invoice = InvoiceIn("F-2026-410", date(2026, 6, 15), date(2026, 7, 15), Decimal("4080.00"))
    store.run(cases.add_claim(case["id"], invoice, SYSTEM))
    case = store.run(cases.get_case(case["id"], SYSTEM))
    before = store.run(case_document_data(case["id"], SYSTEM, today))
    assert before.data.court.name.startswith("[tribunal judiciaire compétent (département 67)")
    readiness = store.run(document_readiness(case["id"], SYSTEM, today))
    requete = next(r for r in readiness if r.template == "requete_injonction_tj")
    assert any(
        m.startswith("Juridiction (nom, adresse du greffe, ville) : à saisir — choisir")
        for m in requete.missing
    )

    court = store.run(add_court(ESSAI_TJ, SYSTEM))
    result = store.run(set_case_court(case["id"], court["id"], SYSTEM, case["version"]))
    assert result["warnings"] == [] and result["version"] == case["version"] + 1
    assert store.run(cases.get_case(case["id"], SYSTEM))["court_id"] == court["id"]
    after = store.run(case_document_data(case["id"], SYSTEM, today))
    assert after.data.court.name == "Tribunal judiciaire d'Essai"
    assert after.data.court.address == "1 rue de l'Exemple, 67000 Essai"
    assert after.data.place == "Essai"
    assert not [m for m in after.missing if m.what.startswith("Juridiction")]

    store.run(set_case_court(case["id"], None, SYSTEM))
    assert store.run(cases.get_case(case["id"], SYSTEM))["court_id"] is None


def test_a_court_of_the_wrong_kind_is_refused_and_another_department_is_said(store):
    case = store.run(cases.create_case(new_case(court_department="75"), SYSTEM))
    commerce = store.run(
        add_court(
            CourtIn(
                "Tribunal de commerce d'Essai",
                "tribunal_de_commerce",
                "75",
                "2 rue",
                "75001",
                "Essai",
            ),
            SYSTEM,
        )
    )
    with pytest.raises(InputError, match="ne convient pas au dossier 2026-001"):
        store.run(set_case_court(case["id"], commerce["id"], SYSTEM))
    assert store.run(cases.get_case(case["id"], SYSTEM))["version"] == case["version"]
    elsewhere = store.run(add_court(ESSAI_TJ, SYSTEM))  # department 67
    result = store.run(set_case_court(case["id"], elsewhere["id"], SYSTEM))
    assert "département 67" in result["warnings"][0]
    with pytest.raises(InputError, match="n'est pas un numéro de juridiction"):
        store.run(set_case_court(case["id"], "abc", SYSTEM))
