"""French legal formatting: dates, amounts, amounts in words (classic spelling), parties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from decimal import Decimal

import pytest

from casefile.documents.context import Company, Person
from casefile.documents.formatting import (
    FILTERS,
    amount_fr,
    amount_in_words,
    date_fr,
    integer_in_words,
    party_designation,
    party_name,
    party_salutation,
    percent_fr,
    time_fr,
)
from casefile.documents.render import make_environment
from casefile.errors import InputError

NN = "\u202f"  # narrow no-break space, thousands
NB = "\u00a0"  # no-break space, before €


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 15), "15 mars 2026"),
        (date(2026, 3, 1), "1er mars 2026"),
        (date(2027, 1, 1), "1er janvier 2027"),
        (date(2026, 2, 28), "28 février 2026"),
        (date(2024, 2, 29), "29 février 2024"),
        (date(2026, 8, 11), "11 août 2026"),
        (date(2026, 12, 31), "31 décembre 2026"),
        (date(2022, 7, 1), "1er juillet 2022"),
    ],
)
def test_dates_are_written_the_french_legal_way_with_1er_for_the_first(day, expected):
    assert date_fr(day) == expected


def test_date_filter_accepts_iso_strings_and_rejects_garbage():
    assert date_fr("2026-05-01") == "1er mai 2026"
    with pytest.raises(InputError, match="2026-13-01"):
        date_fr("2026-13-01")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.01", f"0,01{NB}€"),
        ("0", f"0,00{NB}€"),
        ("40", f"40,00{NB}€"),
        ("999.99", f"999,99{NB}€"),
        ("1000", f"1{NN}000,00{NB}€"),
        ("12345.67", f"12{NN}345,67{NB}€"),
        ("1000000", f"1{NN}000{NN}000,00{NB}€"),
        ("4999.5", f"4{NN}999,50{NB}€"),
        ("-250.10", f"-250,10{NB}€"),
    ],
)
def test_amounts_use_a_narrow_no_break_space_between_thousands(amount, expected):
    assert amount_fr(Decimal(amount)) == expected


def test_amounts_refuse_floats_and_sub_cent_precision():
    with pytest.raises(InputError, match="virgule flottante"):
        amount_fr(12.5)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="deux décimales"):
        amount_fr(Decimal("10.005"))
    assert amount_fr(Decimal("10.500")) == f"10,50{NB}€"


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zéro"),
        (1, "un"),
        (16, "seize"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (22, "vingt-deux"),
        (61, "soixante et un"),
        (70, "soixante-dix"),
        (71, "soixante et onze"),
        (77, "soixante-dix-sept"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (90, "quatre-vingt-dix"),
        (91, "quatre-vingt-onze"),
        (99, "quatre-vingt-dix-neuf"),
        (100, "cent"),
        (101, "cent un"),
        (180, "cent quatre-vingts"),
        (200, "deux cents"),
        (201, "deux cent un"),
        (999, "neuf cent quatre-vingt-dix-neuf"),
        (1000, "mille"),
        (1001, "mille un"),
        (2000, "deux mille"),
        (80000, "quatre-vingt mille"),
        (200000, "deux cent mille"),
        (1_000_000, "un million"),
        (2_000_000, "deux millions"),
        (200_000_000, "deux cents millions"),
        (80_000_000, "quatre-vingts millions"),
        (1_200_000, "un million deux cent mille"),
        (1_000_000_000, "un milliard"),
    ],
)
def test_integers_in_words_follow_the_classic_spelling(n, words):
    assert integer_in_words(n) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("12345.67", "douze mille trois cent quarante-cinq euros et soixante-sept centimes"),
        ("0.01", "un centime"),
        ("0", "zéro euro"),
        ("1", "un euro"),
        ("1.01", "un euro et un centime"),
        ("40", "quarante euros"),
        ("80.80", "quatre-vingts euros et quatre-vingts centimes"),
        ("281", "deux cent quatre-vingt-un euros"),
        ("5000", "cinq mille euros"),
        ("6528.09", "six mille cinq cent vingt-huit euros et neuf centimes"),
        ("1000000", "un million d'euros"),
        ("3000000.50", "trois millions d'euros et cinquante centimes"),
        ("1000001", "un million un euros"),
    ],
)
def test_amounts_in_words_say_euros_and_centimes(amount, words):
    assert amount_in_words(Decimal(amount)) == words


def test_negative_amounts_cannot_be_written_in_words():
    with pytest.raises(InputError, match="un montant négatif ne s"):
        amount_in_words(Decimal("-1"))


def test_rates_and_hearing_times():
    assert percent_fr(Decimal("12.15")) == f"12,15{NB}%"
    assert time_fr(time(9, 30)) == "9\u00a0h\u00a030"
    assert time_fr(time(14, 0)) == "14\u00a0h"


LYON_SAS = Company(
    name="X",
    legal_form="SAS",
    share_capital=Decimal("10000"),
    rcs_city="Lyon",
    siren="812345676",
    address="5 place Bellecour, 69002 Lyon",
)


def test_a_company_is_designated_with_form_capital_rcs_seat_and_representative():
    assert party_designation(LYON_SAS) == (
        f"la société X, SAS au capital de 10{NN}000,00{NB}€, immatriculée au RCS de Lyon sous "
        f"le n° 812{NB}345{NB}676, dont le siège est 5 place Bellecour, 69002 Lyon, prise en la "
        "personne de son représentant légal domicilié en cette qualité audit siège"
    )
    assert party_name(LYON_SAS) == "la société X"


@pytest.mark.parametrize(
    ("representative", "domiciled"),
    [
        ("Mme Anne Schmitt, gérante", "domiciliée"),
        ("Madame Anne Schmitt, présidente", "domiciliée"),
        ("M. Paul Muller, président", "domicilié"),
        ("Paul Muller", "domicilié"),
    ],
)
def test_the_representative_is_domiciled_in_the_agreement_of_the_person_named(
    representative, domiciled
):
    company = replace(LYON_SAS, representative=representative)
    assert party_designation(company).endswith(
        f"prise en la personne de son représentant légal, {representative}, {domiciled} en cette "
        "qualité audit siège"
    )


def test_an_unregistered_company_is_designated_by_its_siren():
    association = Company(
        "Les Amis", "association", None, None, "503219875", "1 rue A, 75001 Paris"
    )
    assert party_designation(association).startswith(
        f"la société Les Amis, association, identifiée sous le n° SIREN 503{NB}219{NB}875,"
    )


def test_a_person_is_designated_with_civility_and_address():
    person = Person("Monsieur", "Jean", "Dupont", "3 rue des Tanneurs, 67000 Strasbourg")
    assert party_designation(person) == (
        "Monsieur Jean Dupont, demeurant 3 rue des Tanneurs, 67000 Strasbourg"
    )


@pytest.mark.parametrize(
    ("civility", "salutation"),
    [("Monsieur", "Monsieur"), ("Madame", "Madame"), (None, "Madame, Monsieur")],
)
def test_a_letter_greets_a_person_by_the_civility_recorded(civility, salutation):
    """« Madame, Monsieur, » to Madame Léa Rossi read as a form letter: the mise en demeure and
    the lettre de relance greet the person they are addressed to."""
    person = Person(civility, "Léa", "Rossi", "3 place Bellecour, 69002 Lyon")
    assert party_salutation(person) == salutation


def test_a_letter_to_a_company_greets_madame_monsieur():
    assert party_salutation(LYON_SAS) == "Madame, Monsieur"


def test_a_siren_with_a_wrong_key_is_refused():
    with pytest.raises(InputError, match="123456789"):
        Company("Y", "SARL", Decimal("1000"), "Lyon", "123456789", "Lyon")


def test_filters_are_registered_on_the_rendering_environment():
    env = make_environment()
    assert set(FILTERS) <= set(env.filters)
    out = env.from_string("{{ d|date_fr }} {{ m|montant }} {{ m|montant_lettres }}").render(
        d=date(2026, 1, 1), m=Decimal("80")
    )
    assert out == f"1er janvier 2026 80,00{NB}€ quatre-vingts euros"


def test_dates_and_numbers_read_as_babel_writes_them_in_french() -> None:
    """formatting.py writes dates and amounts itself (babel's locale lookups were most of a
    context's cost): the same text as babel's fr_FR patterns, day by day and across signs and
    magnitudes."""
    import random
    from datetime import timedelta

    from babel.dates import format_date
    from babel.numbers import format_decimal

    from casefile.documents.formatting import NBSP, NNBSP, date_fr, number_fr, percent_fr

    day = date(2000, 1, 1)
    while day < date(2031, 1, 1):
        expected = format_date(day, "d MMMM y", locale="fr_FR")
        assert date_fr(day) == ("1er" + expected[1:] if day.day == 1 else expected)
        day += timedelta(days=1)
    draw = random.Random(13)
    amounts = [Decimal(draw.randint(-(10**11), 10**11)) / 100 for _ in range(3000)]
    amounts += [Decimal(draw.randint(-(10**5), 10**5)) / 100 for _ in range(3000)]
    for amount in [*amounts, Decimal("0"), Decimal("-0.01"), Decimal("1000"), Decimal("999.99")]:
        expected = format_decimal(amount, format="#,##0.00", locale="fr_FR")
        assert number_fr(amount) == expected.replace(NBSP, NNBSP).replace(" ", NNBSP)
    for rate in [Decimal(draw.randint(0, 20000)) / 1000 for _ in range(2000)] + [Decimal("-1.5")]:
        assert percent_fr(rate) == format_decimal(rate, format="0.00", locale="fr_FR") + NBSP + "%"


def test_siret_is_grouped_like_the_siren() -> None:
    from casefile.documents.formatting import siren_fr, siret_fr

    assert siren_fr("123456789") == "123\u00a0456\u00a0789"
    assert siret_fr("12345678900012") == "123\u00a0456\u00a0789\u00a000012"
    assert siret_fr("123 456 789 00012") == "123\u00a0456\u00a0789\u00a000012"


def test_the_pages_and_the_audit_journal_group_the_siren() -> None:
    from jinja2 import Environment

    from casefile.api.web.filters import register
    from casefile.services.audit import _value

    environment = Environment(autoescape=True)
    register(environment)
    page = environment.from_string("SIREN {{ a | siren_fr }}, SIRET {{ b | siret_fr }}")
    assert page.render(a="732829320", b="73282932000074") == (
        "SIREN 732\u00a0829\u00a0320, SIRET 732\u00a0829\u00a0320\u00a000074"
    )
    assert _value("siren", "732829320") == "732\u00a0829\u00a0320"
    assert _value("siret", "73282932000074") == "732\u00a0829\u00a0320\u00a000074"
