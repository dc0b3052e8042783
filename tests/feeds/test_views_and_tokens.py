"""Lawyer and commissaire feeds, and subscription tokens (issue 6 §2–3), on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from casefile.errors import Forbidden, NotFound
from casefile.services import cases
from casefile.store import calendars, users
from casefile.store.tables import FeedToken as FeedTokenRow
from casefile.store.users import SYSTEM
from tests.ical.checks import events, parse
from tests.store.conftest import Store
from tests.store.helpers import deadline_uid, new_case

NOW = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)


def _portfolio(store: Store) -> dict[str, int]:
    """Two cases with Me Durand's office, one with another office, two for one lawyer."""
    store.run(users.create_user("me_durand", "commissaire_de_justice"))
    store.run(users.create_user("me_martin", "commissaire_de_justice"))
    store.run(users.create_user("maitre_klein", "avocat"))
    ids = {}
    for reference, bailiff in (("A-1", "me_durand"), ("A-2", "me_durand"), ("B-1", "me_martin")):
        case = store.run(cases.create_case(new_case(reference, commissaire=bailiff), SYSTEM))
        store.run(cases.add_event(case["id"], "ordonnance_rendue", date(2026, 3, 2), {}, SYSTEM))
        store.run(
            cases.add_event(
                case["id"], "ordonnance_signifiee", date(2026, 3, 16), {"a_personne": True}, SYSTEM
            )
        )
        ids[reference] = case["id"]
    store.run(cases.assign(ids["A-1"], SYSTEM, lawyer="maitre_klein"))
    store.run(cases.assign(ids["B-1"], SYSTEM, lawyer="maitre_klein"))
    return ids


def test_a_commissaire_sees_only_their_acts_on_their_cases(store: Store) -> None:
    ids = _portfolio(store)
    body = store.run(calendars.commissaire_feed("me_durand", NOW))
    got = events(parse(body))
    assert set(got) == {
        deadline_uid(store, ids["A-1"], "signification_ordonnance"),
        deadline_uid(store, ids["A-2"], "signification_ordonnance"),
    }
    assert "Actes à accomplir — me_durand" in body.decode()
    assert all("Commissaire de justice" in e["categories"] for e in got.values())


def test_a_lawyer_sees_every_deadline_of_their_cases(store: Store) -> None:
    ids = _portfolio(store)
    got = events(parse(store.run(calendars.lawyer_feed("maitre_klein", NOW))))
    cases_seen = {uid.split("-", 1)[0] for uid in got}
    assert cases_seen == {str(ids["A-1"]), str(ids["B-1"])}
    assert deadline_uid(store, ids["B-1"], "opposition") in got
    assert got[deadline_uid(store, ids["B-1"], "opposition")]["start"] == date(2026, 4, 16)


def test_a_feed_is_named_after_the_person_not_the_login(store: Store) -> None:
    """A subscriber's calendar showed « Échéances — avocat » (the login) beside the pages'
    « Maître Jeanne Martin »."""
    from casefile.services.users import ProfileChanges, edit_user

    _portfolio(store)
    for login, full_name in (("maitre_klein", "Sophie Klein"), ("me_durand", "Paul Durand")):
        store.run(edit_user(login, ProfileChanges(full_name=full_name), SYSTEM))
    lawyer = parse(store.run(calendars.lawyer_feed("maitre_klein", NOW)))
    assert lawyer["X-WR-CALNAME"].to_ical().decode() == "Échéances — Maître Sophie Klein"
    bailiff = parse(store.run(calendars.commissaire_feed("me_durand", NOW)))
    assert bailiff["X-WR-CALNAME"].to_ical().decode() == "Actes à accomplir — Maître Paul Durand"


def test_a_feed_token_opens_its_feed_records_its_use_and_dies_when_revoked(
    store: Store,
) -> None:
    ids = _portfolio(store)
    feed = store.run(calendars.issue_feed("case", "A-2", SYSTEM, now=NOW))
    assert feed["subject"] == str(ids["A-2"])
    assert feed["url"].endswith(f"/feeds/{feed['token']}.ics")
    assert feed["webcal"].startswith("webcal://")
    assert len(feed["token"]) >= 43  # 256 bits in base64url
    [listed] = store.run(calendars.list_feeds(SYSTEM))
    assert listed["last_used"] is None and "token" not in listed

    used_at = datetime(2026, 3, 21, 7, 15, tzinfo=UTC)
    body = store.run(calendars.feed_body(feed["token"], used_at))
    assert deadline_uid(store, ids["A-2"], "opposition") in events(parse(body))
    [listed] = store.run(calendars.list_feeds(SYSTEM))
    assert datetime.fromisoformat(listed["last_used"]) == used_at

    with pytest.raises(NotFound):
        store.run(calendars.feed_body(feed["token"][:-1] + "x", used_at))
    store.run(calendars.revoke_feed(feed["id"], SYSTEM, now=used_at))
    with pytest.raises(NotFound):
        store.run(calendars.feed_body(feed["token"], used_at))
    assert store.run(calendars.list_feeds(SYSTEM))[0]["revoked"] is True


def test_only_the_commissaire_or_an_admin_may_publish_a_commissaire_feed(store: Store) -> None:
    _portfolio(store)
    martin = store.run(users.get_user("me_martin"))
    with pytest.raises(Forbidden):
        store.run(calendars.issue_feed("commissaire", "me_durand", martin, now=NOW))
    own = store.run(calendars.issue_feed("commissaire", "me_martin", martin, now=NOW))
    assert own["subject"] == "me_martin"
    # Another user's feeds are invisible and cannot be revoked by them.
    klein = store.run(users.get_user("maitre_klein"))
    assert store.run(calendars.list_feeds(klein)) == []
    with pytest.raises(NotFound):
        store.run(calendars.revoke_feed(own["id"], klein))


def test_polling_a_feed_records_its_use_at_most_once_an_hour(store: Store, monkeypatch) -> None:
    """A calendar app polls every few minutes: only the first poll of the hour writes."""
    store.run(users.create_user("me_poll", "avocat"))
    issued = store.run(calendars.issue_feed("lawyer", "me_poll", SYSTEM))
    first = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    store.run(calendars.resolve_feed(issued["token"], first))
    writes: list[object] = []
    real_update = FeedTokenRow.update

    def counted(cls: object, *args: Any, **kwargs: Any) -> Any:
        writes.append(args)
        return real_update(*args, **kwargs)

    monkeypatch.setattr(FeedTokenRow, "update", classmethod(counted))
    for minutes in (5, 30, 59):
        moment = first + timedelta(minutes=minutes)
        seen = store.run(calendars.resolve_feed(issued["token"], moment))
        assert datetime.fromisoformat(seen["last_used"]) == first
    assert writes == []
    later = first + timedelta(hours=1, minutes=1)
    seen = store.run(calendars.resolve_feed(issued["token"], later))
    assert len(writes) == 1 and datetime.fromisoformat(seen["last_used"]) == later


def test_a_commissaire_feed_of_another_role_is_refused_naming_the_role_in_french(
    store: Store,
) -> None:
    from casefile.errors import InputError

    store.run(users.create_user("mme_roth", "credit_manager"))
    with pytest.raises(InputError) as refused:
        store.run(calendars.issue_feed("commissaire", "mme_roth", SYSTEM, now=NOW))
    assert str(refused.value) == (
        "commissaire : l'utilisateur « mme_roth » est credit manager, pas commissaire de justice"
    )
