"""Login throttling, per account name and per client address, shared by every process.

Each attempt is counted as a failure *before* its password is checked, in one transaction, so
a burst of concurrent attempts is throttled as surely as a sequence; a successful login then
takes its own count back. Past a few free failures, each key is locked for a delay that
doubles with every further failure, up to `MAX_DELAY`; a key idle for `MEMORY` is forgotten
(its row deleted), so the table holds only recent attacks. While locked, attempts are refused
at once, without checking the password — for unknown and known names alike.

The client address is the socket's peer: behind a reverse proxy, configure it to pass the real
address (uvicorn `--proxy-headers --forwarded-allow-ips`), or every user shares one key.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from casefile.errors import CasefileError
from casefile.store.db import atomic, postgres
from casefile.store.tables import LoginThrottle

FREE_PER_ACCOUNT = 5
# Higher: colleagues behind one office address share it.
FREE_PER_ADDRESS = 20
FIRST_DELAY = timedelta(seconds=1)
MAX_DELAY = timedelta(minutes=15)
MEMORY = timedelta(hours=1)
KEY_LENGTH = 200


class Throttled(CasefileError):
    """Too many failed logins: wait `retry_after` seconds."""

    http_status = 429

    def __init__(self, wait: timedelta) -> None:
        self.retry_after = max(1, math.ceil(wait.total_seconds()))
        super().__init__(
            "Trop de tentatives de connexion infructueuses pour ce compte ou depuis cette "
            f"adresse : réessayez dans {_duration_fr(self.retry_after)}."
        )


def _duration_fr(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconde" + ("s" if seconds > 1 else "")
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute" + ("s" if minutes > 1 else "")


def delay(failures: int, free: int) -> timedelta | None:
    """How long a key stays locked after its `failures`-th failure (None: not locked)."""
    if failures < free:
        return None
    doublings = min(failures - free, 20)  # 2**20 s is far beyond MAX_DELAY already
    wait: timedelta = FIRST_DELAY * (2**doublings)
    return min(wait, MAX_DELAY)


def account_key(name: str) -> str:
    """Hashed: whatever was typed as a name (a password, a NUL byte, 10 000 characters) is
    neither stored nor able to upset the database."""
    digest = hashlib.sha256(name.strip().casefold().encode("utf-8", "replace")).hexdigest()
    return "account:" + digest


def address_key(address: str | None) -> str:
    return ("address:" + (address or "inconnue"))[:KEY_LENGTH]


def aware(value: object) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (SQLite may hand back text or naive)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Attempt:
    """A login attempt counted against its keys (and the free failures of each)."""

    keys: tuple[tuple[str, int], ...]


async def _locked_rows(keys: list[str]) -> list[dict[str, object]]:
    """The keys' rows, locked until the transaction ends (SQLite's IMMEDIATE transaction
    already serialises writers)."""
    query = LoginThrottle.select().where(LoginThrottle.key.is_in(keys))
    if postgres():
        query = query.lock_rows("UPDATE")
    return [dict(row) for row in await query]


_queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


@asynccontextmanager
async def one_writer() -> AsyncIterator[None]:
    """SQLite has one writer at a time and the server waits only briefly for its lock (then
    503): a burst of logins in one process queues here, on the event loop, instead of racing
    for the file's lock. PostgreSQL locks the rows themselves (`_locked_rows`)."""
    if postgres():
        yield
        return
    loop = asyncio.get_running_loop()
    queue = _queues.setdefault(loop, asyncio.Lock())
    async with queue:
        yield


async def begin(name: str, address: str | None, now: datetime) -> Attempt:
    """Count an attempt, or raise Throttled when its account or its address is locked."""
    attempt = Attempt(
        ((account_key(name), FREE_PER_ACCOUNT), (address_key(address), FREE_PER_ADDRESS))
    )
    keys = [key for key, _ in attempt.keys]
    async with one_writer(), atomic():
        await LoginThrottle.delete().where(LoginThrottle.last_failure < now - MEMORY)
        await LoginThrottle.insert(
            *(LoginThrottle(key=key, failures=0, last_failure=now) for key in keys)
        ).on_conflict(target=LoginThrottle.key, action="DO NOTHING")
        rows = {str(row["key"]): row for row in await _locked_rows(keys)}
        waits = [
            until - now
            for row in rows.values()
            if (until := aware(row["locked_until"])) is not None and until > now
        ]
        if waits:
            raise Throttled(max(waits))
        for key, free in attempt.keys:
            failures = int(rows[key]["failures"]) + 1  # type: ignore[call-overload]
            wait = delay(failures, free)
            await LoginThrottle.update(
                {
                    LoginThrottle.failures: failures,
                    LoginThrottle.last_failure: now,
                    LoginThrottle.locked_until: now + wait if wait else None,
                }
            ).where(LoginThrottle.key == key)
    return attempt


async def succeeded(attempt: Attempt) -> None:
    """The password was right: the account starts afresh, the address takes this one back."""
    (account, _), (address, free) = attempt.keys
    async with one_writer(), atomic():
        await LoginThrottle.delete().where(LoginThrottle.key == account)
        rows = await _locked_rows([address])
        if not rows:
            return
        row = rows[0]
        failures = max(int(row["failures"]) - 1, 0)  # type: ignore[call-overload]
        values: dict[object, object] = {LoginThrottle.failures: failures}
        if failures < free:
            values[LoginThrottle.locked_until] = None
        await LoginThrottle.update(values).where(LoginThrottle.key == address)  # type: ignore[arg-type]
