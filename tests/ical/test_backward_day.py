"""A backward limit whose last useful day is not worked keeps that day as its due date (LEGAL.md
§1), but its calendar event sits on the last working day before it, which its note names: a
commissaire reading a feed saw « Signifier l'assignation » on Sunday 6 December 2026, and its
alarms counted to that Sunday, when the act had to be served by Friday 4 December."""

from __future__ import annotations

from datetime import date

import pytest

from casefile.definitions import engine
from casefile.ical.items import CalendarEntry, calendar_day, feed_item
from casefile.law.requests import schedule_for


def _deadlines(court: str, hearing: str) -> dict:
    schedule = schedule_for(
        engine(),
        {
            "procedure": "assignation_paiement",
            "court": court,
            "court_department": "75",
            "events": {"audience": {"date": hearing}},
        },
    )
    return {d.key: d for d in schedule.deadlines}


@pytest.mark.parametrize(
    ("court", "hearing", "key", "due", "day"),
    [
        # Served by a commissaire (art. 856, 15 days): « date retenue le … » (art. 664 note).
        (
            "tribunal_de_commerce",
            "2026-12-22",
            "signification_assignation",
            "2026-12-06",
            "2026-12-04",
        ),
        # Placed at the greffe (art. 857, 8 days): « agir au plus tard le … ».
        ("tribunal_de_commerce", "2026-12-15", "remise_au_greffe", "2026-12-06", "2026-12-04"),
        ("tribunal_judiciaire", "2026-12-22", "remise_au_greffe", "2026-12-06", "2026-12-04"),
        # A last useful day that is worked: the event is on it.
        (
            "tribunal_de_commerce",
            "2026-12-23",
            "signification_assignation",
            "2026-12-07",
            "2026-12-07",
        ),
    ],
)
def test_the_event_sits_on_the_last_working_day_before(
    court: str, hearing: str, key: str, due: str, day: str
) -> None:
    deadline = _deadlines(court, hearing)[key]
    assert deadline.counting == "backward"
    assert deadline.due == date.fromisoformat(due)  # the due date itself never moves
    assert calendar_day(deadline) == date.fromisoformat(day)
    item = feed_item(
        CalendarEntry(
            "7", "AS-7", "Winstub Muller SARL", "assignation_paiement", deadline, "", "abcdefghijkm"
        )
    )
    assert item.day == date.fromisoformat(day)
    assert (
        f"Échéance : {'dimanche 6 décembre 2026' if due != day else 'lundi 7 décembre 2026'}"
        in (item.description)
    )


def test_a_forward_deadline_on_its_rolled_day() -> None:
    schedule = schedule_for(
        engine(),
        {
            "procedure": "injonction_de_payer",
            "court_department": "75",
            "events": {"ordonnance_signifiee": {"date": "2026-11-05", "a_personne": True}},
        },
    )
    (opposition,) = [d for d in schedule.deadlines if d.key == "opposition"]
    assert opposition.due == date(2026, 12, 7)  # Saturday 5 December → Monday 7 (art. 642)
    assert calendar_day(opposition) == opposition.due
