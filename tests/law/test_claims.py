"""Claim statements checked against figures computed by hand (written out beside each test).

C. com. L441-10 (ECB rate of 1 January / 1 July + 10 points, from the day after the due date),
D441-5 (40 € per late invoice between professionals), C. civ. 1231-6 / 1344-1 (taux légal from
the mise en demeure), 1342-10 (imputation), 1343-1 (interest first). Day count: actual/365.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefile.definitions import parameters
from casefile.errors import InputError
from casefile.law.claims import Invoice, Payment, claim_statement
from casefile.law.wording import amount_fr

D = Decimal
RATES = parameters()


def invoice(number: str, due: date, amount: str, paid: str = "0.00") -> Invoice:
    return Invoice(number, date(due.year, 1, 1), due, D(amount), D(paid))


def test_semester_change_splits_the_interest_at_1_july():
    """Due 15 May 2024, statement on 30 Sept 2024, 1 000 €:
    16 May–30 June = 46 days at 4.50 + 10 = 14.50 %: 1000 × 14.50 × 46 / 36500 = 18.2739… → 18.27
    1 July–30 Sept = 92 days at 4.25 + 10 = 14.25 %: 1000 × 14.25 × 92 / 36500 = 35.9178… → 35.92
    + 40 € indemnity = 1 094.19 €."""
    s = claim_statement(
        [invoice("F1", date(2024, 5, 15), "1000.00")], [], date(2024, 9, 30), rates=RATES
    )
    assert [(ln.start, ln.end, ln.days, ln.rate, ln.amount) for ln in s.interest_lines] == [
        (date(2024, 5, 16), date(2024, 6, 30), 46, D("14.50"), D("18.27")),
        (date(2024, 7, 1), date(2024, 9, 30), 92, D("14.25"), D("35.92")),
    ]
    assert s.interest == D("54.19")
    assert s.indemnities == D("40.00")
    assert s.total == D("1094.19")
    assert s.regime == "L441-10"


def test_leap_year_still_counts_365_days():
    """Due 15 Feb 2024, statement on 15 March 2024: 16–29 Feb (14 days, 29 Feb included) +
    1–15 March (15 days) = 29 days at 14.50 %: 1000 × 14.50 × 29 / 36500 = 11.5205… → 11.52
    (on 366 days it would be 11.49)."""
    s = claim_statement(
        [invoice("F1", date(2024, 2, 15), "1000.00")], [], date(2024, 3, 15), rates=RATES
    )
    (line,) = s.interest_lines
    assert (line.days, line.amount) == (29, D("11.52"))


def test_partial_payment_on_a_named_invoice_pays_interest_first():
    """Due 15 May 2024; 200 € paid on 14 June 2024 naming F1.
    16 May–14 June = 30 days at 14.50 %: 1000 × 14.50 × 30 / 36500 = 11.9178… → 11.92
    payment: 11.92 to interest (C. civ. 1343-1), 188.08 to principal → 811.92 left
    15–30 June = 16 days: 811.92 × 14.50 × 16 / 36500 = 5.1606… → 5.16
    1 July–30 Sept = 92 days at 14.25 %: 811.92 × 14.25 × 92 / 36500 = 29.1623… → 29.16
    owed: 811.92 + 5.16 + 29.16 + 40 = 886.24."""
    s = claim_statement(
        [invoice("F1", date(2024, 5, 15), "1000.00")],
        [Payment(date(2024, 6, 14), D("200.00"), "F1")],
        date(2024, 9, 30),
        rates=RATES,
    )
    assert [ln.amount for ln in s.interest_lines] == [D("11.92"), D("5.16"), D("29.16")]
    (imputation,) = s.imputations
    assert (imputation.to_interest, imputation.to_principal) == (D("11.92"), D("188.08"))
    assert "1342-10 al. 1" in imputation.rule
    balance = s.invoice("F1")
    assert balance.principal_outstanding == D("811.92")
    assert balance.interest_outstanding == D("34.32")
    assert s.total == D("886.24")


def test_unnamed_payment_goes_to_the_oldest_due_debt_first():
    """F1 500 € due 1 March 2024, F2 500 € due 1 April 2024, 600 € paid 10 April unnamed.
    F1: 2 March–10 April = 40 days: 500 × 14.50 × 40 / 36500 = 7.945… → 7.95; the payment pays
    7.95 + 500 (F1 settled), 92.05 left for F2: 2–10 April = 9 days → 1.7876… → 1.79, then 90.26
    of principal → 409.74. F2 11–30 April = 20 days: 409.74 × 14.50 × 20 / 36500 = 3.2555… → 3.26.
    Both were late: 2 × 40 €. Owed on 30 April: 409.74 + 3.26 + 80 = 493.00."""
    s = claim_statement(
        [invoice("F2", date(2024, 4, 1), "500.00"), invoice("F1", date(2024, 3, 1), "500.00")],
        [Payment(date(2024, 4, 10), D("600.00"))],
        date(2024, 4, 30),
        rates=RATES,
    )
    assert [(i.invoice, i.to_interest, i.to_principal) for i in s.imputations] == [
        ("F1", D("7.95"), D("500.00")),
        ("F2", D("1.79"), D("90.26")),
    ]
    assert s.invoice("F1").principal_outstanding == D("0.00")
    assert s.invoice("F2").principal_outstanding == D("409.74")
    assert s.interest_lines[-1].amount == D("3.26")
    assert s.indemnities == D("80.00")
    assert s.total == D("493.00")


def test_debts_due_the_same_day_share_a_payment_proportionally():
    """F1 1 000 € and F2 500 € both due 15 May 2024, 300 € paid 14 June unnamed.
    Interest 30 days at 14.50 %: F1 11.92, F2 500 × 14.50 × 30 / 36500 = 5.958… → 5.96.
    Owed 1 011.92 + 505.96 = 1 517.88; shares 300 × 1011.92 / 1517.88 = 200.00 and 100.00."""
    s = claim_statement(
        [invoice("F1", date(2024, 5, 15), "1000.00"), invoice("F2", date(2024, 5, 15), "500.00")],
        [Payment(date(2024, 6, 14), D("300.00"))],
        date(2024, 6, 14),
        rates=RATES,
    )
    assert [(i.invoice, i.to_interest + i.to_principal) for i in s.imputations] == [
        ("F1", D("200.00")),
        ("F2", D("100.00")),
    ]
    assert "proportion" in s.imputations[0].rule


def test_invoice_paid_on_its_due_date_owes_no_interest_nor_indemnity():
    s = claim_statement(
        [
            invoice("F1", date(2024, 5, 15), "1000.00"),
            invoice("F2", date(2024, 5, 15), "300.00", paid="300.00"),
        ],
        [Payment(date(2024, 5, 15), D("1000.00"), "F1")],
        date(2024, 9, 30),
        rates=RATES,
    )
    assert s.interest_lines == ()
    assert s.indemnities == D("0.00")
    assert s.total == D("0.00")


def test_consumer_debtor_pays_the_legal_rate_from_the_mise_en_demeure_without_indemnity():
    """Due 1 March 2024, mise en demeure 10 April 2024, statement 31 Aug 2024, creditor a company:
    11 April–30 June = 81 days at 5.07 %: 1000 × 5.07 × 81 / 36500 = 11.2512… → 11.25
    1 July–31 Aug = 62 days at 4.92 %: 1000 × 4.92 × 62 / 36500 = 8.3572… → 8.36."""
    s = claim_statement(
        [invoice("F1", date(2024, 3, 1), "1000.00")],
        [],
        date(2024, 8, 31),
        rates=RATES,
        debtor_kind="consommateur",
        mise_en_demeure_date=date(2024, 4, 10),
    )
    assert [(ln.days, ln.rate, ln.amount) for ln in s.interest_lines] == [
        (81, D("5.07"), D("11.25")),
        (62, D("4.92"), D("8.36")),
    ]
    assert s.indemnities == D("0.00")
    assert s.total == D("1019.61")


def test_creditor_natural_person_gets_the_higher_legal_rate():
    """Same facts, creditor a private person: 1000 × 8.01 × 81 / 36500 = 17.7756… → 17.78 and
    1000 × 8.16 × 62 / 36500 = 13.8608… → 13.86."""
    s = claim_statement(
        [invoice("F1", date(2024, 3, 1), "1000.00")],
        [],
        date(2024, 8, 31),
        rates=RATES,
        debtor_kind="consommateur",
        creditor_is_individual=True,
        mise_en_demeure_date=date(2024, 4, 10),
    )
    assert [ln.amount for ln in s.interest_lines] == [D("17.78"), D("13.86")]


def test_consumer_without_mise_en_demeure_owes_no_interest():
    s = claim_statement(
        [invoice("F1", date(2024, 3, 1), "1000.00")],
        [],
        date(2024, 8, 31),
        rates=RATES,
        debtor_kind="consommateur",
    )
    assert s.interest_lines == ()
    assert s.total == D("1000.00")
    assert "mise en demeure" in s.notes[0]


def test_a_semester_without_a_published_rate_stops_the_interest_and_says_so():
    """2026 H2 is not published yet: the interest of 2026 H1 is counted (16 May–30 June, 46
    days at 12.15 %: 1000 × 12.15 × 46 / 36500 = 15.3123… → 15.31), none after, and the
    statement is provisional — never a silent 0,00 €."""
    s = claim_statement(
        [invoice("F1", date(2026, 5, 15), "1000.00")], [], date(2026, 7, 20), rates=RATES
    )
    assert [(ln.start, ln.end, ln.amount) for ln in s.interest_lines] == [
        (date(2026, 5, 16), date(2026, 6, 30), D("15.31"))
    ]
    assert s.provisional and s.missing_semesters == ("2026 H2",)
    assert "second semestre 2026" in s.notes[-1] and "provisoire" in s.notes[-1]
    before = claim_statement(
        [invoice("F1", date(2014, 9, 1), "1000.00")], [], date(2014, 10, 1), rates=RATES
    )
    assert before.interest_lines == () and before.missing_semesters == ("2014 H2",)


def test_a_complete_statement_is_not_provisional():
    s = claim_statement(
        [invoice("F1", date(2026, 5, 15), "1000.00")], [], date(2026, 6, 30), rates=RATES
    )
    assert not s.provisional and s.missing_semesters == ()


def test_2015_first_semester_uses_the_sourced_ecb_rate():
    """Due 31 Jan 2015, statement 2 March 2015: 30 days at 0.05 + 10 = 10.05 %:
    1000 × 10.05 × 30 / 36500 = 8.2602… → 8.26."""
    s = claim_statement(
        [invoice("F1", date(2015, 1, 31), "1000.00")], [], date(2015, 3, 2), rates=RATES
    )
    assert [(ln.rate, ln.amount) for ln in s.interest_lines] == [(D("10.05"), D("8.26"))]


def test_overpayment_is_reported_not_lost():
    s = claim_statement(
        [invoice("F1", date(2024, 5, 15), "100.00")],
        [Payment(date(2024, 5, 1), D("150.00"))],
        date(2024, 6, 1),
        rates=RATES,
    )
    assert s.unapplied == D("50.00")
    assert s.total == D("0.00")


@pytest.mark.parametrize(
    ("invoices", "payments", "message"),
    [
        (
            [Invoice("F1", date(2024, 5, 2), date(2024, 5, 1), D("10.00"))],
            [],
            "Facture F1 : l'échéance (1er mai 2024) précède la date d'émission (2 mai 2024).",
        ),
        (
            [invoice("F1", date(2024, 5, 1), "10.00"), invoice("F1", date(2024, 5, 1), "10.00")],
            [],
            "Facture F1 : ce numéro de facture figure deux fois.",
        ),
        (
            [invoice("F1", date(2024, 5, 1), "-10.00")],
            [],
            "Facture F1 : le montant TTC (-10,00\u00a0€) doit être positif.",
        ),
        (
            [Invoice("F-12", date(2024, 4, 1), date(2024, 5, 1), D("4080.00"), D("5000.00"))],
            [],
            "Facture F-12 : le montant payé (5\u202f000,00\u00a0€) dépasse le montant TTC "
            "(4\u202f080,00\u00a0€).",
        ),
        (
            [invoice("F1", date(2024, 5, 1), "10.005")],
            [],
            "Facture F1 : le montant TTC (10,005 €) a plus de deux décimales.",
        ),
        (
            [invoice("F1", date(2024, 5, 1), "10.00")],
            [Payment(date(2024, 5, 1), D("1"), "F9")],
            "Paiement du 1er mai 2024 : la facture « F9 » qu'il règle ne figure pas parmi les "
            "factures du dossier.",
        ),
        (
            [invoice("F1", date(2024, 5, 1), "10.00")],
            [Payment(date(2024, 5, 1), D("0.001"))],
            "Paiement du 1er mai 2024 : le montant (0,001 €) doit être positif, au centime près.",
        ),
    ],
)
def test_bad_input_names_the_field(invoices, payments, message):
    with pytest.raises(InputError) as refused:
        claim_statement(invoices, payments, date(2024, 6, 1), rates=RATES)
    assert str(refused.value) == message


def test_an_unknown_invoice_is_named_in_french():
    statement = claim_statement(
        [invoice("F1", date(2024, 5, 1), "10.00")], [], date(2024, 6, 1), rates=RATES
    )
    with pytest.raises(InputError) as refused:
        statement.invoice("F9")
    assert str(refused.value) == "Facture « F9 » : elle ne figure pas dans le décompte."


def test_check_warns_when_the_current_semester_has_no_rate():
    from casefile.law.claims import missing_semester_rates

    assert missing_semester_rates(RATES, date(2026, 6, 30)) == []
    warnings = missing_semester_rates(RATES, date(2026, 11, 30))
    assert [w.split(" :")[0] for w in warnings] == [
        "« taux_bce_refinancement »",
        "« taux_interet_legal »",
    ]
    assert "second semestre 2026" in warnings[0]


def test_lines_and_notes_say_dates_and_amounts_in_french():
    """The explanation of an interest line and the notes are read by a person: '1 000,00 €',
    '14,50 %', '16 mai 2024', never ISO dates or raw decimals. Paid 2 000 € on 1 Sept 2024:
    1 000 € + 18,27 € (16 May–30 June) + 24,60 € (1 July–1 Sept, 63 days at 14,25 %:
    1000 × 14.25 × 63 / 36500 = 24.5958… → 24.60) = 1 042,87 €; 957,13 € overpaid."""
    s = claim_statement(
        [invoice("F1", date(2024, 5, 15), "1000.00")],
        [Payment(date(2024, 9, 1), D("2000.00")), Payment(date(2024, 10, 5), D("5.00"))],
        date(2024, 9, 30),
        rates=RATES,
    )
    first = s.interest_lines[0]
    assert first.explanation() == (
        "F1 : 1\u202f000,00\u00a0€ × 14,50 % × 46 j / 365 (du 16 mai 2024 au 30 juin 2024) = "
        "18,27\u00a0€ — C. com. art. L441-10 : taux BCE du 1er janvier 2024 (4,50 %) + 10 points"
    )
    assert s.notes == (
        "Paiement du 5 octobre 2024 (5,00\u00a0€) postérieur à la date du décompte : non pris "
        "en compte.",
        f"Trop-perçu de {amount_fr(s.unapplied)} non imputé : à restituer ou à compenser.",
    )
    assert amount_fr(s.unapplied) == "957,13\u00a0€"


def test_a_missing_rate_says_which_semester_and_rate_in_french():
    from casefile.law.claims import MissingRate, semester_value

    with pytest.raises(MissingRate) as refused:
        semester_value(RATES["taux_bce_refinancement"], date(2026, 11, 30))
    assert (refused.value.parameter, refused.value.semester) == (
        "taux_bce_refinancement",
        "2026 H2",
    )
    assert str(refused.value) == (
        "Taux inconnu pour le second semestre 2026 : le taux de refinancement de la BCE du "
        "semestre commençant le 1er juillet 2026 n'est pas enregistré ; un administrateur "
        "l'enregistre avec sa source (« casefile rate add » ou page Taux)."
    )
