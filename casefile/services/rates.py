"""Recording a published semester rate (issue 13 item 5): an administrator who has read the
publication (ECB decision for L441-10, arrêté at the Journal officiel for the taux légal)
records its value and its address; `casefile rate add` and the page Taux call `record_rate`.

The value goes to the reviewed overlay `rates/recorded.toml` (`casefile.law.recorded_rates`
says why a file), audited, then the law in service is reloaded in this process. Another
running server reads it when it restarts. Nothing is ever guessed: a semester without its
recorded value keeps the statements provisional and `casefile check` warns.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import msgspec

from casefile import definitions
from casefile.errors import InputError, InvalidFields
from casefile.law.claims import semester_of
from casefile.law.recorded_rates import (
    RecordedRate,
    RecordedRates,
    complete,
    load_recorded_rates,
    semester_start,
)
from casefile.law.schema import URL_PATTERN
from casefile.store import audit
from casefile.store.permissions import User, require

KINDS: dict[str, tuple[str, str]] = {
    "ecb": ("taux_bce_refinancement", "value"),
    "taux_legal_particulier": ("taux_interet_legal", "particulier"),
    "taux_legal_autres": ("taux_interet_legal", "value"),
}
KIND_LABELS = {
    "ecb": "taux de la BCE (opération principale de refinancement, C. com. art. L441-10)",
    "taux_legal_particulier": (
        "taux de l'intérêt légal — créancier personne physique n'agissant pas pour des "
        "besoins professionnels"
    ),
    "taux_legal_autres": "taux de l'intérêt légal — tous les autres cas",
}
LABELS = {
    "kind": "nature du taux",
    "semester": "semestre d'application",
    "value": "valeur publiée (% par an)",
    "source": "adresse de la publication",
}
"""Each field as a refusal names it ("taux, valeur publiée (% par an) : …"); the page's labels
are the same words."""
HELP = {
    "kind": (
        "Taux de la BCE\u00a0: pénalités de retard entre professionnels (C. com. art. L441-10). "
        "Taux de l'intérêt légal (C. mon. fin. art. L313-2)\u00a0: deux valeurs par semestre, l'une "
        "pour le créancier personne physique n'agissant pas pour des besoins professionnels, "
        "l'autre pour tous les autres cas\u00a0; enregistrez chacune."
    ),
    "semester": (
        "L'année et le semestre\u00a0: S1 du 1er janvier au 30 juin, S2 du 1er juillet au "
        "31 décembre (ex. 2027-S1). Taux de la BCE\u00a0: celui en vigueur au 1er janvier pour le "
        "S1, au 1er juillet pour le S2."
    ),
    "value": (
        "Le taux annuel tel que publié, ex. 2,15 pour 2,15\u00a0% (trois décimales au plus). Taux de "
        "la BCE\u00a0: le taux lui-même, sans la majoration de 10 points, que casefile ajoute."
    ),
    "source": (
        "L'adresse https:// où la valeur a été lue\u00a0: la décision de la BCE, ou l'arrêté publié "
        "au Journal officiel (Légifrance)."
    ),
}
"""The help under each field of the page Taux."""
AHEAD = timedelta(days=62)
"""A semester may be recorded from two months before it starts (the taux légal is published
in the last weeks of the previous semester); never further ahead."""


FRENCH_SEMESTER = re.compile(r"(\d{4})-S([12])")


def semester_key(text: str) -> str:
    """What a person writes → the stored key: « 2026-S2 » (French: S1 janvier–juin, S2
    juillet–décembre) and « 2026-H2 » both give "2026-H2"; anything else is returned as
    written (upper case) for `semester_start` to refuse."""
    semester = text.strip().upper()
    french = FRENCH_SEMESTER.fullmatch(semester)
    return f"{french[1]}-H{french[2]}" if french else semester


def semester_label_fr(key: str) -> str:
    """The stored key as a French page writes it: "2026-H2" → « 2026-S2 »."""
    return re.sub(r"^(\d{4})-H([12])$", r"\1-S\2", key)


@dataclass(frozen=True)
class RateIn:
    kind: str
    semester: str
    value: str
    source: str


def _checked(rate: RateIn, today: date) -> tuple[str, str, str, Decimal, str]:
    errors: dict[str, str] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, f"taux, {LABELS[field]} : {message}")

    if rate.kind not in KINDS:
        fail("kind", f"« {rate.kind} » inconnue (ecb, taux_legal_particulier, taux_legal_autres)")
    semester = semester_key(rate.semester)
    start = None
    try:
        start = semester_start(semester)
    except ValueError:
        fail(
            "semester",
            f"« {rate.semester} » : écrire l'année et le semestre, ex. 2026-S2 (S1 : janvier à "
            "juin, S2 : juillet à décembre)",
        )
    if start is not None and start > today + AHEAD:
        fail(
            "semester",
            f"{semester_label_fr(semester)} n'a pas encore commencé : sa valeur n'est pas publiée",
        )
    value = Decimal(0)
    text = rate.value.strip().replace(",", ".").removesuffix("%").strip()
    try:
        value = Decimal(text)
        if not value.is_finite() or not Decimal(-5) <= value <= Decimal(50):
            raise InvalidOperation
        if value.as_tuple().exponent < -3:  # type: ignore[operator]
            fail("value", f"« {rate.value} » : trois décimales au plus")
    except InvalidOperation:
        fail("value", f"« {rate.value} » n'est pas un pourcentage (ex. 2,15)")
    source = rate.source.strip()
    if not re.match(URL_PATTERN, source) or not source.startswith("https://"):
        fail("source", "l'adresse (https://…) de la publication officielle est obligatoire")
    if errors:
        raise InvalidFields(errors)
    key, field = KINDS[rate.kind]
    return key, field, semester, value.normalize() if value != 0 else Decimal("0.00"), source


def _toml_value(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def _write(path: Path, recorded: RecordedRates) -> None:
    """The overlay, rewritten whole and atomically (a reader sees the old or the new file)."""
    lines = [
        "# Semester rates recorded after their publication (casefile rate add, page Taux).",
        "# Merged over procedures/parameters.toml; see casefile/law/recorded_rates.py.",
    ]
    for key in RecordedRates.__struct_fields__:
        for entry in sorted(getattr(recorded, key), key=lambda e: e.semester):
            lines += ["", f"[[{key}]]"]
            for name, value in msgspec.structs.asdict(entry).items():
                if value is not None:
                    lines.append(f"{name} = {_toml_value(value)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".recorded-", suffix=".toml")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    os.replace(temporary, path)


def recorded_rates() -> RecordedRates:
    return load_recorded_rates(definitions.recorded_rates_file())


async def record_rate(rate: RateIn, actor: User, today: date) -> dict[str, Any]:
    """Record one published value (see the module doc). Refused: a semester that
    parameters.toml already holds, or a value already recorded for that semester (correct
    the file under review instead)."""
    require(actor, "law.apply")
    key, field, semester, value, source = _checked(rate, today)
    start = semester_start(semester)
    base = definitions.load_engine(definitions.data_dir(), Path(os.devnull)).parameters[key]
    if start <= base.values[-1].valid_from:
        raise InputError(
            f"{semester_label_fr(semester)} est déjà renseigné dans procedures/parameters.toml ({key}) : une "
            "correction s'y fait, sous revue"
        )
    path = definitions.recorded_rates_file()
    recorded = load_recorded_rates(path)
    entries = list(getattr(recorded, key))
    current = next((e for e in entries if e.semester == semester), None)
    if current is not None and getattr(current, field) is not None:
        raise InputError(
            f"{KIND_LABELS[rate.kind]} : {semester_label_fr(semester)} est déjà enregistré "
            f"({getattr(current, field)} %, par {current.recorded_by}) ; une correction se fait "
            f"dans {path}, sous revue"
        )
    text = format(value, "f")
    source_field = "source" if field == "value" else "particulier_source"
    if current is None:
        entry = RecordedRate(
            semester=semester,
            recorded_by=actor.name,
            recorded_on=today,
            **{field: text, source_field: source},
        )
        entries.append(entry)
    else:
        entry = msgspec.structs.replace(current, **{field: text, source_field: source})
        entries[entries.index(current)] = entry
    updated = msgspec.structs.replace(recorded, **{key: tuple(entries)})
    _write(path, updated)
    definitions.engine.cache_clear()
    definitions.parameters.cache_clear()
    after = {"parameter": key, "field": field, "semester": semester, "value": text}
    await audit.record(
        actor,
        "rate.record",
        "rate",
        f"{key}:{semester}",
        None,
        {**after, "source": source, "file": str(path)},
    )
    return {
        **after,
        "kind": rate.kind,
        "label": KIND_LABELS[rate.kind],
        "source": source,
        "complete": complete(key, entry),
    }


def rate_overview(today: date) -> list[dict[str, Any]]:
    """For the page Taux: each rate, its last semester in parameters.toml and what was
    recorded since, and whether today's semester has its value."""
    params = definitions.parameters()
    recorded = recorded_rates()
    first, _ = semester_of(today)
    out = []
    for kind, (key, field) in KINDS.items():
        values = params[key].values
        current = values[-1]
        known = current.valid_from == first and (
            current.value is not None if field == "value" else "particulier" in current.extra
        )
        out.append(
            {
                "kind": kind,
                "label": KIND_LABELS[kind],
                "current_semester_known": known,
                "recorded": [
                    {
                        "semester": e.semester,
                        "value": getattr(e, field),
                        "source": e.source if field == "value" else e.particulier_source,
                        "recorded_by": e.recorded_by,
                        "recorded_on": e.recorded_on.isoformat(),
                    }
                    for e in getattr(recorded, key)
                    if getattr(e, field) is not None
                ],
            }
        )
    return out


__all__ = [
    "HELP",
    "KINDS",
    "KIND_LABELS",
    "LABELS",
    "RateIn",
    "rate_overview",
    "record_rate",
    "recorded_rates",
    "semester_key",
    "semester_label_fr",
]
