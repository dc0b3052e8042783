"""API tokens cached a few seconds (PostgreSQL), yet revocation and deactivation bite at once:
made by this process (its write transactions empty the cache) or by another one (triggers
NOTIFY the listening server)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from casefile.store import read_cache, users
from casefile.store.permissions import SYSTEM


def _cached(store, token: str) -> bool:
    async def look() -> bool:
        return read_cache.TOKENS.lookup(users.token_hash(token)) is not None

    return bool(store.run(look()))


async def _elsewhere(url: str, statement: str) -> None:
    """A change made by another process: its own connection, no hook of this one."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _until_forgotten(token: str) -> float:
    for waited in range(200):
        if read_cache.TOKENS.lookup(users.token_hash(token)) is None:
            return waited * 0.01
        await asyncio.sleep(0.01)
    raise AssertionError("the notification never emptied the token cache")


def test_sqlite_never_caches_tokens(store):
    if store.engine != "sqlite":
        pytest.skip("SQLite only")
    user, token = store.run(users.create_user("alice", "avocat", with_token=True))
    assert token is not None
    assert store.run(users.authenticate_token(token)) == user
    assert not _cached(store, token)


def test_a_revocation_in_this_process_bites_on_the_next_request(store):
    if store.engine != "postgres":
        pytest.skip("the cache is on PostgreSQL only")
    user, token = store.run(users.create_user("alice", "avocat", with_token=True))
    assert token is not None
    assert store.run(users.authenticate_token(token)) == user
    assert _cached(store, token)
    assert store.run(users.authenticate_token(token)) == user  # from memory
    [entry] = store.run(users.list_tokens("alice", SYSTEM))
    store.run(users.revoke_token(entry["id"], SYSTEM))
    assert not _cached(store, token)
    assert store.run(users.authenticate_token(token)) is None


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE api_tokens SET revoked = true",
        "UPDATE users SET active = false",
        "UPDATE users SET role = 'lecteur'",
        "DELETE FROM api_tokens",
    ],
)
def test_a_change_made_by_another_process_empties_the_cache(store, statement):
    if store.engine != "postgres":
        pytest.skip("the cache is on PostgreSQL only")
    user, token = store.run(users.create_user("alice", "avocat", with_token=True))
    assert token is not None
    assert store.run(users.authenticate_token(token)) == user
    assert _cached(store, token)
    store.run(_elsewhere(store.url, statement))
    assert store.run(_until_forgotten(token)) < 1.0
    after = store.run(users.authenticate_token(token))
    assert after is None or after.role == "lecteur"


def test_an_answer_read_while_the_cache_was_emptied_is_not_kept(store):
    if store.engine != "postgres":
        pytest.skip("the cache is on PostgreSQL only")
    user, token = store.run(users.create_user("alice", "avocat", with_token=True))
    assert token is not None
    store.run(users.authenticate_token(token))  # listening now

    async def race() -> None:
        read_cache.forget()
        seen = read_cache.generation()
        read_cache.forget()  # a revocation lands while the database is being read
        read_cache.TOKENS.keep(users.token_hash(token), user, seen)

    store.run(race())
    assert not _cached(store, token)


def test_the_cache_is_off_when_not_listening(store):
    if store.engine != "postgres":
        pytest.skip("the cache is on PostgreSQL only")
    user, token = store.run(users.create_user("alice", "avocat", with_token=True))
    assert token is not None
    assert store.run(users.authenticate_token(token)) == user
    store.run(read_cache.stop())
    assert not _cached(store, token)

    async def keep() -> None:
        read_cache.TOKENS.keep(users.token_hash(token), user, read_cache.generation())

    store.run(keep())
    assert not _cached(store, token)


def test_a_case_deadlines_read_is_kept_until_the_case_changes(store):
    """The stored deadlines of a case are served from memory until a deadline or the case's
    assignment changes, here or in another process."""
    if store.engine != "postgres":
        pytest.skip("the cache is on PostgreSQL only")
    from casefile.services import cases
    from tests.store.helpers import new_case

    case = store.run(cases.create_case(new_case(), SYSTEM))
    store.run(cases.add_event(case["id"], "ordonnance_rendue", "2026-02-02", {}, SYSTEM))
    first = store.run(cases.case_deadlines_json(case["id"], SYSTEM))

    async def cached() -> bool:
        return read_cache.DEADLINES.lookup(case["id"]) is not None

    assert store.run(cached())
    assert store.run(cases.case_deadlines_json(case["id"], SYSTEM)) == first
    store.run(
        cases.add_event(
            case["id"], "ordonnance_signifiee", "2026-02-13", {"a_personne": True}, SYSTEM
        )
    )
    assert not store.run(cached())  # this process wrote: forgotten at once
    second = store.run(cases.case_deadlines_json(case["id"], SYSTEM))
    assert second != first
    for _ in range(100):  # our own write's notification may still be on its way
        store.run(asyncio.sleep(0.02))
        assert store.run(cases.case_deadlines_json(case["id"], SYSTEM)) == second
        if store.run(cached()):
            break
    assert store.run(cached())
    store.run(_elsewhere(store.url, "DELETE FROM deadlines"))

    async def until_forgotten() -> None:
        for _ in range(200):
            if read_cache.DEADLINES.lookup(case["id"]) is None:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the notification never emptied the deadlines cache")

    store.run(until_forgotten())
    assert store.run(cases.case_deadlines_json(case["id"], SYSTEM)) == b"[]"
