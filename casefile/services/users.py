"""People, not logins: who each user is to the readers of a pleading, and the administrator's
work on them — add, edit, deactivate, reactivate.

A user has a full name, a title, an e-mail and a phone; an avocat a barreau and a toque; a
commissaire de justice an étude and its address. `identity()` gives the documents the words
that designate them ("Maître Jeanne Martin, avocat au barreau de Strasbourg").

Deactivating takes away at once everything the user held: their sessions end (rows deleted),
their API tokens and their calendar feeds are revoked (and so are the feeds of their
portfolio that others published). Every change is audited with the state before and after.

There is always an active administrator once users exist: the first user must be one, and the
last active one can be neither deactivated nor demoted (`_refuse_last_admin`, which locks the
administrators' rows on PostgreSQL so that two administrators removing each other at once
leave one). An installation left without one (created before these rules, or whose
administrators were deactivated in the database) is "locked": `add_user` then creates an
administrator without an administrator acting, recorded as `user.recover` (the CLI's recovery
path, `casefile user add NOM --role admin`: casefile.commands.users).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from casefile import passwords
from casefile.errors import Conflict, InputError, NotFound
from casefile.labels import ROLES as ROLE_LABELS
from casefile.services.sessions import end_sessions_of
from casefile.store import audit
from casefile.store import users as user_store
from casefile.store.db import atomic, postgres
from casefile.store.permissions import ROLES, SYSTEM, User, require
from casefile.store.tables import ApiToken, FeedToken, UserAccount

# Column, French label, maximum length.
PROFILE_FIELDS: tuple[tuple[str, str, int], ...] = (
    ("full_name", "nom complet", 200),
    ("title", "titre", 50),
    ("email", "adresse électronique", 254),
    ("phone", "téléphone", 40),
    ("barreau", "barreau", 100),
    ("toque", "toque", 20),
    ("etude_name", "étude", 200),
    ("etude_address", "adresse de l'étude", 500),
)
FIELD_LABELS = {key: label for key, label, _ in PROFILE_FIELDS}
ROLE_FIELDS = {
    "avocat": ("barreau", "toque"),
    "commissaire_de_justice": ("etude_name", "etude_address"),
}
# Avocats and commissaires de justice are addressed as "Maître".
MAITRE_ROLES = ("avocat", "commissaire_de_justice")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[0-9][0-9 .()/-]{4,38}")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # a line break is allowed in an address
NAME_LENGTH = 150
ADMIN = "admin"
ADD_ADMIN = "casefile user add NOM --role admin"
FIRST_ADMIN = (
    f"le premier utilisateur doit être administrateur : {ADD_ADMIN} "
    "(puis ajoutez les autres avec --as NOM)"
)
LOCKED_OUT = (
    "aucun administrateur actif : rétablissez l'accès avec "
    f"{ADD_ADMIN} (sans opérateur ; inscrit au journal d'audit), puis agissez avec --as NOM"
)
RECOVERY_REASON = (
    "reprise de l'accès, aucun administrateur actif : casefile user add sans opérateur"
)


class UserProfile(msgspec.Struct, kw_only=True):
    """A user as the administrator sees them (never their password or tokens)."""

    id: int
    name: str
    role: str
    role_label: str
    active: bool
    full_name: str
    title: str
    email: str
    phone: str
    barreau: str
    toque: str
    etude_name: str
    etude_address: str
    display: str


class ProfileChanges(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What to change; an absent field is left as is, an empty string clears it."""

    role: str | UnsetType = UNSET
    full_name: str | UnsetType = UNSET
    title: str | UnsetType = UNSET
    email: str | UnsetType = UNSET
    phone: str | UnsetType = UNSET
    barreau: str | UnsetType = UNSET
    toque: str | UnsetType = UNSET
    etude_name: str | UnsetType = UNSET
    etude_address: str | UnsetType = UNSET
    password: str | UnsetType = UNSET


class Identity(msgspec.Struct, frozen=True, kw_only=True):
    """How a document designates a user.

    `person` is "Maître Jeanne Martin"; `profession` "avocat au barreau de Strasbourg",
    "commissaire de justice" or the role's label; `display` both, comma-separated; `lines` the
    signature block (display, toque or étude and its address, e-mail, phone); `missing` the
    French names of what a pleading would need and is not given (empty when complete)."""

    name: str
    role: str
    person: str
    profession: str
    display: str
    lines: tuple[str, ...]
    missing: tuple[str, ...]
    full_name: str
    title: str
    email: str
    phone: str
    barreau: str
    toque: str
    etude_name: str
    etude_address: str


# -- identity (what the documents call) -------------------------------------------------------


def barreau_phrase(barreau: str) -> str:
    """ "Strasbourg" → "barreau de Strasbourg", "Évry" → "barreau d'Évry"; a value that already
    says "barreau du Havre" or "barreau des Hauts-de-Seine" is kept as written."""
    text = barreau.strip()
    if text.casefold().startswith("barreau"):
        return "barreau" + text[len("barreau") :]
    elided = text[:1].casefold() in "aeiouyàâäéèêëîïôöùûüœæ"
    return f"barreau d'{text}" if elided else f"barreau de {text}"


def _identity(row: Mapping[str, Any]) -> Identity:
    role = str(row["role"])
    text = {key: str(row.get(key) or "") for key, _, _ in PROFILE_FIELDS}
    title = text["title"] or ("Maître" if role in MAITRE_ROLES else "")
    person = " ".join(part for part in (title, text["full_name"] or str(row["name"])) if part)
    missing = [] if text["full_name"] else ["nom complet"]
    if role == "avocat":
        profession = "avocat au " + barreau_phrase(text["barreau"]) if text["barreau"] else "avocat"
        missing += [] if text["barreau"] else ["barreau"]
    elif role == "commissaire_de_justice":
        profession = "commissaire de justice"
        missing += [FIELD_LABELS[k] for k in ROLE_FIELDS[role] if not text[k]]
    else:
        profession = ROLE_LABELS.get(role, role)
    display = f"{person}, {profession}"
    if role == "commissaire_de_justice" and text["etude_name"]:
        display += f", {text['etude_name']}"
    lines = [display]
    if text["toque"]:
        lines.append(f"Toque {text['toque']}")
    if text["etude_address"]:
        lines.extend(line.strip() for line in text["etude_address"].splitlines() if line.strip())
    if text["email"]:
        lines.append(text["email"])
    if text["phone"]:
        lines.append(f"Tél. {text['phone']}")
    return Identity(
        name=str(row["name"]),
        role=role,
        person=person,
        profession=profession,
        display=display,
        lines=tuple(lines),
        missing=tuple(missing),
        **text,
    )


async def identity(user: str | int) -> Identity:
    """The words a document uses for a user, by user name or id (NotFound if none)."""
    query = UserAccount.select()
    if isinstance(user, int):
        query = query.where(UserAccount.id == user)
    else:
        query = query.where(UserAccount.name == user)
    row = await query.first()
    if row is None:
        raise NotFound(f"utilisateur « {user} » inconnu")
    return _identity(row)


def person_name(row: Mapping[str, Any]) -> str:
    """How a page names a user: "Maître Jeanne Martin" (title and full name as recorded), the
    login only when no full name is recorded."""
    if not str(row.get("full_name") or "").strip():
        return str(row["name"])
    return _identity(row).person


SYSTEM_NAME = SYSTEM.name
SYSTEM_PERSON = "casefile (traitement automatique)"


async def people_names(logins: Iterable[str | None]) -> dict[str, str]:
    """login → how a page names that person (`person_name`), in one query; the system's own
    actions (the demo, the daily jobs) read « casefile (traitement automatique) »; an unknown
    login (a deleted account) is kept as written."""
    wanted = sorted({str(name) for name in logins if name})
    if not wanted:
        return {}
    rows = await UserAccount.select().where(UserAccount.name.is_in(wanted))
    found = {str(row["name"]): person_name(row) for row in rows}
    found.setdefault(SYSTEM_NAME, SYSTEM_PERSON)
    return {name: found.get(name, name) for name in wanted}


# -- reading ----------------------------------------------------------------------------------


def _profile(row: Mapping[str, Any]) -> UserProfile:
    role = str(row["role"])
    return UserProfile(
        id=int(row["id"]),
        name=str(row["name"]),
        role=role,
        role_label=ROLE_LABELS.get(role, role),
        active=bool(row["active"]),
        display=_identity(row).display,
        **{key: str(row.get(key) or "") for key, _, _ in PROFILE_FIELDS},
    )


async def _row(name: str) -> dict[str, Any]:
    row = None
    if len(name) <= NAME_LENGTH and not CONTROL.search(name):  # else it cannot exist
        row = await UserAccount.select().where(UserAccount.name == name.strip()).first()
    if row is None:
        raise NotFound(f"utilisateur « {name} » inconnu")
    return dict(row)


async def list_profiles(actor: User) -> list[UserProfile]:
    require(actor, "user.admin")
    rows = await UserAccount.select().order_by(UserAccount.name)
    return [_profile(row) for row in rows]


async def get_profile(name: str, actor: User) -> UserProfile:
    require(actor, "user.admin")
    return _profile(await _row(name))


async def _active_admins(lock: bool = False) -> list[int]:
    """The ids of the active administrators; with `lock` (inside a transaction), their rows
    stay locked on PostgreSQL until it ends (SQLite has one writer at a time anyway)."""
    if lock and postgres():
        rows = await UserAccount.raw(
            "SELECT id FROM users WHERE role = {} AND active ORDER BY id FOR UPDATE", ADMIN
        )
    else:
        rows = await UserAccount.select(UserAccount.id).where(
            (UserAccount.role == ADMIN) & (UserAccount.active == True)  # noqa: E712
        )
    return [int(row["id"]) for row in rows]


async def admin_state() -> str:
    """ "ok" (an active administrator exists), "fresh" (no user at all) or "locked" (users,
    but no active administrator: only `add_user(…, "admin")` can help)."""
    if await _active_admins():
        return "ok"
    return "locked" if await UserAccount.exists().where(UserAccount.id > 0) else "fresh"


async def _refuse_last_admin(row: Mapping[str, Any], what: str) -> None:
    """Conflict when `row` is the only active administrator left (rows locked: see above)."""
    admins = await _active_admins(lock=True)
    if admins == [row["id"]]:
        raise Conflict(
            f"« {row['name']} » est le dernier administrateur actif : donnez d'abord le rôle "
            f"administrateur à un autre utilisateur actif avant de {what}, sinon plus personne "
            "ne pourrait gérer les comptes"
        )


# -- validation -------------------------------------------------------------------------------


def _clean(key: str, value: str) -> str:
    label = FIELD_LABELS[key]
    text = value.replace("\r\n", "\n").strip()
    limit = next(n for k, _, n in PROFILE_FIELDS if k == key)
    if len(text) > limit:
        raise InputError(f"{label} : {limit} caractères au plus ({len(text)} donnés)")
    if CONTROL.search(text) or (key != "etude_address" and "\n" in text):
        raise InputError(f"{label} : caractères de contrôle refusés")
    if key == "email" and text and not EMAIL.fullmatch(text):
        raise InputError(f"adresse électronique « {text} » invalide (attendu : nom@domaine.fr)")
    if key == "phone" and text and not PHONE.fullmatch(text):
        raise InputError(f"téléphone « {text} » invalide (chiffres, espaces, + . - ( ) /)")
    return text


def _check_role_fields(role: str, values: Mapping[str, str]) -> None:
    if role not in ROLES:
        raise InputError(f"rôle « {role} » inconnu (rôles : {', '.join(ROLES)})")
    for owner, keys in ROLE_FIELDS.items():
        if role == owner:
            continue
        given = [FIELD_LABELS[k] for k in keys if values.get(k)]
        if given:
            raise InputError(
                f"{' et '.join(given)} : réservé(s) au rôle {ROLE_LABELS[owner]} "
                f"(l'utilisateur est {ROLE_LABELS.get(role, role)}) ; videz ce(s) champ(s)"
            )


def _password(value: str) -> str:
    if not value or len(value) > 1024 or "\x00" in value:
        raise InputError("mot de passe : 1 à 1 024 caractères, sans caractère nul")
    return value


def profile_values(changes: ProfileChanges) -> dict[str, str]:
    """The profile fields given in `changes`, cleaned (no role, no password)."""
    return {
        key: _clean(key, value)
        for key, _, _ in PROFILE_FIELDS
        if isinstance(value := getattr(changes, key), str)
    }


# -- writing ----------------------------------------------------------------------------------


async def add_user(
    name: str,
    role: str,
    password: str | None = None,
    with_token: bool = False,
    profile: ProfileChanges | None = None,
    actor: User = SYSTEM,
) -> tuple[UserProfile, str | None]:
    """A new user with their profile; with `with_token`, the clear token (shown once)."""
    require(actor, "user.admin")
    if CONTROL.search(name) or "\n" in name:
        raise InputError("identifiant : caractères de contrôle refusés")
    values = profile_values(profile or ProfileChanges())
    _check_role_fields(role, values)
    if password is not None:
        _password(password)
    state = await admin_state()
    if state != "ok" and role != ADMIN:
        raise InputError(FIRST_ADMIN if state == "fresh" else LOCKED_OUT)
    recovering = state == "locked"
    user, token = await user_store.create_user(
        name,
        role,
        password,
        with_token=with_token,
        actor=actor,
        profile=values,
        audit_action="user.recover" if recovering else "user.create",
        audit_extra={"reason": RECOVERY_REASON} if recovering else None,
    )
    return _profile(await _row(user.name)), token


def _audit_view(row: Mapping[str, Any]) -> dict[str, Any]:
    view = {key: row.get(key) or "" for key, _, _ in PROFILE_FIELDS}
    return {"name": row["name"], "role": row["role"], "active": bool(row["active"]), **view}


async def edit_user(name: str, changes: ProfileChanges, actor: User) -> UserProfile:
    """Change a user's role, profile or password (administrators only)."""
    require(actor, "user.admin")
    values: dict[str, Any] = profile_values(changes)
    if isinstance(changes.role, str):
        values["role"] = changes.role.strip()
    new_hash = None
    if isinstance(changes.password, str):
        new_hash = await passwords.hash_password(_password(changes.password))
    async with atomic():
        row = await _row(name)
        after = {**row, **values}
        _check_role_fields(str(after["role"]), after)
        if row["id"] == actor.id and after["role"] != ADMIN:
            raise InputError("vous ne pouvez pas retirer votre propre rôle d'administrateur")
        if "role" in values and after["role"] != ADMIN:
            await _refuse_last_admin(row, "lui retirer ce rôle")
        update = {getattr(UserAccount, key): value for key, value in values.items()}
        if new_hash is not None:
            update[UserAccount.password_hash] = new_hash
        if update:
            await UserAccount.update(update).where(UserAccount.id == row["id"])
        before_view, after_view = _audit_view(row), _audit_view(after)
        changed = {k for k in after_view if after_view[k] != before_view[k]}
        if changed or new_hash is not None:
            audit_after: dict[str, Any] = {k: after_view[k] for k in sorted(changed)}
            if new_hash is not None:
                audit_after["password"] = "changé"
            await audit.record(
                actor,
                "user.edit",
                "user",
                row["id"],
                {k: before_view[k] for k in sorted(changed)},
                audit_after,
            )
    return _profile(await _row(row["name"]))


async def deactivate_user(name: str, actor: User, now: datetime | None = None) -> UserProfile:
    """The user can no longer log in, and nothing they held still opens anything."""
    require(actor, "user.admin")
    now = now or datetime.now(UTC)
    async with atomic():
        row = await _row(name)
        if row["id"] == actor.id:
            raise InputError("vous ne pouvez pas désactiver votre propre compte")
        await _refuse_last_admin(row, "le désactiver")
        await UserAccount.update({UserAccount.active: False}).where(UserAccount.id == row["id"])
        sessions = await end_sessions_of(row["id"])
        tokens = await (
            ApiToken.update({ApiToken.revoked: True})
            .where((ApiToken.user == row["id"]) & (ApiToken.revoked == False))  # noqa: E712
            .returning(ApiToken.id)
        )
        own_feed = (FeedToken.created_by == row["id"]) | (
            FeedToken.kind.is_in(["lawyer", "commissaire"]) & (FeedToken.subject == row["name"])
        )
        feeds = await (
            FeedToken.update({FeedToken.revoked_at: now})
            .where(own_feed & FeedToken.revoked_at.is_null())
            .returning(FeedToken.id)
        )
        await audit.record(
            actor,
            "user.deactivate",
            "user",
            row["id"],
            {"active": bool(row["active"])},
            {
                "active": False,
                "sessions_closed": sessions,
                "tokens_revoked": len(tokens),
                "feeds_revoked": len(feeds),
            },
        )
    return _profile(await _row(row["name"]))


async def reactivate_user(name: str, actor: User) -> UserProfile:
    """The user may log in again; revoked tokens and feeds stay revoked (issue new ones)."""
    require(actor, "user.admin")
    async with atomic():
        row = await _row(name)
        if not row["active"]:
            await UserAccount.update({UserAccount.active: True}).where(UserAccount.id == row["id"])
            await audit.record(
                actor, "user.reactivate", "user", row["id"], {"active": False}, {"active": True}
            )
    return _profile(await _row(row["name"]))
