"""A case's calendar kept in step through the store (issue 6 §4), on SQLite and PostgreSQL.

RFC 5545 §3.8.7.4: apps update an event they hold only when its SEQUENCE grows and drop it only
when they see it CANCELLED; the feed state persisted per case is what makes both happen.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from casefile.services import cases
from casefile.store import calendars
from casefile.store.users import SYSTEM
from tests.ical.checks import events, parse
from tests.store.conftest import Store
from tests.store.helpers import deadline_uid, new_case


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 9, 30, tzinfo=UTC)


def test_a_moved_deadline_keeps_its_uid_and_gets_sequence_plus_one(store: Store) -> None:
    case = store.run(cases.create_case(new_case(), SYSTEM))
    uid = deadline_uid(store, case["id"], "signification_ordonnance")
    store.run(cases.add_event(case["id"], "ordonnance_rendue", date(2026, 3, 2), {}, SYSTEM))
    first = events(parse(store.run(calendars.case_feed(case["id"], SYSTEM, at(3)))))
    assert first[uid]["sequence"] == 0
    assert first[uid]["start"] == date(2026, 9, 2)  # 6 months, a Wednesday

    # Nothing changed: the same bytes (hence the same ETag), whatever the clock says.
    again = store.run(calendars.case_feed(case["id"], SYSTEM, at(4)))
    assert again == store.run(calendars.case_feed(case["id"], SYSTEM, at(5)))

    store.run(cases.edit_event(case["id"], "ordonnance_rendue", date(2026, 3, 9), {}, SYSTEM))
    moved = events(parse(store.run(calendars.case_feed(case["id"], SYSTEM, at(10)))))
    assert moved[uid]["sequence"] == 1
    assert moved[uid]["start"] == date(2026, 9, 9)
    assert moved[uid]["status"] == "CONFIRMED"

    store.run(cases.delete_event(case["id"], "ordonnance_rendue", SYSTEM))
    gone = events(parse(store.run(calendars.case_feed(case["id"], SYSTEM, at(11)))))
    assert gone[uid]["status"] == "CANCELLED"
    assert gone[uid]["sequence"] == 2
    assert gone[uid]["start"] == date(2026, 9, 9)  # the last published date, for the apps


def test_only_the_changed_deadline_gets_a_new_sequence(store: Store) -> None:
    case = store.run(cases.create_case(new_case(), SYSTEM))
    store.run(cases.add_event(case["id"], "ordonnance_rendue", date(2026, 3, 2), {}, SYSTEM))
    store.run(
        cases.add_event(
            case["id"], "ordonnance_signifiee", date(2026, 3, 16), {"a_personne": True}, SYSTEM
        )
    )
    before = events(parse(store.run(calendars.case_feed(case["id"], SYSTEM, at(17)))))
    opposition = deadline_uid(store, case["id"], "opposition")
    assert before[opposition]["sequence"] == 0
    store.run(
        cases.edit_event(
            case["id"], "ordonnance_signifiee", date(2026, 3, 18), {"a_personne": True}, SYSTEM
        )
    )
    after = events(parse(store.run(calendars.case_feed(case["id"], SYSTEM, at(19)))))
    assert after[opposition]["sequence"] == 1
    assert after[opposition]["start"] == date(2026, 4, 20)  # 18 April is a Saturday
    # signification_ordonnance became "done" on 16 March and stays so: untouched.
    uid = deadline_uid(store, case["id"], "signification_ordonnance")
    assert after[uid]["sequence"] == before[uid]["sequence"]


def test_a_case_feed_needs_the_right_to_read_the_case(store: Store) -> None:
    import pytest

    from casefile.errors import Forbidden
    from casefile.store import users

    bailiff, _ = store.run(users.create_user("me_durand", "commissaire_de_justice"))
    case = store.run(cases.create_case(new_case(), SYSTEM))
    with pytest.raises(Forbidden):
        store.run(calendars.case_feed(case["id"], bailiff, at(3)))
