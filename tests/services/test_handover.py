"""The phase of a case and the handover to litigation (issue 17 item 3), on both engines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefile.errors import Conflict, InputError
from casefile.services import cases, claims, handover
from casefile.services.cases import NewCase, PartyIn
from casefile.store.cases import InvoiceIn
from casefile.store.permissions import SYSTEM

TODAY = date(2026, 11, 30)


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


def _amicable_file(store, amount: str = "12000.00") -> dict:
    case = store.run(cases.create_case(_new("AM-2", "amiable"), SYSTEM))
    store.run(
        claims.add_claim(
            case["id"],
            InvoiceIn("F-1", date(2026, 6, 1), date(2026, 7, 1), Decimal(amount)),
            SYSTEM,
            today=TODAY,
        )
    )
    store.run(
        cases.add_event(
            case["id"], "mise_en_demeure_envoyee", date(2026, 9, 1), {"delai": "8 days"}, SYSTEM
        )
    )
    return case


def test_handover_takes_the_advised_procedure_and_keeps_the_file(store) -> None:
    case = _amicable_file(store)
    result = store.run(handover.hand_over("AM-2", SYSTEM, None, TODAY))
    assert result["procedure"] == "injonction_de_payer"
    assert result["court"] == "tribunal_de_commerce"  # two companies (C. com. L721-3)
    assert result["carried"] == {
        "invoices": 1,
        "payments": 0,
        "pieces": 0,
        "mise_en_demeure": "2026-09-01",
        "amicable_events": 1,
    }
    after = store.run(cases.get_case(case["id"], SYSTEM, today=TODAY))
    assert (after["phase"], after["handed_over_on"]) == ("contentieux", "2026-11-30")
    assert after["procedure"] == "injonction_de_payer"
    # the amicable event stays in the history; the new procedure's deadlines ignore it
    assert [e["key"] for e in after["events"]] == ["mise_en_demeure_envoyee"]
    statement = store.run(cases.claim_statement(case["id"], SYSTEM, TODAY))
    assert statement["notice_date"] == "2026-09-01"
    with pytest.raises(Conflict, match="déjà au contentieux"):
        store.run(handover.hand_over("AM-2", SYSTEM, None, TODAY))


def test_the_handover_history_names_the_court_of_the_territory(store) -> None:
    """Department 67 (Alsace-Moselle): no tribunal de commerce, the chambre commerciale of the
    tribunal judiciaire; the handover's history entry said « tribunal de commerce »."""
    from casefile.services import audit

    case = _amicable_file(store)
    store.run(handover.hand_over("AM-2", SYSTEM, None, TODAY))
    (line,) = [
        line
        for line in store.run(audit.trail(SYSTEM, case=case["id"]))
        if line.action == "case.handover"
    ]
    changes = {change.label: (change.before, change.after) for change in line.changes}
    assert changes["juridiction"][1] == "tribunal judiciaire (chambre commerciale)"
    assert not any("département" in label for label in changes)  # unchanged: not shown


def test_handover_refuses_a_closed_procedure_and_an_empty_file(store) -> None:
    _amicable_file(store)
    with pytest.raises(InputError, match=r"Procédure simplifiée .* fermée"):
        store.run(handover.hand_over("AM-2", SYSTEM, "petites_creances", TODAY))
    empty = store.run(cases.create_case(_new("AM-3", "amiable"), SYSTEM))
    with pytest.raises(InputError, match="aucune facture impayée"):
        store.run(handover.hand_over(empty["id"], SYSTEM, None, TODAY))
    still = store.run(cases.get_case("AM-2", SYSTEM))
    assert (still["phase"], still["procedure"]) == ("amiable", "amiable")


def test_the_pleadings_cite_the_amicable_history(store) -> None:
    """After the handover, the requête's context carries the reminders carried out (not the
    cancelled ones), the mise en demeure and the handover date."""
    from datetime import UTC, datetime

    from casefile.definitions import dunning
    from casefile.documents.render import build_context
    from casefile.store.documents import case_document_data
    from casefile.store.tables import DunningAction

    case = _amicable_file(store)
    scenario = dunning().scenarios[dunning().defaults["professionnel"]]
    first, second = scenario.levels[0], scenario.levels[1]
    for level, status, done in (
        (first, "envoyee", date(2026, 8, 1)),
        (second, "annulee", None),
    ):
        store.run(
            DunningAction.insert(
                DunningAction(
                    key=f"{case['id']}:{scenario.key}:{level.key}",
                    case=case["id"],
                    scenario=scenario.key,
                    level=level.key,
                    position=1,
                    channel=level.channel,
                    due_on=date(2026, 8, 1),
                    status=status,
                    created_at=datetime.now(UTC),
                    done_on=done,
                )
            )
        )
    store.run(handover.hand_over("AM-2", SYSTEM, None, TODAY))
    source = store.run(case_document_data("AM-2", SYSTEM, TODAY))
    context = build_context("requete_injonction_tc", source.data)
    channel = {"email": "e-mail", "courrier": "courrier", "telephone": "appel téléphonique"}
    assert context["relances"] == [
        {"date": "1er août 2026", "canal": channel[first.channel], "libelle": first.label}
    ]
    assert context["a_relances"] is True
    assert context["date_mise_en_demeure"] == "1er septembre 2026"
    assert context["date_transmission_contentieux"] == "30 novembre 2026"
