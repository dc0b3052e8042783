"""How an import recognises a recorded creditor by its name (`name_key`): written alike by two
people, or two companies."""

from __future__ import annotations

import pytest

from casefile.law.identifiers import name_key


@pytest.mark.parametrize(
    ("written", "recorded", "legal_form"),
    [
        ("BRASSERIE DE L’ILL  SAS", "Brasserie de l'Ill", "SAS"),
        ("Brasserie de l'Ill S.A.S.", "Brasserie de l'Ill SAS", None),
        ("Brasserie de l'Ill", "Brasserie de l'Ill SAS", None),
        ("SARL Menuiserie Nantaise", "Menuiserie Nantaise", "SARL"),
        ("Électricité-Générale Paris", "ELECTRICITE GENERALE PARIS SARL", None),
        ("DUPONT SAS", "Dupont", None),
    ],
)
def test_the_same_company_written_two_ways(written, recorded, legal_form):
    assert name_key(written).same_as(name_key(recorded, legal_form))


@pytest.mark.parametrize(
    ("written", "recorded", "legal_form"),
    [
        ("Dupont SA", "Dupont SARL", None),  # two forms: two companies
        ("Dupont SARL", "Dupont", "SAS"),  # the recorded form says otherwise
        ("Boucherie", "Boucherie Sam", None),  # « Sam » is a name, not the form SAM
        ("Dupont sas", "Dupont", None),  # a form is read as written in the list, or in capitals
        ("Brasserie de l'Ill", "Brasserie de la Doller", None),
        ("SAS", "SARL", None),
    ],
)
def test_two_companies_are_not_taken_for_one(written, recorded, legal_form):
    assert not name_key(written).same_as(name_key(recorded, legal_form))
