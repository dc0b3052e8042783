"""The phase of a case and the handover to litigation (issue 17 item 3), on both engines."""

from __future__ import annotations

from casefile.services import cases
from casefile.services.cases import NewCase, PartyIn
from casefile.store.permissions import SYSTEM


def _new(reference: str, procedure: str) -> NewCase:
    return NewCase(
        reference=reference,
        procedure=procedure,
        court=None,
        court_department="67",
        creditor=PartyIn(name="Brasserie de l'Ill SAS", siren="732829320"),
        debtor=PartyIn(name="Winstub Muller SARL"),
    )


def test_phase_follows_the_opening_procedure(store) -> None:
    amicable = store.run(cases.create_case(_new("AM-1", "amiable"), SYSTEM))
    litigation = store.run(cases.create_case(_new("CT-1", "injonction_de_payer"), SYSTEM))
    assert (amicable["phase"], amicable["handed_over_on"]) == ("amiable", None)
    assert (litigation["phase"], litigation["handed_over_on"]) == ("contentieux", None)
    listed = {c["reference"]: c["phase"] for c in store.run(cases.list_cases(SYSTEM))}
    assert listed == {"AM-1": "amiable", "CT-1": "contentieux"}
