"""Small builders shared by the store tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casefile.ical.items import uid_for
from casefile.services.cases import NewCase, PartyIn
from casefile.store.installation import installation_id

if TYPE_CHECKING:
    from tests.store.conftest import Store


def deadline_uid(store: Store, case_id: object, deadline_key: str) -> str:
    """A deadline's iCalendar UID, with the installation's identifier as stored."""
    return uid_for(store.run(installation_id()), str(case_id), deadline_key)


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
