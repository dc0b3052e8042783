"""The nightly recomputation's rows: the diff of a case's stored deadlines (pure), the stored
pairs and texts read back on both engines, and the raw reads with or without a pool."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime

import msgspec
import pytest

from casefile.law.periods import Period
from casefile.law.schedule import Deadline, StartPoint
from casefile.law.territories import Extension
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


DAY = date(2027, 3, 1)


def _deadline(**changes: object) -> Deadline:
    made = Deadline(
        "signification",
        "Signification de l'ordonnance",
        DAY,
        StartPoint("event", "ordonnance_rendue", date(2027, 1, 4)),
        Period(months=6),
        None,
        DAY,
        None,
        "creancier",
        "CPC art. 1411",
        "Légifrance",
        "pending",
        "caducité",
        "cpc",
        ("une note",),
    )
    return msgspec.structs.replace(made, **changes) if changes else made


def _variants() -> dict[str, Deadline]:
    """The deadline with one field changed, for every field but the JSON's cache (the nested
    ones field by field)."""
    other_day = date(2027, 3, 2)
    start = StartPoint("event", "ordonnance_rendue", date(2027, 1, 4))
    flat = {
        "key": "autre",
        "label": "Autre",
        "due": other_day,
        "unadjusted": other_day,
        "moved_because": "2027-03-01 férié",
        "actor": "debiteur",
        "basis": "CPC art. 1416",
        "source": "Code",
        "status": "uncertain",
        "consequence": "autre",
        "counting": "civil",
        "notes": ("une autre note",),
    }
    variants = {name: _deadline(**{name: value}) for name, value in flat.items()}
    for name, value in (("kind", "deadline"), ("key", "audience"), ("date", other_day)):
        variants[f"start.{name}"] = _deadline(start=msgspec.structs.replace(start, **{name: value}))
    for name, value in (("years", 1), ("months", 5), ("days", 3), ("backward", True)):
        changed = dataclasses.replace(Period(months=6), **{name: value})
        variants[f"period.{name}"] = _deadline(period=changed)
    extension = Extension(1, "CPC art. 643", "Légifrance", "outre-mer")
    variants["extension"] = _deadline(extension=extension)
    for name, value in (("months", 2), ("basis", "CPC art. 644"), ("source", "s"), ("reason", "r")):
        changed = dataclasses.replace(extension, **{name: value})
        variants[f"extension.{name}"] = _deadline(extension=changed)
    return variants


def test_every_field_of_a_deadline_is_in_its_value() -> None:
    """`deadline_value` keys the explanations kept between chunks: a field it left out would
    give a deadline the JSON of another. Every field of the deadline and of its start point,
    period and extension is there (a field added to one of them fails here first)."""
    assert set(Deadline.__struct_fields__) == {
        *(name for name in _variants() if "." not in name),
        "start",
        "period",
        "_json",
    }
    assert StartPoint.__struct_fields__ == ("kind", "key", "date")
    assert [f.name for f in dataclasses.fields(Period)] == ["years", "months", "days", "backward"]
    assert [f.name for f in dataclasses.fields(Extension)] == [
        "months",
        "basis",
        "source",
        "reason",
    ]
    base = recompute_rows.deadline_value(_deadline())
    assert recompute_rows.deadline_value(msgspec.structs.replace(_deadline(), _json=None)) == base
    values = {name: recompute_rows.deadline_value(d) for name, d in _variants().items()}
    assert all(value != base for value in values.values())
    assert len(set(values.values())) == len(values)


def test_an_equal_deadline_is_explained_as_the_first_one_was() -> None:
    first, equal = _deadline(), _deadline()
    assert first is not equal and first == equal
    explained = recompute_rows.explanation_of(first)
    assert explained == (digest_of(first.json_bytes()), first.json_bytes())
    assert recompute_rows.explanation_of(equal) is explained  # found, not built again
    # Any field changed: its own JSON and digest, never the first one's.
    for name, changed in _variants().items():
        text = msgspec.structs.replace(changed, _json=None).json_bytes()
        assert recompute_rows.explanation_of(changed) == (digest_of(text), text), name
        assert text != first.json_bytes() or name.startswith("extension."), name


def test_the_explanations_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recompute_rows, "EXPLAINED_LIMIT", 3)
    monkeypatch.setattr(recompute_rows, "_explained", {})
    for n, deadline in enumerate(_variants().values()):
        text = deadline.json_bytes()
        assert recompute_rows.explanation_of(deadline) == (digest_of(text), text)
        assert len(recompute_rows._explained) == n % 3 + 1


def test_a_deadline_met_again_is_found_by_its_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's memo hands the same deadline object back: its explanation is found without
    building its value again; an equal object is still found by its value, and a changed one
    gets its own explanation."""
    monkeypatch.setattr(recompute_rows, "_explained_objects", {})
    first = _deadline(label="Identité")
    explained = recompute_rows.explanation_of(first)
    assert explained == (digest_of(first.json_bytes()), first.json_bytes())

    def no_value(deadline: Deadline) -> tuple[object, ...]:
        raise AssertionError("value built again")

    with monkeypatch.context() as patched:
        patched.setattr(recompute_rows, "deadline_value", no_value)
        assert recompute_rows.explanation_of(first) is explained
    equal = _deadline(label="Identité")
    assert recompute_rows.explanation_of(equal) is explained
    changed = _deadline(label="Identité", due=date(2027, 3, 2))
    text = changed.json_bytes()
    assert recompute_rows.explanation_of(changed) == (digest_of(text), text)
    # The object is held with its entry: its id cannot name another object meanwhile.
    assert recompute_rows._explained_objects[id(first)][0] is first


def test_the_deadline_objects_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recompute_rows, "EXPLAINED_OBJECTS_LIMIT", 3)
    monkeypatch.setattr(recompute_rows, "_explained_objects", {})
    for n, deadline in enumerate(_variants().values()):
        text = msgspec.structs.replace(deadline, _json=None).json_bytes()
        assert recompute_rows.explanation_of(deadline) == (digest_of(text), text)
        assert len(recompute_rows._explained_objects) == n % 3 + 1


def test_real_deadlines_are_written_under_the_digest_of_their_json() -> None:
    """`deadline_changes` on the engine's deadlines: each row's digest is that of the
    deadline's own JSON, equal deadlines of two cases one body."""
    new = {1: [_deadline(), _variants()["due"]], 2: [_deadline()]}
    deleted, rows, bodies = recompute_rows.deadline_changes(new, {}, NOW)
    texts = [d.json_bytes() for d in (_deadline(), _variants()["due"], _deadline())]
    assert not deleted
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        (1, "signification", DAY, digest_of(texts[0])),
        (1, "signification", date(2027, 3, 2), digest_of(texts[1])),
        (2, "signification", DAY, digest_of(texts[2])),
    ]
    assert bodies == {digest_of(t): t for t in texts}


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
