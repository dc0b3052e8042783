"""Deadline explanations stored once each (issue 14 item 5): `explanations` holds each distinct
JSON text under its digest, deadline rows hold the digest (`tables/explanation.py`).

- `digest_of`: the key of a text (the first 16 bytes of its SHA-256; PostgreSQL computes the
  same in SQL, as the migration that moved the stored rows did);
- `store`: the bodies that rows about to be written refer to, only those not stored yet (open
  transaction);
- `store_ahead` / `ensure`: the same in a short transaction of its own before the rows' (the
  nightly chunks on PostgreSQL), then checked still stored in the rows' transaction;
- `collect_garbage`: the bodies no deadline refers to any more, removed (the nightly job).

Without a foreign key constraint (its check on each row copied in costs the recomputation),
what keeps a row from referring to a removed body is a lock: every writer holds it shared from
the moment it checks which bodies are stored until it commits, the collector holds it alone
(PostgreSQL advisory lock; SQLite has one writer at a time anyway).

Bodies written ahead (PostgreSQL): two workers whose chunks share explanations would otherwise
wait for each other's whole chunk transaction (an `INSERT … ON CONFLICT` waits for the
transaction that inserted the same key uncommitted). The collector counts its passes
(`explanation_epoch`, bumped under its lock); a chunk's transaction takes the lock shared and
finds the count it read when it wrote its bodies ahead, so no pass ran since and its bodies
are all there, or stores them again (`ensure`).

Digests known stored (PostgreSQL, `store_ahead`): each process keeps the digests it found or
wrote under a pass count (committed), and a later chunk under the same count asks the database
only about the others: the same explanations recur from chunk to chunk (a portfolio's dates
repeat), and the check of every chunk's ~3 000 digests was a tenth of PostgreSQL's CPU in a
night that rewrites every case. The same lock makes it safe: a body known stored under pass
count N is still stored while the count reads N (only the collector removes bodies, and it
moves the count when it removes any). The set is dropped when the count moves, after an hour
or `KNOWN_LIMIT` digests, or with another database.
"""

from __future__ import annotations

import hashlib
import struct
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from casefile.errors import Conflict
from casefile.store.db import atomic, engine, postgres

# pg_advisory_xact_lock(int4, int4): a key space of its own (the single-bigint keys of the job
# queue never meet it). 'case', 'expl'.
_LOCK = (0x63617365, 0x6578706C)
# The writers ahead (`store_ahead`), one at a time from their check of which bodies are stored
# to their commit: none of them then meets a body another one copies in. 'case', 'ahed'.
_AHEAD_LOCK = (0x63617365, 0x61686564)


def digest_of(text: bytes) -> bytes:
    """The digest of a JSON text: the first 16 bytes of its SHA-256 (SQL:
    `substring(sha256(convert_to(text, 'UTF8')) FROM 1 FOR 16)`)."""
    return hashlib.sha256(text).digest()[:16]


async def store(bodies: Mapping[bytes, bytes | str]) -> None:
    """Write the bodies of `bodies` (digest → JSON text) not stored yet, in the open transaction
    (one of its own if none), before the deadline rows that refer to them."""
    transaction = engine().current_transaction.get()
    if transaction is None:
        async with atomic():
            await store(bodies)
        return
    connection: Any = transaction.connection
    if not bodies:
        return
    if not postgres():
        await connection.executemany(
            "INSERT OR IGNORE INTO explanations (digest, body) VALUES (?, ?)",
            [(d, _text(t)) for d, t in bodies.items()],
        )
        return
    await _store_postgres(connection, bodies)


async def _store_postgres(
    connection: Any,
    bodies: Mapping[bytes, bytes | str],
    use_known: bool = False,
    copy: bool = False,
) -> int:
    """`store` on PostgreSQL; returns the collector's pass count (under the lock).
    `use_known`: the digests this process knows stored under that count are not asked for.
    `copy` (a short transaction of its own, `store_ahead`): the missing bodies copied in under
    the ahead writers' lock, held until commit (see `store_ahead`)."""
    # Shared with every writer until commit: the collector cannot remove a body between this
    # check and the rows that refer to it.
    epoch = await _lock_shared(connection)
    if use_known:
        known = _known_at(epoch)
        asked = [d for d in bodies if d not in known]
    else:
        asked = list(bodies)
    if copy and asked:
        # Before the check: what another writer ahead copied in is committed once we hold it.
        await connection.execute("SELECT pg_advisory_xact_lock($1, $2)", *_AHEAD_LOCK)
    stored = await _stored(connection, asked) if asked else set()
    # In digest order: two writers adding some of the same bodies wait for each other in the
    # same order (no deadlock).
    missing = sorted(d for d in asked if d not in stored)
    if missing and copy:
        await connection.copy_to_table(
            "explanations",
            source=_once(_copy_data(missing, bodies)),
            columns=["digest", "body"],
            format="binary",
        )
    elif missing:
        # The bodies go as the bytes the engine encoded, made text by the server (which checks
        # their UTF-8 either way): no decoding into str here for the driver to encode back.
        await connection.execute(
            "INSERT INTO explanations (digest, body) SELECT d, convert_from(b, 'UTF8')"
            " FROM unnest($1::bytea[], $2::bytea[]) AS v(d, b) ON CONFLICT DO NOTHING",
            missing,
            [_bytes(bodies[d]) for d in missing],
        )
    return epoch


async def _stored(connection: Any, digests: list[bytes]) -> set[bytes]:
    """Which of `digests` the table holds."""
    return {
        row[0]
        for row in await connection.fetch(
            "SELECT digest FROM explanations WHERE digest = ANY($1::bytea[])", digests
        )
    }


KNOWN_LIMIT = 500_000
"""Digests kept known stored at most (16 bytes each, ~90 bytes with the set's own)."""
KNOWN_SECONDS = 3600.0
"""How long a set of digests known stored is trusted, at most (a night's run)."""


@dataclass(slots=True)
class _Known:
    """The digests this process knows stored under the collector's pass count `epoch`."""

    owner: object = None
    epoch: int = -1
    since: float = 0.0
    digests: set[bytes] = field(default_factory=set)


_known = _Known()


def _known_at(epoch: int) -> set[bytes]:
    """The digests known stored under `epoch` on this database (a new empty set when the count,
    the database, the hour or the size moved on)."""
    owner, now = engine(), time.monotonic()
    if (
        _known.owner is not owner
        or _known.epoch != epoch
        or now - _known.since > KNOWN_SECONDS
        or len(_known.digests) > KNOWN_LIMIT
    ):
        _known.owner, _known.epoch, _known.since, _known.digests = owner, epoch, now, set()
    return _known.digests


async def _lock_shared(connection: Any) -> int:
    """The writers' lock, shared, then the collector's pass count."""
    await connection.execute("SELECT pg_advisory_xact_lock_shared($1, $2)", *_LOCK)
    return int(await connection.fetchval("SELECT n FROM explanation_epoch"))


async def store_ahead(bodies: Mapping[bytes, bytes | str]) -> int | None:
    """PostgreSQL, outside any transaction: `store` in a transaction of its own, committed at
    once; returns the collector's pass count for `ensure`. None (nothing done) on SQLite, inside
    a transaction or with no bodies: `ensure` stores them then."""
    if not bodies or not postgres() or engine().current_transaction.get() is not None:
        return None
    try:
        epoch = await _store_ahead(bodies, copy=True)
    except Conflict as error:
        # A body copied in by a writer that did not hold the ahead writers' lock (`store`
        # within a longer transaction, which inserts `ON CONFLICT DO NOTHING`): rare, and
        # then the same insert here.
        import asyncpg  # PostgreSQL only (imported when needed, as `db` does)

        if not isinstance(error.__cause__, asyncpg.UniqueViolationError):
            raise
        epoch = await _store_ahead(bodies, copy=False)
    # Committed: every one of them is stored while the pass count reads `epoch`.
    _known_at(epoch).update(bodies)
    return epoch


async def _store_ahead(bodies: Mapping[bytes, bytes | str], copy: bool) -> int:
    async with atomic():
        transaction = engine().current_transaction.get()
        assert transaction is not None
        return await _store_postgres(transaction.connection, bodies, use_known=True, copy=copy)


_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_DIGEST_FIELD = struct.pack("!hi", 2, 16)  # each row: two fields, the first 16 bytes


async def _once(data: bytes) -> AsyncIterator[bytes]:
    """`data` as the async iterable `copy_to_table` reads in the event loop (a file would be
    read in a thread, and bytes are taken for a path)."""
    yield data


def _copy_data(digests: list[bytes], bodies: Mapping[bytes, bytes | str]) -> bytes:
    """The rows (digest, body) of `digests` in PostgreSQL's binary `COPY` format: a text
    field is its UTF-8 bytes, so the engine's bytes go as they are (the server checks them,
    as `convert_from` did)."""
    parts = [_COPY_HEADER]
    pack = struct.Struct("!i").pack
    for digest in digests:
        body = _bytes(bodies[digest])
        parts += (_DIGEST_FIELD, digest, pack(len(body)), body)
    parts.append(b"\xff\xff")
    return b"".join(parts)


async def ensure(bodies: Mapping[bytes, bytes | str], epoch: int | None) -> None:
    """In the rows' transaction: the bodies written ahead (`store_ahead` gave `epoch`) are still
    stored when no collector pass ran since; otherwise (or when not written ahead) `store`."""
    if epoch is not None and bodies:
        transaction = engine().current_transaction.get()
        assert transaction is not None, "ensure runs inside the rows' transaction"
        if await _lock_shared(transaction.connection) == epoch:
            return
    await store(bodies)


def _text(body: bytes | str) -> str:
    return body.decode() if isinstance(body, bytes) else body


def _bytes(body: bytes | str) -> bytes:
    return body if isinstance(body, bytes) else body.encode()


async def collect_garbage() -> int:
    """Remove the bodies no deadline refers to any more (a recomputed or deleted case's old
    explanations); returns how many."""
    async with atomic():
        transaction = engine().current_transaction.get()
        assert transaction is not None
        connection: Any = transaction.connection
        if postgres():
            await connection.execute("SELECT pg_advisory_xact_lock($1, $2)", *_LOCK)
            status = await connection.execute(
                "DELETE FROM explanations e WHERE NOT EXISTS "
                "(SELECT 1 FROM deadlines d WHERE d.digest = e.digest)"
            )
            removed = int(status.split()[-1])
            if removed:  # bodies written ahead may be gone: their writers store them again
                await connection.execute("UPDATE explanation_epoch SET n = n + 1")
            return removed
        cursor = await connection.execute(
            "DELETE FROM explanations WHERE digest NOT IN (SELECT digest FROM deadlines)"
        )
        return int(cursor.rowcount)
