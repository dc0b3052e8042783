"""A deadline row always belongs to an existing case, on both engines: SQLite by its foreign
key, PostgreSQL by the statement-level triggers of migration 2026-11-30T16:55 (the foreign
key's check of each row copied in cost the nightly recomputation more than the copy itself).
An orphan is refused, a case deleted takes its deadlines with it, and on PostgreSQL a deletion
and a write of the same case in two transactions never leave an orphan, in either order."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

import pytest

from casefile.errors import Conflict
from casefile.services import cases
from casefile.services.cases import create_case
from casefile.store.db import atomic, engine
from casefile.store.explanations import digest_of
from casefile.store.recompute_rows import write_deadlines
from casefile.store.tables import Case, DeadlineRecord
from casefile.store.users import SYSTEM
from tests.store.conftest import Store
from tests.store.helpers import new_case

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)
TEXT = b'{"key":"k"}'


def _row(case_id: int, key: str = "k") -> tuple[Any, ...]:
    return (case_id, key, date(2027, 1, 4), "pending", digest_of(TEXT), NOW)


async def _write(rows: list[tuple[Any, ...]]) -> None:
    async with atomic():
        await write_deadlines([], rows, {digest_of(TEXT): TEXT})


def _deadline_cases(store: Store) -> dict[int, int]:
    rows = store.run(DeadlineRecord.select(DeadlineRecord.case))
    out: dict[int, int] = {}
    for row in rows:
        out[row["case"]] = out.get(row["case"], 0) + 1
    return out


def _case(store: Store, reference: str) -> int:
    """A case with deadlines stored (an order given)."""
    case = store.run(create_case(new_case(reference), SYSTEM, today=date(2026, 11, 2)))
    store.run(cases.add_event(case["id"], "ordonnance_rendue", date(2027, 2, 1), {}, SYSTEM))
    return int(case["id"])


def test_a_deadline_of_a_missing_case_is_refused(store: Store) -> None:
    known = _case(store, "KEY-1")
    before = _deadline_cases(store)
    with pytest.raises(Conflict):
        # One orphan among rows of an existing case: the whole statement is refused.
        store.run(_write([_row(known, "extra"), _row(known + 1000, "k")]))
    assert _deadline_cases(store) == before
    store.run(_write([_row(known, "extra")]))  # the existing case's row alone goes in
    assert _deadline_cases(store) == {known: before[known] + 1}


def test_a_case_deleted_takes_its_deadlines_with_it(store: Store) -> None:
    first, second = _case(store, "KEY-1"), _case(store, "KEY-2")
    counts = _deadline_cases(store)
    assert counts[first] > 0 and counts[second] > 0
    store.run(Case.delete().where(Case.id == first))
    assert _deadline_cases(store) == {second: counts[second]}


@pytest.mark.postgres
def test_a_deadline_moved_to_a_missing_case_is_refused(store: Store) -> None:
    if store.engine != "postgres":
        pytest.skip("the row trigger of an update is PostgreSQL's")
    known = _case(store, "KEY-1")
    with pytest.raises(Conflict):
        store.run(_update('UPDATE deadlines SET "case" = $1 WHERE "case" = $2', known + 5, known))
    assert set(_deadline_cases(store)) == {known}


async def _update(sql: str, *args: Any) -> None:
    async with atomic():
        transaction: Any = engine().current_transaction.get()
        await transaction.connection.execute(sql, *args)


@pytest.mark.postgres
def test_a_case_id_changed_keeps_its_deadlines(store: Store) -> None:
    if store.engine != "postgres":
        pytest.skip("the cascade of an id changed is PostgreSQL's trigger")
    known = _case(store, "KEY-1")
    count = _deadline_cases(store)[known]
    store.run(_update("UPDATE cases SET id = $1 WHERE id = $2", known + 100, known))
    assert _deadline_cases(store) == {known + 100: count}


@pytest.mark.postgres
def test_truncating_the_cases_empties_the_deadlines(store: Store) -> None:
    if store.engine != "postgres":
        pytest.skip("TRUNCATE is PostgreSQL's")
    _case(store, "KEY-1")
    assert _deadline_cases(store)
    store.run(_update("TRUNCATE cases CASCADE"))
    assert _deadline_cases(store) == {}


async def _two_connections(url: str) -> tuple[Any, Any]:
    import asyncpg

    return await asyncpg.connect(url), await asyncpg.connect(url)


async def _is_waiting(connection: Any, pid: int) -> bool:
    """Whether backend `pid` waits for a lock (polled up to 5 s)."""
    for _ in range(100):
        if await connection.fetchval(
            "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = $1", pid
        ):
            return True
        await asyncio.sleep(0.05)
    return False


COPY_COLUMNS = ["case", "key", "due", "status", "digest", "updated_at"]


async def _write_then_delete(url: str, case_id: int) -> tuple[int, int]:
    """A transaction copies a deadline of the case in; another deletes the case meanwhile and
    waits; the first commits. Returns (deadlines of the case left, cases left with its id)."""
    writer, deleter = await _two_connections(url)
    try:
        await writer.execute(
            "INSERT INTO explanations VALUES ($1, $2) ON CONFLICT DO NOTHING",
            digest_of(TEXT),
            TEXT.decode(),
        )
        transaction = writer.transaction()
        await transaction.start()
        await writer.copy_records_to_table(
            "deadlines", records=[_row(case_id, "late")], columns=COPY_COLUMNS
        )
        deleting = asyncio.create_task(deleter.execute("DELETE FROM cases WHERE id = $1", case_id))
        assert await _is_waiting(writer, deleter.get_server_pid())  # the case's key is locked
        await transaction.commit()
        await deleting
        return (
            await writer.fetchval('SELECT count(*) FROM deadlines WHERE "case" = $1', case_id),
            await writer.fetchval("SELECT count(*) FROM cases WHERE id = $1", case_id),
        )
    finally:
        await writer.close()
        await deleter.close()


async def _delete_then_write(url: str, case_id: int) -> tuple[BaseException | None, int]:
    """A transaction deletes the case, uncommitted; another copies a deadline of it in and
    waits; the first commits. Returns (the writer's error, deadlines of the case left)."""
    writer, deleter = await _two_connections(url)
    try:
        await writer.execute(
            "INSERT INTO explanations VALUES ($1, $2) ON CONFLICT DO NOTHING",
            digest_of(TEXT),
            TEXT.decode(),
        )
        transaction = deleter.transaction()
        await transaction.start()
        await deleter.execute("DELETE FROM cases WHERE id = $1", case_id)
        writing = asyncio.create_task(
            writer.copy_records_to_table(
                "deadlines", records=[_row(case_id, "late")], columns=COPY_COLUMNS
            )
        )
        assert await _is_waiting(deleter, writer.get_server_pid())
        await transaction.commit()
        error = None
        try:
            await writing
        except Exception as raised:  # the error is the result
            error = raised
        left = await writer.fetchval('SELECT count(*) FROM deadlines WHERE "case" = $1', case_id)
        return error, left
    finally:
        await writer.close()
        await deleter.close()


@pytest.mark.postgres
def test_a_case_deleted_while_its_deadlines_are_written_leaves_no_orphan(store: Store) -> None:
    import asyncpg

    if store.engine != "postgres":
        pytest.skip("two connections at once: PostgreSQL")
    first, second = _case(store, "KEY-1"), _case(store, "KEY-2")
    # Written first: the deletion waits for the writer, then removes what it committed too.
    assert store.run(_write_then_delete(store.url, first)) == (0, 0)
    # Deleted first: the writer waits for the deletion, then finds the case gone.
    error, left = store.run(_delete_then_write(store.url, second))
    assert isinstance(error, asyncpg.ForeignKeyViolationError)
    assert "dossier inexistant" in str(error) and left == 0
    assert _deadline_cases(store) == {}
