"""Users, argon2 password hashes and API tokens (only their SHA-256 is stored)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from casefile import passwords
from casefile.errors import InputError, NotFound
from casefile.store import audit, read_cache
from casefile.store.db import atomic
from casefile.store.permissions import ROLES, SYSTEM, User, require
from casefile.store.tables import ApiToken, UserAccount

__all__ = [
    "ROLES",
    "SYSTEM",
    "User",
    "authenticate_token",
    "create_user",
    "get_user",
    "list_users",
    "revoke_token",
]

# `last_used` is for a human reading the token list: a write per request would turn every
# authenticated read into a write transaction.
LAST_USED_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: dict[str, object]) -> User:
    return User(int(row["id"]), str(row["name"]), str(row["role"]))  # type: ignore[call-overload]


async def create_user(
    name: str,
    role: str,
    password: str | None = None,
    with_token: bool = False,
    actor: User = SYSTEM,
    profile: Mapping[str, str] | None = None,
    audit_action: str = "user.create",
    audit_extra: Mapping[str, str] | None = None,
) -> tuple[User, str | None]:
    """Returns the user and, with `with_token`, the clear token (shown once, never stored).

    `profile`: the columns of who they are (full_name, barreau…), already validated by
    `casefile.services.users`; `audit_action` and `audit_extra` (e.g. a `reason`) say how the
    audit trail records the creation (`user.recover`: casefile.services.users.add_user)."""
    name = name.strip()
    if not name or len(name) > 150:
        raise InputError(f"nom d'utilisateur « {name} » : il doit compter de 1 à 150 caractères")
    if role not in ROLES:
        raise InputError(f"rôle « {role} » inconnu (attendu : {', '.join(ROLES)})")
    require(actor, "user.admin")
    password_hash = await passwords.hash_password(password) if password else None
    token = secrets.token_urlsafe(32) if with_token else None
    async with atomic(f"l'utilisateur « {name} » existe déjà"):
        account = UserAccount(
            name=name,
            role=role,
            password_hash=password_hash,
            active=True,
            created_at=datetime.now(UTC),
        )
        for key, value in (profile or {}).items():
            setattr(account, key, value)
        rows = await UserAccount.insert(account)
        user = User(rows[0]["id"], name, role)
        if token is not None:
            await ApiToken.insert(
                ApiToken(user=user.id, token_hash=token_hash(token), created_at=datetime.now(UTC))
            )
        await audit.record(
            actor,
            audit_action,
            "user",
            user.id,
            None,
            {
                "name": name,
                "role": role,
                "token": token is not None,
                **dict(profile or {}),
                **dict(audit_extra or {}),
            },
        )
    return user, token


async def create_token(user_name: str, actor: User = SYSTEM, label: str = "") -> str:
    """A new token for an existing user."""
    require(actor, "user.admin")
    user = await get_user(user_name, active_only=True)
    token = secrets.token_urlsafe(32)
    async with atomic("token"):
        await ApiToken.insert(
            ApiToken(
                user=user.id,
                token_hash=token_hash(token),
                label=label,
                created_at=datetime.now(UTC),
            )
        )
        await audit.record(actor, "token.create", "user", user.id, None, {"label": label})
    return token


async def authenticate_token(token: str) -> User | None:
    """The token's user, or None when unknown, revoked or the user is inactive.

    From `read_cache.TOKENS` when it knows the token (PostgreSQL: revocations and user changes
    empty it at once), else one SELECT; `last_used` is written at most once per
    LAST_USED_EVERY (so a token served from the cache may show an older `last_used`)."""
    if not token:
        return None
    key = token_hash(token)
    cached: User | None = read_cache.TOKENS.lookup(key)
    if cached is not None:
        return cached
    await read_cache.listen()
    seen = read_cache.generation()
    # Raw SQL: piccolo builds this join in about 0.8 ms of CPU, more than the database takes,
    # and every API request pays it.
    rows = await ApiToken.raw(
        "SELECT t.id, t.last_used, u.id AS user_id, u.name, u.role, u.active"
        ' FROM api_tokens t JOIN users u ON u.id = t."user"'
        " WHERE t.token_hash = {} AND t.revoked = {}",
        key,
        False,
    )
    if not rows or not rows[0]["active"]:
        return None
    row = rows[0]
    now = datetime.now(UTC)
    if _stale(row["last_used"], now):
        await ApiToken.update({ApiToken.last_used: now}).where(ApiToken.id == row["id"])
    user = User(row["user_id"], row["name"], row["role"])
    read_cache.TOKENS.keep(key, user, seen)
    return user


def _stale(last_used: datetime | str | None, now: datetime) -> bool:
    if last_used is None:
        return True
    if isinstance(last_used, str):  # SQLite without piccolo's column converters
        last_used = datetime.fromisoformat(last_used)
    if last_used.tzinfo is None:  # SQLite may hand back a naive UTC value
        last_used = last_used.replace(tzinfo=UTC)
    return not timedelta(0) <= now - last_used < LAST_USED_EVERY


async def revoke_token(token_id: int, actor: User) -> None:
    """Admins revoke any token; a user revokes their own."""
    row = await ApiToken.select(ApiToken.id, ApiToken.user).where(ApiToken.id == token_id).first()
    if row is None:
        raise NotFound(f"jeton d'API n° {token_id} introuvable")
    if row["user"] != actor.id:
        require(actor, "user.admin", f"token {token_id}")
    async with atomic():
        await ApiToken.update({ApiToken.revoked: True}).where(ApiToken.id == token_id)
        await audit.record(actor, "token.revoke", "token", token_id, None, {"revoked": True})


async def list_tokens(user_name: str, actor: User) -> list[dict[str, object]]:
    user = await get_user(user_name)
    if user.id != actor.id:
        require(actor, "user.admin")
    rows = await ApiToken.select().where(ApiToken.user == user.id).order_by(ApiToken.id)
    return [
        {
            "id": row["id"],
            "label": row["label"],
            "created_at": row["created_at"].isoformat(),
            "last_used": row["last_used"].isoformat() if row["last_used"] else None,
            "revoked": bool(row["revoked"]),
        }
        for row in rows
    ]


async def list_users(actor: User) -> list[User]:
    require(actor, "user.list")
    rows = await UserAccount.select(UserAccount.id, UserAccount.name, UserAccount.role).order_by(
        UserAccount.name
    )
    return [_user(row) for row in rows]


async def get_user(name: str, *, active_only: bool = False) -> User:
    """With `active_only`, a deactivated user is NotFound: what sessions and new tokens need."""
    row = (
        await UserAccount.select(
            UserAccount.id, UserAccount.name, UserAccount.role, UserAccount.active
        )
        .where(UserAccount.name == name)
        .first()
    )
    if row is None:
        raise NotFound(f"utilisateur « {name} » introuvable")
    if active_only and not row["active"]:
        raise NotFound(f"utilisateur « {name} » désactivé")
    return _user(row)
