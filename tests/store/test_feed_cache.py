"""A subscription feed's 304 answered from memory (PostgreSQL, a few seconds), yet a revocation,
a publisher's deactivation or any change to the feed's cases bites at once: made by this process
(its write transactions empty the cache) or by another one (triggers NOTIFY the server)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime

import asyncpg
import pytest

from casefile.errors import NotFound
from casefile.ical.feeds import hash_token
from casefile.services import cases
from casefile.store import calendars, read_cache, users
from tests.store.helpers import new_case

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)


def _kept(token: str) -> bool:
    return read_cache.FEEDS.entries.get(hash_token(token)) is not None


def _feed(store) -> tuple[str, int]:
    """A lawyer's feed of one case with deadlines, polled once (its ETag known)."""
    lawyer, _ = store.run(users.create_user("me_dupont", "avocat"))
    case = store.run(cases.create_case(replace(new_case(), lawyer="me_dupont"), lawyer))
    store.run(cases.add_event(case["id"], "ordonnance_rendue", "2027-01-04", {}, lawyer))
    feed = store.run(calendars.issue_feed("lawyer", "me_dupont", lawyer))
    return feed["token"], feed["id"]


async def _elsewhere(url: str, statement: str) -> None:
    """A change made by another process: its own connection, no hook of this one."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _until_forgotten(token: str) -> None:
    for _ in range(200):
        if not _kept(token):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the notification never emptied the feed cache")


def _poll_until_kept(store, token: str) -> str:
    """Poll until the answer is kept (our own writes' notifications may still be arriving)."""
    body, etag = store.run(calendars.feed_answer(token, None, NOW))
    assert body is not None and b"BEGIN:VEVENT" in body
    for _ in range(100):
        body, again = store.run(calendars.feed_answer(token, etag, NOW))
        assert again == etag  # the first poll wrote the feed state: the next computes again
        if body is None and _kept(token):
            return etag
        store.run(asyncio.sleep(0.02))
    raise AssertionError("the feed's ETag was never kept")


def test_sqlite_never_keeps_a_feed(store):
    if store.engine != "sqlite":
        pytest.skip("SQLite only")
    token, _ = _feed(store)
    store.run(calendars.feed_answer(token, None, NOW))  # writes the feed state
    _, etag = store.run(calendars.feed_answer(token, None, NOW))
    assert store.run(calendars.feed_answer(token, etag, NOW)) == (None, etag)
    assert not _kept(token)


def test_a_kept_304_needs_no_query_and_a_revocation_here_bites_at_once(store):
    if store.engine != "postgres":
        pytest.skip("the cache is on PostgreSQL only")
    token, feed_id = _feed(store)
    etag = _poll_until_kept(store, token)

    async def no_query() -> tuple[bytes | None, str]:
        from casefile.store.tables import Case

        real = Case.raw
        Case.raw = None  # type: ignore[assignment,method-assign]
        try:
            return await calendars.feed_answer(token, etag, NOW)
        finally:
            Case.raw = real  # type: ignore[method-assign]

    assert store.run(no_query()) == (None, etag)
    # Another day, another ETag may be due: not answered from memory.
    later = datetime(2027, 2, 2, 9, 0, tzinfo=UTC)
    assert store.run(calendars.feed_answer(token, etag, later))[0] is not None
    lawyer = store.run(users.get_user("me_dupont"))
    store.run(calendars.revoke_feed(feed_id, lawyer))
    assert not _kept(token)
    with pytest.raises(NotFound):
        store.run(calendars.feed_answer(token, etag, NOW))


@pytest.mark.parametrize(
    ("statement", "then"),
    [
        ("UPDATE feed_tokens SET revoked_at = now()", "gone"),
        ("UPDATE users SET active = false WHERE name = 'me_dupont'", "gone"),
        ("UPDATE cases SET version = version + 1", "computed"),
        ("UPDATE feed_states SET updated_at = now()", "computed"),
    ],
)
def test_a_change_made_by_another_process_empties_the_feed_cache(store, statement, then):
    if store.engine != "postgres":
        pytest.skip("the cache is on PostgreSQL only")
    token, _ = _feed(store)
    etag = _poll_until_kept(store, token)
    store.run(_elsewhere(store.url, statement))
    store.run(_until_forgotten(token))
    if then == "gone":
        with pytest.raises(NotFound):
            store.run(calendars.feed_answer(token, etag, NOW))
    else:  # the inputs changed: the feed is computed again
        assert store.run(calendars.feed_answer(token, etag, NOW))[0] is not None


def test_a_checked_304_runs_exactly_one_query(store, monkeypatch):
    """The caches emptied (a poll an hour later, another process): the token, its publisher,
    its subject and the feed's inputs are read in one statement, nothing else."""
    if store.engine != "postgres":
        pytest.skip("one statement on PostgreSQL only (SQLite: two)")
    token, _ = _feed(store)
    etag = _poll_until_kept(store, token)
    read_cache.forget()
    engine = type(store.run(_engine()))
    queries: list[str] = []
    real = engine.run_querystring

    async def counted(self, querystring, *args, **kwargs):
        queries.append(str(querystring))
        return await real(self, querystring, *args, **kwargs)

    monkeypatch.setattr(engine, "run_querystring", counted)  # every query of the store
    assert store.run(calendars.feed_answer(token, etag, NOW)) == (None, etag)
    assert len(queries) == 1 and queries[0].startswith("WITH t AS (")


async def _engine():
    from casefile.store import db

    return db.engine()


@pytest.mark.parametrize("kind", ["case", "lawyer", "commissaire"])
def test_the_inputs_read_with_the_token_are_those_read_apart(store, kind):
    """Same inputs tuple from the one statement (PostgreSQL) as from the separate query: the
    ETag decision is unchanged. An unrelated case of another lawyer stays out."""
    if store.engine != "postgres":
        pytest.skip("PostgreSQL only")
    lawyer, _ = store.run(users.create_user("me_dupont", "avocat"))
    store.run(users.create_user("me_martin", "avocat"))
    bailiff, _ = store.run(users.create_user("me_durand", "commissaire_de_justice"))
    mine = replace(new_case(), lawyer="me_dupont", commissaire="me_durand")
    made = [store.run(cases.create_case(replace(mine, reference=f"R-{n}"), lawyer)) for n in (1, 2)]
    store.run(cases.create_case(replace(new_case(), reference="R-9", lawyer="me_martin"), lawyer))
    store.run(cases.add_event(made[0]["id"], "ordonnance_rendue", "2027-01-04", {}, lawyer))
    subject = {"case": str(made[0]["id"]), "lawyer": "me_dupont", "commissaire": "me_durand"}
    issuer = bailiff if kind == "commissaire" else lawyer
    token = store.run(calendars.issue_feed(kind, subject[kind], issuer))["token"]
    store.run(calendars.feed_answer(token, None, NOW))  # writes the feed states

    async def both() -> tuple[tuple, tuple]:
        feed, rows = await calendars._resolve(token, NOW, with_inputs=True)
        assert rows is not None
        return (
            await calendars._feed_inputs(feed, NOW, rows),
            await calendars._feed_inputs(feed, NOW),
        )

    together, apart = store.run(both())
    assert together[:-1] == apart[:-1]
    assert _decoded(together[-1]) == apart[-1]
    expected = [made[0]["id"]] if kind == "case" else sorted(c["id"] for c in made)
    assert [row[0] for row in apart[-1]] == expected
    first = apart[-1][0]  # the case with deadlines: its feed state written, read in both
    assert first[2] != "None" and first[3] != "None" and first[4] > 0


def _decoded(text: str) -> tuple:
    """The JSON rows of the one statement as the separate query's rows."""

    def moment(value: str | None) -> str:
        return str(None if value is None else datetime.fromisoformat(value).astimezone(UTC))

    return tuple(
        (case_id, version, moment(synced), moment(written), deadlines)
        for case_id, version, synced, written, deadlines in json.loads(text)
    )
