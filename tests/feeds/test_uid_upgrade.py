"""The upgrade to the installation's UIDs (migration 2026-12-01T14:45:01), against a real
CalDAV server.

Before, every installation wrote `{case}-{deadline}@casefile`: case 12 of two creditors had the
same UIDs. An installation upgraded from then holds feed states keyed by those UIDs, and its
subscribers' calendars hold events under them. After `casefile init`: the identifier is drawn,
the states are moved to the new UIDs keeping SEQUENCE, DTSTAMP and fingerprint, and the next
push leaves exactly one event per deadline in the CalDAV collection (no duplicate, no
CANCELLED copy under the old UID).
"""

from __future__ import annotations

import asyncio
import importlib
import re
import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import icalendar

from casefile.ical.export import case_calendar
from casefile.ical.items import INSTALLATION, FeedItem, uid_for
from casefile.services import cases
from casefile.store import calendars, db
from casefile.store.installation import installation_id
from casefile.store.tables import FeedState, Installation
from casefile.store.users import SYSTEM
from tests.ical.checks import parse
from tests.store.conftest import Store
from tests.store.helpers import new_case

MIGRATION = importlib.import_module(
    "casefile.store.piccolo_migrations.store_2026_12_01t14_45_01_000000"
)
HEADERS = {"Content-Type": "text/calendar; charset=utf-8"}
ETAGS = b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>'


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, 30, tzinfo=UTC)


def state_of(store: Store, case_id: int) -> dict[str, Any]:
    row = store.run(
        FeedState.select(FeedState.state)
        .where(FeedState.case == case_id)
        .output(load_json=True)
        .first()
    )
    assert row is not None
    return dict(row["state"])


def legacy(state: dict[str, Any]) -> dict[str, Any]:
    """The state as the code before wrote it, every UID `{case}-{deadline}@casefile`."""
    out = {}
    for record in state.values():
        item = record["item"]
        old = f"{item['case_id']}-{item['deadline_key']}@casefile"
        out[old] = {**record, "item": {**item, "uid": old}}
    return out


def as_before(store: Store, case_id: int) -> dict[str, Any]:
    """The database as an installation of before left it: the feed state under the old UIDs,
    no identifier. Returns that state."""
    old = legacy(state_of(store, case_id))
    store.run(FeedState.update({FeedState.state: old}).where(FeedState.case == case_id))
    store.run(Installation.delete(force=True))
    return old


def upgrade(store: Store) -> None:
    async def run() -> None:
        manager: Any = await MIGRATION.forwards()
        await manager.run()

    store.run(run())


def a_case_with_history(store: Store) -> int:
    """A case whose state holds a deadline at SEQUENCE 1 and one removed (CANCELLED)."""
    case = store.run(cases.create_case(new_case(), SYSTEM))
    store.run(cases.add_event(case["id"], "ordonnance_rendue", date(2026, 3, 2), {}, SYSTEM))
    store.run(
        cases.add_event(
            case["id"], "ordonnance_signifiee", date(2026, 3, 16), {"a_personne": True}, SYSTEM
        )
    )
    store.run(calendars.case_feed(case["id"], SYSTEM, at(3, 17)))
    store.run(cases.delete_event(case["id"], "ordonnance_signifiee", SYSTEM))
    store.run(calendars.case_feed(case["id"], SYSTEM, at(3, 18)))
    return int(case["id"])


def vevents(body: bytes) -> dict[str, tuple[str, int]]:
    """UID -> (STATUS, SEQUENCE) of every VEVENT, a UID seen twice is an error."""
    out: dict[str, tuple[str, int]] = {}
    for event in icalendar.Calendar.from_ical(body).walk("VEVENT"):
        uid = str(event["UID"])
        assert uid not in out, f"{uid} twice"
        out[uid] = (str(event["STATUS"]), int(event["SEQUENCE"]))
    return out


def resources(client: httpx.Client, collection: str) -> list[str]:
    """The hrefs of the items of a CalDAV collection (PROPFIND, depth 1)."""
    answer = client.request("PROPFIND", collection, headers={"Depth": "1"}, content=ETAGS)
    assert answer.status_code == 207, answer.text
    hrefs = re.findall(r"<(?:\w+:)?href>([^<]+)</(?:\w+:)?href>", answer.text)
    return sorted(h for h in hrefs if h.startswith(collection) and h != collection)


def test_the_upgrade_moves_the_feed_state_and_the_next_push_leaves_one_event_per_deadline(
    store: Store, radicale: str
) -> None:
    case_id = a_case_with_history(store)
    current = state_of(store, case_id)
    old_state = as_before(store, case_id)
    statuses = {r["item"]["deadline_key"]: r["item"]["status"] for r in old_state.values()}
    assert "CANCELLED" in statuses.values() and "CONFIRMED" in statuses.values()
    assert max(r["sequence"] for r in old_state.values()) >= 1
    # What the old code served: the stored items, under the old UIDs.
    old_items = [FeedItem.from_dict(r["item"]) for r in old_state.values()]
    old_body = case_calendar(old_items, case_id=str(case_id), case_reference="2026-001")
    assert set(vevents(old_body)) == set(old_state)

    whole = f"/casefile/upgrade-{uuid.uuid4().hex[:8]}/"  # the old feed PUT as one calendar
    each = f"/casefile/upgrade-{uuid.uuid4().hex[:8]}/"  # one resource per event
    with httpx.Client(base_url=radicale, timeout=10) as client:
        assert client.put(whole, content=old_body, headers=HEADERS).status_code == 201
        assert client.request("MKCALENDAR", each).status_code == 201
        for item in old_items:
            one = case_calendar([item], case_id=str(case_id), case_reference="2026-001")
            put = client.put(f"{each}{item.deadline_key}.ics", content=one, headers=HEADERS)
            assert put.status_code == 201, put.text
        assert set(vevents(client.get(whole).content)) == set(old_state)
        assert len(resources(client, each)) == len(old_state)

        upgrade(store)
        installation = store.run(installation_id())
        assert INSTALLATION.fullmatch(installation)
        moved = state_of(store, case_id)
        # Every deadline under its new UID, with its SEQUENCE, fingerprint and DTSTAMP.
        assert moved == {
            uid_for(installation, str(case_id), r["item"]["deadline_key"]): {
                **r,
                "item": {
                    **r["item"],
                    "uid": uid_for(installation, str(case_id), r["item"]["deadline_key"]),
                },
            }
            for r in old_state.values()
        }
        assert {r["fingerprint"] for r in moved.values()} == {
            r["fingerprint"] for r in current.values()
        }

        # The push: the case's feed as this version writes it, PUT as the whole collection.
        body = store.run(calendars.case_feed(case_id, SYSTEM, at(3, 20)))
        assert state_of(store, case_id) == moved  # nothing added, nothing cancelled
        expected = {uid: (r["item"]["status"], r["sequence"]) for uid, r in moved.items()}
        assert vevents(body) == expected
        for collection in (whole, each):
            assert client.put(collection, content=body, headers=HEADERS).status_code in (201, 204)
            held = client.get(collection).content
            assert vevents(held) == expected  # exactly one event per deadline, new UIDs only
            assert b"@casefile\r\n" not in held
            assert len(resources(client, collection)) == len(expected)

    # Run twice (`casefile init` again): the identifier and the state stay.
    upgrade(store)
    assert store.run(installation_id()) == installation
    assert state_of(store, case_id) == moved


def test_the_identifier_and_the_feed_survive_restarts_and_re_migrations(store: Store) -> None:
    case_id = a_case_with_history(store)
    installation = store.run(installation_id())
    first = store.run(calendars.case_feed(case_id, SYSTEM, at(3, 20)))
    assert f"@{installation}.casefile".encode() in first
    store.run(db.close())
    store.run(db.connect(store.url))
    store.run(db.migrate())
    assert store.run(installation_id()) == installation
    assert store.run(calendars.case_feed(case_id, SYSTEM, at(3, 21))) == first
    [row] = store.run(Installation.select(Installation.token))
    assert row["token"] == installation


def test_two_installations_case_1_are_two_events_in_one_caldav_collection(
    tmp_path: Any, radicale: str
) -> None:
    """The defect: both installations' case 1 had `1-opposition@casefile`."""
    bodies = []
    for name in ("creancier-a", "creancier-b"):
        store = Store(asyncio.Runner(), f"sqlite:///{tmp_path}/{name}.db", "sqlite")
        try:
            store.run(db.connect(store.url))
            store.run(db.migrate())
            case = store.run(cases.create_case(new_case(), SYSTEM))
            assert case["id"] == 1
            store.run(
                cases.add_event(case["id"], "ordonnance_rendue", date(2026, 3, 2), {}, SYSTEM)
            )
            body = store.run(calendars.case_feed(case["id"], SYSTEM, at(3, 3)))
            bodies.append(body)
            assert f"@{store.run(installation_id())}.casefile".encode() in parse(body).to_ical()
        finally:
            store.run(db.close())
            store.runner.close()
    ours, theirs = (vevents(b) for b in bodies)
    assert len(ours) == len(theirs) >= 1 and not set(ours) & set(theirs)
    shared = f"/casefile/shared-{uuid.uuid4().hex[:8]}/"
    with httpx.Client(base_url=radicale, timeout=10) as client:
        assert client.request("MKCALENDAR", shared).status_code == 201
        for number, body in enumerate(bodies):
            for event in icalendar.Calendar.from_ical(body).walk("VEVENT"):
                one = icalendar.Calendar()
                one.add("version", "2.0")
                one.add("prodid", "-//test//FR")
                one.add_component(event)
                put = client.put(
                    f"{shared}{number}-{uuid.uuid4().hex[:6]}.ics",
                    content=one.to_ical(),
                    headers=HEADERS,
                )
                assert put.status_code == 201, put.text
        assert set(vevents(client.get(shared).content)) == set(ours) | set(theirs)
        # Guards the test: under the UIDs of before the second installation's event is refused.
        old = re.sub(rb"UID:1-(\w+)@[a-z2-7]{12}\.casefile", rb"UID:1-\1@casefile", bodies[0])
        legacy_put = [
            client.put(f"{shared}old-{n}.ics", content=old, headers=HEADERS).status_code
            for n in range(2)
        ]
        assert legacy_put[0] == 201 and legacy_put[1] in (400, 409, 412), legacy_put


def test_a_state_written_by_a_replica_of_the_previous_release_is_adopted(
    store: Store, radicale: str
) -> None:
    """A rolling upgrade: after the migration, a process still running the previous release
    computes the feed once. It finds none of its UIDs in the moved state: it adds every deadline
    again under the old UID and publishes the new UIDs CANCELLED. The next computation by this
    release must still publish each deadline once, under its new UID, as it stands."""
    case_id = a_case_with_history(store)
    upgrade(store)
    moved = state_of(store, case_id)
    old_replica: dict[str, Any] = {}
    for uid, record in moved.items():
        item = record["item"]
        old = f"{item['case_id']}-{item['deadline_key']}@casefile"
        old_replica[old] = {**record, "sequence": 0, "item": {**item, "uid": old, "sequence": 0}}
        cancelled = {**item, "status": "CANCELLED", "sequence": record["sequence"] + 1}
        old_replica[uid] = {
            "sequence": record["sequence"] + 1,
            "fingerprint": "cancelled by the previous release",
            "item": cancelled,
        }
    store.run(FeedState.update({FeedState.state: old_replica}).where(FeedState.case == case_id))

    body = store.run(calendars.case_feed(case_id, SYSTEM, at(3, 21)))
    got = vevents(body)
    assert set(got) == set(moved)  # new UIDs only, each once
    assert {uid: status for uid, (status, _) in got.items()} == {
        uid: r["item"]["status"] for uid, r in moved.items()
    }
    assert set(state_of(store, case_id)) == set(moved)
    collection = f"/casefile/rolling-{uuid.uuid4().hex[:8]}/"
    with httpx.Client(base_url=radicale, timeout=10) as client:
        assert client.put(collection, content=body, headers=HEADERS).status_code == 201
        assert vevents(client.get(collection).content) == got
        assert len(resources(client, collection)) == len(moved)
