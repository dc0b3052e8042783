"""One money module: amounts as people write them, exact cents, SIREN/SIRET check digits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casefile.definitions import parameters
from casefile.errors import InputError
from casefile.law.claims import Invoice, claim_statement
from casefile.law.money import (
    MAX_AMOUNT,
    cents_text,
    check_siren,
    check_siret,
    from_cents,
    parse_amount,
    round_cents,
    to_cents,
)

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4080.5", "4080.50"),
        ("4080.50", "4080.50"),
        ("4080,50", "4080.50"),
        ("4 080,50", "4080.50"),
        ("4 080,50 €", "4080.50"),
        (f"4{NBSP}080,50{NBSP}€", "4080.50"),
        (f"4{NNBSP}080,50{NBSP}€", "4080.50"),
        (f"1{NNBSP}234{NNBSP}567,89", "1234567.89"),
        ("4.080,50", "4080.50"),
        ("4 080.50", "4080.50"),
        ("4080 EUR", "4080.00"),
        (" 12 ", "12.00"),
        ("0", "0.00"),
        (4080, "4080.00"),
        (Decimal("4080.5"), "4080.50"),
        ("1 000 000 000,00", "1000000000.00"),
    ],
)
def test_amounts_are_read_as_people_write_them(text, expected):
    assert parse_amount(text) == Decimal(expected)
    assert str(parse_amount(text)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e3", "n'est pas un montant"),
        ("1E3", "n'est pas un montant"),
        ("NaN", "n'est pas un montant"),
        ("Infinity", "n'est pas un montant"),
        (Decimal("NaN"), "n'est pas un montant"),
        (4080.5, "virgule flottante"),
        (True, "virgule flottante"),
        ("4080.505", "deux décimales"),
        ("1.234", "deux décimales"),
        (Decimal("0.001"), "deux décimales"),
        ("4 0 80", "n'est pas un montant"),
        ("40 80,00", "n'est pas un montant"),
        ("4.080", "deux décimales"),
        ("12,", "n'est pas un montant"),
        (",50", "n'est pas un montant"),
        ("+5", "n'est pas un montant"),
        ("douze", "n'est pas un montant"),
        ("", "n'est pas un montant"),
        (None, "n'est pas un montant"),
        (["4080"], "n'est pas un montant"),
        ("-5", "négatif"),
        ("1000000000.01", "maximum"),
        (10**12, "maximum"),
    ],
)
def test_anything_else_is_refused_with_the_reason(text, message):
    with pytest.raises(InputError, match=message) as error:
        parse_amount(text, "claim_total")
    assert str(error.value).startswith("claim_total : ")


def test_the_maximum_is_a_billion_euros_either_sign():
    assert Decimal("1000000000.00") == MAX_AMOUNT
    assert parse_amount("-1000000000", allow_negative=True) == -MAX_AMOUNT
    with pytest.raises(InputError, match="maximum"):
        parse_amount("-1000000000.01", allow_negative=True)


@given(st.integers(min_value=-(10**11), max_value=10**11))
def test_cents_round_trip_through_every_written_form(cents):
    amount = from_cents(cents)
    assert to_cents(amount) == cents
    assert parse_amount(cents_text(cents), allow_negative=True) == amount
    whole, _, decimals = f"{abs(amount):,.2f}".partition(".")
    french = ("-" if cents < 0 else "") + whole.replace(",", NNBSP) + "," + decimals + NBSP + "€"
    assert parse_amount(french, allow_negative=True) == amount


def test_to_cents_never_rounds():
    assert to_cents(Decimal("4080.50")) == 408050
    assert to_cents(Decimal("-0.01")) == -1
    with pytest.raises(InputError, match="deux décimales"):
        to_cents(Decimal("0.005"))
    with pytest.raises(InputError):
        to_cents(4080.5)  # type: ignore[arg-type]


def test_a_computed_amount_is_rounded_half_up_to_the_cent():
    assert round_cents(Decimal("0.005")) == Decimal("0.01")
    assert round_cents(Decimal("0.00499")) == Decimal("0.00")
    assert round_cents(Decimal("-0.005")) == Decimal("-0.01")


@pytest.mark.parametrize(
    "siren", ["732829320", "732 829 320", "552100554", "356000000", "443061841"]
)
def test_valid_sirens_pass_the_luhn_key(siren):
    assert check_siren(siren) == siren.replace(" ", "")


@pytest.mark.parametrize(
    ("siren", "message"),
    [("732829321", "clé de contrôle"), ("73282932", "9 chiffres"), ("7328293200", "9 chiffres")],
)
def test_invalid_sirens_are_refused(siren, message):
    with pytest.raises(InputError, match=message):
        check_siren(siren)


def test_a_siret_is_a_valid_siren_and_a_luhn_key_on_fourteen_digits():
    assert check_siret("732 829 320 00074") == "73282932000074"
    with pytest.raises(InputError, match="clé de contrôle"):
        check_siret("73282932000075")
    with pytest.raises(InputError, match="14 chiffres"):
        check_siret("7328293200007")
    assert check_siren(None) is None and check_siret("  ") is None


def test_la_poste_sirets_follow_their_own_rule():
    """INSEE: La Poste's establishments (SIREN 356 000 000) have SIRETs whose digit sum is a
    multiple of 5 instead of a Luhn key; the head office's SIRET is Luhn-valid."""
    assert check_siret("35600000000048") == "35600000000048"  # siège, Luhn
    assert check_siret("35600000049837") == "35600000049837"  # digit sum 45, not Luhn
    with pytest.raises(InputError, match="clé de contrôle"):
        check_siret("35600000049838")  # digit sum 46
    with pytest.raises(InputError, match="clé de contrôle"):
        check_siret("35600000149838")  # digit sum 47


def test_the_interest_divisor_is_dated_law_data():
    """Interest is base × rate × days / the day-count parameter (365, leap years included)."""
    divisor = parameters()["base_calcul_interets_jours"]
    assert divisor.value_at(date(2024, 2, 29)) == Decimal(365)
    assert "convention" in divisor.at(date(2024, 2, 29)).basis.lower()
    statement = claim_statement(
        [Invoice("F1", date(2024, 1, 1), date(2024, 1, 31), Decimal("1000.00"))],
        [],
        date(2024, 3, 1),
        rates=parameters(),
    )
    line = statement.interest_lines[0]
    assert line.day_count == Decimal(365)
    assert line.amount == round_cents(line.base * line.rate * line.days / (100 * Decimal(365)))
    assert "j / 365 " in line.explanation()
