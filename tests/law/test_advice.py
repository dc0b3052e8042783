"""Which procedures are open, by date: small-claims ceiling (CPCE R125-1: 4 000 € from
1 June 2016, 5 000 € from 1 Jan 2020), CPC 750-1 (1 Jan 2020; annulled 22 Sept 2022; back
1 Oct 2023; not for injonction de payer), court by the parties' quality, avocat above 10 000 €."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefile.definitions import parameters
from casefile.errors import InputError
from casefile.law.advice import advise


def by_key(total, on, nature="contractuelle", debtor="consommateur", creditor="commercant"):
    result = advise(Decimal(total), nature, debtor, creditor, on, parameters())
    return {a.procedure: a for a in result}


def test_all_five_procedures_are_answered_each_reason_with_its_article():
    result = advise(
        Decimal("3000"),
        "contractuelle",
        "consommateur",
        "commercant",
        date(2025, 1, 6),
        parameters(),
    )
    assert [a.procedure for a in result] == [
        "amiable",
        "petites_creances",
        "injonction_de_payer",
        "refere_provision",
        "assignation_paiement",
    ]
    for advice in result:
        assert advice.reasons
        assert all("art." in reason.basis for reason in advice.reasons)


@pytest.mark.parametrize(
    ("on", "is_open"),
    [(date(2019, 12, 31), False), (date(2020, 1, 1), True)],
)
def test_small_claims_ceiling_rises_from_4000_to_5000_on_1_january_2020(on, is_open):
    assert by_key("4500.00", on)["petites_creances"].open is is_open


def test_small_claims_did_not_exist_before_1_june_2016():
    assert by_key("100.00", date(2016, 5, 31))["petites_creances"].open is False
    assert by_key("100.00", date(2016, 6, 1))["petites_creances"].open is True


def test_small_claims_and_injonction_need_a_contractual_or_statutory_claim():
    advice = by_key("100.00", date(2024, 1, 1), nature="delictuelle")
    assert advice["petites_creances"].open is False
    assert advice["injonction_de_payer"].open is False
    assert advice["assignation_paiement"].open is True


@pytest.mark.parametrize(
    ("on", "required"),
    [
        (date(2019, 12, 31), False),  # not yet in force
        (date(2020, 1, 1), True),
        (date(2022, 9, 21), True),
        (date(2022, 9, 22), False),  # annulled by the Conseil d'État
        (date(2023, 9, 30), False),
        (date(2023, 10, 1), True),  # décret 2023-357
    ],
)
def test_prior_amicable_attempt_follows_its_validity_periods(on, required):
    advice = by_key("4000.00", on)
    assert advice["assignation_paiement"].court == "tribunal_judiciaire"
    assert advice["assignation_paiement"].amicable_attempt_required is required
    assert advice["injonction_de_payer"].amicable_attempt_required is False


def test_prior_amicable_attempt_threshold_is_inclusive():
    assert by_key("5000.00", date(2024, 1, 1))["assignation_paiement"].amicable_attempt_required
    assert not by_key("5000.01", date(2024, 1, 1))["assignation_paiement"].amicable_attempt_required


def test_refere_is_uncertain_under_750_1():
    advice = by_key("4000.00", date(2024, 1, 1))["refere_provision"]
    assert advice.open is True
    assert advice.amicable_attempt_required is None


def test_between_traders_the_tribunal_de_commerce_and_no_750_1():
    advice = by_key("4000.00", date(2024, 1, 1), debtor="commercant")
    assert advice["assignation_paiement"].court == "tribunal_de_commerce"
    assert advice["assignation_paiement"].amicable_attempt_required is False
    assert advice["injonction_de_payer"].court == "tribunal_de_commerce"


def test_avocat_mandatory_above_10000():
    assert by_key("10000.00", date(2024, 1, 1))["assignation_paiement"].avocat_required is False
    assert by_key("10000.01", date(2024, 1, 1))["assignation_paiement"].avocat_required is True
    assert by_key("10000.01", date(2019, 6, 1))["assignation_paiement"].avocat_required is None


def test_bad_input_is_named():
    with pytest.raises(InputError) as refused:
        by_key("100", date(2024, 1, 1), nature="morale")
    assert str(refused.value) == (
        "Nature de la créance « morale » inconnue : attendu « contractuelle », « statutaire » "
        "ou « delictuelle »."
    )
    with pytest.raises(InputError) as refused:
        by_key("100", date(2024, 1, 1), debtor="societe")
    assert str(refused.value) == (
        "Qualité du débiteur « societe » inconnue : attendu « commercant », « professionnel » "
        "ou « consommateur »."
    )
    with pytest.raises(InputError) as refused:
        by_key("0", date(2024, 1, 1))
    assert str(refused.value) == "Montant de la créance (0 €) : il doit être positif."


@pytest.mark.parametrize("debtor", ["consommateur", "professionnel", "commercant"])
def test_reasons_are_written_with_french_punctuation(debtor):
    """A space before « : » and « ; » (« Toujours possible : », never « possible: »)."""
    import re

    for total in ("3000.00", "12000.00"):
        for advice in by_key(total, date(2025, 1, 6), debtor=debtor).values():
            for reason in advice.reasons:
                assert not re.search(r"[\w)][:;] ", reason.text), reason.text
    texts = [r.text for r in by_key("3000.00", date(2025, 1, 6))["amiable"].reasons]
    assert "Toujours possible : la mise en demeure fait courir les intérêts moratoires." in texts
