"""Logging in and out of the web application: sessions held by the server.

The browser's (signed, encrypted) cookie carries only a random session id; the `sessions`
table keeps its SHA-256, its user and its expiry. Each request reads the row and its user
again, so logging out (the row is deleted), deactivating the user (all their rows are deleted)
or changing their role applies at once, and a copied cookie dies with its session.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from casefile import passwords
from casefile.errors import CasefileError
from casefile.services import throttle
from casefile.store.db import atomic
from casefile.store.permissions import User
from casefile.store.tables import UserAccount, WebSession

SESSION_LIFETIME = timedelta(hours=8)
BAD_LOGIN = "Identifiant ou mot de passe incorrect."


class LoginFailed(CasefileError):
    http_status = 401


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


async def login(
    name: str, password: str, address: str | None, now: datetime | None = None
) -> tuple[User, str]:
    """The user and a new session id, or LoginFailed / Throttled (429) / passwords.Busy (503).

    Unknown names, deactivated users and accounts without a password cost the same password
    check as a wrong password and get the same answer."""
    now = now or datetime.now(UTC)
    name = name.strip()
    attempt = await throttle.begin(name, address, now)
    row = None
    if name and len(name) <= 150 and "\x00" not in name:
        row = (
            await UserAccount.select(
                UserAccount.id,
                UserAccount.name,
                UserAccount.role,
                UserAccount.active,
                UserAccount.password_hash,
            )
            .where(UserAccount.name == name)
            .first()
        )
    stored = row["password_hash"] if row is not None and row["active"] else None
    if not await passwords.check_password(stored, password) or row is None:
        raise LoginFailed(BAD_LOGIN)
    await throttle.succeeded(attempt)
    user = User(int(row["id"]), str(row["name"]), str(row["role"]))
    return user, await open_session(user, now)


async def open_session(user: User, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    session_id = secrets.token_urlsafe(32)
    async with throttle.one_writer(), atomic():
        await WebSession.delete().where(WebSession.expires_at < now)
        await WebSession.insert(
            WebSession(
                token_hash=session_hash(session_id),
                user=user.id,
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
    return session_id


async def session_user(session_id: str, now: datetime | None = None) -> User | None:
    """The active user of a live session, or None (unknown, logged out, expired, deactivated)."""
    if not session_id or len(session_id) > 100:
        return None
    now = now or datetime.now(UTC)
    # Raw SQL, one query per request (as for API tokens): piccolo's join costs more CPU.
    rows = await WebSession.raw(
        "SELECT s.expires_at, u.id, u.name, u.role, u.active, u.full_name, u.title"
        ' FROM sessions s JOIN users u ON u.id = s."user" WHERE s.token_hash = {}',
        session_hash(session_id),
    )
    if not rows or not rows[0]["active"]:
        return None
    expires = throttle.aware(rows[0]["expires_at"])
    if expires is None or expires <= now:
        return None
    from casefile.services.users import person_name  # (users imports this module)

    return User(rows[0]["id"], rows[0]["name"], rows[0]["role"], person_name(rows[0]))


async def logout(session_id: str) -> None:
    """The session ends on the server: its cookie, wherever copied, no longer opens anything."""
    if session_id:
        await WebSession.delete().where(WebSession.token_hash == session_hash(session_id))


async def end_sessions_of(user_id: int) -> int:
    """Every session of one user (deactivation); returns how many were open."""
    rows = await WebSession.delete().where(WebSession.user == user_id).returning(WebSession.id)
    return len(rows)
