"""The rows of a chunk of the nightly recomputation, on PostgreSQL read and written in raw SQL
over asyncpg: no piccolo query building and no conversion of each row to a dict on the hot path
(asyncpg's records are read by column name as they come). SQLite (the embedded mode, small
portfolios) goes through piccolo and `executemany`, with the same results.

- `fetch`: a statement's records, in the open transaction or on a connection of the pool;
- `ids_clause`: a chunk's ids as a range (two values) when they are dense enough, else an array;
- `stored_pairs` / `stored_texts`: each case's stored (due, status) by key, and the stored
  explanation's digest and JSON text of the cases that differ;
- `write_deadlines`: only what differs is written, the rows whose explanation changed or that
  vanished deleted, the new and changed ones copied in, their explanations stored first when
  not stored yet (a range replayed writes nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from hashlib import sha256
from operator import attrgetter
from typing import Any

from casefile.law.schedule import Deadline
from casefile.store import explanations
from casefile.store.db import among, engine, postgres
from casefile.store.tables import DeadlineRecord


async def fetch(sql: str, *args: Any) -> list[Any]:
    """The records of `sql` (PostgreSQL), in the open transaction if any, else on a pooled
    connection (a connection of its own when no pool was started)."""
    eng: Any = engine()
    transaction = eng.current_transaction.get()
    if transaction is not None:
        return list(await transaction.connection.fetch(sql, *args))
    if eng.pool is None:  # no pool started (as piccolo does then: a connection for the query)
        connection = await eng.get_new_connection()
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()
    async with eng.pool.acquire() as connection:
        return list(await connection.fetch(sql, *args))


def ids_clause(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """`column` among `ids` as SQL (parameters $1, $2) and its arguments: a range when it holds
    at most twice as many ids (a superset: callers keep only their ids), else `= ANY(array)`."""
    low, high = min(ids), max(ids)
    if high - low + 1 <= 2 * len(ids):
        return f"{column} BETWEEN $1 AND $2", [low, high]
    return f"{column} = ANY($1::int[])", [list(ids)]


async def any_plan_or_promise(ids: Sequence[int]) -> bool:
    """PostgreSQL: whether an active payment plan or a promise not cancelled may belong to a
    case of `ids` (of its range: a superset). False on most chunks, which then skip
    `plan_deadlines_many`'s two queries built by piccolo; True sends the caller to it (it keeps
    only its cases)."""
    if not ids:
        return False
    where, args = ids_clause('"case"', ids)
    found = await fetch(
        f"SELECT EXISTS (SELECT 1 FROM payment_plans WHERE {where} AND active)"
        f" OR EXISTS (SELECT 1 FROM payment_promises WHERE {where} AND status <> 'annulee')",
        *args,
    )
    return bool(found[0][0])


async def stored_pairs(ids: Sequence[int]) -> dict[int, dict[str, tuple[date, str]]]:
    """case id → {key: (due, status)} of its stored deadlines (cases with none absent)."""
    if not ids:
        return {}
    wanted = set(ids)
    if postgres():
        where, args = ids_clause('"case"', ids)
        found = await fetch(f'SELECT "case", key, due, status FROM deadlines WHERE {where}', *args)
    else:
        found = [
            (row["case"], row["key"], row["due"], row["status"])
            for row in await DeadlineRecord.select(
                DeadlineRecord.case, DeadlineRecord.key, DeadlineRecord.due, DeadlineRecord.status
            ).where(among(DeadlineRecord.case, ids, superset=True))
        ]
    out: dict[int, dict[str, tuple[date, str]]] = {}
    for case_id, key, due, status in found:
        if case_id in wanted:
            pairs = out.get(case_id)
            if pairs is None:
                pairs = out[case_id] = {}
            pairs[key] = (due, status)
    return out


async def stored_texts(ids: Sequence[int]) -> dict[int, dict[str, tuple[bytes, str]]]:
    """case id → {key: (digest, explanation JSON text as stored)} (cases with none absent)."""
    if not ids:
        return {}
    wanted = set(ids)
    if postgres():
        where, args = ids_clause('d."case"', ids)
        found = await fetch(
            'SELECT d."case", d.key, d.digest, e.body FROM deadlines d'
            f" JOIN explanations e ON e.digest = d.digest WHERE {where}",
            *args,
        )
    else:
        found = [
            (row["case"], row["key"], row["digest"], row["body"])
            for row in await DeadlineRecord.select(
                DeadlineRecord.case,
                DeadlineRecord.key,
                DeadlineRecord.digest,
                DeadlineRecord.digest.body.as_alias("body"),
            ).where(among(DeadlineRecord.case, ids, superset=True))
        ]
    out: dict[int, dict[str, tuple[bytes, str]]] = {}
    for case_id, key, digest, text in found:
        if case_id in wanted:
            out.setdefault(case_id, {})[key] = (digest, text)
    return out


DEADLINE_COLUMNS = ["case", "key", "due", "status", "digest", "updated_at"]


def deadline_changes(
    new: Mapping[int, Sequence[Any]],
    stored: Mapping[int, Mapping[str, tuple[bytes, str]]],
    now: datetime,
) -> tuple[list[tuple[int, str]], list[tuple[Any, ...]], dict[bytes, bytes]]:
    """(case id, key) of the stored rows to delete, the rows to copy in and the explanations
    they refer to (digest → JSON text), so that each case of `new` (case id → its deadlines)
    ends with exactly its deadlines: a stored row whose explanation's digest is the new one's
    is left alone."""
    deleted: list[tuple[int, str]] = []
    rows: list[tuple[Any, ...]] = []
    bodies: dict[bytes, bytes] = {}
    # Each deadline object once (the engine's memo hands the same one to many cases): alive
    # for the whole call, so its id cannot be reused meanwhile.
    seen: dict[int, tuple[bytes, bytes]] = {}
    for case_id, deadlines in new.items():
        before = stored.get(case_id, {})
        for d in deadlines:
            explained = seen.get(id(d))
            if explained is None:
                explained = seen[id(d)] = explanation_of(d)
            digest, text = explained
            old = before.get(d.key)
            if old is not None:
                if old[0] == digest:
                    continue
                deleted.append((case_id, d.key))
            bodies[digest] = text
            rows.append((case_id, d.key, d.due, d.status, digest, now))
        if before:
            current = {d.key for d in deadlines}
            deleted.extend((case_id, key) for key in before if key not in current)
    return deleted, rows, bodies


EXPLAINED_LIMIT = 30_000
"""Distinct deadlines whose explanation's digest and JSON text are kept between chunks, at most
(`explanation_of`)."""

_explained: dict[tuple[Any, ...], tuple[bytes, bytes]] = {}

_explained_objects: dict[int, tuple[Deadline, tuple[bytes, bytes]]] = {}
"""The explanation of each deadline object met, by the object's identity (the object held, so
that its id is not reused while the entry lives): the engine's memo hands the same deadline
objects back night after night and chunk after chunk, and finding one by its id costs a tenth
of building and hashing its `deadline_value`. At most `EXPLAINED_OBJECTS_LIMIT` objects."""

EXPLAINED_OBJECTS_LIMIT = 60_000
"""Deadline objects held by `_explained_objects`, at most (the 100 000 bench cases' memos hand
out 32 010 distinct ones; ~0.4 KB each once the memo no longer holds them: ~25 MiB at most)."""

_NESTED = ("start", "period", "extension", "_json")
_flat: Callable[[Deadline], tuple[Any, ...]] = attrgetter(
    *(name for name in Deadline.__struct_fields__ if name not in _NESTED)
)
"""A deadline's fields that hold strings, dates or tuples of strings (every field but its
start point, period, extension and the cache of its JSON)."""


def deadline_value(deadline: Deadline) -> tuple[Any, ...]:
    """Every field of a deadline but its JSON's cache, its start point, period and extension
    given by their own fields: equal for equal deadlines, hashed without the Python `__hash__`
    of the deadline, its period and extension (three times cheaper)."""
    start, period, extension = deadline.start, deadline.period, deadline.extension
    return (
        _flat(deadline),
        start.kind,
        start.key,
        start.date,
        period.years,
        period.months,
        period.days,
        period.backward,
        None
        if extension is None
        else (extension.months, extension.basis, extension.source, extension.reason),
    )


def explanation_of(deadline: Any) -> tuple[bytes, bytes]:
    """(digest, JSON text) of a deadline's explanation (`Deadline.json_bytes()` and
    `explanations.digest_of`), the same for an equal deadline met before in this process.

    A portfolio's deadlines repeat (23 871 distinct among the 164 023 of the 100 000 bench
    cases), but the engine's memos are trimmed between chunks, so most of a chunk's deadlines
    are new objects equal to ones already explained: finding them by their fields
    (`deadline_value`) costs a fifth of building their JSON and its SHA-256 again. Equal
    deadlines have the same JSON text (`as_dict` reads their fields only). Kept for at most
    `EXPLAINED_LIMIT` deadlines (their texts, ~1 KB each)."""
    if type(deadline) is not Deadline:  # a stand-in (tests): no fields to key on
        text = deadline.json_bytes()
        return sha256(text).digest()[:16], text
    held = _explained_objects.get(id(deadline))
    if held is not None and held[0] is deadline:
        return held[1]
    value = deadline_value(deadline)
    found = _explained.get(value)
    if found is None:
        text = deadline.json_bytes()
        found = (sha256(text).digest()[:16], text)  # `explanations.digest_of`, inlined
        if len(_explained) >= EXPLAINED_LIMIT:
            _explained.clear()
        _explained[value] = found
    if len(_explained_objects) >= EXPLAINED_OBJECTS_LIMIT:
        _explained_objects.clear()
    _explained_objects[id(deadline)] = (deadline, found)
    return found


async def write_deadlines(
    deleted: Sequence[tuple[int, str]],
    rows: Sequence[tuple[Any, ...]],
    bodies: Mapping[bytes, bytes],
    epoch: int | None = None,
) -> None:
    """Delete the (case, key) rows of `deleted`, store the explanations of `bodies` not stored
    yet (unless written ahead: `epoch`, see `explanations.store_ahead`), then copy `rows` in
    (open transaction)."""
    transaction = engine().current_transaction.get()
    assert transaction is not None, "write_deadlines runs inside a transaction"
    connection = transaction.connection
    await explanations.ensure(bodies, epoch)
    if not postgres():
        await connection.executemany(
            'DELETE FROM deadlines WHERE "case" = ? AND "key" = ?', list(deleted)
        )
        quoted = ", ".join(f'"{c}"' for c in DEADLINE_COLUMNS)
        await connection.executemany(
            f"INSERT INTO deadlines ({quoted}) VALUES (?, ?, ?, ?, ?, ?)", list(rows)
        )
        return
    if deleted:
        cases = [case_id for case_id, _ in deleted]
        # The range of cases too: without it the planner, blind to the arrays' length, may
        # hash the whole table (as it did for the cases' update).
        await connection.execute(
            "DELETE FROM deadlines AS d USING unnest($1::int[], $2::text[]) AS v(c, k) "
            'WHERE d."case" = v.c AND d.key = v.k AND d."case" BETWEEN $3 AND $4',
            cases,
            [key for _, key in deleted],
            min(cases),
            max(cases),
        )
    if rows:
        await connection.copy_records_to_table(
            "deadlines", records=list(rows), columns=DEADLINE_COLUMNS
        )
