"""Realistic demo cases for documents: the golden tests, the PDF check and the benchmark.

Fixed values only (no clock). Four situations (`SITUATIONS`): two companies (`societe`), a
sole-trader creditor (`entrepreneur_individuel`), a consumer debtor (`consommateur`: no L441-10
penalties, no 40 € indemnity, no mise en demeure recorded) and a case before the chambre
commerciale of the tribunal judiciaire of Strasbourg (`alsace_moselle`). The debtor's name
"Dupont & Fils <SARL>" is deliberate: every rendered document doubles as an escaping test.
Interest here is a plain illustration of the figures `casefile.law.claims` supplies (simple
interest, actual days / 365, cents rounded half up); it is not the claim arithmetic of record.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from casefile.documents.context import (
    AmicableAttempt,
    CaseDocumentData,
    ClaimSummary,
    Company,
    Court,
    DeadlineLine,
    InterestPeriod,
    InvoiceLine,
    Party,
    Person,
    Piece,
)

CREDITOR = Company(
    name="Fournitures Rhénanes",
    legal_form="SAS",
    share_capital=Decimal("50000.00"),
    rcs_city="Strasbourg",
    siren="812345676",
    address="14 rue du Port-du-Rhin, 67000 Strasbourg",
    representative="Monsieur Paul Weber, président",
)

DEBTOR = Company(
    name="Dupont & Fils <SARL>",
    legal_form="SARL",
    share_capital=Decimal("7500.00"),
    rcs_city="Strasbourg",
    siren="798654323",
    address="3 rue des Tanneurs, 67000 Strasbourg",
)

TJ_STRASBOURG = Court(
    kind="tribunal_judiciaire",
    name="Tribunal judiciaire de Strasbourg",
    address="1 quai Finkmatt, 67000 Strasbourg",
)

TC_DIJON = Court(
    kind="tribunal_de_commerce",
    name="Tribunal de commerce de Dijon",
    address="13 boulevard Clemenceau, 21000 Dijon",
)

TJ_DIJON = Court(
    kind="tribunal_judiciaire",
    name="Tribunal judiciaire de Dijon",
    address="13 boulevard Clemenceau, 21000 Dijon",
)

TJ_STRASBOURG_COMMERCIAL = Court(
    kind="tribunal_de_commerce",
    name="Tribunal judiciaire de Strasbourg (chambre commerciale)",
    address="1 quai Finkmatt, 67000 Strasbourg",
)

SOLE_TRADER = Person(
    civility="Monsieur",
    first_name="Marc",
    last_name="Schaller",
    address="5 rue des Vignes, 21000 Dijon",
    professional=True,
    category="entrepreneur_individuel",
    siren="732829320",
    trade_name="Menuiserie Schaller",
)

CONSUMER = Person(
    civility="Madame",
    first_name="Élise",
    last_name="Martin",
    address="12 allée des Tilleuls, 21000 Dijon",
)

SITUATIONS = ("societe", "entrepreneur_individuel", "consommateur", "alsace_moselle")
SUPPLIES = ("marchandises", "marchandises", "services")

RATE_2026_H1 = Decimal("12.15")  # L441-10 default rate 2026 H1 (LEGAL.md §9), for the demo only
INDEMNITY = Decimal("40.00")


def _invoices(count: int, small: bool = False) -> tuple[InvoiceLine, ...]:
    """Demo invoices; `small` ones keep even 20 of them under the 10 000 € avocat threshold."""
    base, step, part = (
        (Decimal("240.00"), Decimal("37.45"), Decimal("100.00"))
        if small
        else (Decimal("1840.00"), Decimal("327.45"), Decimal("500.00"))
    )
    lines = []
    for i in range(count):
        issued = date(2025, 9, 1) + timedelta(days=7 * i)
        amount = base + step * (i % 5) + Decimal(i)
        paid = part if i % 3 == 1 else Decimal("0.00")
        lines.append(
            InvoiceLine(
                number=f"FR-2025-{1041 + i:04d}",
                issue_date=issued,
                due_date=issued + timedelta(days=45),
                amount=amount,
                paid=paid,
                supply=SUPPLIES[i % len(SUPPLIES)],
            )
        )
    return tuple(lines)


def _interest(invoices: tuple[InvoiceLine, ...], as_of: date) -> tuple[InterestPeriod, ...]:
    periods = []
    for inv in invoices:
        start = inv.due_date + timedelta(days=1)
        days = (as_of - start).days + 1
        amount = (inv.balance * RATE_2026_H1 / 100 * days / 365).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        periods.append(
            InterestPeriod(
                invoice_number=inv.number,
                start=start,
                end=as_of,
                base=inv.balance,
                rate_percent=RATE_2026_H1,
                days=days,
                amount=amount,
            )
        )
    return tuple(periods)


def demo_case(invoice_count: int = 3, small: bool = False) -> CaseDocumentData:
    """The demo case: Fournitures Rhénanes SAS against Dupont & Fils <SARL>, TJ Strasbourg."""
    invoices = _invoices(invoice_count, small)
    as_of = date(2026, 3, 31)
    periods = _interest(invoices, as_of)
    principal = sum((i.balance for i in invoices), Decimal("0.00"))
    interest = sum((p.amount for p in periods), Decimal("0.00"))
    indemnities = INDEMNITY * len(invoices)
    costs = Decimal("86.42")
    claim = ClaimSummary(
        principal=principal,
        interest=interest,
        indemnities=indemnities,
        costs=costs,
        total=principal + interest + indemnities + costs,
        as_of=as_of,
        interest_periods=periods,
    )
    pieces = [
        Piece(
            1,
            "contrat",
            "Conditions générales de vente acceptées le 12 mai 2025",
            date(2025, 5, 12),
        ),
        *(
            Piece(2 + n, "facture", f"Facture n° {inv.number}", inv.issue_date)
            for n, inv in enumerate(invoices)
        ),
        Piece(
            2 + len(invoices),
            "mise_en_demeure",
            "Mise en demeure par lettre recommandée avec avis de réception",
            date(2026, 3, 2),
        ),
    ]
    return CaseDocumentData(
        reference="2026-STR-0042",
        procedure="injonction_de_payer",
        creditor=CREDITOR,
        debtor=DEBTOR,
        court=TJ_STRASBOURG,
        lawyer_name="Maître Sophie Keller, avocate au barreau de Strasbourg",
        commissaire_name="Maître Thomas Roth",
        claim=claim,
        place="Strasbourg",
        document_date=date(2026, 4, 15),
        invoices=invoices,
        pieces=tuple(pieces),
        deadlines=(
            DeadlineLine(
                "Opposition du débiteur", date(2026, 4, 13), "CPC art. 1416", "opposition"
            ),
        ),
        hearing_date=date(2026, 6, 3),  # a Wednesday
        hearing_time=time(9, 30),
        ordonnance_date=date(2026, 3, 2),
        service_date=date(2026, 3, 12),  # opposition until Sunday 12 April → Monday 13
        payment_deadline=date(2026, 5, 1),
        notice_date=date(2026, 3, 2),
        # CPC 750-1: the TJ assignation below 5 000 € states it; the others do not read it.
        amicable_attempt=AmicableAttempt(date(2026, 3, 24), mode="conciliation"),
    )


def _consumer(data: CaseDocumentData) -> CaseDocumentData:
    """A consumer debtor without a recorded mise en demeure: no penalties, no indemnity, no
    interest yet (the legal rate runs from the mise en demeure, C. civ. 1231-6, 1344-1)."""
    claim = replace(
        data.claim,
        interest=Decimal("0.00"),
        indemnities=Decimal("0.00"),
        costs=Decimal("0.00"),
        total=data.claim.principal,
        interest_periods=(),
    )
    pieces = tuple(p for p in data.pieces if p.kind != "mise_en_demeure")
    return replace(data, debtor=CONSUMER, claim=claim, notice_date=None, pieces=pieces)


def demo_for(
    template_key: str, invoice_count: int = 3, situation: str = "societe"
) -> CaseDocumentData:
    """The demo case of `situation` adjusted to what `template_key` applies to (court kind,
    amount variant, former regime)."""
    if situation not in SITUATIONS:
        raise ValueError(f"unknown situation {situation!r}; known: {SITUATIONS}")
    small = template_key == "assignation_paiement_tj_sans_avocat"
    if template_key.startswith("assignation_paiement") and not small:
        # Above 10 000 €, so that representation by avocat is mandatory (CPC 760, 853) as these
        # templates state; below it a TJ assignation needs the art. 753 mentions instead.
        invoice_count = max(invoice_count, 6)
    data = demo_case(invoice_count, small=small)
    data = _situation(data, template_key, situation)
    if situation in ("consommateur", "alsace_moselle"):
        pass
    elif template_key.endswith("_tc"):
        data = replace(
            data,
            court=TC_DIJON,
            debtor=replace(DEBTOR, address="8 rue de la Liberté, 21000 Dijon", rcs_city="Dijon"),
            lawyer_name="Maître Sophie Keller, avocate au barreau de Dijon",
            place="Dijon",
        )
    if template_key == "demande_formule_executoire":
        # An ordonnance of the former regime: the request is dated before 1 July 2022, when the
        # officer was still a huissier de justice.
        data = replace(
            data,
            ordonnance_date=date(2022, 1, 14),
            service_date=date(2022, 2, 21),
            document_date=date(2022, 4, 20),
            deadlines=(
                DeadlineLine(
                    "Opposition du débiteur", date(2022, 3, 21), "CPC art. 1416", "opposition"
                ),
                DeadlineLine(
                    "Demande de formule exécutoire",
                    date(2022, 4, 21),
                    "CPC art. 1423 ancien",
                    "formule_executoire",
                ),
            ),
        )
    if template_key.startswith("assignation_paiement"):
        data = replace(data, procedure="assignation_paiement")
    return data


def _situation(data: CaseDocumentData, template_key: str, situation: str) -> CaseDocumentData:
    lawyer = "Maître Sophie Keller, avocate au barreau de Dijon"
    debtor_dijon: Party = replace(
        DEBTOR, address="8 rue de la Liberté, 21000 Dijon", rcs_city="Dijon"
    )
    if situation == "entrepreneur_individuel":
        court = TC_DIJON if template_key.endswith("_tc") else TJ_DIJON
        return replace(
            data,
            creditor=SOLE_TRADER,
            debtor=debtor_dijon,
            court=court,
            lawyer_name=lawyer,
            place="Dijon",
        )
    if situation == "consommateur":
        return replace(_consumer(data), court=TJ_DIJON, lawyer_name=lawyer, place="Dijon")
    if situation == "alsace_moselle":
        court = TJ_STRASBOURG_COMMERCIAL if template_key.endswith("_tc") else TJ_STRASBOURG
        return replace(data, court=court)
    return data
