"""A case opened directly in a court procedure records the mise en demeure sent before it
(`mise_en_demeure_envoyee`): the consumer's interest at the legal rate runs from it (C. civ.
art. 1231-6 and 1344-1) and the pleadings list the letter among the pièces — on both engines."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from casefile.documents.render import render
from casefile.documents.text import docx_text
from casefile.services import cases, claims
from casefile.services.cases import NewCase, PartyIn
from casefile.store.cases import InvoiceIn
from casefile.store.documents import case_document_data
from casefile.store.permissions import SYSTEM

TODAY = date(2026, 6, 30)
LETTER = date(2026, 3, 2)
PRINCIPAL = Decimal("4080.00")
# Taux de l'intérêt légal, premier semestre 2026, créancier professionnel (« autres cas ») :
# 2,62 % (arrêté du 15 décembre 2025, procedures/parameters.toml).
RATE = Decimal("2.62")
# From the day after the letter to the statement's date, both included: 3 March → 30 June 2026.
FIRST_DAY = LETTER + timedelta(days=1)
DAYS = (TODAY - FIRST_DAY).days + 1
INTEREST = (PRINCIPAL * RATE / 100 * DAYS / 365).quantize(Decimal("0.01"), ROUND_HALF_UP)

PLEADINGS = {
    "injonction_de_payer": "requete_injonction_tj",
    "assignation_paiement": "assignation_paiement_tj_sans_avocat",
    "refere_provision": "assignation_refere_provision",
}


def _case(store, procedure: str) -> dict:  # type: ignore[no-untyped-def]
    case = store.run(
        cases.create_case(
            NewCase(
                reference=f"MED-{procedure}",
                procedure=procedure,
                court="tribunal_judiciaire",
                court_department="67",
                creditor=PartyIn(name="Brasserie de l'Ill SAS", siren="732829320"),
                debtor=PartyIn(name="Élise Martin", category="consommateur"),
            ),
            SYSTEM,
        )
    )
    store.run(
        claims.add_claim(
            case["id"],
            InvoiceIn("F-1", date(2026, 1, 15), date(2026, 2, 15), PRINCIPAL),
            SYSTEM,
            today=TODAY,
        )
    )
    return case


def test_the_expected_interest_is_worked_out_by_hand() -> None:
    """4 080,00 € × 2,62 % × 120 j / 365 = 35,1439… → 35,14 €."""
    assert DAYS == 29 + 30 + 31 + 30 == 120
    assert Decimal("35.14") == INTEREST


@pytest.mark.parametrize("procedure", sorted(PLEADINGS))
def test_the_letter_recorded_in_a_court_procedure_starts_the_consumer_s_interest(
    store, procedure: str
) -> None:
    case = _case(store, procedure)
    before = store.run(cases.claim_statement(case["id"], SYSTEM, TODAY))
    assert (before["notice_date"], before["interest_lines"]) == (None, [])
    assert Decimal(before["interest_outstanding"]) == 0  # no notice yet: no interest
    changes = store.run(
        cases.add_event(case["id"], "mise_en_demeure_envoyee", LETTER, {"delai": "8 days"}, SYSTEM)
    )
    assert (changes["added"], changes["moved"], changes["removed"]) == ([], [], [])
    statement = store.run(cases.claim_statement(case["id"], SYSTEM, TODAY))
    assert statement["regime"] == "taux_legal"
    assert (statement["notice_date"], statement["notice_event"]) == (
        "2026-03-02",
        "mise_en_demeure_envoyee",
    )
    [line] = statement["interest_lines"]
    assert (line["start"], line["end"], line["days"]) == ("2026-03-03", "2026-06-30", DAYS)
    assert (Decimal(line["base"]), Decimal(line["rate"])) == (PRINCIPAL, RATE)
    assert Decimal(line["amount"]) == INTEREST
    assert Decimal(statement["interest_outstanding"]) == INTEREST
    assert not any("vaut mise en demeure" in note for note in statement["notes"])
    shown = store.run(cases.get_case(case["id"], SYSTEM, today=TODAY))
    assert [(e["key"], e["date"]) for e in shown["events"]] == [
        ("mise_en_demeure_envoyee", "2026-03-02")
    ]
    assert shown["deadlines"] == []


@pytest.mark.parametrize("procedure", sorted(PLEADINGS))
def test_the_pleading_lists_the_letter_and_dates_the_interest_from_it(
    store, procedure: str
) -> None:
    case = _case(store, procedure)
    store.run(
        cases.add_event(case["id"], "mise_en_demeure_envoyee", LETTER, {"delai": "8 days"}, SYSTEM)
    )
    if procedure != "injonction_de_payer":  # an assignation names its hearing
        store.run(
            cases.add_event(case["id"], "audience", date(2026, 7, 15), {"heure": "09:30"}, SYSTEM)
        )
    if procedure == "assignation_paiement":  # 4 080,00 € before the TJ: CPC art. 750-1
        store.run(
            cases.add_event(
                case["id"], "tentative_amiable", date(2026, 4, 7), {"mode": "mediation"}, SYSTEM
            )
        )
    source = store.run(case_document_data(case["reference"], SYSTEM, TODAY))
    assert source.data.notice_date == LETTER
    assert [(p.number, p.kind, p.date) for p in source.data.pieces] == [
        (1, "facture", date(2026, 1, 15)),
        (2, "mise_en_demeure", LETTER),
    ]
    text = " ".join(docx_text(render(PLEADINGS[procedure], source.data)).split())
    assert "demeurée impayée à son échéance malgré la mise en demeure du 2 mars 2026" in text
    assert (
        "Intérêts au taux légal depuis la mise en demeure du 2 mars 2026, arrêtés au "
        "30 juin 2026 | 35,14 €"
    ) in text
    assert "Total | 4 115,14 €" in text  # 4 080,00 + 35,14
    assert "Pièce n° 2 : Lettre de mise en demeure (2 mars 2026)" in text
    assert "la présente assignation vaut mise en demeure" not in text
    assert "à compter de la présente assignation" not in text
