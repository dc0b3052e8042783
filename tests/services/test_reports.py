"""The aged balance (issue 17 item 4) on both engines, with real figures: invoices due 10, 45,
100, 150 (disputed) and 200 days before `as_of`, one not yet due, one issued later; payments
naming an invoice, unassigned ones imputed to the oldest due first (C. civ. art. 1342-10), one
dated after `as_of`; the visibility of a commissaire de justice and the filters."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from casefile.errors import InputError, InvalidFields
from casefile.services import cases, claims, payments
from casefile.services.cases import NewCase, PartyIn
from casefile.services.reports import AgedBalanceQuery, aged_balance, export_csv, parse_as_of
from casefile.store import users
from casefile.store.cases import InvoiceIn, PaymentIn
from casefile.store.permissions import SYSTEM, User

AS_OF = date(2026, 11, 30)


def _due(days: int) -> date:
    return AS_OF - timedelta(days=days)


def _invoice(number: str, due: date, amount: str, paid: str = "0") -> InvoiceIn:
    return InvoiceIn(number, due - timedelta(days=30), due, Decimal(amount), Decimal(paid))


def _portfolio(store) -> dict[str, User]:
    """Case A (lawyer "maitre-a") and case B (commissaire "cj-b"), as described above."""
    people: dict[str, User] = {}
    for name, role in (("maitre-a", "avocat"), ("cj-b", "commissaire_de_justice")):
        people[name], _ = store.run(users.create_user(name, role))
    a = store.run(
        cases.create_case(
            NewCase(
                reference="BA-A",
                procedure="injonction_de_payer",
                court=None,
                court_department="67",
                creditor=PartyIn(name="Brasserie de l'Ill SAS", siren="732829320"),
                debtor=PartyIn(name="Winstub Muller SARL"),
                lawyer="maitre-a",
            ),
            SYSTEM,
        )
    )
    for invoice in (
        _invoice("A-10", _due(10), "1000.00", paid="100.00"),
        _invoice("A-45", _due(45), "2000.00"),
        _invoice("A-100", _due(100), "3000.00"),
        _invoice("A-150", _due(150), "700.00"),
        _invoice("A-200", _due(200), "4000.00"),
        _invoice("A-NOT-DUE", date(2026, 12, 15), "500.00"),
        InvoiceIn("A-LATER", date(2026, 12, 1), date(2026, 12, 31), Decimal("999.00")),
    ):
        store.run(claims.add_claim(a["id"], invoice, SYSTEM, today=AS_OF))
    store.run(
        claims.set_dispute(
            a["id"], "A-150", SYSTEM, disputed=True, reason="Fûts non livrés", on=date(2026, 11, 5)
        )
    )
    for payment in (
        PaymentIn(date(2026, 11, 10), Decimal("500.00"), "A-45"),
        PaymentIn(date(2026, 11, 20), Decimal("200.00"), "A-150"),
        PaymentIn(date(2026, 11, 1), Decimal("4200.00")),  # → A-200 (4000), A-100 (200)
        PaymentIn(date(2026, 12, 5), Decimal("100.00")),  # after as_of: not counted
    ):
        store.run(payments.add_payment(a["id"], payment, SYSTEM, today=AS_OF))
    b = store.run(
        cases.create_case(
            NewCase(
                reference="BA-B",
                procedure="injonction_de_payer",
                court=None,
                court_department="75",
                creditor=PartyIn(name="Brasserie de l'Ill SAS", siren="732829320"),
                debtor=PartyIn(name="Café de la Gare"),
                commissaire="cj-b",
            ),
            SYSTEM,
        )
    )
    store.run(claims.add_claim(b["id"], _invoice("B-45", _due(45), "300.00"), SYSTEM))
    store.run(claims.add_claim(b["id"], _invoice("B-10", _due(10), "200.00"), SYSTEM))
    # 250 named on a 200 invoice: the 50 left over go to the oldest due (B-45).
    store.run(
        payments.add_payment(
            b["id"], PaymentIn(date(2026, 11, 25), Decimal("250.00"), "B-10"), SYSTEM
        )
    )
    return people


def _amounts(balance) -> dict[str, str]:
    shown = balance.as_json()
    return {b["key"]: b["amount"] for b in shown["buckets"]} | {
        "total": shown["total"],
        "disputed": shown["disputed"],
    }


def test_aged_balance_buckets_with_imputation_and_disputes(store):
    people = _portfolio(store)
    everything = store.run(aged_balance(SYSTEM, AgedBalanceQuery(AS_OF)))
    assert _amounts(everything) == {
        "non_echu": "500.00",
        "1-30": "900.00",
        "31-60": "1750.00",  # A-45 2000 − 500 named; B-45 300 − 50 left over from B-10
        "61-90": "0.00",
        "91-120": "2800.00",  # A-100 3000 − the 200 the unassigned 4200 left after A-200
        "120+": "0.00",  # A-200 paid off by the unassigned payment
        "total": "5950.00",
        "disputed": "500.00",  # A-150 700 − 200 named, apart from the buckets
    }
    shown = everything.as_json()
    assert shown["as_of"] == "2026-11-30"
    assert [b["label"] for b in shown["buckets"]] == [
        "Non échu",
        "1 à 30 jours",
        "31 à 60 jours",
        "61 à 90 jours",
        "91 à 120 jours",
        "Plus de 120 jours",
    ]
    assert [b["invoices"] for b in shown["buckets"]] == [1, 1, 2, 0, 1, 0]
    assert shown["disputed_invoices"] == 1

    # A commissaire de justice sees only the case assigned to them.
    own = store.run(aged_balance(people["cj-b"], AgedBalanceQuery(AS_OF)))
    assert _amounts(own)["31-60"] == "250.00" and _amounts(own)["total"] == "250.00"
    assert _amounts(own)["disputed"] == "0.00"
    # Filters: the debtor by name (any case), the creditor by SIREN, the lawyer by name.
    assert (
        _amounts(
            store.run(aged_balance(SYSTEM, AgedBalanceQuery(AS_OF, debtor="café de la gare")))
        )["total"]
        == "250.00"
    )
    by_lawyer = store.run(aged_balance(SYSTEM, AgedBalanceQuery(AS_OF, lawyer="maitre-a")))
    assert _amounts(by_lawyer)["total"] == "5700.00"
    by_creditor = store.run(aged_balance(SYSTEM, AgedBalanceQuery(AS_OF, creditor="732 829 320")))
    assert _amounts(by_creditor)["total"] == "5950.00"
    nobody = store.run(aged_balance(SYSTEM, AgedBalanceQuery(AS_OF, creditor="Inconnu SA")))
    assert _amounts(nobody)["total"] == "0.00"
    with pytest.raises(InputError):
        store.run(aged_balance(SYSTEM, AgedBalanceQuery(AS_OF, lawyer="personne")))

    csv_text = export_csv(everything)
    assert csv_text.startswith("\ufeffTranche;Factures;Restant dû (€)\r\n")
    assert "31 à 60 jours;2;1750,00\r\n" in csv_text
    assert "Total;5;5950,00\r\n" in csv_text
    assert "Contesté (hors total);1;500,00\r\n" in csv_text


def test_aged_balance_on_an_earlier_day(store):
    """On 31 October 2026 the November payments and the dispute (5 November) do not exist yet,
    A-NOT-DUE is not issued, and A-150 is exactly 120 days past due (91 to 120)."""
    _portfolio(store)
    earlier = store.run(
        aged_balance(SYSTEM, AgedBalanceQuery(date(2026, 10, 31), debtor="Winstub Muller SARL"))
    )
    assert _amounts(earlier) == {
        "non_echu": "900.00",  # A-10 due 20 November
        "1-30": "2000.00",  # A-45 due 16 October: 15 days
        "31-60": "0.00",
        "61-90": "3000.00",  # A-100 due 22 August: 70 days
        "91-120": "700.00",  # A-150 due 3 July: 120 days, not yet disputed
        "120+": "4000.00",  # A-200 due 14 May: 170 days
        "total": "10600.00",
        "disputed": "0.00",
    }


def test_dispute_needs_a_reason_and_can_be_lifted(store):
    case = store.run(
        cases.create_case(
            NewCase(
                "BA-C",
                "injonction_de_payer",
                None,
                "75",
                PartyIn(name="C SA"),
                PartyIn(name="D SARL"),
            ),
            SYSTEM,
        )
    )
    store.run(claims.add_claim(case["id"], _invoice("C-1", _due(40), "100.00"), SYSTEM))
    with pytest.raises(InvalidFields) as refused:
        store.run(claims.set_dispute(case["id"], "C-1", SYSTEM, disputed=True, reason="  "))
    assert set(refused.value.errors) == {"dispute_reason"}
    marked = store.run(
        claims.set_dispute(
            case["id"], "C-1", SYSTEM, disputed=True, reason="Prix contesté", today=AS_OF
        )
    )
    assert (marked["disputed"], marked["disputed_on"]) == (True, "2026-11-30")
    query = AgedBalanceQuery(AS_OF, debtor="D SARL")
    assert _amounts(store.run(aged_balance(SYSTEM, query)))["disputed"] == "100.00"
    store.run(claims.set_dispute(case["id"], "C-1", SYSTEM, disputed=False))
    lifted = _amounts(store.run(aged_balance(SYSTEM, query)))
    assert (lifted["31-60"], lifted["disputed"]) == ("100.00", "0.00")


def test_as_of_is_a_date():
    assert parse_as_of(None, AS_OF) == AS_OF
    assert parse_as_of("2026-02-28", AS_OF) == date(2026, 2, 28)
    with pytest.raises(InputError, match="n'est pas une date"):
        parse_as_of("2026-02-30", AS_OF)


def test_the_stored_ledger_gives_the_full_imputation_s_figures(store):
    """`claims.outstanding_cents` and `cases.ledger_on` (kept by every change) answer the
    dates on or after the ledger date; the full statement (ledger_on NULL) gives the same."""
    from casefile.store.ledger import refresh_ledger
    from casefile.store.tables import Case, Claim

    _portfolio(store)
    stored = {
        r["invoice_number"]: r["outstanding_cents"]
        for r in store.run(Claim.select(Claim.invoice_number, Claim.outstanding_cents))
    }
    assert stored == {
        "A-10": 90000,
        "A-45": 150000,
        "A-100": 270000,  # every payment, the 100 of 5 December included
        "A-150": 50000,
        "A-200": 0,
        "A-NOT-DUE": 50000,
        "A-LATER": 99900,
        "B-45": 25000,
        "B-10": 0,
    }
    ledger = {
        r["reference"]: r["ledger_on"]
        for r in store.run(Case.select(Case.reference, Case.ledger_on))
    }
    assert ledger == {"BA-A": date(2026, 12, 5), "BA-B": date(2026, 11, 25)}
    ids = [r["id"] for r in store.run(Case.select(Case.id))]
    for as_of in (AS_OF, date(2027, 1, 15)):
        quick = _amounts(store.run(aged_balance(SYSTEM, AgedBalanceQuery(as_of))))
        store.run(Case.update({Case.ledger_on: None}, force=True))
        assert _amounts(store.run(aged_balance(SYSTEM, AgedBalanceQuery(as_of)))) == quick
        store.run(refresh_ledger(ids))
    # 15 January 2027: 900 + 1500 + 2700 + 500 + 999 (A) + 250 (B)
    assert quick["total"] == "6849.00"


def test_aged_balance_per_creditor_debtor_and_lawyer(store):
    from casefile.services.aged_groups import aged_groups, export_groups_csv

    _portfolio(store)
    debtors = store.run(aged_groups(SYSTEM, AgedBalanceQuery(AS_OF), "debtor"))
    shown = {
        r["name"]: (r["total"], r["disputed"], [b["amount"] for b in r["buckets"]])
        for r in debtors.as_json()["rows"]
    }
    assert shown == {
        "Winstub Muller SARL": (
            "5700.00",
            "500.00",
            ["500.00", "900.00", "1500.00", "0.00", "2800.00", "0.00"],
        ),
        "Café de la Gare": ("250.00", "0.00", ["0.00", "0.00", "250.00", "0.00", "0.00", "0.00"]),
    }
    assert [r.name for r in debtors.rows] == ["Winstub Muller SARL", "Café de la Gare"]
    creditors = store.run(aged_groups(SYSTEM, AgedBalanceQuery(AS_OF), "creditor"))
    assert [(r.name, r.total_cents) for r in creditors.rows] == [("Brasserie de l'Ill SAS", 595000)]
    lawyers = store.run(aged_groups(SYSTEM, AgedBalanceQuery(AS_OF), "lawyer", limit=1))
    assert [(r.name, r.total_cents) for r in lawyers.rows] == [("maitre-a", 570000)]
    lawyers = store.run(aged_groups(SYSTEM, AgedBalanceQuery(AS_OF), "lawyer"))
    assert [r.name for r in lawyers.rows] == ["maitre-a", "Sans avocat"]
    text = export_groups_csv(debtors)
    assert text.splitlines()[0] == (
        "\ufeffDébiteur;Non échu (€);1 à 30 jours (€);31 à 60 jours (€);61 à 90 jours (€);"
        "91 à 120 jours (€);Plus de 120 jours (€);Total (€);Contesté, hors total (€);Factures"
    )
    assert text.splitlines()[1] == (
        "Winstub Muller SARL;500,00;900,00;1500,00;0,00;2800,00;0,00;5700,00;500,00;4"
    )
    with pytest.raises(InputError, match="regroupement « juge » inconnu"):
        store.run(aged_groups(SYSTEM, AgedBalanceQuery(AS_OF), "juge"))


def test_dso_by_count_back(store):
    """Encours 6 450 (5 950 + 500 disputed); invoiced by rolling month back from 30 November:
    500 (31 days), 1 200 (30), 2 300 (31), nothing (31), 3 000 (30: 2 450 / 3 000 of it)."""
    from casefile.services.dso import count_back, dso, export_dso_csv, months_back

    _portfolio(store)
    result = store.run(dso(SYSTEM, AgedBalanceQuery(AS_OF)))
    assert result.receivables_cents == 645000
    assert [m.invoiced_cents for m in result.months[:5]] == [50000, 120000, 230000, 0, 300000]
    assert [str(m.counted_days) for m in result.months[:6]] == [
        "31.0",
        "30.0",
        "31.0",
        "31.0",
        "24.5",
        "0.0",
    ]
    assert (result.days, result.exhausted, result.text) == (Decimal("147.5"), False, "147,5 jours")
    assert result.as_json()["method"] == "count-back"
    assert export_dso_csv(result).splitlines()[-2] == "DSO (méthode par épuisement);;;147,5 jours"
    nothing = store.run(dso(SYSTEM, AgedBalanceQuery(date(2025, 1, 1))))
    assert (nothing.days, nothing.text) == (None, "non renseigné")
    assert months_back(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert count_back(1000, [(date(2026, 10, 30), date(2026, 11, 30), 100)]) == (
        Decimal("31.0"),
        True,
        [Decimal("31.0")],
    )


def test_litigation_by_stage_and_recovery_by_procedure(store):
    """A and B in injonction de payer with no act yet; C, an amicable file opened on
    2 November 2026 and paid in full on 12 November (10 days)."""
    from datetime import UTC, datetime

    from casefile.services.litigation_figures import (
        NO_ACT,
        export_recovery_csv,
        litigation_by_stage,
        recovery_by_procedure,
    )
    from casefile.store.tables import Case

    _portfolio(store)
    c = store.run(
        cases.create_case(
            NewCase(
                reference="BA-C",
                procedure="amiable",
                court=None,
                court_department="67",
                creditor=PartyIn(name="Brasserie de l'Ill SAS", siren="732829320"),
                debtor=PartyIn(name="Bar du Port"),
            ),
            SYSTEM,
        )
    )
    store.run(claims.add_claim(c["id"], _invoice("C-1", _due(40), "100.00"), SYSTEM))
    store.run(
        payments.add_payment(c["id"], PaymentIn(date(2026, 11, 12), Decimal("100.00")), SYSTEM)
    )
    store.run(
        Case.update({Case.created_at: datetime(2026, 11, 2, 9, 30, tzinfo=UTC)}).where(
            Case.id == c["id"]
        )
    )
    stages = store.run(litigation_by_stage(SYSTEM))
    # today: A 900 + 1500 + 2700 (all payments) + 500 + 999 + 500 disputed; B 250
    assert [(r.procedure, r.stage_label, r.cases, r.amount_cents) for r in stages] == [
        ("injonction_de_payer", NO_ACT, 2, 734900)
    ]
    store.run(cases.add_event("BA-A", "ordonnance_rendue", date(2026, 11, 25), {}, SYSTEM))
    stages = store.run(litigation_by_stage(SYSTEM))
    assert [(r.stage_label, r.cases, r.amount_cents) for r in stages] == [
        ("Ordonnance portant injonction de payer rendue", 1, 709900),
        (NO_ACT, 1, 25000),
    ]
    recovery = {r.procedure: r for r in store.run(recovery_by_procedure(SYSTEM))}
    ip = recovery["injonction_de_payer"]
    assert (ip.cases, ip.claimed_cents, ip.recovered_cents) == (2, 1259900, 525000)
    assert (ip.rate_text, ip.days_text) == ("41,7 %", "non renseigné")
    amicable = recovery["amiable"]
    assert (amicable.rate_text, amicable.recovered_cases, amicable.days_text) == (
        "100,0 %",
        1,
        "10,0 jours",
    )
    assert export_recovery_csv(list(recovery.values())).splitlines()[2] == (
        "Injonction de payer;2;12599,00;5250,00;41,7;0;non renseigné"
    )
    # Cases not recomputed since the ledger exists: the same figures from their invoices.
    before = (store.run(litigation_by_stage(SYSTEM)), store.run(recovery_by_procedure(SYSTEM)))
    store.run(Case.update({Case.ledger_on: None}, force=True))
    assert (
        store.run(litigation_by_stage(SYSTEM)),
        store.run(recovery_by_procedure(SYSTEM)),
    ) == before


def test_the_stored_ledger_agrees_with_the_full_imputation_on_random_files(store):
    """Seeded random files (invoices issued and due at random, named payments over or under
    their invoice, unassigned payments, disputes, some dated after the dates asked): on every
    date, the figures with the stored ledger equal those of the full imputation."""
    import random

    from casefile.store.tables import Case

    rng = random.Random(17)
    start = date(2026, 1, 1)
    for n in range(6):
        case = store.run(
            cases.create_case(
                NewCase(
                    reference=f"RND-{n}",
                    procedure="injonction_de_payer",
                    court=None,
                    court_department="67",
                    creditor=PartyIn(name=f"Créancier {n % 2} SAS"),
                    debtor=PartyIn(name=f"Débiteur {n} SARL"),
                ),
                SYSTEM,
            )
        )
        numbers = []
        for i in range(rng.randint(1, 5)):
            issued = start + timedelta(days=rng.randint(0, 300))
            number = f"R{n}-{i}"
            numbers.append(number)
            invoice = InvoiceIn(
                number,
                issued,
                issued + timedelta(days=rng.choice((0, 30, 45, 60))),
                Decimal(rng.randint(100, 5000)),
                Decimal(rng.choice((0, 0, 50))),
            )
            store.run(claims.add_claim(case["id"], invoice, SYSTEM))
        for _ in range(rng.randint(0, 4)):
            named = rng.choice([None, *numbers])
            payment = PaymentIn(
                start + timedelta(days=rng.randint(30, 360)),
                Decimal(rng.randint(50, 6000)),
                named,
            )
            store.run(payments.add_payment(case["id"], payment, SYSTEM))
        if rng.random() < 0.5:
            store.run(
                claims.set_dispute(
                    case["id"],
                    rng.choice(numbers),
                    SYSTEM,
                    disputed=True,
                    reason="Contesté",
                    on=start + timedelta(days=rng.randint(0, 360)),
                )
            )
    days = [start + timedelta(days=d) for d in (20, 100, 200, 280, 330, 365, 500)]
    stored = [_amounts(store.run(aged_balance(SYSTEM, AgedBalanceQuery(d)))) for d in days]
    store.run(Case.update({Case.ledger_on: None}, force=True))
    full = [_amounts(store.run(aged_balance(SYSTEM, AgedBalanceQuery(d)))) for d in days]
    assert stored == full
    assert any(a["total"] != "0.00" for a in full)
