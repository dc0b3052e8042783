"""Semester rates an administrator recorded after their publication (issue 13 item 5), kept
in a reviewed overlay file beside the law data (`rates/recorded.toml`) and merged over
`procedures/parameters.toml` when the law is loaded.

Why a file and not a database table: the law is loaded once a process, without a database,
by every reader (the statement, `casefile deadlines --batch`, `casefile check`, the simulator,
`casefile law impact` comparing git revisions). A table would give the law two sources read
differently by different commands; the overlay is the same typed, sourced data as
parameters.toml, decoded with the same strictness, diffable and reviewable in git, and each
entry names who recorded it and when (the person who checked the published value). It never
replaces a value of parameters.toml: it only adds semesters after the last one there.

The file (written by `casefile rate add` and the page Taux) looks like:

    [[taux_bce_refinancement]]
    semester = "2026-H2"
    value = "…"                       # percent
    source = "https://…"              # its publication (ECB decision)
    recorded_by = "admin"
    recorded_on = 2026-11-30

    [[taux_interet_legal]]
    semester = "2026-H2"
    value = "…"                       # "tous les autres cas"
    source = "https://…"              # its publication (arrêté at the Journal officiel)
    particulier = "…"                 # creditor: natural person, not for professional needs
    particulier_source = "https://…"
    …
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import msgspec

from casefile.errors import DefinitionError
from casefile.law.parameters import DatedValue, Parameter
from casefile.law.schema import DecimalText, Spec, Text, Url, decode, read_toml
from casefile.law.wording import date_fr

SEMESTER_PATTERN = r"^\d{4}-H[12]$"
Semester = Annotated[str, msgspec.Meta(pattern=SEMESTER_PATTERN)]

BASIS = {
    "taux_bce_refinancement": "C. com. art. L441-10 (taux BCE en vigueur au premier jour du semestre)",
    "taux_interet_legal": "C. mon. fin. art. L313-2 et D313-1-A (arrêté publié au Journal officiel)",
}
"""The text each overlaid rate applies (the same as in parameters.toml)."""


class RecordedRate(Spec, frozen=True):
    semester: Semester
    recorded_by: Text
    recorded_on: date
    value: DecimalText | None = None
    source: Url | None = None  # the publication of `value`
    particulier: DecimalText | None = None  # taux_interet_legal only
    particulier_source: Url | None = None  # the publication of `particulier`


class RecordedRates(Spec, frozen=True):
    taux_bce_refinancement: tuple[RecordedRate, ...] = ()
    taux_interet_legal: tuple[RecordedRate, ...] = ()


def semester_start(semester: str) -> date:
    """ "2026-H2" → 1 July 2026."""
    if not re.fullmatch(SEMESTER_PATTERN, semester):
        raise ValueError(semester)
    year, half = semester.split("-H")
    return date(int(year), 1 if half == "1" else 7, 1)


def load_recorded_rates(path: Path) -> RecordedRates:
    """The overlay file; an absent file is an empty overlay."""
    if not path.is_file():
        return RecordedRates()
    return decode(read_toml(path), RecordedRates, str(path))


def complete(key: str, entry: RecordedRate) -> bool:
    """A legal-rate semester needs both of its rates before a statement may use it, and each
    value its source."""
    if entry.value is None or entry.source is None:
        return False
    if key == "taux_interet_legal":
        return entry.particulier is not None and entry.particulier_source is not None
    return True


def merge_recorded_rates(
    parameters: dict[str, Parameter], recorded: RecordedRates, origin: str
) -> dict[str, Parameter]:
    """`parameters` with the complete recorded semesters appended after their last value.
    A recorded semester that parameters.toml already holds, or that is out of order, is a
    load error naming the file (the reviewed law data always wins)."""
    merged = dict(parameters)
    for key in RecordedRates.__struct_fields__:
        entries = [e for e in getattr(recorded, key) if complete(key, e)]
        if not entries or key not in merged:
            continue
        parameter = merged[key]
        values = list(parameter.values)
        for index, entry in enumerate(sorted(entries, key=lambda e: e.semester)):
            start = semester_start(entry.semester)
            if start <= values[-1].valid_from:
                raise DefinitionError(
                    origin,
                    f"{key}[{index}].semester",
                    f"{entry.semester} est déjà couvert par procedures/parameters.toml "
                    f"(dernière valeur à compter du {date_fr(values[-1].valid_from)}) : "
                    "retirer cette entrée",
                )
            extra = (
                {"particulier": Decimal(entry.particulier)} if entry.particulier is not None else {}
            )
            values.append(
                DatedValue(
                    start,
                    Decimal(entry.value) if entry.value is not None else None,
                    f"{BASIS[key]} ; valeur publiée enregistrée par {entry.recorded_by} le "
                    f"{date_fr(entry.recorded_on)}"
                    + (
                        f" ; taux « particulier » : {entry.particulier_source}"
                        if entry.particulier_source
                        else ""
                    ),
                    entry.source or "",
                    extra,
                )
            )
        merged[key] = replace(parameter, values=tuple(values))
    return merged


__all__ = [
    "BASIS",
    "RecordedRate",
    "RecordedRates",
    "complete",
    "load_recorded_rates",
    "merge_recorded_rates",
    "semester_start",
]
