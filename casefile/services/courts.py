"""Courts are data (issue 13 item 3): an administrator records each court (name as written in a
pleading, kind, department, greffe address and e-mail); a case points to its court, and the
pleadings then name it, write its address and are dated from its city.

`CourtIn` is what a person enters (web form, CLI flags); `court_values` validates it, naming
every faulty field in French at once (`InvalidFields`). Nothing here invents a court: without
a recorded court, the documents keep their bracketed placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from casefile.definitions import engine
from casefile.errors import InputError, InvalidFields, NotFound
from casefile.law.parties import ALSACE_MOSELLE, TC, TJ
from casefile.store import audit
from casefile.store.cases import bump_version, resolve_case
from casefile.store.courts import (
    CHAMBRE_COMMERCIALE,
    KINDS,
    PROCEDURAL_KIND,
    court_dict,
    find_court,
)
from casefile.store.db import atomic
from casefile.store.permissions import User, require
from casefile.store.tables import Case, Court

LABELS = {
    "name": "nom de la juridiction",
    "kind": "nature",
    "department": "département",
    "address": "adresse du greffe (rue)",
    "postcode": "code postal",
    "city": "ville",
    "greffe_email": "courriel du greffe",
    "phone": "téléphone",
}
EDITABLE = tuple(LABELS)
LIMITS = {"name": 200, "city": 100, "greffe_email": 254, "phone": 30, "address": 500}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9][0-9 .()-]{5,}")


@dataclass(frozen=True)
class CourtIn:
    name: str
    kind: str
    department: str
    address: str
    postcode: str
    city: str
    greffe_email: str = ""
    phone: str = ""


def _text(value: object) -> str:
    return re.sub(r"[ \t]+", " ", str(value or "")).strip()


def court_values(court: CourtIn) -> dict[str, str]:
    """The `courts` columns for `court`; every faulty field is named in one InvalidFields."""
    errors: dict[str, str] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, f"juridiction, {LABELS[field]} : {message}")

    values = {f.name: _text(getattr(court, f.name)) for f in fields(CourtIn)}
    values["address"] = "\n".join(
        _text(line) for line in str(court.address or "").splitlines() if line.strip()
    )
    for field in ("name", "kind", "department", "address", "postcode", "city"):
        if not values[field]:
            fail(field, "obligatoire")
    kind = values["kind"]
    if kind and kind not in KINDS:
        fail("kind", f"« {kind} » inconnue (choisir : {', '.join(KINDS.values())})")
    department = values["department"]
    if department:
        try:
            department = engine().territories.normalise_department(department)
            values["department"] = department
        except InputError:
            fail("department", f"« {department} » n'est pas un code de département (75, 2A, 974…)")
    local = department in ALSACE_MOSELLE
    if kind == TC and local:
        fail(
            "kind",
            f"pas de tribunal de commerce dans le département {department} (Alsace-Moselle) : "
            "choisir la chambre commerciale du tribunal judiciaire",
        )
    if kind == CHAMBRE_COMMERCIALE and department and not local:
        fail("kind", "la chambre commerciale n'existe qu'en Alsace-Moselle (57, 67, 68)")
    if values["postcode"] and not re.fullmatch(r"\d{5}", values["postcode"]):
        fail("postcode", f"« {values['postcode']} » : un code postal a 5 chiffres")
    if values["greffe_email"] and not _EMAIL.fullmatch(values["greffe_email"]):
        fail("greffe_email", f"« {values['greffe_email']} » n'est pas une adresse électronique")
    if values["phone"] and not _PHONE.fullmatch(values["phone"]):
        fail("phone", f"« {values['phone']} » n'est pas un numéro de téléphone")
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            fail(field, f"{limit} caractères au plus")
    if errors:
        raise InvalidFields(errors)
    return values


async def list_courts(actor: User) -> list[dict[str, Any]]:
    """Every recorded court, by department then name."""
    require(actor, "case.read")
    rows = await Court.select().order_by(Court.department).order_by(Court.name)
    return [court_dict(r) for r in rows]


async def get_court(court_id: int, actor: User) -> dict[str, Any]:
    require(actor, "case.read")
    court = await find_court(court_id)
    if court is None:
        raise NotFound(f"la juridiction n° {court_id} n'existe pas")
    return court


def _id(court_id: object) -> int:
    text = str(court_id).strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**31:
        raise InputError(f"« {court_id} » n'est pas un numéro de juridiction (casefile court list)")
    return int(text)


async def add_court(court: CourtIn, actor: User) -> dict[str, Any]:
    """Record a court; audited."""
    require(actor, "court.admin")
    values = court_values(court)
    async with atomic("court add"):
        rows = await Court.insert(Court(**values))  # type: ignore[arg-type]
        court_id = rows[0]["id"]
        await audit.record(actor, "court.add", "court", court_id, None, values)
    return await get_court(court_id, actor)


async def edit_court(
    court_id: int | str, changes: Mapping[str, Any], actor: User
) -> dict[str, Any]:
    """Change some fields of a recorded court; audited field by field."""
    require(actor, "court.admin")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InputError(f"champ(s) inconnu(s) pour une juridiction : {', '.join(unknown)}")
    number = _id(court_id)
    async with atomic("court edit"):
        current = await Court.select().where(Court.id == number).first()
        if current is None:
            raise NotFound(f"la juridiction n° {number} n'existe pas")
        base = CourtIn(**{k: current[k] for k in EDITABLE})
        values = court_values(replace(base, **{k: str(v) for k, v in changes.items()}))
        before = {k: current[k] for k in values if current[k] != values[k]}
        after = {k: values[k] for k in before}
        if after:
            await Court.update({getattr(Court, k): v for k, v in after.items()}).where(
                Court.id == number
            )
            await audit.record(actor, "court.edit", "court", number, before, after)
    return await get_court(number, actor)


def court_fits(case_court: str | None, court_kind: str) -> bool:
    """Whether a recorded court of `court_kind` can be the court of a case whose procedure
    runs before `case_court` (a procedure without a court — amiable, petites créances —
    names the tribunal judiciaire, competent in case of dispute)."""
    if case_court in (TJ, TC):
        return PROCEDURAL_KIND.get(court_kind) == case_court
    return court_kind == TJ


async def set_case_court(
    case: int | str,
    court_id: int | str | None,
    actor: User,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Point the case to a recorded court (None: to none). Refused when the court's kind is not
    the procedure's; a court of another department is accepted with a warning.
    Returns `{"court", "version", "warnings"}`."""
    require(actor, "case.write")
    number = None if court_id in (None, "") else _id(court_id)
    warnings: list[str] = []
    async with atomic("case court"):
        row = await resolve_case(case, actor)
        court = None
        if number is not None:
            court = await find_court(number)
            if court is None:
                raise NotFound(f"la juridiction n° {number} n'existe pas")
            if not court_fits(row["court"], court["kind"]):
                wanted = KINDS.get(row["court"] or TJ, row["court"] or "")
                raise InputError(
                    f"{court['name']} ({court['kind_label']}) ne convient pas au dossier "
                    f"{row['reference']}, dont la procédure relève du {wanted}"
                )
            if court["department"] != row["court_department"]:
                warnings.append(
                    f"{court['name']} est dans le département {court['department']}, le dossier "
                    f"indique le département {row['court_department']} : vérifier la compétence "
                    "territoriale."
                )
        version = await bump_version(row, expected_version)
        await Case.update({Case.court_id: number}).where(Case.id == row["id"])
        await audit.record(
            actor,
            "case.court",
            "case",
            row["id"],
            {"court_id": row.get("court_id")},
            {"court_id": number, "version": version},
        )
    return {"court": court, "version": version, "warnings": warnings}


async def case_court_context(case: Mapping[str, Any], actor: User) -> dict[str, Any]:
    """For the case page's `_court.html`: the case's court and the courts that fit it (those
    of the case's department first)."""
    listed = await list_courts(actor)
    fitting = [c for c in listed if court_fits(case["court"], c["kind"])]
    fitting.sort(key=lambda c: (c["department"] != case["court_department"], c["name"]))
    chosen = next((c for c in listed if c["id"] == case.get("court_id")), None)
    return {"court_record": chosen, "court_options": fitting}


def court_input(values: Mapping[str, Any]) -> dict[str, str]:
    """The court fields of a mapping that may hold more keys (a form's)."""
    return {k: str(v) for k, v in values.items() if k in EDITABLE and v is not None}


def empty_court() -> dict[str, str]:
    return asdict(CourtIn("", "", "", "", "", ""))


__all__ = [
    "KINDS",
    "LABELS",
    "CourtIn",
    "add_court",
    "case_court_context",
    "court_dict",
    "court_fits",
    "court_input",
    "court_values",
    "edit_court",
    "find_court",
    "get_court",
    "list_courts",
    "set_case_court",
]
