"""The case calendar as RFC 5545: parsed back by icalendar, folded, escaped, pinned by a golden
file. Regenerate the golden file with `UPDATE_GOLDEN=1 .venv/bin/pytest tests/ical`."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar.parser import _foldline  # the public alias is deprecated in icalendar 7

from casefile.definitions import engine
from casefile.errors import InputError
from casefile.ical.export import (
    calendar_bytes,
    case_calendar,
    reminder_days,
    to_icalendar,
)
from casefile.ical.items import feed_item
from casefile.ical.wire import fold
from casefile.law.schedule import RecordedEvent
from tests.ical.builders import DEBTOR, entries_for, ip_events
from tests.ical.checks import events, parse

GOLDEN = Path(__file__).parent / "golden"


def _case(**kwargs: object) -> bytes:
    return case_calendar(
        entries_for(ip_events()), case_id="c-42", case_reference="IP-2027/001", **kwargs
    )


def test_case_calendar_matches_the_golden_file_byte_for_byte():
    body = _case()
    golden = GOLDEN / "case_calendar.ics"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(body)
    assert golden.exists(), "run UPDATE_GOLDEN=1 .venv/bin/pytest tests/ical"
    assert body == golden.read_bytes(), "golden .ics differs: review the diff, then regenerate"


def test_case_calendar_with_todos_matches_the_golden_file_byte_for_byte():
    body = _case(todos=True, reminders=(10, 3, 1))
    golden = GOLDEN / "case_calendar_todos.ics"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(body)
    assert body == golden.read_bytes()


def test_fast_writer_gives_the_same_bytes_as_the_icalendar_library():
    entries = entries_for(ip_events()) + entries_for(
        [RecordedEvent("exigibilite", date(2025, 9, 12))], procedure="amiable", case_id="c-43"
    )
    for todos in (False, True):
        for reminders in ((7, 2), (0,), ()):
            fast = calendar_bytes("Échéances, a; b", entries, reminders=reminders, todos=todos)
            reference = to_icalendar(
                "Échéances, a; b", entries, reminders=reminders, todos=todos
            ).to_ical()
            assert fast == reference


def test_each_deadline_is_one_all_day_event_with_its_trace():
    """CPC art. 1416: opposition within one month of the signification of 29 January 2027;
    28 February 2027 is a Sunday, so art. 642 moves it to Monday 1 March 2027."""
    parsed = events(parse(_case()))
    assert set(parsed) == {
        "c-42-opposition@q7kd2mxa4zpw.casefile",
        "c-42-signification_ordonnance@q7kd2mxa4zpw.casefile",
    }
    opposition = parsed["c-42-opposition@q7kd2mxa4zpw.casefile"]
    assert opposition["start"] == date(2027, 3, 1)
    assert opposition["end"] == date(2027, 3, 2)
    assert opposition["summary"] == f"[IP-2027/001] Délai d'opposition du débiteur — {DEBTOR}"
    assert opposition["status"] == "CONFIRMED"
    assert opposition["sequence"] == 0
    assert opposition["categories"] == ["Injonction de payer", "Débiteur"]
    assert opposition["url"] == "https://casefile.example/cases/c-42"
    assert opposition["alarms"] == ["-P7D", "-P2D"]
    lines = opposition["description"].split("\n")
    assert lines[:5] == [
        "Point de départ : Ordonnance signifiée au débiteur du 29 janvier 2027",
        "Délai : 1 mois (CPC art. 641, report art. 642)",
        "Date brute : dimanche 28 février 2027",
        "Report : dimanche 28 février 2027 → report au premier jour ouvrable suivant, "
        "1er mars 2027 (CPC art. 642)",
        "Échéance : lundi 1er mars 2027",
    ]
    source = next(
        r.source
        for r in engine().procedures["injonction_de_payer"].deadlines
        if r.key == "opposition"
    )
    assert lines[5] == f"Fondement : CPC art. 1416 — {source}"
    assert lines[-1] == "Dossier : https://casefile.example/cases/c-42"
    # Served in person, so the signification deadline is done: no reminders, marked in SUMMARY.
    served = parsed["c-42-signification_ordonnance@q7kd2mxa4zpw.casefile"]
    # CPC 1411 (décret 2026-96): 4 January 2027 + 3 months = Sunday 4 April → Monday 5 April.
    assert served["start"] == date(2027, 4, 5)
    assert served["summary"].endswith("(accompli)")
    assert served["alarms"] == []
    assert served["categories"] == ["Injonction de payer", "Commissaire de justice"]


def test_calendar_header_names_the_feed_and_its_timezone_without_method():
    calendar = parse(_case())
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//casefile//casefile 0.1//FR"
    assert calendar["X-WR-CALNAME"].to_ical().decode() == "Échéances — dossier IP-2027/001"
    assert calendar["X-WR-TIMEZONE"].to_ical().decode() == "Europe/Paris"
    assert "METHOD" not in calendar


def test_uncertain_start_is_tentative_and_moot_is_cancelled():
    """A limitation period whose debtor kind is unknown: the engine keeps the shortest (2 years,
    C. conso. L218-2) and marks it uncertain; the feed shows it TENTATIVE."""
    prescription_only = [RecordedEvent("exigibilite", date(2025, 9, 12))]
    uncertain = events(
        parse(
            case_calendar(
                entries_for(prescription_only, procedure="amiable"),
                case_id="c-42",
                case_reference="IP-2027/001",
            )
        )
    )["c-42-prescription@q7kd2mxa4zpw.casefile"]
    assert uncertain["status"] == "TENTATIVE"
    assert uncertain["summary"].endswith("(date incertaine)")
    assert uncertain["alarms"] == ["-P7D", "-P2D"]
    # A deadline the engine reports moot (e.g. moot_by an opposition) is published CANCELLED.
    entry = entries_for(ip_events())[0]
    moot = [replace(entry, deadline=msgspec.structs.replace(entry.deadline, status="moot"))]
    parsed = events(parse(calendar_bytes("x", moot)))["c-42-opposition@q7kd2mxa4zpw.casefile"]
    assert parsed["status"] == "CANCELLED"
    assert parsed["alarms"] == []


def test_commas_semicolons_backslashes_newlines_and_accents_are_escaped():
    debtor = "Martin, Dupont; \\ Élise\nbis — « ñ »"
    entries = entries_for(ip_events(), debtor=debtor, reference="R;1,2")
    body = calendar_bytes("x", entries)
    unfolded = body.replace(b"\r\n ", b"").decode()
    assert (
        "SUMMARY:[R\\;1\\,2] Délai d'opposition du débiteur — Martin\\, Dupont\\; \\\\ "
        "Élise\\nbis — « ñ »\r\n" in unfolded
    )
    assert "\\nPoint" not in unfolded  # the first DESCRIPTION line starts the value
    assert "Délai : 1 mois (CPC art. 641\\, report art. 642)\\nDate brute" in unfolded
    parsed = events(parse(body))["c-42-opposition@q7kd2mxa4zpw.casefile"]
    assert parsed["summary"] == f"[R;1,2] Délai d'opposition du débiteur — {debtor}"
    assert "\n" in parsed["description"] and "art. 641, report" in parsed["description"]


def test_control_characters_never_reach_the_feed():
    entries = entries_for(ip_events(), debtor="Bell\x07 \x00Co\r\nLtd")
    parsed = events(parse(calendar_bytes("x", entries)))["c-42-opposition@q7kd2mxa4zpw.casefile"]
    assert parsed["summary"].endswith("— Bell Co\nLtd")


def test_folding_never_splits_a_utf8_character_or_an_escape():
    line = "DESCRIPTION:" + "é" * 40 + "\\," + "€" * 30 + "x" * 100
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    for physical in folded.split("\r\n"):
        assert len(physical.encode()) <= 75
        assert not physical.rstrip().endswith("\\") or physical.endswith("\\\\")
    assert fold("SHORT:ok") == "SHORT:ok"
    exactly_74 = "X:" + "a" * 72
    assert fold(exactly_74) == exactly_74
    assert fold(exactly_74 + "b") == exactly_74 + "\r\n b"


def test_reminders_are_configurable_and_validated():
    parsed = events(parse(_case(reminders=[1, 14, 1])))["c-42-opposition@q7kd2mxa4zpw.casefile"]
    assert parsed["alarms"] == ["-P14D", "-P1D"]
    assert (
        events(parse(_case(reminders=[])))["c-42-opposition@q7kd2mxa4zpw.casefile"]["alarms"] == []
    )
    assert reminder_days([0]) == (0,)
    for bad in ([-1], [400], ["7"], [True]):
        with pytest.raises(InputError):
            reminder_days(bad)


def test_todos_only_for_acts_casefile_users_perform():
    calendar = parse(_case(todos=True))
    todos = {str(t["UID"]): t for t in calendar.walk("VTODO")}
    # The commissaire serves (done: COMPLETED); the debtor's opposition is not our act.
    assert list(todos) == ["c-42-signification_ordonnance-todo@q7kd2mxa4zpw.casefile"]
    todo = todos["c-42-signification_ordonnance-todo@q7kd2mxa4zpw.casefile"]
    assert todo["DUE"].dt == date(2027, 4, 5)
    assert str(todo["STATUS"]) == "COMPLETED"


def test_dtstamp_comes_from_the_data_never_the_clock():
    first = _case()
    second = _case()
    assert first == second
    stamps = {str(e["DTSTAMP"].to_ical(), "ascii") for e in parse(first).walk("VEVENT")}
    # The start dates of the deadlines, midnight UTC.
    assert stamps == {"20270129T000000Z", "20270104T000000Z"}
    entry = entries_for(ip_events())[0]
    moment = datetime(2027, 2, 1, 10, 30, tzinfo=UTC)
    item = feed_item(replace(entry, modified_at=moment))
    assert item.stamp == moment
    with pytest.raises(InputError):
        feed_item(replace(entry, modified_at=datetime(2027, 2, 1)))


def test_events_are_sorted_by_date_then_case():
    later = entries_for(ip_events(), case_id="c-1", reference="A-1")
    earlier = entries_for(
        ip_events(rendue=date(2026, 12, 1), signifiee=date(2026, 12, 10)),
        case_id="c-2",
        reference="Z-2",
    )
    body = calendar_bytes("portfolio", later + earlier)
    starts = [e["DTSTART"].dt for e in parse(body).walk("VEVENT")]
    assert starts == sorted(starts)
    assert body == calendar_bytes("portfolio", list(reversed(later + earlier)))


def test_empty_calendar_name_is_refused():
    with pytest.raises(InputError, match="nom du calendrier"):
        calendar_bytes("  ", [])


def test_a_far_deadline_keeps_dtend_the_day_after():
    (entry,) = entries_for(ip_events(signifiee=None))
    parsed = events(parse(calendar_bytes("x", [entry])))
    (only,) = parsed.values()
    assert only["end"] - only["start"] == timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")))
def test_folding_cuts_where_icalendar_cuts(text):
    line = "DESCRIPTION:" + text
    assert fold(line) == _foldline(line)
