"""Password hashing (argon2id) on a small thread pool of its own, never on the event loop.

argon2 spends a fifth of a second of CPU per check on purpose. On the event loop, sixty
concurrent bad logins would stall every other request for seconds; on the default executor they
would queue ahead of everything else that uses it. Here they run on at most half the cores, and
a login beyond `MAX_WAITING` queued checks is refused at once (503) instead of piling up.

Unknown users, users without a password and deactivated users cost the same check, against a
dummy hash: how long a login takes says nothing about whether the account exists.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from casefile.errors import CasefileError

WORKERS = max(1, (os.cpu_count() or 2) // 2)
MAX_WAITING = 64

_hasher = PasswordHasher()
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="casefile-argon2")
_waiting = 0
_dummy: str | None = None


class Busy(CasefileError):
    """Too many password checks queued: answer at once rather than pile them up."""

    http_status = 503


async def _run(function: object, *args: str) -> object:
    global _waiting
    if _waiting >= MAX_WAITING:
        raise Busy("Trop de connexions en cours : réessayez dans quelques secondes.")
    _waiting += 1
    try:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_pool, function, *args)  # type: ignore[arg-type]
    finally:
        _waiting -= 1


async def hash_password(password: str) -> str:
    return str(await _run(_hasher.hash, password))


async def _dummy_hash() -> str:
    global _dummy
    if _dummy is None:
        _dummy = await hash_password(secrets.token_urlsafe(16))
    return _dummy


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def check_password(stored: str | None, password: str) -> bool:
    """True when `password` matches `stored`; None (no such user, no password) spends the same
    work on a dummy hash and is False."""
    dummy = await _dummy_hash()  # made once, before any answer can depend on it
    if not stored:
        await _run(_verify, dummy, password)
        return False
    return bool(await _run(_verify, stored, password))
