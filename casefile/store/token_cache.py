"""The users of recently seen API tokens, kept a few seconds, forgotten at once on revocation.

Every API request names its token; reading it from the database is a round trip per request.
This process-local cache answers from memory instead, under three rules:

- It is on only on PostgreSQL, and only while this process LISTENs on the `casefile_auth`
  channel: triggers (migration 2026-11-30T03:50) NOTIFY it when a token is revoked or deleted
  or a user's name, role or active flag changes, from whichever process writes (server, CLI,
  jobs); the notification empties the cache. If the listening connection drops, the cache is
  off (every request reads the database) until it listens again. SQLite: always off.
- Any write transaction of this process empties it too (`db.atomic`), so a revocation made
  here bites on the very next request, without waiting for the notification.
- An entry lives `TTL_SECONDS` at most, and an answer read while the cache was being emptied
  is not kept (generation counter): a missed notification cannot keep access alive longer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from casefile.store import db
from casefile.store.permissions import User

log = logging.getLogger("casefile.store")

CHANNEL = "casefile_auth"
TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000
RETRY_SECONDS = 5.0

_entries: dict[str, tuple[User, float]] = {}
_generation = 0
_listener: Any = None  # the asyncpg connection that LISTENs, while it does
_listener_loop: asyncio.AbstractEventLoop | None = None
_next_attempt = 0.0


def forget() -> None:
    """Empty the cache; answers being read now will not be kept."""
    global _generation
    _generation += 1
    _entries.clear()


def generation() -> int:
    return _generation


def lookup(key: str) -> User | None:
    if not _active():
        return None
    entry = _entries.get(key)
    if entry is None:
        return None
    user, expires = entry
    if expires < time.monotonic():
        del _entries[key]
        return None
    return user


def keep(key: str, user: User, seen_generation: int) -> None:
    """Keep `user` for `key`, unless the cache was emptied since `seen_generation`."""
    if not _active() or seen_generation != _generation:
        return
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[key] = (user, time.monotonic() + TTL_SECONDS)


def _active() -> bool:
    if _listener is None:
        return False
    if _listener.is_closed() or _listener_loop is not _running_loop():
        _drop()
        return False
    return True


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


async def listen() -> None:
    """Start listening if the database is PostgreSQL and this process does not yet (a failed
    attempt is retried at most every RETRY_SECONDS; meanwhile the cache stays off)."""
    global _listener, _listener_loop, _next_attempt
    if _listener is not None or not db.postgres():
        return
    now = time.monotonic()
    if now < _next_attempt:
        return
    _next_attempt = now + RETRY_SECONDS
    engine = db.engine()
    try:
        connection = await engine.get_new_connection()  # type: ignore[attr-defined]
        await connection.add_listener(CHANNEL, _notified)
    except Exception as error:  # the cache stays off; authentication reads the database
        log.warning("token cache off: cannot LISTEN on %s: %s", CHANNEL, error)
        return
    connection.add_termination_listener(_terminated)
    forget()  # whatever changed before we listened is unknown
    _listener, _listener_loop = connection, asyncio.get_running_loop()
    db.on_close(stop)


async def stop() -> None:
    connection = _drop()
    if connection is not None and not connection.is_closed():
        try:
            await connection.close(timeout=2)
        except Exception:  # closing a dead connection: nothing left to release
            connection.terminate()


def _drop() -> Any:
    global _listener, _listener_loop, _next_attempt
    connection, _listener, _listener_loop, _next_attempt = _listener, None, None, 0.0
    forget()
    return connection


def _notified(*_: object) -> None:
    forget()


def _terminated(*_: object) -> None:
    _drop()


db.after_write(forget)
