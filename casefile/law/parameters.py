"""Dated legal values (thresholds, rates, indemnities) read from `procedures/parameters.toml`.

A parameter is a list of values, each valid from a date until the next one. Asking for a date
before the first value is an error, never a silent default (STYLE.md habit 2).
"""

from __future__ import annotations

import bisect
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from casefile.errors import DefinitionError, InputError
from casefile.law.periods import parse_date


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
                f"{self.key}: no value is known before {self.values[0].valid_from.isoformat()} (asked for {day.isoformat()})"
            )
        return self.values[index]

    def value_at(self, day: date) -> Decimal | None:
        return self.at(day).value


def parse_parameters(data: Mapping[str, Any], origin: str) -> dict[str, Parameter]:
    parameters: dict[str, Parameter] = {}
    for key, entry in data.items():
        if not isinstance(entry, Mapping):
            raise DefinitionError(origin, key, "must be a table")
        raw_values = entry.get("values")
        if not isinstance(raw_values, list) or not raw_values:
            raise DefinitionError(origin, f"{key}.values", "at least one dated value is required")
        values: list[DatedValue] = []
        for index, raw in enumerate(raw_values):
            where = f"{key}.values[{index}]"
            for required in ("valid_from", "basis", "source"):
                if not raw.get(required):
                    raise DefinitionError(origin, f"{where}.{required}", "is required")
            try:
                valid_from = parse_date(str(raw["valid_from"]), where)
            except InputError as error:
                raise DefinitionError(origin, f"{where}.valid_from", str(error)) from None
            in_force = raw.get("in_force", True)
            value: Decimal | None = None
            extra: dict[str, Decimal] = {}
            try:
                if in_force:
                    if "value" not in raw:
                        raise DefinitionError(
                            origin, f"{where}.value", "is required (or in_force = false)"
                        )
                    value = Decimal(str(raw["value"]))
                for name, item in raw.items():
                    if name not in (
                        "valid_from",
                        "value",
                        "basis",
                        "source",
                        "in_force",
                        "note",
                    ) and isinstance(item, str | int):
                        if (
                            isinstance(item, str)
                            and not item.replace(".", "", 1).lstrip("-").isdigit()
                        ):
                            continue
                        extra[name] = Decimal(str(item))
            except InvalidOperation:
                raise DefinitionError(
                    origin, where, 'values must be decimal strings such as "4000.00"'
                ) from None
            if isinstance(raw.get("value"), float):
                raise DefinitionError(
                    origin, f"{where}.value", "write amounts and rates as strings, not floats"
                )
            if values and valid_from <= values[-1].valid_from:
                raise DefinitionError(
                    origin,
                    f"{where}.valid_from",
                    "values must be in increasing date order without overlap",
                )
            values.append(
                DatedValue(valid_from, value, str(raw["basis"]), str(raw["source"]), extra)
            )
        parameters[key] = Parameter(
            key, str(entry.get("label", key)), str(entry.get("unit", "")), tuple(values)
        )
    return parameters


def load_parameters(path: Path) -> dict[str, Parameter]:
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise DefinitionError(str(path), "(file)", f"is not valid TOML: {error}") from None
    return parse_parameters(data, str(path))
