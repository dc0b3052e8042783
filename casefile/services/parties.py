"""The creditor and the debtor of a case: who they are, where they live, how to reach them.

`PartyIn` is what a person enters (web form, API body, CLI flags); `party_values` validates it
into the `parties` columns, naming every faulty field in French at once (`InvalidFields`), and
`edit_party` changes a stored party: audited field by field, deadlines recomputed in the same
transaction (the residence decides the art. 643/644 extension, the kind the interest regime).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from casefile.definitions import engine
from casefile.errors import InputError, InvalidFields, NotFound
from casefile.law.identifiers import normalise_key
from casefile.law.money import check_siren, check_siret
from casefile.services.plausibility import residence_warnings
from casefile.store import audit
from casefile.store.cases import bump_version, resolve_case
from casefile.store.db import atomic
from casefile.store.permissions import User, require
from casefile.store.recompute import recompute_case
from casefile.store.tables import Party

ROLES = {"creditor": "créancier", "debtor": "débiteur"}
CATEGORIES = {
    "societe": "société",
    "entrepreneur_individuel": "entrepreneur individuel",
    "profession_liberale": "profession libérale",
    "association": "association",
    "consommateur": "particulier (consommateur)",
    "personne_publique": "personne publique",
}
NATURAL_PERSONS = frozenset({"entrepreneur_individuel", "profession_liberale", "consommateur"})
KINDS = {"professionnel": "professionnel", "consommateur": "consommateur"}
PERSON_OR_COMPANY = {"personne": "personne physique", "societe": "personne morale"}
CIVILITIES = ("M.", "Mme")
DEFAULT_COUNTRY = "France"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9][0-9 .()-]{5,}")

# The party's French field labels, for messages and the audit trail.
LABELS = {
    "name": "nom ou raison sociale",
    "category": "catégorie",
    "kind": "qualité",
    "person_or_company": "personne physique ou morale",
    "legal_form": "forme juridique",
    "siren": "SIREN",
    "siret": "SIRET",
    "rcs_city": "ville du RCS",
    "street": "adresse (rue)",
    "postcode": "code postal",
    "city": "ville",
    "country": "pays",
    "address": "adresse",
    "residence": "résidence (département ou étranger)",
    "representative": "représentant légal",
    "civility": "civilité",
    "first_name": "prénom",
    "email": "courriel",
    "phone": "téléphone",
}
# The columns a person may set (the rest — role, lookup key — follow from them).
EDITABLE = tuple(LABELS)


@dataclass(frozen=True)
class PartyIn:
    """A party as entered. Only `name` is required; `kind` follows from `category` when given
    (consommateur → consommateur, any other → professionnel); `address` is composed from
    street, postcode, city and country when those are given."""

    name: str
    kind: str | None = None
    person_or_company: str | None = None  # default: from the category, else from the kind
    siren: str | None = None
    address: str = ""
    residence: str | None = None  # department code or "etranger"; default: the court's
    category: str | None = None
    legal_form: str = ""
    siret: str | None = None
    rcs_city: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = DEFAULT_COUNTRY
    representative: str = ""
    civility: str = ""
    first_name: str = ""
    email: str = ""
    phone: str = ""


def compose_address(street: str, postcode: str, city: str, country: str) -> str:
    """ "12 rue des Tanneurs, 67000 Strasbourg" (the country added when not France)."""
    town = " ".join(part for part in (postcode, city) if part)
    parts = [part for part in (street.replace("\n", ", "), town) if part]
    if country and normalise_key(country) != normalise_key(DEFAULT_COUNTRY):
        parts.append(country)
    return ", ".join(parts)


_TOWN = re.compile(r"^(?P<street>.+?),?\s+(?P<postcode>\d{5})\s+(?P<city>[^,\d][^,]*)$")


def address_fields(address: str) -> tuple[str, str, str]:
    """A free-text address as the form's street, postcode and city (« 3 rue du Dôme, 67000
    Strasbourg »), or all of it as the street when it does not end with a French town: an
    imported party (or one created with `address` alone) shows its address in the form."""
    text = _text(address)
    match = _TOWN.match(text)
    if match is None:
        return text, "", ""
    return match["street"].rstrip(", "), match["postcode"], match["city"].strip()


def _text(value: object) -> str:
    return re.sub(r"[ \t]+", " ", str(value or "")).strip()


def party_values(role: str, party: PartyIn, court_department: str) -> dict[str, Any]:
    """The `parties` columns for `party`; every faulty field is named in one InvalidFields."""
    errors: dict[str, str] = {}
    who = ROLES.get(role, role)

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, f"{who}, {LABELS[field]} : {message}")

    name = _text(party.name)
    if not name:
        fail("name", "obligatoire")
    category = party.category or None
    if category is not None and category not in CATEGORIES:
        fail("category", f"« {category} » inconnue (choisir : {', '.join(CATEGORIES.values())})")
        category = None
    kind = party.kind or None
    if kind is not None and kind not in KINDS:
        fail("kind", f"« {kind} » inconnue (professionnel ou consommateur)")
        kind = None
    if category is not None:
        derived = "consommateur" if category == "consommateur" else "professionnel"
        if kind is not None and kind != derived:
            fail(
                "kind",
                f"« {kind} » contredit la catégorie {CATEGORIES[category]} (qui est {derived})",
            )
        kind = derived
    elif kind == "consommateur":
        category = "consommateur"
    kind = kind or "professionnel"
    person = party.person_or_company or None
    if category is not None:
        derived_person = "personne" if category in NATURAL_PERSONS else "societe"
        if person is not None and person != derived_person:
            fail(
                "person_or_company",
                f"« {person} » contredit la catégorie {CATEGORIES[category]}",
            )
        person = derived_person
    person = person or ("societe" if kind == "professionnel" else "personne")
    if person not in PERSON_OR_COMPANY:
        fail("person_or_company", f"« {person} » inconnue (personne ou societe)")
    civility = _text(party.civility)
    if civility and civility not in CIVILITIES:
        fail("civility", f"« {civility} » inconnue (M. ou Mme)")
    if civility and person == "societe":
        fail("civility", "une personne morale n'a pas de civilité")
    first_name = _text(party.first_name)
    if first_name and person == "societe":
        fail("first_name", "une personne morale n'a pas de prénom")
    siren = siret = None
    try:
        siren = check_siren(party.siren, f"{who}, SIREN")
    except InputError as error:
        errors["siren"] = str(error)
    try:
        siret = check_siret(party.siret, f"{who}, SIRET")
    except InputError as error:
        errors["siret"] = str(error)
    if siret and siren and siret[:9] != siren:
        fail("siret", f"« {siret} » ne commence pas par le SIREN {siren}")
    if siret and not siren and "siren" not in errors:
        siren = siret[:9]
    if (siren or siret) and category == "consommateur":
        fail("siren", "un particulier consommateur n'a pas de SIREN")
    email = _text(party.email)
    if email and not _EMAIL.fullmatch(email):
        fail("email", f"« {email} » n'est pas une adresse électronique")
    phone = _text(party.phone)
    if phone and not _PHONE.fullmatch(phone):
        fail("phone", f"« {phone} » n'est pas un numéro de téléphone")
    street = "\n".join(_text(line) for line in str(party.street or "").splitlines() if line.strip())
    postcode = _text(party.postcode).upper()
    city = _text(party.city)
    country = _text(party.country) or DEFAULT_COUNTRY
    french = normalise_key(country) == normalise_key(DEFAULT_COUNTRY)
    if postcode and french and not re.fullmatch(r"\d{5}", postcode):
        fail("postcode", f"« {postcode} » : un code postal français a 5 chiffres")
    address = (
        compose_address(street, postcode, city, country)
        if (street or postcode or city)
        else _text(party.address)
    )
    residence = court_department
    if party.residence:
        try:
            residence = engine().territories.normalise_residence(party.residence)
        except InputError:
            fail("residence", f"« {party.residence} » : un code de département ou « étranger »")
    limits = {"name": 300, "legal_form": 60, "rcs_city": 100, "city": 100, "country": 100}
    limits |= {"representative": 300, "first_name": 150, "email": 254, "phone": 30}
    values: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "person_or_company": person,
        "siren": siren,
        "address": address,
        "residence": residence,
        "category": category,
        "legal_form": _text(party.legal_form),
        "siret": siret,
        "rcs_city": _text(party.rcs_city),
        "street": street,
        "postcode": postcode,
        "city": city,
        "country": country,
        "representative": _text(party.representative),
        "civility": civility,
        "first_name": first_name,
        "email": email,
        "phone": phone,
    }
    for field, limit in limits.items():
        if len(values[field]) > limit:
            fail(field, f"{limit} caractères au plus")
    if errors:
        raise InvalidFields(errors)
    values["lookup_key"] = siren or normalise_key(name)
    return values


def party_row(case_id: int, role: str, party: PartyIn, court_department: str) -> Party:
    return Party(case=case_id, role=role, **party_values(role, party, court_department))


def stored_party(row: Mapping[str, Any]) -> PartyIn:
    """The stored columns back as input, for an edit that changes a few of them."""
    names = {f.name for f in fields(PartyIn)}
    nullable = ("siren", "siret", "category", "residence", "kind", "person_or_company")
    values = {k: row[k] for k in names if k in row}
    return PartyIn(**{k: "" if v is None and k not in nullable else v for k, v in values.items()})


async def edit_party(
    case: int | str,
    role: str,
    changes: Mapping[str, Any],
    actor: User,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Change some fields of the creditor or the debtor. A change of category or kind
    recomputes the kind; a change of residence moves the deadlines (art. 643/644).
    Returns `{"party", "version", "changes", "warnings"}`."""
    require(actor, "case.write")
    if role not in ROLES:
        raise InputError(f"rôle « {role} » inconnu : creditor (créancier) ou debtor (débiteur)")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InputError(f"champ(s) inconnu(s) pour une partie : {', '.join(unknown)}")
    async with atomic():
        row = await resolve_case(case, actor)
        current = (
            await Party.select().where((Party.case == row["id"]) & (Party.role == role)).first()
        )
        if current is None:
            raise NotFound(f"le dossier {row['reference']} n'a pas de {ROLES[role]}")
        given = dict(changes)
        base = _rebase(stored_party(current), given)
        if "address" in given and not {"street", "postcode", "city"} & set(given):
            base = replace(base, street="", postcode="", city="")  # a free-text address wins
        values = party_values(role, replace(base, **given), row["court_department"])
        before = {k: current[k] for k in values if current.get(k) != values[k]}
        after = {k: values[k] for k in before}
        if not after:
            empty: dict[str, list[Any]] = {"added": [], "moved": [], "removed": []}
            return {"party": current, "version": row["version"], "changes": empty, "warnings": []}
        await Party.update({getattr(Party, k): v for k, v in after.items()}).where(
            Party.id == current["id"]
        )
        version = await bump_version(row, expected_version)
        summary = change_summary(await recompute_case(row))
        await audit.record(
            actor,
            "party.edit",
            "case",
            row["id"],
            {"role": role, **before},
            {"role": role, **after, "version": version, "changes": summary},
        )
    return {
        "party": {**current, **values},
        "version": version,
        "changes": summary,
        "warnings": residence_warnings(role, values, row["court_department"]),
    }


def _rebase(base: PartyIn, given: Mapping[str, Any]) -> PartyIn:
    """The stored party, with what the change derives anew. A new category recomputes the
    kind; a category cleared keeps the stored kind; a new kind keeps the category only when
    it agrees with it (a consumer is a consumer)."""
    if given.get("category") and "kind" not in given:
        base = replace(base, kind=None, person_or_company=None)
    elif "category" in given and not given["category"]:
        base = replace(base, category=None)
    if given.get("kind") and "category" not in given:
        agrees = (base.category == "consommateur") == (given["kind"] == "consommateur")
        if not agrees:
            base = replace(base, category=None)
    if "person_or_company" in given and "category" not in given:
        base = replace(base, category=None)
    return base


def change_summary(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "added": [d["key"] for d in changes["added"]],
        "moved": [{"key": m["key"], "from": m["from"], "to": m["to"]} for m in changes["moved"]],
        "removed": [d["key"] for d in changes["removed"]],
    }


def party_input(values: Mapping[str, Any]) -> PartyIn:
    """A PartyIn from a mapping that may hold more keys (a request body's fields)."""
    names = {f.name for f in fields(PartyIn)}
    return PartyIn(**{k: v for k, v in values.items() if k in names})


__all__ = [
    "CATEGORIES",
    "CIVILITIES",
    "LABELS",
    "PartyIn",
    "address_fields",
    "compose_address",
    "edit_party",
    "normalise_key",
    "party_input",
    "party_row",
    "party_values",
]
