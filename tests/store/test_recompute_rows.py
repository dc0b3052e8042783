"""The nightly recomputation's rows: the diff of a case's stored deadlines (pure), the stored
pairs and texts read back on both engines, and the raw reads with or without a pool."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from casefile.services import cases
from casefile.services.cases import create_case
from casefile.store import recompute_rows
from casefile.store.db import engine
from casefile.store.explanations import digest_of
from casefile.store.users import SYSTEM
from tests.store.conftest import Store
from tests.store.helpers import new_case

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


class Row:
    """A deadline as `deadline_changes` reads it (its key, due, status and JSON bytes)."""

    def __init__(self, key: str, due: date, text: str) -> None:
        self.key, self.due, self.status, self.text = key, due, "pending", text

    def json_bytes(self) -> bytes:
        return self.text.encode()


def _stored(text: str) -> tuple[bytes, str]:
    return digest_of(text.encode()), text


def test_only_the_rows_that_differ_are_deleted_and_copied_in() -> None:
    stored = {
        7: {
            "a": _stored('{"due":"2027-01-04"}'),
            "b": _stored('{"due":"2027-01-05"}'),
            "gone": _stored("{}"),
        }
    }
    new = {
        7: [
            Row("a", date(2027, 1, 4), '{"due":"2027-01-04"}'),  # the same text: left alone
            Row("b", date(2027, 1, 6), '{"due":"2027-01-06"}'),  # moved: replaced
            Row("c", date(2027, 1, 7), '{"due":"2027-01-07"}'),  # new
        ],
        8: [Row("a", date(2027, 2, 1), '{"due":"2027-02-01"}')],  # nothing stored
    }
    deleted, rows, bodies = recompute_rows.deadline_changes(new, stored, NOW)
    assert sorted(deleted) == [(7, "b"), (7, "gone")]
    texts = ['{"due":"2027-01-06"}', '{"due":"2027-01-07"}', '{"due":"2027-02-01"}']
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        (7, "b", date(2027, 1, 6), digest_of(texts[0].encode())),
        (7, "c", date(2027, 1, 7), digest_of(texts[1].encode())),
        (8, "a", date(2027, 2, 1), digest_of(texts[2].encode())),
    ]
    assert all(r[3] == "pending" and r[5] == NOW for r in rows)
    # Each explanation the rows refer to, once, under its digest.
    assert bodies == {digest_of(t.encode()): t.encode() for t in texts}


def test_the_same_explanation_is_one_body_for_many_rows() -> None:
    text = '{"due":"2027-03-01"}'
    new = {n: [Row("a", date(2027, 3, 1), text)] for n in (1, 2, 3)}
    deleted, rows, bodies = recompute_rows.deadline_changes(new, {}, NOW)
    assert not deleted and len(rows) == 3
    assert bodies == {digest_of(text.encode()): text.encode()}
    assert {r[4] for r in rows} == set(bodies)


def test_the_stored_pairs_and_texts_are_read_back(store: Store) -> None:
    case = store.run(create_case(new_case("ROWS-1"), SYSTEM, today=date(2026, 11, 2)))
    other = store.run(create_case(new_case("ROWS-2"), SYSTEM, today=date(2026, 11, 2)))
    for created in (case, other):
        store.run(cases.add_event(created["id"], "ordonnance_rendue", date(2027, 2, 1), {}, SYSTEM))
    case = store.run(cases.get_case(case["id"], SYSTEM))
    pairs = store.run(recompute_rows.stored_pairs([case["id"]]))
    texts = store.run(recompute_rows.stored_texts([case["id"]]))
    expected = {d["key"]: (date.fromisoformat(d["due"]), d["status"]) for d in case["deadlines"]}
    assert pairs == {case["id"]: expected} and expected
    assert set(texts) == {case["id"]} and set(texts[case["id"]]) == set(expected)
    for key, (digest, text) in texts[case["id"]].items():  # the engine's text, under its digest
        [deadline] = [d for d in case["deadlines"] if d["key"] == key]
        assert json.loads(text) == deadline and digest == digest_of(text.encode())
    assert other["id"] not in pairs  # a neighbour in the id range is not the caller's


def test_a_raw_read_works_without_a_pool(store: Store) -> None:
    if store.engine != "postgres":
        pytest.skip("raw reads are PostgreSQL's")
    case = store.run(create_case(new_case("ROWS-3"), SYSTEM, today=date(2026, 11, 2)))
    eng = engine()
    store.run(eng.close_connection_pool())  # type: ignore[attr-defined]
    try:
        [row] = store.run(
            recompute_rows.fetch("SELECT reference FROM cases WHERE id = $1", case["id"])
        )
    finally:
        store.run(eng.start_connection_pool(min_size=0))  # type: ignore[attr-defined]
    assert row["reference"] == "ROWS-3"


def test_update_columns_sets_each_row_its_values_and_every_row_the_same_ones(
    store: Store,
) -> None:
    """The cases' summaries of a chunk, column by column: JSON as lists or their text, dates,
    cents, NULLs, one `updated_at` for every row and the version bumped; other rows untouched."""
    from casefile.store.db import atomic, update_columns
    from casefile.store.tables import Case

    made = [
        store.run(create_case(new_case(f"COL-{n}"), SYSTEM, today=date(2026, 11, 2)))["id"]
        for n in range(3)
    ]
    before = {
        row["id"]: row for row in store.run(Case.select(Case.id, Case.version, Case.updated_at))
    }
    ids = made[:2]

    async def write() -> None:
        async with atomic():
            await update_columns(
                Case,
                ids,
                {
                    "warnings": [["a « b »"], "[]"],
                    "next_due": [date(2027, 1, 4), None],
                    "overdue_since": [None, date(2026, 12, 1)],
                    "outstanding_cents": [408000, None],
                },
                same={"updated_at": NOW},
                also='"version" = "version" + 1',
            )

    store.run(write())
    rows = {
        row["id"]: row
        for row in store.run(
            Case.select(
                Case.id,
                Case.warnings,
                Case.next_due,
                Case.overdue_since,
                Case.outstanding_cents,
                Case.version,
                Case.updated_at,
            ).output(load_json=True)
        )
    }
    assert [
        (
            rows[i]["warnings"],
            rows[i]["next_due"],
            rows[i]["overdue_since"],
            rows[i]["outstanding_cents"],
        )
        for i in ids
    ] == [(["a « b »"], date(2027, 1, 4), None, 408000), ([], None, date(2026, 12, 1), None)]
    for i in ids:
        assert rows[i]["version"] == before[i]["version"] + 1
        assert rows[i]["updated_at"] == NOW
    untouched = made[2]
    assert rows[untouched]["version"] == before[untouched]["version"]
    assert rows[untouched]["updated_at"] == before[untouched]["updated_at"]
