"""Deadline calendars in iCalendar (RFC 5545): one case, one lawyer's portfolio, one commissaire.

Pure functions from plain values to bytes: the store supplies the entries (or the items returned
by `sync.sync`), nothing here reads a clock or a database. Feeds carry no METHOD: libical
rejects METHOD:PUBLISH without an ORGANIZER (STACK-NOTES.md), and subscriptions need none.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import timedelta

import icalendar

from casefile.errors import InputError
from casefile.ical.items import COMMISSAIRE, CalendarEntry, FeedItem, feed_item
from casefile.ical.wire import PRODID, REFRESH, TIMEZONE, alarm_text, calendar_name, serialize

DEFAULT_REMINDERS: tuple[int, ...] = (7, 2)
MAX_REMINDER_DAYS = 366

Source = CalendarEntry | FeedItem


def reminder_days(reminders: Iterable[int]) -> tuple[int, ...]:
    """Validated reminder offsets in days before the date, earliest reminder first."""
    days = set()
    for value in reminders:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"rappel « {value} » : un nombre entier de jours est attendu")
        if not 0 <= value <= MAX_REMINDER_DAYS:
            raise InputError(f"rappel de {value} jours : de 0 à {MAX_REMINDER_DAYS} jours")
        days.add(value)
    return tuple(sorted(days, reverse=True))


def as_items(sources: Iterable[Source]) -> list[FeedItem]:
    """Entries rendered to items, in a stable order (date, case, deadline) so equal data gives
    equal bytes and the ETag does not change between polls."""
    items = [s if isinstance(s, FeedItem) else feed_item(s) for s in sources]
    items.sort(key=lambda item: (item.day, item.case_reference, item.uid))
    return items


def calendar_bytes(
    name: str,
    sources: Iterable[Source],
    *,
    reminders: Iterable[int] = DEFAULT_REMINDERS,
    todos: bool = False,
) -> bytes:
    """Any set of entries as one VCALENDAR named `name` (X-WR-CALNAME)."""
    if not name.strip():
        raise InputError("le nom du calendrier est vide")
    return serialize(name, as_items(sources), reminder_days(reminders), todos)


def case_calendar(
    sources: Iterable[Source],
    *,
    case_id: str,
    case_reference: str,
    reminders: Iterable[int] = DEFAULT_REMINDERS,
    todos: bool = False,
) -> bytes:
    """The deadlines of one case (`casefile ics CASE`, GET /api/cases/{id}/calendar.ics)."""
    mine = [s for s in sources if s.case_id == case_id]
    return calendar_bytes(case_name(case_reference), mine, reminders=reminders, todos=todos)


def lawyer_calendar(
    sources: Iterable[Source],
    *,
    lawyer_name: str,
    reminders: Iterable[int] = DEFAULT_REMINDERS,
    todos: bool = False,
) -> bytes:
    """One lawyer's portfolio: every deadline of the cases the store selected for them."""
    return calendar_bytes(lawyer_name_of(lawyer_name), sources, reminders=reminders, todos=todos)


def commissaire_calendar(
    sources: Iterable[Source],
    *,
    commissaire_name: str,
    assigned_case_ids: Collection[str],
    reminders: Iterable[int] = DEFAULT_REMINDERS,
    todos: bool = False,
) -> bytes:
    """Only the acts a commissaire de justice performs (signifier, délivrer, constater), and
    only on the cases assigned to them: a commissaire never sees another office's files."""
    assigned = frozenset(assigned_case_ids)
    mine = [s for s in sources if s.case_id in assigned and _actor(s) == COMMISSAIRE]
    return calendar_bytes(
        commissaire_name_of(commissaire_name), mine, reminders=reminders, todos=todos
    )


def case_name(case_reference: str) -> str:
    return f"Échéances — dossier {case_reference}"


def lawyer_name_of(lawyer_name: str) -> str:
    return f"Échéances — {lawyer_name}"


def commissaire_name_of(commissaire_name: str) -> str:
    return f"Actes à accomplir — {commissaire_name}"


def _actor(source: Source) -> str:
    return source.actor if isinstance(source, FeedItem) else source.deadline.actor


def to_icalendar(
    name: str,
    sources: Iterable[Source],
    *,
    reminders: Iterable[int] = DEFAULT_REMINDERS,
    todos: bool = False,
) -> icalendar.Calendar:
    """The same calendar built with the icalendar library: the reference the fast writer is
    tested against, and an object for callers that want to edit it."""
    if not name.strip():
        raise InputError("le nom du calendrier est vide")
    days = reminder_days(reminders)
    cal = icalendar.Calendar()
    cal.add("version", "2.0")
    cal.add("prodid", PRODID)
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name(name))
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    cal.add("x-wr-timezone", TIMEZONE)
    for item in as_items(sources):
        event = icalendar.Event()
        # Always pass UID and DTSTAMP: icalendar would fill them with a random uuid and the
        # clock, and every poll would see a different feed (STACK-NOTES.md).
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp)
        event.add("sequence", item.sequence)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        if item.categories:
            event.add("categories", list(item.categories))
        event.add("status", item.status)
        event.add("transp", "TRANSPARENT")
        if item.reminds:
            for before in days:
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", alarm_text(before))
                alarm.add("trigger", timedelta(days=-before))
                event.add_component(alarm)
        cal.add_component(event)
        if todos and item.has_todo:
            todo = icalendar.Todo()
            todo.add("uid", item.todo_uid)
            todo.add("dtstamp", item.stamp)
            todo.add("sequence", item.sequence)
            todo.add("due", item.day)
            todo.add("summary", item.summary)
            todo.add("description", item.description)
            if item.url:
                todo.add("url", item.url)
            if item.categories:
                todo.add("categories", list(item.categories))
            todo.add("status", item.todo_status)
            cal.add_component(todo)
    return cal
