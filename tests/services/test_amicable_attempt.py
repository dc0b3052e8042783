"""A stored case and CPC art. 750-1: a 3 000,00 € claim before the tribunal judiciaire in 2026
cannot get its assignation until the prior amicable attempt (or a dispense) is recorded; once it
is, the assignation states it and no deadline moves. 6 000,00 € and the tribunal de commerce
are unaffected. On both engines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from casefile.documents.amicable import AmicableAttemptMissing
from casefile.documents.render import render
from casefile.documents.text import docx_text
from casefile.services import cases, claims, events
from casefile.services.cases import NewCase, PartyIn
from casefile.services.documents import document_readiness
from casefile.store.cases import InvoiceIn
from casefile.store.documents import case_document_data, create_document
from casefile.store.permissions import SYSTEM

TODAY = date(2026, 4, 15)
SANS = "assignation_paiement_tj_sans_avocat"
NBSP, NNBSP = "\u00a0", "\u202f"
STATED = (
    "Conformément à l'article 750-1 du code de procédure civile, la demande, qui tend au "
    "paiement d'une somme n'excédant pas 5 000,00 €, a été précédée d'une "
    "tentative de résolution amiable : médiation, le 16 février 2026."
)


def _case(store, amount: str, court: str = "tribunal_judiciaire") -> int:  # type: ignore[no-untyped-def]
    """An assignation en paiement for one invoice of `amount` due on 15 February 2026, its
    hearing on Wednesday 3 June 2026 at 9 h 30 (Strasbourg)."""
    debtor = (
        PartyIn(name="Élise Martin", category="consommateur")
        if court == "tribunal_judiciaire"
        else PartyIn(name="Winstub Muller SARL", siren="552100554")
    )
    case = store.run(
        cases.create_case(
            NewCase(
                reference=f"750-{amount}-{court[-8:]}",
                procedure="assignation_paiement",
                court=court,
                court_department="67",
                creditor=PartyIn(name="Brasserie de l'Ill SAS", siren="732829320"),
                debtor=debtor,
            ),
            SYSTEM,
        )
    )
    invoice = InvoiceIn("F-750", date(2026, 1, 15), date(2026, 2, 15), Decimal(amount))
    store.run(claims.add_claim(case["id"], invoice, SYSTEM, today=TODAY))
    store.run(
        events.add_event(case["id"], "audience", date(2026, 6, 3), {"heure": "09:30"}, SYSTEM)
    )
    return int(case["id"])


def _readiness(store, case_id: int, template: str):  # type: ignore[no-untyped-def]
    readiness = store.run(document_readiness(case_id, SYSTEM, TODAY))
    return next(r for r in readiness if r.template == template)


def _text(store, case_id: int, template: str = SANS) -> str:  # type: ignore[no-untyped-def]
    """The rendered text on one line (str.split also splits at the no-break spaces)."""
    source = store.run(case_document_data(case_id, SYSTEM, TODAY))
    return " ".join(docx_text(render(template, source.data)).split())


def test_a_3000_euro_claim_before_the_tj_is_blocked_until_the_attempt_is_recorded(store) -> None:
    case_id = _case(store, "3000.00")
    blocked = _readiness(store, case_id, SANS)
    assert blocked.blocked == (
        f"la demande en paiement de 3{NNBSP}000,00{NBSP}€ en principal devant le tribunal "
        f"judiciaire n'excède pas 5{NNBSP}000,00{NBSP}€ au 15 avril 2026 : l'article 750-1 du "
        "code de procédure civile impose qu'elle soit précédée d'une tentative de résolution "
        "amiable (conciliation par un conciliateur de justice, médiation ou procédure "
        "participative), à peine d'irrecevabilité que le juge peut relever d'office, sauf "
        "dispense. Enregistrez dans la chronologie du dossier l'événement « Tentative préalable "
        "de résolution amiable ou dispense (CPC art. 750-1) » : le mode et la date de la "
        "tentative, ou la dispense invoquée"
    )
    # The variant with avocat, asked for, is swapped for this one and refused the same way.
    with pytest.raises(AmicableAttemptMissing):
        store.run(create_document(case_id, "assignation_paiement_tj", SYSTEM, TODAY))
    before = store.run(cases.get_case(case_id, SYSTEM, today=TODAY))

    changes = store.run(
        events.add_event(
            case_id, "tentative_amiable", date(2026, 2, 16), {"mode": "mediation"}, SYSTEM
        )
    )
    assert (changes["added"], changes["moved"], changes["removed"]) == ([], [], [])
    after = store.run(cases.get_case(case_id, SYSTEM, today=TODAY))
    assert after["deadlines"] == before["deadlines"]
    assert [(e["key"], e["date"], e["attributes"]) for e in after["events"]] == [
        ("tentative_amiable", "2026-02-16", {"mode": "mediation"}),
        ("audience", "2026-06-03", {"heure": "09:30"}),
    ]
    ready = _readiness(store, case_id, SANS)
    assert ready.blocked is None
    assert STATED in _text(store, case_id)
    made = store.run(create_document(case_id, "assignation_paiement_tj", SYSTEM, TODAY))
    assert (made["template"], made["version"]) == (SANS, 1)
    assert not [n for n in made["notes"] if "750-1" in n]


def test_the_unconfirmed_small_claims_dispense_comes_with_a_note(store) -> None:
    case_id = _case(store, "3000.00")
    store.run(
        events.add_event(
            case_id,
            "tentative_amiable",
            date(2026, 3, 20),
            {"dispense": "petites_creances"},
            SYSTEM,
        )
    )
    assert "le demandeur en étant dispensé (procédure simplifiée de recouvrement des petites " in (
        _text(store, case_id)
    )
    made = store.run(create_document(case_id, SANS, SYSTEM, TODAY))
    assert [n for n in made["notes"] if "750-1" in n] == [
        "Tentative préalable de résolution amiable (CPC art. 750-1) : la dispense invoquée "
        "« Procédure simplifiée de recouvrement des petites créances de l'article L. 125-1 du "
        "code des procédures civiles d'exécution vainement engagée » est incertaine. Dispense "
        "de la rédaction annulée en 2022 ; son maintien dans la rédaction du décret "
        "n° 2023-357 n'est pas confirmé : vérifier le texte en vigueur avant de l'invoquer."
    ]


def test_a_6000_euro_claim_is_unaffected(store) -> None:
    case_id = _case(store, "6000.00")
    assert _readiness(store, case_id, SANS).blocked is None
    assert "750-1" not in _text(store, case_id)


def test_the_tribunal_de_commerce_is_unaffected(store) -> None:
    case_id = _case(store, "3000.00", court="tribunal_de_commerce")
    ready = _readiness(store, case_id, "assignation_paiement_tc")
    assert ready.blocked is None
    assert "750-1" not in _text(store, case_id, "assignation_paiement_tc")
