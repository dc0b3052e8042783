"""Small builders shared by the store tests."""

from __future__ import annotations

from casefile.services.cases import NewCase, PartyIn


def new_case(
    reference: str = "2026-001",
    procedure: str = "injonction_de_payer",
    court_department: str = "67",
    debtor_residence: str | None = None,
    commissaire: str | None = None,
) -> NewCase:
    return NewCase(
        reference=reference,
        procedure=procedure,
        court=None,
        court_department=court_department,
        creditor=PartyIn(name="Brasserie de l'Ill SAS", siren="732829320"),
        debtor=PartyIn(name="Winstub Muller SARL", residence=debtor_residence),
        commissaire=commissaire,
    )
