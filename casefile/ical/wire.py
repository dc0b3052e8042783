"""The RFC 5545 writer used for feeds: plain string building, each event's block kept once
rendered (over 30× faster than icalendar on a 10 000-deadline feed, bench/ical.py).

A 10 000-deadline portfolio must render in well under 300 ms (bench/ical.py); building
icalendar objects takes seconds. The output is byte-for-byte what `export.to_icalendar(...)`
produces with the icalendar library (tests/ical pin this), so icalendar stays the reference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from casefile.ical.items import FeedItem

PRODID = "-//casefile//casefile 0.1//FR"
TIMEZONE = "Europe/Paris"
REFRESH = "PT1H"  # how often subscribed apps should poll (RFC 7986 REFRESH-INTERVAL)
LIMIT = 75


def escape(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newline are escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """RFC 5545 §3.1: lines of at most 75 octets, continued by CRLF + space."""
    data = line.encode()
    if len(data) < LIMIT:
        return line
    return fold_bytes(data).decode()


def fold_bytes(data: bytes) -> bytes:
    """Fold one content line (UTF-8, no CRLF inside).

    Same cut points as icalendar's `foldline` (hence the same bytes): at most 74 octets per
    piece, never inside a UTF-8 character, never between a backslash and the character it
    escapes. Works on bytes: a character-by-character loop cost 0.8 s on a 10 000-event feed.
    """
    if len(data) < LIMIT:
        return data
    pieces = []
    start = 0
    size = len(data)
    while size - start >= LIMIT:
        end = start + LIMIT - 1
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def ical_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def ical_utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def calendar_name(name: str) -> str:
    """X-WR-CALNAME is an extension property that icalendar and the calendar apps read raw (not
    as escaped TEXT): keep it on one line and unescaped."""
    return " ".join(name.split())


def alarm_text(days: int) -> str:
    """Short on purpose: apps show the event's SUMMARY beside the alarm."""
    if not days:
        return "Échéance aujourd'hui"
    return f"Échéance dans {days} jour{'s' if days > 1 else ''}"


# Each item's VEVENT (and VTODO) block, rendered once and kept: a feed is the header, the
# concatenation of its items' blocks and the footer. The key is the whole item (its UID,
# SEQUENCE, DTSTAMP and every text) with the reminders and the VTODO switch, so a kept block is
# always the bytes the item renders to; bounded by the bytes held (emptied when full).
BLOCK_CACHE_BYTES = 64 * 1024 * 1024
_blocks: dict[tuple[FeedItem, tuple[int, ...], bool], bytes] = {}
_held = 0


def serialize(name: str, items: Iterable[FeedItem], reminders: Sequence[int], todos: bool) -> bytes:
    """The whole VCALENDAR. `reminders` are days before the date (already validated).

    Each item's block comes from the block cache, rendered on a miss (`_block`)."""
    global _held
    # Property order is icalendar's canonical order (listed names first, then alphabetical),
    # so both paths give the same bytes.
    header = [
        b"BEGIN:VCALENDAR",
        b"VERSION:2.0",
        f"PRODID:{PRODID}".encode(),
        b"CALSCALE:GREGORIAN",
        fold_bytes(f"X-WR-CALNAME:{calendar_name(name)}".encode()),
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}".encode(),
        f"X-PUBLISHED-TTL:{REFRESH}".encode(),
        f"X-WR-TIMEZONE:{TIMEZONE}".encode(),
        b"",
    ]
    reminders = tuple(reminders)
    alarms = b"".join(
        line + b"\r\n"
        for days in reminders
        for line in (
            b"BEGIN:VALARM",
            b"ACTION:DISPLAY",
            fold_bytes(("DESCRIPTION:" + escape(alarm_text(days))).encode()),
            f"TRIGGER:-P{days}D".encode() if days else b"TRIGGER:P0D",
            b"END:VALARM",
        )
    )
    parts = [b"\r\n".join(header)]
    append = parts.append
    blocks = _blocks
    for item in items:
        key = (item, reminders, todos)
        block = blocks.get(key)
        if block is None:
            block = _block(item, alarms, todos)
            if _held + len(block) > BLOCK_CACHE_BYTES:
                blocks.clear()
                _held = 0
            blocks[key] = block
            _held += len(block)
        append(block)
    append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


def _block(item: FeedItem, alarms: bytes, todos: bool) -> bytes:
    """One item's VEVENT (and VTODO), each line ended by CRLF. Only the lines that carry user
    text can exceed 75 octets, so only they are folded, each once even when it appears in the
    VEVENT and its VTODO."""
    day = item.day
    start = ical_date(day).encode()
    end = ical_date(day + timedelta(days=1)).encode()
    stamp = b"DTSTAMP:" + ical_utc(item.stamp).encode()
    sequence = b"SEQUENCE:%d" % item.sequence
    summary = fold_bytes(("SUMMARY:" + escape(item.summary)).encode())
    description = fold_bytes(("DESCRIPTION:" + escape(item.description)).encode())
    categories = ",".join([escape(c) for c in item.categories])
    categories_line = fold_bytes(("CATEGORIES:" + categories).encode()) if categories else b""
    url_line = fold_bytes(("URL:" + item.url).encode()) if item.url else b""
    lines = [
        b"BEGIN:VEVENT",
        summary,
        b"DTSTART;VALUE=DATE:" + start,
        b"DTEND;VALUE=DATE:" + end,
        stamp,
        fold_bytes(("UID:" + escape(item.uid)).encode()),
        sequence,
    ]
    if categories_line:
        lines.append(categories_line)
    lines += [description, b"STATUS:" + item.status.encode(), b"TRANSP:TRANSPARENT"]
    if url_line:
        lines.append(url_line)
    event = b"\r\n".join(lines) + b"\r\n"
    if item.reminds:
        event += alarms
    event += b"END:VEVENT\r\n"
    if todos and item.has_todo:
        lines = [b"BEGIN:VTODO"]
        if categories_line:
            lines.append(categories_line)
        lines += [
            description,
            stamp,
            b"DUE;VALUE=DATE:" + start,
            sequence,
            b"STATUS:" + item.todo_status.encode(),
            summary,
            fold_bytes(("UID:" + escape(item.todo_uid)).encode()),
        ]
        if url_line:
            lines.append(url_line)
        lines.append(b"END:VTODO")
        event += b"\r\n".join(lines) + b"\r\n"
    return event
