"""The four procedures side by side for one claim (issue 12 item 5). Pure.

Eligibility and its reasons, the lawyer and the prior amicable attempt (CPC art. 750-1) come
from `casefile.law.advice`; steps and legal time limits from the procedure definitions; the
title each yields and its costs from their `[comparison]` table. A cost or a typical duration is
a dated parameter of parameters.toml: without a sourced value at the date, it is "non
renseigné" — never a guessed figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from casefile.errors import InputError
from casefile.law.advice import ProcedureAdvice, Reason
from casefile.law.parameters import Parameter
from casefile.law.procedures import Procedure

COMPARED = ("petites_creances", "injonction_de_payer", "refere_provision", "assignation_paiement")
NOT_KNOWN = "non renseigné"


@dataclass(frozen=True, slots=True)
class Figure:
    """An amount or a duration with its source; `value` None means "non renseigné"."""

    label: str
    value: Decimal | None
    unit: str  # "EUR", "mois", …
    basis: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class TimeLimit:
    label: str
    period: str  # as the definitions write it ("1 month"); pages translate it
    actor: str
    basis: str
    source: str


@dataclass(frozen=True, slots=True)
class Column:
    procedure: str
    title: str
    open: bool
    court: str | None
    reasons: tuple[Reason, ...]
    avocat_required: bool | None
    amicable_attempt_required: bool | None
    steps: tuple[str, ...]
    time_limits: tuple[TimeLimit, ...]
    duration: Figure
    costs: tuple[Figure, ...]
    yields: str
    yields_basis: str
    yields_source: str


def _figure(
    label: str,
    key: str | None,
    basis: str,
    parameters: Mapping[str, Parameter],
    as_of: date,
    unit: str,
) -> Figure:
    parameter = parameters.get(key) if key else None
    if parameter is None:
        return Figure(label, None, unit, basis)
    try:
        dated = parameter.at(as_of)
    except InputError:
        return Figure(label, None, unit, basis)
    if dated.value is None:
        return Figure(label, None, unit, basis)
    return Figure(label, dated.value, parameter.unit or unit, dated.basis, dated.source)


def _time_limits(procedure: Procedure, as_of: date, court: str | None) -> tuple[TimeLimit, ...]:
    """One line per deadline key: the version in force at `as_of` for the court."""
    seen: dict[str, TimeLimit] = {}
    for rule in procedure.deadlines:
        if rule.key in seen:
            continue
        if rule.valid_until and rule.valid_until < as_of:
            continue
        if rule.valid_from and rule.valid_from > as_of:
            continue
        if rule.courts and court and court not in rule.courts:
            continue
        seen[rule.key] = TimeLimit(
            rule.label, str(rule.period), rule.actor, rule.basis, rule.source
        )
    return tuple(seen.values())


def compare(
    advice: Sequence[ProcedureAdvice],
    procedures: Mapping[str, Procedure],
    parameters: Mapping[str, Parameter],
    as_of: date,
) -> list[Column]:
    """The four judicial or simplified procedures, in the order a creditor meets them."""
    by_key = {item.procedure: item for item in advice}
    columns: list[Column] = []
    for key in COMPARED:
        procedure = procedures.get(key)
        item = by_key.get(key)
        if procedure is None or item is None:
            continue
        court = item.court
        comparison = procedure.comparison
        costs: tuple[Figure, ...] = ()
        duration = Figure("Durée habituelle", None, "mois", "")
        if comparison is not None:
            costs = tuple(
                _figure(cost.label, cost.parameter, cost.basis, parameters, as_of, "EUR")
                for cost in comparison.costs
                if not cost.courts or court in cost.courts
            )
            duration = _figure(
                "Durée habituelle", comparison.duration_parameter, "", parameters, as_of, "mois"
            )
        columns.append(
            Column(
                procedure=key,
                title=procedure.title,
                open=item.open,
                court=court,
                reasons=item.reasons,
                avocat_required=item.avocat_required,
                amicable_attempt_required=item.amicable_attempt_required,
                steps=tuple(
                    event.label
                    for key, event in procedure.events.items()
                    if key not in procedure.prior_events
                ),
                time_limits=_time_limits(procedure, as_of, court),
                duration=duration,
                costs=costs,
                yields=comparison.title if comparison else NOT_KNOWN,
                yields_basis=comparison.title_basis if comparison else "",
                yields_source=comparison.title_source if comparison else "",
            )
        )
    return columns
