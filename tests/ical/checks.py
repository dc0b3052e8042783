"""Assertions shared by the iCalendar tests: RFC 5545 wire rules and a parsed view."""

from __future__ import annotations

from typing import Any

import icalendar


def assert_wire_format(body: bytes) -> None:
    """CRLF everywhere, every physical line ≤ 75 octets, valid UTF-8, no empty property."""
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in body.replace(b"\r\n", b""), "bare CR"
    body.decode("utf-8")
    physical = body.split(b"\r\n")[:-1]
    for line in physical:
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
    unfolded = body.replace(b"\r\n ", b"").split(b"\r\n")[:-1]
    for line in unfolded:
        name, _, value = line.partition(b":")
        assert value, f"empty property {name!r}"
    assert not any(line.startswith(b"METHOD") for line in unfolded)


def parse(body: bytes) -> icalendar.Calendar:
    assert_wire_format(body)
    return icalendar.Calendar.from_ical(body)


def events(calendar: icalendar.Calendar) -> dict[str, dict[str, Any]]:
    """UID -> the fields a user sees, decoded."""
    out: dict[str, dict[str, Any]] = {}
    for event in calendar.walk("VEVENT"):
        out[str(event["UID"])] = {
            "start": event["DTSTART"].dt,
            "end": event["DTEND"].dt,
            "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]),
            "sequence": int(event["SEQUENCE"]),
            "status": str(event["STATUS"]),
            "categories": [str(c) for c in event["CATEGORIES"].cats],
            "url": str(event.get("URL", "")),
            "alarms": [str(a["TRIGGER"].to_ical(), "ascii") for a in event.walk("VALARM")],
        }
    return out
