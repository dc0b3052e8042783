"""Deadline explanations stored once each (issue 14 item 5), on both engines: cases with the same
deadlines share one body, every row's explanation is readable, the bodies of rewritten
deadlines are removed by the collector and only those, and a night replayed writes nothing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from casefile.services import cases, nightly
from casefile.services.cases import create_case
from casefile.store import explanations
from casefile.store.explanations import digest_of
from casefile.store.tables import DeadlineRecord, ExplanationText
from casefile.store.tables.deadline import explanation_column
from casefile.store.users import SYSTEM
from tests.store.conftest import Store
from tests.store.helpers import new_case


def _bodies(store: Store) -> dict[bytes, str]:
    rows = store.run(ExplanationText.select(ExplanationText.digest, ExplanationText.body))
    return {bytes(row["digest"]): row["body"] for row in rows}


def _rows(store: Store) -> list[dict[str, Any]]:
    return store.run(
        DeadlineRecord.select(
            DeadlineRecord.case, DeadlineRecord.key, DeadlineRecord.digest, explanation_column()
        ).output(load_json=True)
    )


def _two_alike(store: Store) -> tuple[dict[str, Any], dict[str, Any]]:
    made = []
    for reference in ("SAME-1", "SAME-2"):
        case = store.run(create_case(new_case(reference), SYSTEM, today=date(2026, 11, 2)))
        store.run(cases.add_event(case["id"], "ordonnance_rendue", date(2027, 2, 1), {}, SYSTEM))
        made.append(store.run(cases.get_case(case["id"], SYSTEM)))
    return made[0], made[1]


def test_cases_with_the_same_deadlines_share_their_explanations(store: Store) -> None:
    first, second = _two_alike(store)
    assert first["deadlines"] and first["deadlines"] == second["deadlines"]
    rows = _rows(store)
    bodies = _bodies(store)
    assert len(rows) == 2 * len(first["deadlines"])
    assert len(bodies) == len(first["deadlines"])  # one body per distinct explanation
    for row in rows:  # each row reads the engine's explanation through its digest
        [expected] = [d for d in first["deadlines"] if d["key"] == row["key"]]
        assert row["explanation"] == expected
        text = bodies[bytes(row["digest"])]
        assert json.loads(text) == expected and digest_of(text.encode()) == bytes(row["digest"])


def test_the_collector_removes_only_the_bodies_no_row_refers_to(store: Store) -> None:
    first, second = _two_alike(store)
    before = set(_bodies(store))
    # The first case moves on: its new deadlines get new bodies, the old ones stay referenced
    # by the second case.
    store.run(cases.add_event(first["id"], "ordonnance_signifiee", date(2027, 2, 10), {}, SYSTEM))
    assert store.run(explanations.collect_garbage()) == 0
    # The second case moves on too: the bodies of the first state are no row's any more.
    store.run(cases.add_event(second["id"], "ordonnance_signifiee", date(2027, 2, 20), {}, SYSTEM))
    referenced = {bytes(row["digest"]) for row in _rows(store)}
    gone = set(_bodies(store)) - referenced
    assert gone and gone <= before
    assert store.run(explanations.collect_garbage()) == len(gone)
    assert set(_bodies(store)) == referenced
    for case in (first, second):  # every deadline still reads its explanation
        shown = store.run(cases.get_case(case["id"], SYSTEM))["deadlines"]
        api = json.loads(store.run(cases.case_deadlines_json(case["id"], SYSTEM)))
        assert shown and api == sorted(shown, key=lambda d: (d["due"], d["key"]))


def test_a_night_replayed_writes_nothing_and_keeps_every_body(store: Store) -> None:
    _two_alike(store)
    rows, bodies = _rows(store), _bodies(store)
    for day in (date(2026, 12, 1), date(2026, 12, 2)):
        store.run(nightly.recompute_pending(day))
    assert _rows(store) == rows and _bodies(store) == bodies


def test_the_digest_is_the_one_sql_computes(store: Store) -> None:
    if store.engine != "postgres":
        pytest.skip("SQLite has no SHA-256 (its migration computes the digests in Python)")
    from casefile.store.recompute_rows import fetch

    text = '{"key":"opposition","label":"Délai d\'opposition"}'
    [row] = store.run(
        fetch("SELECT substring(sha256(convert_to($1::text, 'UTF8')) FROM 1 FOR 16) AS d", text)
    )
    assert bytes(row["d"]) == digest_of(text.encode())


def test_bodies_written_ahead_are_stored_again_when_the_collector_removed_them(
    store: Store,
) -> None:
    """PostgreSQL writes a chunk's bodies ahead, in a transaction of their own: a collector's
    pass in between removes them (no row refers to them yet), and the rows' transaction finds
    the pass counted and stores them again."""
    from casefile.store.db import atomic

    body = b'{"key":"ahead","due":"2027-05-03"}'
    bodies = {digest_of(body): body}
    epoch = store.run(explanations.store_ahead(bodies))
    if store.engine != "postgres":
        assert epoch is None and _bodies(store) == {}  # SQLite: stored with the rows
    else:
        assert epoch is not None and _bodies(store) == {digest_of(body): body.decode()}
        assert store.run(explanations.collect_garbage()) == 1
        assert _bodies(store) == {}

    async def rows_transaction() -> None:
        async with atomic():
            await explanations.ensure(bodies, epoch)

    store.run(rows_transaction())
    assert _bodies(store) == {digest_of(body): body.decode()}
    # The pass count moved on with the pass that removed something (PostgreSQL).
    again = store.run(explanations.store_ahead(bodies))
    assert again == (None if epoch is None else epoch + 1)


def test_a_process_asks_only_about_the_digests_it_does_not_know_stored(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: the digests a chunk found or wrote ahead are known stored under the
    collector's pass count; the next chunk asks only about the others, and a pass that removed
    bodies makes it ask (and store) them all again."""
    if store.engine != "postgres":
        pytest.skip("SQLite stores the bodies with the rows (nothing written ahead)")
    asked: list[set[bytes]] = []
    checked = explanations._stored

    async def recording(connection: Any, digests: list[bytes]) -> set[bytes]:
        asked.append(set(digests))
        return await checked(connection, digests)

    monkeypatch.setattr(explanations, "_stored", recording)
    one, two = b'{"key":"un","due":"2027-05-03"}', b'{"key":"deux","due":"2027-05-04"}'
    first = {digest_of(one): one}
    both = {digest_of(one): one, digest_of(two): two}
    epoch = store.run(explanations.store_ahead(first))
    assert asked == [{digest_of(one)}]
    assert store.run(explanations.store_ahead(both)) == epoch
    assert asked[-1] == {digest_of(two)}  # the first one is known stored
    assert store.run(explanations.store_ahead(both)) == epoch
    assert len(asked) == 2  # both known: no question at all
    assert _bodies(store) == {digest_of(one): one.decode(), digest_of(two): two.decode()}
    # A pass of the collector removes them (no row refers to them) and moves the count on.
    assert store.run(explanations.collect_garbage()) == 2
    assert store.run(explanations.store_ahead(both)) == epoch + 1
    assert asked[-1] == set(both)
    assert _bodies(store) == {digest_of(one): one.decode(), digest_of(two): two.decode()}


def test_bodies_written_ahead_are_copied_in_as_the_engine_encoded_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL copies the bodies written ahead in (binary `COPY`): each stored text is the
    engine's bytes decoded, accents, quotes, escapes and a body past 2 KB (compressed) alike,
    under the digest SQL computes."""
    from casefile.store.recompute_rows import fetch

    if store.engine != "postgres":
        pytest.skip("SQLite stores the bodies with the rows (nothing written ahead)")
    monkeypatch.setattr(explanations, "_known", explanations._Known())
    texts = [
        '{"label":"Délai d\'opposition — « signification »","due":"2027-05-03"}',
        '{"notes":["a \\"quoted\\" word","tab\\tand\\nline"],"due":"2027-05-04"}',
        '{"basis":"' + "CPC art. 1416 " * 300 + '"}',
    ]
    bodies = {digest_of(t.encode()): t.encode() for t in texts}
    epoch = store.run(explanations.store_ahead(bodies))
    assert epoch is not None
    assert _bodies(store) == {digest_of(t.encode()): t for t in texts}
    computed = store.run(
        fetch(
            "SELECT digest, substring(sha256(convert_to(body, 'UTF8')) FROM 1 FOR 16) = digest"
            " FROM explanations"
        )
    )
    assert len(computed) == 3 and all(row[1] for row in computed)


def test_a_body_copied_in_meanwhile_by_another_writer_is_inserted_as_before(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that does not take the ahead writers' lock (`store`, inside a longer
    transaction) may store a body between the check and the copy: the copy is refused and
    the bodies go in with `ON CONFLICT DO NOTHING` instead, each once. Two chunks written
    ahead at once, with bodies in common, each store theirs."""
    import asyncio

    if store.engine != "postgres":
        pytest.skip("SQLite stores the bodies with the rows (nothing written ahead)")
    monkeypatch.setattr(explanations, "_known", explanations._Known())
    one, two = b'{"key":"un","due":"2027-05-03"}', b'{"key":"deux","due":"2027-05-04"}'
    store.run(explanations.store({digest_of(one): one}))  # committed by another writer
    checked = explanations._stored
    missed: list[int] = []

    async def blind_once(connection: Any, digests: list[bytes]) -> set[bytes]:
        if not missed:  # the first check misses it, as if it were stored just after
            missed.append(len(digests))
            return set()
        return await checked(connection, digests)

    monkeypatch.setattr(explanations, "_stored", blind_once)
    both = {digest_of(one): one, digest_of(two): two}
    assert store.run(explanations.store_ahead(both)) is not None
    assert missed == [2]
    assert _bodies(store) == {digest_of(one): one.decode(), digest_of(two): two.decode()}

    monkeypatch.setattr(explanations, "_stored", checked)
    monkeypatch.setattr(explanations, "_known", explanations._Known())
    many = {digest_of(t): t for t in (f'{{"n":{n}}}'.encode() for n in range(200))}
    halves = [dict(list(many.items())[:150]), dict(list(many.items())[50:])]

    async def together() -> list[int | None]:
        return await asyncio.gather(*(explanations.store_ahead(half) for half in halves))

    epochs = store.run(together())
    assert epochs[0] is not None and epochs[0] == epochs[1]
    stored = _bodies(store)
    assert all(stored[digest] == text.decode() for digest, text in many.items())


def test_digests_known_stored_are_forgotten_with_another_database_or_after_an_hour(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(explanations, "_known", explanations._Known())
    owners = [object(), object()]
    monkeypatch.setattr(explanations, "engine", lambda: owners[0])
    explanations._known_at(4).add(b"d")
    assert explanations._known_at(4) == {b"d"}
    assert explanations._known_at(5) == set()  # the count moved
    explanations._known_at(5).add(b"d")
    owners.reverse()
    assert explanations._known_at(5) == set()  # another database
    explanations._known_at(5).add(b"d")
    explanations._known.since -= explanations.KNOWN_SECONDS + 1
    assert explanations._known_at(5) == set()  # too old
