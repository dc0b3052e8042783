"""Who is a professional, which interest, which court (C. com. L441-10, D441-5, L721-3; C. civ.
1231-6, 1344-1; C. mon. fin. L313-2; local law of Alsace-Moselle)."""

from __future__ import annotations

import pytest

from casefile.errors import InputError
from casefile.law.parties import (
    category_of,
    court_choice,
    court_label,
    late_payment,
    split_legal_form,
    standing,
)

COMPANY = standing("societe", "SAS")
SOLE_TRADER = standing("entrepreneur_individuel")
DENTIST = standing("profession_liberale")
CONSUMER = standing("consommateur")
SCI = standing("societe", "SCI")


def test_a_sole_trader_creditor_is_a_professional_and_gets_l441_10_and_the_40_euros():
    regime = late_payment(SOLE_TRADER, COMPANY)
    assert regime.regime == "L441-10" and regime.indemnity
    assert not regime.creditor_individual_rate


def test_a_liberal_profession_is_a_professional_but_not_a_trader():
    assert DENTIST.professional and not DENTIST.trader
    assert late_payment(DENTIST, COMPANY).regime == "L441-10"


def test_a_consumer_debtor_owes_the_legal_rate_of_other_cases_and_no_indemnity():
    regime = late_payment(COMPANY, CONSUMER)
    assert regime.regime == "taux_legal" and not regime.indemnity
    assert not regime.creditor_individual_rate  # the creditor is a company: "autres cas"
    assert "1231-6" in regime.basis


def test_a_consumer_creditor_takes_the_individual_column_whatever_the_debtor():
    regime = late_payment(CONSUMER, COMPANY)
    assert regime.regime == "taux_legal" and regime.creditor_individual_rate


def test_between_traders_the_tribunal_de_commerce():
    choice = court_choice(COMPANY, standing("societe", "SARL"), "75")
    assert (choice.kind, choice.label, choice.local_law) == (
        "tribunal_de_commerce",
        "tribunal de commerce",
        False,
    )


def test_a_sole_trader_creditor_against_a_company_goes_to_the_tribunal_de_commerce():
    assert court_choice(SOLE_TRADER, COMPANY, "69").kind == "tribunal_de_commerce"


def test_a_non_trader_against_a_trader_may_choose_the_commercial_court():
    choice = court_choice(DENTIST, COMPANY, "75")
    assert choice.kind == "tribunal_de_commerce"
    assert "option" in choice.reason


@pytest.mark.parametrize("debtor", [CONSUMER, DENTIST, SCI, standing("association")])
def test_a_non_trader_debtor_goes_to_the_tribunal_judiciaire(debtor):
    assert court_choice(COMPANY, debtor, "75").kind == "tribunal_judiciaire"


@pytest.mark.parametrize("department", ["57", "67", "68"])
def test_in_alsace_moselle_the_chambre_commerciale_of_the_tribunal_judiciaire(department):
    choice = court_choice(COMPANY, standing("societe", "SARL"), department)
    assert choice.kind == "tribunal_de_commerce"  # commercial procedure
    assert choice.label == "tribunal judiciaire (chambre commerciale)" and choice.local_law
    assert court_label("tribunal_de_commerce", department) == choice.label
    assert court_label("tribunal_de_commerce", "21") == "tribunal de commerce"


def test_categories_from_the_older_columns():
    assert category_of(None, "consommateur", "personne") == "consommateur"
    assert category_of(None, "professionnel", "personne") == "entrepreneur_individuel"
    assert category_of(None, "professionnel", "societe") == "societe"
    assert category_of("profession_liberale", "professionnel", "societe") == "profession_liberale"
    with pytest.raises(InputError) as refused:
        category_of("commercant")
    assert str(refused.value) == (
        "Catégorie de partie « commercant » inconnue : attendu « societe », "
        "« entrepreneur_individuel », « profession_liberale », « association », "
        "« consommateur » ou « personne_publique »."
    )


def test_a_legal_form_is_written_once():
    assert split_legal_form("Brasserie de l'Ill SAS") == ("Brasserie de l'Ill", "SAS")
    assert split_legal_form("Brasserie de l'Ill SAS", "SAS") == ("Brasserie de l'Ill", "SAS")
    assert split_legal_form("Brasserie de l'Ill", "SAS") == ("Brasserie de l'Ill", "SAS")
    assert split_legal_form("Cabinet Dentaire Opéra") == ("Cabinet Dentaire Opéra", None)
    assert split_legal_form("SCI Les Tanneurs") == ("Les Tanneurs", "SCI")
