"""A real CalDAV server accepts the exported calendar and gives back the same events."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import icalendar

from casefile.ical.export import case_calendar, lawyer_calendar
from casefile.ical.sync import sync
from tests.ical.builders import entries_for, ip_events
from tests.ical.checks import events, parse

HEADERS = {"Content-Type": "text/calendar; charset=utf-8"}


def _put_and_get(radicale: str, path: str, body: bytes) -> bytes:
    with httpx.Client(base_url=radicale, timeout=10) as client:
        put = client.put(path, content=body, headers=HEADERS)
        assert put.status_code in (201, 204), put.text
        got = client.get(path)
        assert got.status_code == 200, got.text
        return got.content


def _comparable(body: bytes) -> dict[str, tuple]:
    return {
        uid: (e["start"], e["end"], e["summary"], e["description"], e["sequence"], e["status"])
        for uid, e in events(icalendar.Calendar.from_ical(body)).items()
    }


def test_radicale_accepts_the_case_calendar_and_reads_it_back_identical(radicale):
    body = case_calendar(
        entries_for(ip_events()),
        case_id="c-42",
        case_reference="IP-2027/001",
        todos=True,
    )
    back = _put_and_get(radicale, "/casefile/c-42/", body)
    assert _comparable(back) == _comparable(body)
    assert set(_comparable(back)) == {
        "c-42-opposition@q7kd2mxa4zpw.casefile",
        "c-42-signification_ordonnance@q7kd2mxa4zpw.casefile",
    }
    todos = {str(t["UID"]) for t in icalendar.Calendar.from_ical(back).walk("VTODO")}
    assert todos == {"c-42-signification_ordonnance-todo@q7kd2mxa4zpw.casefile"}


def test_radicale_takes_the_update_with_a_cancelled_event(radicale):
    now = datetime(2022, 3, 10, tzinfo=UTC)
    first = sync(
        {}, entries_for(ip_events(rendue=date(2022, 2, 1), signifiee=date(2022, 3, 10))), now
    )
    second = sync(
        first.state,
        entries_for(ip_events(rendue=date(2022, 3, 1), signifiee=date(2022, 3, 10))),
        now,
    )
    _put_and_get(radicale, "/casefile/update/", lawyer_calendar(first.items, lawyer_name="Me A"))
    body = lawyer_calendar(second.items, lawyer_name="Me A")
    back = _put_and_get(radicale, "/casefile/update/", body)
    parsed = _comparable(back)
    assert parsed == _comparable(body)
    assert parsed["c-42-formule_executoire@q7kd2mxa4zpw.casefile"][5] == "CANCELLED"
    assert parsed["c-42-signification_ordonnance@q7kd2mxa4zpw.casefile"][4] == 1


def test_radicale_rejects_a_broken_calendar(radicale):
    """Guards the test itself: the server does validate what it is given."""
    broken = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n"
    with httpx.Client(base_url=radicale, timeout=10) as client:
        answer = client.put("/casefile/broken/", content=broken, headers=HEADERS)
    assert answer.status_code == 400
    assert parse  # the same wire checks run on every export in the other tests
