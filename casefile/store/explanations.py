"""Deadline explanations stored once each (issue 14 item 5): `explanations` holds each distinct
JSON text under its digest, deadline rows hold the digest (`tables/explanation.py`).

- `digest_of`: the key of a text (the first 16 bytes of its SHA-256; PostgreSQL computes the
  same in SQL, as the migration that moved the stored rows did);
- `store`: the bodies that rows about to be written refer to, only those not stored yet (open
  transaction);
- `collect_garbage`: the bodies no deadline refers to any more, removed (the nightly job).

Without a foreign key constraint (its check on each row copied in costs the recomputation),
what keeps a row from referring to a removed body is a lock: every writer holds it shared from
the moment it checks which bodies are stored until it commits, the collector holds it alone
(PostgreSQL advisory lock; SQLite has one writer at a time anyway).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from casefile.store.db import atomic, engine, postgres

# pg_advisory_xact_lock(int4, int4): a key space of its own (the single-bigint keys of the job
# queue never meet it). 'case', 'expl'.
_LOCK = (0x63617365, 0x6578706C)


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
    # Shared with every writer until commit: the collector cannot remove a body between this
    # check and the rows that refer to it.
    await connection.execute("SELECT pg_advisory_xact_lock_shared($1, $2)", *_LOCK)
    stored = {
        row[0]
        for row in await connection.fetch(
            "SELECT digest FROM explanations WHERE digest = ANY($1::bytea[])", list(bodies)
        )
    }
    # In digest order: two writers adding some of the same bodies wait for each other in the
    # same order (no deadlock).
    missing = sorted(d for d in bodies if d not in stored)
    if missing:
        await connection.execute(
            "INSERT INTO explanations (digest, body) SELECT * FROM unnest($1::bytea[], $2::text[])"
            " ON CONFLICT DO NOTHING",
            missing,
            [_text(bodies[d]) for d in missing],
        )


def _text(body: bytes | str) -> str:
    return body.decode() if isinstance(body, bytes) else body


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
            return int(status.split()[-1])
        cursor = await connection.execute(
            "DELETE FROM explanations WHERE digest NOT IN (SELECT digest FROM deadlines)"
        )
        return int(cursor.rowcount)
