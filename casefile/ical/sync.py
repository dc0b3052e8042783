"""Keeping subscribed calendars in step across exports (RFC 5545 §3.8.7.4 SEQUENCE).

Calendar apps update an event they already hold only when its SEQUENCE grows, and remove it only
when they see it CANCELLED: a deadline that simply disappears from a feed stays in Outlook
forever. So the previous export is remembered as plain JSON data (one state per case, kept by
the store): for each UID its SEQUENCE, a fingerprint of what the user sees, and the last
rendered item, which is what lets a removed deadline still be published as CANCELLED.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from casefile.errors import InputError
from casefile.ical.items import CalendarEntry, FeedItem, feed_item

# uid -> {"sequence": int, "fingerprint": str, "item": FeedItem.as_dict()}; JSON as it stands.
FeedState = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class SyncResult:
    items: tuple[FeedItem, ...]  # what to export: current deadlines and cancelled ones
    state: FeedState  # what to persist for the next export
    changed: tuple[str, ...]  # UIDs whose SEQUENCE grew (date or text changed)
    added: tuple[str, ...]
    cancelled: tuple[str, ...]  # UIDs newly published as CANCELLED


# Each rendered item's fingerprint, kept (a feed polled again hashes nothing); bounded.
MAX_FINGERPRINTS = 20_000
_fingerprints: dict[FeedItem, str] = {}


def fingerprint(item: FeedItem) -> str:
    """The date and every visible text; SEQUENCE and DTSTAMP are not part of it."""
    mark = _fingerprints.get(item)
    if mark is None:
        canonical = json.dumps(item.content(), sort_keys=True, ensure_ascii=False)
        mark = hashlib.sha256(canonical.encode()).hexdigest()
        if len(_fingerprints) >= MAX_FINGERPRINTS:
            _fingerprints.clear()
        _fingerprints[item] = mark
    return mark


def sync(
    previous: Mapping[str, Mapping[str, Any]],
    entries: Iterable[CalendarEntry],
    now: datetime,
) -> SyncResult:
    """The items to publish now and the new state.

    An unchanged deadline keeps its SEQUENCE and DTSTAMP (the feed's bytes, hence its ETag, stay
    the same); a changed one gets SEQUENCE + 1 and DTSTAMP `now`; a deadline absent from
    `entries` is kept, CANCELLED, with SEQUENCE + 1 the first time. `now` is a parameter: the
    caller owns the clock.
    """
    if now.tzinfo is None:
        raise InputError("sync: `now` must be timezone-aware")
    now = now.astimezone(UTC).replace(microsecond=0)
    items: list[FeedItem] = []
    state: FeedState = {}
    changed: list[str] = []
    added: list[str] = []
    cancelled: list[str] = []
    for entry in entries:
        item = feed_item(entry)
        if item.uid in state:
            raise InputError(f"deadline {item.uid!r} appears twice in the calendar entries")
        mark = fingerprint(item)
        before = previous.get(item.uid)
        if before is None:
            item = replace(item, sequence=0, stamp=now)
            added.append(item.uid)
        elif before.get("fingerprint") == mark:
            item = replace(item, sequence=_sequence(before), stamp=_stamp(before))
        else:
            old = FeedItem.from_dict(before["item"])
            item = replace(item, sequence=old.sequence + 1, stamp=now)
            changed.append(item.uid)
        items.append(item)
        state[item.uid] = _record(item, mark)
    for uid in sorted(set(previous) - set(state)):
        old = FeedItem.from_dict(previous[uid]["item"])
        if old.status != "CANCELLED":
            old = replace(old, status="CANCELLED", sequence=old.sequence + 1, stamp=now)
            cancelled.append(uid)
        items.append(old)
        state[uid] = _record(old, fingerprint(old))
    return SyncResult(tuple(items), state, tuple(changed), tuple(added), tuple(cancelled))


def _sequence(before: Mapping[str, Any]) -> int:
    """The SEQUENCE an unchanged item keeps (without rebuilding the whole stored item)."""
    try:
        return int(before["item"]["sequence"])
    except (KeyError, TypeError, ValueError):
        return FeedItem.from_dict(before["item"]).sequence  # names what is malformed


def _stamp(before: Mapping[str, Any]) -> datetime:
    try:
        stamp = datetime.fromisoformat(before["item"]["stamp"])
    except (KeyError, TypeError, ValueError):
        return FeedItem.from_dict(before["item"]).stamp  # names what is malformed
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _record(item: FeedItem, mark: str) -> dict[str, Any]:
    return {"sequence": item.sequence, "fingerprint": mark, "item": item.as_dict()}
