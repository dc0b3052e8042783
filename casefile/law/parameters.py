"""Dated legal values (thresholds, rates, indemnities) read from `procedures/parameters.toml`.

A parameter is a list of values, each valid from a date until the next one. Asking for a date
before the first value is an error, never a silent default (STYLE.md habit 2). The file is
decoded into the `*Spec` structures below: unknown, missing or mistyped keys are load errors
naming the file and the key path (`casefile.law.schema`).
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from casefile.errors import DefinitionError, InputError
from casefile.law.schema import DecimalText, Spec, Text, Url, decode, read_toml
from casefile.law.wording import date_fr

Unit = Literal["EUR", "percent", "months", "days"]


class ValueSpec(Spec, frozen=True):
    """One dated value; `in_force = false` records that the rule does not apply from that date."""

    valid_from: date
    basis: Text
    source: Url
    value: DecimalText | None = None
    in_force: bool = True
    note: Text | None = None


class LegalRateValueSpec(ValueSpec, frozen=True):
    """The taux de l'intérêt légal: two rates a semester (C. mon. fin. L313-2)."""

    particulier: DecimalText | None = None  # creditor: natural person, not for professional needs


class ParameterSpec(Spec, frozen=True):
    label: Text
    unit: Unit
    verified_on: date
    values: Annotated[tuple[ValueSpec, ...], msgspec.Meta(min_length=1)]


class LegalRateSpec(ParameterSpec, frozen=True):
    values: Annotated[tuple[LegalRateValueSpec, ...], msgspec.Meta(min_length=1)]


class ParametersSpec(Spec, frozen=True):
    """Every parameter the code reads, by name: a misspelt or missing one is a load error."""

    petites_creances_plafond: ParameterSpec
    tentative_amiable_prealable: ParameterSpec
    representation_avocat_seuil: ParameterSpec
    indemnite_forfaitaire_recouvrement: ParameterSpec
    taux_bce_refinancement: ParameterSpec
    penalites_retard_majoration: ParameterSpec
    taux_interet_legal: LegalRateSpec
    report_paiement_judiciaire_max_mois: ParameterSpec
    base_calcul_interets_jours: ParameterSpec


@dataclass(frozen=True, slots=True)
class DatedValue:
    valid_from: date
    value: Decimal | None  # None: the rule is not in force from that date
    basis: str
    source: str
    extra: Mapping[str, Decimal]


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    unit: str
    values: tuple[DatedValue, ...]

    def at(self, day: date) -> DatedValue:
        """The value in force on `day`."""
        starts = [v.valid_from for v in self.values]
        index = bisect.bisect_right(starts, day) - 1
        if index < 0:
            raise InputError(
                f"{self.label} ({self.key}) : aucune valeur n'est connue avant le "
                f"{date_fr(self.values[0].valid_from)} (date demandée : {date_fr(day)})."
            )
        return self.values[index]

    def value_at(self, day: date) -> Decimal | None:
        return self.at(day).value


def parse_parameters(data: object, origin: str) -> dict[str, Parameter]:
    """Decode and check parameters.toml; errors name the file and the key path."""
    decoded = decode(data, ParametersSpec, origin)
    parameters: dict[str, Parameter] = {}
    for key in decoded.__struct_fields__:
        spec: ParameterSpec = getattr(decoded, key)
        values: list[DatedValue] = []
        for index, raw in enumerate(spec.values):
            where = f"{key}.values[{index}]"
            if raw.in_force != (raw.value is not None):
                raise DefinitionError(
                    origin,
                    f"{where}.value",
                    "obligatoire, sauf si in_force = false (elle est alors absente)",
                )
            particulier = raw.particulier if isinstance(raw, LegalRateValueSpec) else None
            if raw.in_force == (particulier is None) and isinstance(raw, LegalRateValueSpec):
                raise DefinitionError(
                    origin, f"{where}.particulier", "obligatoire, sauf si in_force = false"
                )
            if values and raw.valid_from <= values[-1].valid_from:
                raise DefinitionError(
                    origin,
                    f"{where}.valid_from",
                    "les valeurs doivent se suivre par dates croissantes, sans chevauchement",
                )
            extra = {"particulier": Decimal(particulier)} if particulier is not None else {}
            values.append(
                DatedValue(
                    raw.valid_from,
                    Decimal(raw.value) if raw.value is not None else None,
                    raw.basis,
                    raw.source,
                    extra,
                )
            )
        parameters[key] = Parameter(key, spec.label, spec.unit, tuple(values))
    return parameters


def load_parameters(path: Path) -> dict[str, Parameter]:
    return parse_parameters(read_toml(path), str(path))
