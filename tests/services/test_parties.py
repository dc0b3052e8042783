"""Parties with their full identity (issue 12 item 1): category, SIREN/SIRET by check digit,
postal address in parts, representative, civility; edited later with before/after audit and
the deadlines recomputed (the residence decides the art. 643 extension)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from casefile.errors import InvalidFields
from casefile.law.money import check_siren, check_siret
from casefile.services import cases
from casefile.services.parties import PartyIn, edit_party, party_values
from casefile.store import audit
from casefile.store.permissions import SYSTEM
from tests.store.helpers import new_case


def test_siren_and_siret_are_checked_by_their_luhn_key():
    assert check_siren("732 829 320") == "732829320"
    assert check_siret("732 829 320 00074") == "73282932000074"
    assert check_siret("35600000049837") == "35600000049837"  # La Poste: digit sum % 5
    with pytest.raises(Exception, match="clé de contrôle"):
        check_siren("732829321")
    with pytest.raises(Exception, match="14 chiffres"):
        check_siret("7328293200007")


def test_the_category_decides_kind_and_person_and_the_address_is_composed():
    values = party_values(
        "debtor",
        PartyIn(
            name="Muller",
            category="entrepreneur_individuel",
            civility="M.",
            first_name="Jean",
            siret="73282932000074",
            street="12 rue des Tanneurs",
            postcode="67000",
            city="Strasbourg",
        ),
        "67",
    )
    assert values["kind"] == "professionnel"
    assert values["person_or_company"] == "personne"
    assert values["siren"] == "732829320"  # the SIRET's first nine digits
    assert values["address"] == "12 rue des Tanneurs, 67000 Strasbourg"
    assert values["residence"] == "67"
    consumer = party_values("debtor", PartyIn(name="Élise Martin", category="consommateur"), "75")
    assert (consumer["kind"], consumer["person_or_company"]) == ("consommateur", "personne")
    # The contract's inputs alone keep working.
    legacy = party_values("debtor", PartyIn(name="X SARL", kind="professionnel"), "75")
    assert (legacy["kind"], legacy["person_or_company"], legacy["category"]) == (
        "professionnel",
        "societe",
        None,
    )


def test_a_new_case_names_a_missing_debtor_beside_a_refused_department(store):
    """A tired user with a mistyped department and no debtor learnt of the debtor only at the
    second attempt: both are named at once."""
    data = replace(new_case(court_department="750"), debtor=PartyIn(name=""))
    with pytest.raises(InvalidFields) as caught:
        store.run(cases.create_case(data, SYSTEM))
    errors = caught.value.errors
    assert set(errors) == {"court_department", "debtor.name"}
    assert errors["debtor.name"] == "débiteur, nom ou raison sociale : obligatoire"


def test_every_faulty_field_is_named_in_french_at_once():
    with pytest.raises(InvalidFields) as caught:
        party_values(
            "creditor",
            PartyIn(
                name=" ",
                category="societe",
                kind="consommateur",
                siren="123456789",
                civility="Mme",
                email="pas-une-adresse",
                postcode="6700",
            ),
            "67",
        )
    errors = caught.value.errors
    assert set(errors) == {"name", "kind", "siren", "civility", "email", "postcode"}
    assert errors["name"] == "créancier, nom ou raison sociale : obligatoire"
    assert "clé de contrôle" in errors["siren"]
    assert "5 chiffres" in errors["postcode"]


def test_editing_the_debtor_is_audited_field_by_field_and_moves_the_deadlines(store):
    """CPC art. 643: a debtor residing in Guadeloupe gets one more month to oppose."""
    case = store.run(cases.create_case(new_case(court_department="75"), SYSTEM))
    store.run(cases.add_event(case["id"], "ordonnance_rendue", date(2026, 2, 2), {}, SYSTEM))
    store.run(
        cases.add_event(
            case["id"], "ordonnance_signifiee", date(2026, 2, 13), {"a_personne": True}, SYSTEM
        )
    )
    before = {d["key"]: d["due"] for d in store.run(cases.case_deadlines(case["id"], SYSTEM))}
    assert before["opposition"] == "2026-03-13"
    edited = store.run(
        edit_party(
            case["id"],
            "debtor",
            {
                "siren": "732829320",
                "legal_form": "SARL",
                "street": "3 rue Schoelcher",
                "postcode": "97110",
                "city": "Pointe-à-Pitre",
                "residence": "971",
                "representative": "M. Paul Muller, gérant",
            },
            SYSTEM,
        )
    )
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    debtor = shown["debtor_party"]
    assert edited["party"]["residence"] == "971"
    assert edited["changes"]["moved"][0]["key"] == "opposition"
    assert debtor["address"] == "3 rue Schoelcher, 97110 Pointe-à-Pitre"
    assert debtor["residence"] == "971"
    assert debtor["representative"] == "M. Paul Muller, gérant"
    after = {d["key"]: d["due"] for d in shown["deadlines"]}
    assert after["opposition"] == "2026-04-13"  # one month + one month (art. 643 1°)
    [entry] = [e for e in store.run(audit.list_entries(SYSTEM)) if e["action"] == "party.edit"]
    assert entry["before"]["residence"] == "75"  # none given at creation: the court's
    assert entry["after"]["residence"] == "971"
    assert entry["before"]["siren"] is None and entry["after"]["siren"] == "732829320"
    assert "moved" in entry["after"]["changes"]


def test_a_refused_edit_changes_nothing(store):
    case = store.run(cases.create_case(new_case(), SYSTEM))
    with pytest.raises(InvalidFields):
        store.run(edit_party(case["id"], "creditor", {"siret": "73282932000075"}, SYSTEM))
    shown = store.run(cases.get_case(case["id"], SYSTEM))
    assert shown["creditor"]["siret"] is None
    assert shown["version"] == case["version"]


def test_an_address_that_disagrees_with_the_residence_is_said(store):
    """The residence, not the address, decides the art. 643 extension: a Guadeloupe postcode
    with a residence left at the court's department gets a warning, not silence."""
    from casefile.services.plausibility import department_of_postcode

    assert [department_of_postcode(p) for p in ("67000", "20090", "20200", "97110", "97133")] == [
        "67",
        "2A",
        "2B",
        "971",
        "977",
    ]
    case = store.run(cases.create_case(new_case(court_department="75"), SYSTEM))
    edited = store.run(
        edit_party(case["id"], "debtor", {"postcode": "97110", "city": "Pointe-à-Pitre"}, SYSTEM)
    )
    assert edited["warnings"] == [
        "Le code postal 97110 du débiteur indique le département 971, mais sa résidence "
        "enregistrée est le département 75 (un champ « Département de résidence » laissé vide "
        "prend celui du tribunal) : l'allongement des délais pour distance (CPC art. 643 et 644) "
        "suit la résidence — vérifiez-la."
    ]
    typed = store.run(edit_party(case["id"], "debtor", {"residence": "69"}, SYSTEM))
    assert typed["warnings"] == [
        "Le code postal 97110 du débiteur indique le département 971, mais sa résidence "
        "enregistrée est le département 69 : l'allongement des délais pour distance (CPC art. 643 "
        "et 644) suit la résidence — vérifiez-la."
    ]
    fixed = store.run(edit_party(case["id"], "debtor", {"residence": "971"}, SYSTEM))
    assert fixed["warnings"] == []


def test_an_edit_without_category_keeps_a_stored_consumer_a_consumer(store):
    """Parties recorded before categories existed have none: a form that leaves the category
    empty must not turn a consumer into a professional (the interest regime depends on it)."""
    from casefile.store.tables import Party

    case = store.run(cases.create_case(new_case(), SYSTEM))
    store.run(
        Party.update(
            {Party.kind: "consommateur", Party.person_or_company: "personne", Party.category: None}
        ).where((Party.case == case["id"]) & (Party.role == "debtor"))
    )
    edited = store.run(
        edit_party(
            case["id"], "debtor", {"category": "", "civility": "Mme", "city": "Colmar"}, SYSTEM
        )
    )
    assert edited["party"]["kind"] == "consommateur"
    assert edited["party"]["category"] == "consommateur"
    professional = store.run(edit_party(case["id"], "debtor", {"kind": "professionnel"}, SYSTEM))
    assert professional["party"]["category"] is None  # a consumer category no longer agrees
