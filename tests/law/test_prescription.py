"""Prescription of each invoice: C. com. L110-4 (5 years, a trader's commerce), C. civ. 2224
(5 years, no trader), C. conso. L218-2 (2 years), read from the law data (amiable.toml),
restarted by an acknowledgment or partial payment (C. civ. 2240, 2231), counted by the Code
civil (2228–2229): same calendar date N years later, never moved to a working day."""

from __future__ import annotations

import inspect
from datetime import date
from decimal import Decimal

import pytest

from casefile.definitions import engine, parameters
from casefile.errors import InputError
from casefile.law import prescription as law
from casefile.law.claims import Invoice, Payment, claim_statement

AMIABLE = engine().procedure("amiable")


def prescription(due: date, kind: str, acks: list[date] | None = None, **parties: object):
    return law.prescription(due, kind, acks or [], definitions=AMIABLE, **parties)  # type: ignore[arg-type]


def invoice_prescriptions(statement, acknowledgments=None, **parties):
    return law.invoice_prescriptions(statement, acknowledgments, definitions=AMIABLE, **parties)


def test_between_professionals_five_years_from_the_due_date_ending_on_a_saturday():
    """Due 28 March 2021 → 28 March 2026, a Saturday: not moved to Monday (Cass. 2e civ.
    7 April 2016, n° 15-12.960)."""
    p = prescription(date(2021, 3, 28), "professionnel")
    assert p.date == date(2026, 3, 28)
    assert p.date.weekday() == 5
    assert (p.years, p.basis, p.start_kind) == (5, "C. com. art. L110-4", "exigibilite")
    assert any("sans report" in line for line in p.explanation)


def test_consumer_two_years_ending_on_a_sunday():
    """Due 23 April 2021 → 23 April 2023, a Sunday, kept."""
    p = prescription(date(2021, 4, 23), "consommateur")
    assert (p.date, p.basis) == (date(2023, 4, 23), "C. conso. art. L218-2")


def test_partial_payment_restarts_the_period():
    """Due 10 Jan 2022 (consumer: 10 Jan 2024); partial payment 1 June 2023, before the end →
    new 2-year period: 1 June 2025."""
    p = prescription(date(2022, 1, 10), "consommateur", [date(2023, 6, 1)])
    assert (p.date, p.start, p.start_kind) == (
        date(2025, 6, 1),
        date(2023, 6, 1),
        "reconnaissance_dette",
    )
    assert p.explanation == (
        "Exigibilité le 10 janvier 2022 : délai de 2 ans (C. conso. art. L218-2).",
        "Reconnaissance ou paiement partiel le 1er juin 2023 : la prescription est interrompue, "
        "un nouveau délai de 2 ans court (C. civ. art. 2240 et 2231).",
        "Fin : le 1er juin 2025 à minuit, même quantième 2 ans après le 1er juin 2023 "
        "(C. civ. art. 2228-2229, sans report (Cass. 2e civ. 7 avril 2016, n° 15-12.960)).",
    )


def test_acknowledgment_after_the_end_does_not_revive_the_claim():
    p = prescription(date(2022, 1, 10), "consommateur", [date(2024, 1, 11)])
    assert p.date == date(2024, 1, 10)
    assert p.is_acquired(date(2024, 1, 11))
    assert not p.is_acquired(date(2024, 1, 10))


def test_29_february_start_ends_on_28_february():
    assert prescription(date(2024, 2, 29), "consommateur").date == date(2026, 2, 28)


def test_the_pure_rule_agrees_with_the_engine(engine):
    """The `amiable` procedure of the engine computes the same dates (one source of truth for
    the counting: periods.same_date_years_later)."""
    for kind, due, ack in (
        ("professionnel", "2021-03-28", "2024-02-29"),
        ("consommateur", "2022-01-10", "2023-06-01"),
    ):
        procedure = engine.procedure("amiable")
        events = [
            engine.parse_event(procedure, "exigibilite", due, {"debiteur": kind}),
            engine.parse_event(procedure, "reconnaissance_dette", ack, {}),
        ]
        schedule = engine.compute("amiable", events)
        expected = schedule.get("prescription").due
        assert (
            prescription(date.fromisoformat(due), kind, [date.fromisoformat(ack)]).date == expected
        )


def test_payments_imputed_in_the_statement_acknowledge_their_invoice():
    """F1 due 1 March 2023 receives a partial payment on 1 Sept 2023 (imputed to it, the oldest
    due); F2 due 1 Oct 2023 receives nothing. Between professionals: F1 → 1 Sept 2028,
    F2 → 1 Oct 2028."""
    statement = claim_statement(
        [
            Invoice("F1", date(2023, 2, 1), date(2023, 3, 1), Decimal("1000.00")),
            Invoice("F2", date(2023, 9, 1), date(2023, 10, 1), Decimal("500.00")),
        ],
        [Payment(date(2023, 9, 1), Decimal("100.00"))],
        date(2023, 12, 31),
        rates=parameters(),
    )
    result = invoice_prescriptions(statement)
    assert result["F1"].date == date(2028, 9, 1)
    assert result["F2"].date == date(2028, 10, 1)
    extra = invoice_prescriptions(statement, {"F2": [date(2024, 2, 1)]})
    assert extra["F2"].date == date(2029, 2, 1)
    with pytest.raises(InputError) as refused:
        invoice_prescriptions(statement, {"F9": [date(2024, 2, 1)]})
    assert str(refused.value) == (
        "Reconnaissance de dette pour la facture « F9 » : cette facture ne figure pas dans le "
        "décompte."
    )


def test_unknown_debtor_kind_is_refused():
    with pytest.raises(InputError) as refused:
        prescription(date(2022, 1, 10), "entreprise")
    assert str(refused.value) == (
        "Qualité du débiteur « entreprise » inconnue : attendu « professionnel » ou "
        "« consommateur »."
    )


@pytest.mark.parametrize(
    ("creditor", "debtor_trader", "basis"),
    [
        ("commercant", None, "C. com. art. L110-4"),  # a trader's claim on a professional
        ("commercant", True, "C. com. art. L110-4"),
        ("non_commercant", True, "C. com. art. L110-4"),  # born of the debtor's commerce
        ("non_commercant", False, "C. civ. art. 2224"),  # a profession libérale, an association
        ("non_commercant", None, "C. civ. art. 2224"),
        ("particulier", False, "C. civ. art. 2224"),
        (None, None, "C. com. art. L110-4"),  # creditor unknown: presumed a trader
    ],
)
def test_five_years_under_l110_4_or_2224_by_the_parties_quality(creditor, debtor_trader, basis):
    p = prescription(
        date(2021, 3, 28), "professionnel", creditor=creditor, debtor_trader=debtor_trader
    )
    assert (p.date, p.years, p.basis) == (date(2026, 3, 28), 5, basis)
    assert p.source.startswith("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI")


def test_a_private_creditor_against_a_consumer_is_the_civil_rule_not_l218_2():
    p = prescription(date(2021, 4, 23), "consommateur", creditor="particulier")
    assert (p.date, p.basis) == (date(2026, 4, 23), "C. civ. art. 2224")
    assert prescription(date(2021, 4, 23), "consommateur", creditor="commercant").basis == (
        "C. conso. art. L218-2"
    )


def test_the_rules_come_from_the_law_data_not_the_code():
    """No period or article in prescription.py: changing amiable.toml changes the result."""
    source = inspect.getsource(law)
    assert 'L110-4"' not in source and "LEGIARTI" not in source and "cinq ans" not in source


def test_the_engine_and_the_pure_rule_agree_for_every_quality(engine):
    procedure = engine.procedure("amiable")
    for attrs, creditor, trader in (
        ({"debiteur": "professionnel", "creancier": "non_commercant"}, "non_commercant", None),
        (
            {
                "debiteur": "professionnel",
                "creancier": "non_commercant",
                "debiteur_commercant": True,
            },
            "non_commercant",
            True,
        ),
        ({"debiteur": "consommateur", "creancier": "particulier"}, "particulier", None),
        ({"debiteur": "consommateur", "creancier": "commercant"}, "commercant", None),
    ):
        event = engine.parse_event(procedure, "exigibilite", "2021-03-28", attrs)
        computed = engine.compute("amiable", [event]).get("prescription")
        pure = prescription(
            date(2021, 3, 28), attrs["debiteur"], creditor=creditor, debtor_trader=trader
        )
        assert (computed.due, computed.basis) == (pure.date, pure.basis)
