"""People, not logins, in the pleadings (issue 13 item 2): the case's avocat and commissaire de
justice are named from their recorded identity ("Maître …, avocat au barreau de …, toque …";
the commissaire with the étude); what is missing stays bracketed and the readiness says where
to enter it. The names are fictitious test values."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from casefile.documents.render import render
from casefile.documents.text import docx_text
from casefile.services import cases
from casefile.services.cases import InvoiceIn, PartyIn
from casefile.services.documents import document_readiness
from casefile.services.users import ProfileChanges, add_user
from casefile.store.documents import (
    COMMISSAIRE_PLACEHOLDER,
    LAWYER_PLACEHOLDER,
    case_document_data,
)
from casefile.store.permissions import SYSTEM
from tests.store.helpers import new_case

TODAY = date(2026, 11, 30)


def _first_admin(store) -> None:
    """The first user of an installation is an administrator (services.users.add_user)."""
    store.run(add_user("chef", "admin"))


def test_the_case_people_are_named_from_their_identity(store):
    _first_admin(store)
    store.run(
        add_user(
            "jmartin",
            "avocat",
            profile=ProfileChanges(full_name="Jeanne Essai", barreau="Strasbourg", toque="999"),
        )
    )
    store.run(
        add_user(
            "proth",
            "commissaire_de_justice",
            profile=ProfileChanges(
                full_name="Paul Essai",
                etude_name="Étude Essai",
                etude_address="1 rue de l'Exemple\n67000 Essai",
            ),
        )
    )
    case = store.run(
        cases.create_case(replace(new_case(), lawyer="jmartin", commissaire="proth"), SYSTEM)
    )
    source = store.run(case_document_data(case["id"], SYSTEM, TODAY))
    assert source.data.lawyer_name == (
        "Maître Jeanne Essai, avocat au barreau de Strasbourg, toque 999"
    )
    assert source.data.commissaire_name == (
        "Maître Paul Essai (Étude Essai, 1 rue de l'Exemple, 67000 Essai)"
    )
    assert not [m for m in source.missing if "avocat" in m.what.lower()]
    assert not [m for m in source.missing if "commissaire" in m.what.lower()]


def test_what_is_missing_stays_bracketed_and_is_listed(store):
    _first_admin(store)
    store.run(add_user("anon", "avocat", profile=ProfileChanges(full_name="Jeanne Essai")))
    case = store.run(cases.create_case(replace(new_case(), lawyer="anon"), SYSTEM))
    # An unpaid invoice: a requête for a case with nothing owed is refused, not "missing" data.
    invoice = InvoiceIn("F-2026-410", date(2026, 6, 15), date(2026, 7, 15), Decimal("4080.00"))
    store.run(cases.add_claim(case["id"], invoice, SYSTEM))
    source = store.run(case_document_data(case["id"], SYSTEM, TODAY))
    assert source.data.lawyer_name == "Maître Jeanne Essai, avocat au [barreau à compléter]"
    assert source.data.commissaire_name == COMMISSAIRE_PLACEHOLDER
    readiness = store.run(document_readiness(case["id"], SYSTEM, TODAY))
    requete = next(r for r in readiness if r.template == "requete_injonction_tj")
    assert (
        "Barreau de l'avocat : à saisir — page Utilisateurs (administrateur) : identité "
        "professionnelle de anon." in requete.missing
    )


def test_a_case_without_avocat_keeps_the_placeholder(store):
    _first_admin(store)
    store.run(add_user("gestion", "credit_manager", profile=ProfileChanges(full_name="Gestion")))
    case = store.run(cases.create_case(replace(new_case(), lawyer="gestion"), SYSTEM))
    source = store.run(case_document_data(case["id"], SYSTEM, TODAY))
    assert source.data.lawyer_name == LAWYER_PLACEHOLDER
    assert [m.what for m in source.missing if m.fields == ("avocat_nom",)] == [
        "Avocat du dossier (gestion n'est pas avocat)"
    ]


def test_the_petites_creances_mandate_is_made_where_the_creditor_signs_it(store):
    """The mandat is the creditor's act, signed at its seat; a petites créances case has no
    court, whose seat left « Fait à [lieu à compléter] »."""
    data = replace(
        new_case(procedure="petites_creances", court_department="69"),
        creditor=PartyIn(
            name="Brasserie de l'Ill SAS",
            siren="732829320",
            street="3 rue des Clefs",
            postcode="68000",
            city="Colmar",
        ),
    )
    case = store.run(cases.create_case(data, SYSTEM))
    invoice = InvoiceIn("F-2026-410", date(2026, 6, 15), date(2026, 7, 15), Decimal("2900.00"))
    store.run(cases.add_claim(case["id"], invoice, SYSTEM))
    source = store.run(case_document_data(case["id"], SYSTEM, TODAY))
    text = docx_text(render("mandat_petites_creances", source.data))
    assert "Fait à Colmar, le 30 novembre 2026" in text
    assert "[lieu à compléter]" not in text
