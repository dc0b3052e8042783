"""Hot reads kept a few seconds in this process, forgotten the moment the database changes.

Two reads are paid on almost every API request: the bearer token's user, and a case's stored
deadlines. Each is a database round trip that costs more than the rest of the request. They
are kept here (`TOKENS`, `DEADLINES`), with the ETag a subscription feed had when last checked
(`FEEDS`: lets a poll of an unchanged feed get its 304 without a query), under four rules:

- Only on PostgreSQL, and only while this process LISTENs on the `casefile_changes` channel:
  triggers (migrations 2026-11-30T04:30 and 07:06) NOTIFY it whenever a token or a feed token
  is revoked or deleted, a user's name, role or active flag changes, a deadline or a feed
  state is written or deleted, or a case is created, deleted, changes assignment or reference
  or is bumped to a new `version`, whichever process writes (server, CLI, jobs). The
  notification empties every cache. If the listening connection drops, the caches are off
  (every request reads the database) until it listens again. SQLite: always off.
- Any write transaction of this process empties them too (`db.atomic`), so a revocation or a
  new event recorded here shows on the very next request, without waiting for the notification.
- An entry lives `TTL_SECONDS` at most, and an answer read while a cache was being emptied is
  not kept (generation counter): a lost notification cannot keep stale data longer than that.
- Each cache holds at most `max_entries` (emptied when full): memory stays bounded.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Generic, TypeVar

from casefile.store import db

log = logging.getLogger("casefile.store")

CHANNEL = "casefile_changes"
TTL_SECONDS = 5.0
RETRY_SECONDS = 5.0

V = TypeVar("V")

_generation = 0
_listener: Any = None  # the asyncpg connection that LISTENs, while it does
_listener_loop: asyncio.AbstractEventLoop | None = None
_next_attempt = 0.0


class Cache(Generic[V]):
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.entries: dict[object, tuple[V, float]] = {}

    def lookup(self, key: object) -> V | None:
        if not _active():
            return None
        entry = self.entries.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires < time.monotonic():
            self.entries.pop(key, None)
            return None
        return value

    def keep(self, key: object, value: V, seen_generation: int) -> None:
        """Keep `value` for `key`, unless the caches were emptied since `seen_generation`."""
        if not _active() or seen_generation != _generation:
            return
        if len(self.entries) >= self.max_entries:
            self.entries.clear()
        self.entries[key] = (value, time.monotonic() + TTL_SECONDS)


TOKENS: Cache[Any] = Cache(10_000)
DEADLINES: Cache[Any] = Cache(20_000)
FEEDS: Cache[Any] = Cache(10_000)
_CACHES = (TOKENS, DEADLINES, FEEDS)


def forget() -> None:
    """Empty every cache; answers being read now will not be kept."""
    global _generation
    _generation += 1
    for cache in _CACHES:
        cache.entries.clear()


def generation() -> int:
    """Read before querying the database; pass to `keep` with the answer."""
    return _generation


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
    attempt is retried at most every RETRY_SECONDS; meanwhile the caches stay off)."""
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
    except Exception as error:  # the caches stay off; every read goes to the database
        log.warning("read caches off: cannot LISTEN on %s: %s", CHANNEL, error)
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
