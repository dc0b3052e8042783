"""The prior amicable attempt of CPC art. 750-1 in the pleadings that introduce an instance.

A demand to the tribunal judiciaire for the payment of a sum not above the threshold (parameter
`tentative_amiable_prealable`: 5 000 € for instances introduced from 1 October 2023, décret
n° 2023-357) is preceded by a conciliation by a conciliateur de justice, a médiation or a
procédure participative, on pain of irrecevabilité the judge may raise of his own motion,
unless a dispense applies. Whether the rule applies is the advice's answer
(`casefile.law.advice.amicable_attempt`), for the principal on the document's date (the amount
the advice and the avocat threshold read); what was done is the event the procedure names
(`eligibility.amicable_attempt_event`, attributes `mode` and `dispense`), worded with the labels
of its definition.

A template with `amicable_attempt = true` (manifest) states it (`amicable_fields`) and is
refused when the rule applies and nothing usable is recorded (`check_amicable_attempt`). It is
refused rather than rendered with a placeholder, as a summons without its hearing date is: the
missing element is not a detail to type into the .docx but a fact (or a dispense) the law makes
a condition of the demand's admissibility, that the case must record first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from casefile.definitions import engine, parameters
from casefile.documents.context import CaseDocumentData
from casefile.documents.formatting import amount_fr, date_fr
from casefile.documents.manifest import TemplateSpec
from casefile.errors import InputError
from casefile.law.advice import amicable_attempt
from casefile.law.procedures import AttributeDef, Choice, EventDef

TJ = "tribunal_judiciaire"


class AmicableAttemptMissing(InputError):
    """A pleading whose demand CPC art. 750-1 subjects to a prior amicable attempt, for a case
    that records neither the attempt nor a dispense."""

    code = "tentative_amiable_absente"


@dataclass(frozen=True, slots=True)
class Requirement:
    """CPC art. 750-1 applies to the document's demand: its threshold on the document's date
    and the event that records the attempt or the dispense."""

    threshold: Decimal
    event: EventDef

    def attribute(self, name: str) -> AttributeDef:
        return (self.event.attributes or {})[name]


def requirement(spec: TemplateSpec, data: CaseDocumentData) -> Requirement | None:
    """The rule, when it applies to this document for this case (None otherwise: another court,
    a demand above the threshold, a date when 750-1 was not in force)."""
    if not spec.amicable_attempt or data.court.kind != TJ:
        return None
    eligibility = engine().procedure(spec.procedure).eligibility
    event_key = eligibility.amicable_attempt_event
    parameter = eligibility.amicable_attempt_parameter
    if event_key is None or parameter is None:
        return None
    known = parameters()
    required, _ = amicable_attempt(data.claim.principal, data.document_date, known)
    if not required:
        return None
    threshold = known[parameter].value_at(data.document_date)
    assert threshold is not None  # the rule applies: a value is in force
    return Requirement(threshold, engine().procedure(spec.procedure).event(event_key))


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:]


def _choice(rule: Requirement, name: str, value: str | None) -> Choice | None:
    return rule.attribute(name).choice(value) if value else None


def _modes(rule: Requirement) -> str:
    """« conciliation par un conciliateur de justice, médiation ou procédure participative »."""
    labels = [_lower(c.label) for c in rule.attribute("mode").described]
    return ", ".join(labels[:-1]) + " ou " + labels[-1] if len(labels) > 1 else "".join(labels)


def check_amicable_attempt(spec: TemplateSpec, data: CaseDocumentData) -> None:
    """AmicableAttemptMissing (French, naming the rule and what to record) when 750-1 applies
    and the case records no attempt nor dispense, one that says neither, or one dated after
    the document."""
    rule = requirement(spec, data)
    if rule is None:
        return
    demand = (
        f"la demande en paiement de {amount_fr(data.claim.principal)} en principal devant le "
        f"tribunal judiciaire n'excède pas {amount_fr(rule.threshold)} au "
        f"{date_fr(data.document_date)} : l'article 750-1 du code de procédure civile impose "
        f"qu'elle soit précédée d'une tentative de résolution amiable ({_modes(rule)}), à "
        "peine d'irrecevabilité que le juge peut relever d'office, sauf dispense"
    )
    named = f"« {rule.event.label} »"
    recorded = data.amicable_attempt
    if recorded is None:
        case_procedure = engine().procedures.get(data.procedure)
        if case_procedure is not None and rule.event.key not in case_procedure.events:
            raise AmicableAttemptMissing(
                f"{spec.key} : {demand}. Ce dossier suit la procédure « {case_procedure.title} », "
                f"qui ne prévoit pas l'événement {named} : établissez ce document sur un dossier "
                f"de la procédure « {engine().procedure(spec.procedure).title} », où la "
                "tentative ou la dispense s'enregistre"
            )
        raise AmicableAttemptMissing(
            f"{spec.key} : {demand}. Enregistrez dans la chronologie du dossier l'événement "
            f"{named} : le mode et la date de la tentative, ou la dispense invoquée"
        )
    mode = _choice(rule, "mode", recorded.mode)
    dispense = _choice(rule, "dispense", recorded.dispense)
    if mode is None and dispense is None:
        raise AmicableAttemptMissing(
            f"{spec.key} : {demand}. L'événement {named} du {date_fr(recorded.date)} ne dit ni "
            f"le mode de la tentative ni la dispense invoquée : complétez-le (« "
            f"{rule.attribute('mode').label} » ou « {rule.attribute('dispense').label} »)"
        )
    if recorded.date > data.document_date:
        raise AmicableAttemptMissing(
            f"{spec.key} : {demand}. L'événement {named} est daté du "
            f"{date_fr(recorded.date)}, après la date de ce document "
            f"({date_fr(data.document_date)}) : corrigez sa date, ou établissez le document à "
            "partir de ce jour"
        )


def amicable_fields(spec: TemplateSpec, data: CaseDocumentData) -> dict[str, object]:
    """The fields of a template with `amicable_attempt = true` (after `check_amicable_attempt`):
    `tentative_amiable_requise`, `tentative_amiable_seuil` and `tentative_amiable`, the clause
    after « la demande, qui tend au paiement d'une somme n'excédant pas … , »."""
    rule = requirement(spec, data)
    recorded = data.amicable_attempt
    if rule is None or recorded is None:
        return {
            "tentative_amiable_requise": False,
            "tentative_amiable_seuil": "",
            "tentative_amiable": "",
        }
    mode = _choice(rule, "mode", recorded.mode)
    dispense = _choice(rule, "dispense", recorded.dispense)
    parts = []
    if mode is not None:
        parts.append(
            "a été précédée d'une tentative de résolution amiable : "
            f"{_lower(mode.label)}, le {date_fr(recorded.date)}"
        )
        if dispense is not None:
            parts.append(
                "le demandeur se prévaut de la dispense prévue par ce texte "
                f"({_lower(dispense.label)})"
            )
    elif dispense is not None:
        parts.append(
            "n'a pas été précédée d'une tentative de résolution amiable, le demandeur en étant "
            f"dispensé ({_lower(dispense.label)})"
        )
    return {
        "tentative_amiable_requise": True,
        "tentative_amiable_seuil": amount_fr(rule.threshold),
        "tentative_amiable": " ; ".join(parts),
    }


def amicable_notes(spec: TemplateSpec, data: CaseDocumentData) -> list[str]:
    """What the lawyer must know about the statement: a dispense whose rule is not confirmed
    (the small-claims dispense, its `note`)."""
    rule = requirement(spec, data)
    recorded = data.amicable_attempt
    if rule is None or recorded is None:
        return []
    dispense = _choice(rule, "dispense", recorded.dispense)
    if dispense is None or not dispense.uncertain:
        return []
    return [
        f"Tentative préalable de résolution amiable (CPC art. 750-1) : la dispense invoquée "
        f"« {dispense.label} » est incertaine. {dispense.note}"
    ]


__all__ = [
    "AmicableAttemptMissing",
    "Requirement",
    "amicable_fields",
    "amicable_notes",
    "check_amicable_attempt",
    "requirement",
]
