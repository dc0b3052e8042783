"""The TJ assignations and CPC art. 750-1: a demand for the payment of a sum not above 5 000 €
before the tribunal judiciaire (instances introduced from 1 October 2023) states the prior
amicable attempt made, or the dispense relied on; without either recorded it is refused, naming
the rule, its sanction (irrecevabilité the judge may raise of his own motion) and what to record.
Above the threshold, before the tribunal de commerce, or before 1 October 2023: nothing changes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from casefile.documents.amicable import AmicableAttemptMissing, amicable_notes
from casefile.documents.context import AmicableAttempt, CaseDocumentData, ClaimSummary, InvoiceLine
from casefile.documents.demo import demo_for
from casefile.documents.manifest import load_manifest, parse_manifest_data
from casefile.documents.render import build_context, render
from casefile.documents.text import docx_text
from casefile.errors import DefinitionError
from casefile.law.schema import read_toml

SANS = "assignation_paiement_tj_sans_avocat"
TJ = "assignation_paiement_tj"
TC = "assignation_paiement_tc"
NBSP, NNBSP = "\u00a0", "\u202f"
LEAD = (
    "Conformément à l'article 750-1 du code de procédure civile, la demande, qui tend au "
    f"paiement d'une somme n'excédant pas 5{NNBSP}000,00{NBSP}€, "
)


def _claim(key: str, principal: str, attempt: AmicableAttempt | None) -> CaseDocumentData:
    """The demo case (document dated Wednesday 15 April 2026) with one unpaid invoice of
    `principal` and nothing else owed, and `attempt` as recorded."""
    data = demo_for(key)
    amount = Decimal(principal)
    invoice = InvoiceLine("FR-2026-0007", date(2026, 1, 5), date(2026, 2, 4), amount)
    claim = ClaimSummary(
        amount, Decimal("0"), Decimal("0"), Decimal("0"), amount, date(2026, 4, 15)
    )
    return replace(data, claim=claim, invoices=(invoice,), amicable_attempt=attempt)


def _text(key: str, data: CaseDocumentData) -> str:
    return " ".join(docx_text(render(key, data)).split())


def _paragraphs(key: str, data: CaseDocumentData) -> list[str]:
    return [line for line in docx_text(render(key, data)).splitlines() if "750-1" in line]


def test_a_3000_euro_claim_without_a_recorded_attempt_is_refused_naming_the_rule() -> None:
    with pytest.raises(AmicableAttemptMissing) as refused:
        build_context(SANS, _claim(SANS, "3000.00", None))
    assert str(refused.value) == (
        f"{SANS} : la demande en paiement de 3{NNBSP}000,00{NBSP}€ en principal devant le "
        f"tribunal judiciaire n'excède pas 5{NNBSP}000,00{NBSP}€ au 15 avril 2026 : l'article "
        "750-1 du code de procédure civile impose qu'elle soit précédée d'une tentative de "
        "résolution amiable (conciliation par un conciliateur de justice, médiation ou "
        "procédure participative), à peine d'irrecevabilité que le juge peut relever d'office, "
        "sauf dispense. Enregistrez dans la chronologie du dossier l'événement « Tentative "
        "préalable de résolution amiable ou dispense (CPC art. 750-1) » : le mode et la date de "
        "la tentative, ou la dispense invoquée"
    )
    assert refused.value.code == "tentative_amiable_absente"


def test_a_case_of_another_procedure_is_told_where_the_attempt_can_be_recorded() -> None:
    """An injonction de payer case defines no such event: the refusal does not send the lawyer
    to record what that case cannot hold."""
    data = replace(_claim(SANS, "3000.00", None), procedure="injonction_de_payer")
    with pytest.raises(AmicableAttemptMissing) as refused:
        build_context(SANS, data)
    assert str(refused.value).endswith(
        "Ce dossier suit la procédure « Injonction de payer », qui ne prévoit pas l'événement "
        "« Tentative préalable de résolution amiable ou dispense (CPC art. 750-1) » : établissez "
        "ce document sur un dossier de la procédure « Assignation en paiement », où la "
        "tentative ou la dispense s'enregistre"
    )


def test_a_3000_euro_claim_with_a_conciliation_states_it() -> None:
    attempt = AmicableAttempt(date(2026, 2, 16), mode="conciliation")
    assert _paragraphs(SANS, _claim(SANS, "3000.00", attempt)) == [
        LEAD + "a été précédée d'une tentative de résolution amiable : conciliation par un "
        "conciliateur de justice, le 16 février 2026."
    ]


@pytest.mark.parametrize(
    ("mode", "words"),
    [("mediation", "médiation"), ("procedure_participative", "procédure participative")],
)
def test_each_mode_is_named_by_its_label(mode: str, words: str) -> None:
    attempt = AmicableAttempt(date(2026, 3, 1), mode=mode)
    assert _paragraphs(SANS, _claim(SANS, "3000.00", attempt)) == [
        LEAD + f"a été précédée d'une tentative de résolution amiable : {words}, le 1er mars 2026."
    ]


def test_a_dispense_alone_is_stated_as_the_reason_there_was_no_attempt() -> None:
    attempt = AmicableAttempt(date(2026, 4, 14), dispense="urgence_manifeste")
    assert _paragraphs(SANS, _claim(SANS, "3000.00", attempt)) == [
        LEAD + "n'a pas été précédée d'une tentative de résolution amiable, le demandeur en "
        "étant dispensé (motif légitime : urgence manifeste)."
    ]


def test_a_seised_conciliator_unavailable_for_three_months_states_both() -> None:
    attempt = AmicableAttempt(
        date(2025, 12, 1), mode="conciliation", dispense="conciliateurs_indisponibles"
    )
    assert _paragraphs(SANS, _claim(SANS, "3000.00", attempt)) == [
        LEAD + "a été précédée d'une tentative de résolution amiable : conciliation par un "
        "conciliateur de justice, le 1er décembre 2025 ; le demandeur se prévaut de la dispense "
        "prévue par ce texte (motif légitime : indisponibilité des conciliateurs de justice, la "
        "première réunion de conciliation étant organisée plus de trois mois après la saisine "
        "d'un conciliateur)."
    ]


def test_the_pleading_cites_750_1_and_no_item_of_article_54() -> None:
    attempt = AmicableAttempt(date(2026, 2, 16), mode="mediation")
    text = _text(SANS, _claim(SANS, "3000.00", attempt))
    assert "article 54, " not in text and "54, 5°" not in text and "750-1, " not in text


def test_the_unconfirmed_small_claims_dispense_is_stated_with_a_note_to_the_lawyer() -> None:
    attempt = AmicableAttempt(date(2026, 3, 20), dispense="petites_creances")
    data = _claim(SANS, "3000.00", attempt)
    assert _paragraphs(SANS, data) == [
        LEAD + "n'a pas été précédée d'une tentative de résolution amiable, le demandeur en "
        "étant dispensé (procédure simplifiée de recouvrement des petites créances de "
        "l'article L. 125-1 du code des procédures civiles d'exécution vainement engagée)."
    ]
    spec = load_manifest().template(SANS)
    assert amicable_notes(spec, data) == [
        "Tentative préalable de résolution amiable (CPC art. 750-1) : la dispense invoquée "
        "« Procédure simplifiée de recouvrement des petites créances de l'article L. 125-1 du "
        "code des procédures civiles d'exécution vainement engagée » est incertaine. Dispense de la rédaction annulée en 2022 ; son maintien "
        "dans la rédaction du décret n° 2023-357 n'est pas confirmé : vérifier le texte en "
        "vigueur avant de l'invoquer."
    ]
    confirmed = replace(data, amicable_attempt=AmicableAttempt(date(2026, 3, 20), "mediation"))
    assert amicable_notes(spec, confirmed) == []


def test_an_attempt_recorded_without_mode_nor_dispense_is_refused() -> None:
    with pytest.raises(AmicableAttemptMissing) as refused:
        build_context(SANS, _claim(SANS, "3000.00", AmicableAttempt(date(2026, 2, 16))))
    assert str(refused.value).endswith(
        "L'événement « Tentative préalable de résolution amiable ou dispense (CPC art. 750-1) » "
        "du 16 février 2026 ne dit ni le mode de la tentative ni la dispense invoquée : "
        "complétez-le (« Mode de la tentative » ou « Dispense invoquée »)"
    )


def test_an_attempt_dated_after_the_document_is_refused() -> None:
    attempt = AmicableAttempt(date(2026, 4, 16), mode="conciliation")
    with pytest.raises(AmicableAttemptMissing) as refused:
        build_context(SANS, _claim(SANS, "3000.00", attempt))
    assert str(refused.value).endswith(
        "L'événement « Tentative préalable de résolution amiable ou dispense (CPC art. 750-1) » "
        "est daté du 16 avril 2026, après la date de ce document (15 avril 2026) : corrigez sa "
        "date, ou établissez le document à partir de ce jour"
    )
    same_day = AmicableAttempt(date(2026, 4, 15), mode="conciliation")
    assert _paragraphs(SANS, _claim(SANS, "3000.00", same_day))


def test_5000_euros_is_within_the_threshold_and_5000_01_is_not() -> None:
    with pytest.raises(AmicableAttemptMissing):
        build_context(SANS, _claim(SANS, "5000.00", None))
    assert _paragraphs(SANS, _claim(SANS, "5000.01", None)) == []


def test_a_6000_euro_claim_is_unaffected_with_or_without_a_recorded_attempt() -> None:
    without = _claim(SANS, "6000.00", None)
    context = build_context(SANS, without)
    assert context["tentative_amiable_requise"] is False
    assert _paragraphs(SANS, without) == []
    attempt = AmicableAttempt(date(2026, 2, 16), mode="conciliation")
    assert docx_text(render(SANS, replace(without, amicable_attempt=attempt))) == docx_text(
        render(SANS, without)
    )


def test_the_assignation_with_avocat_above_10000_euros_is_unaffected() -> None:
    data = _claim(TJ, "12000.00", None)
    assert _paragraphs(TJ, data) == []


@pytest.mark.parametrize("principal", ["3000.00", "6000.00"])
def test_the_tribunal_de_commerce_is_unaffected(principal: str) -> None:
    data = _claim(TC, principal, None)
    assert data.court.kind == "tribunal_de_commerce"
    assert _paragraphs(TC, data) == []
    attempt = AmicableAttempt(date(2026, 2, 16), mode="conciliation")
    assert docx_text(render(TC, replace(data, amicable_attempt=attempt))) == docx_text(
        render(TC, data)
    )


def test_before_its_reestablishment_on_1_october_2023_the_rule_does_not_apply() -> None:
    data = replace(_claim(SANS, "3000.00", None), document_date=date(2023, 9, 29))
    assert build_context(SANS, data)["tentative_amiable_requise"] is False
    assert _paragraphs(SANS, data) == []
    with pytest.raises(AmicableAttemptMissing):
        build_context(SANS, replace(data, document_date=date(2023, 10, 2)))


def test_a_template_naming_the_fields_without_amicable_attempt_is_a_manifest_error(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    manifest = load_manifest()
    data = read_toml(manifest.path)
    entry = next(t for t in data["templates"] if t["key"] == SANS)
    del entry["amicable_attempt"]
    with pytest.raises(DefinitionError) as refused:
        parse_manifest_data(data, tmp_path / "manifest.toml")
    assert "amicable_attempt" in str(refused.value)
    entry["amicable_attempt"] = True
    entry["context"] = ["date_audience", "heure_audience"]
    with pytest.raises(DefinitionError) as refused:
        parse_manifest_data(data, tmp_path / "manifest.toml")
    assert "tentative_amiable_seuil" in str(refused.value)
