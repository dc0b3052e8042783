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
from casefile.ical.items import CalendarEntry, FeedItem, feed_item, uid_for

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


# The UIDs written before the installation's identifier (`{case}-{deadline}@casefile`, until
# migration 2026-12-01T14:45:01): the same in every installation. Today's end in `.casefile`.
LEGACY_SUFFIX = "@casefile"


def adopt_legacy(
    previous: Mapping[str, Mapping[str, Any]], installation: str
) -> Mapping[str, Mapping[str, Any]]:
    """`previous` with the records kept under a UID of before renamed to this installation's
    UID (SEQUENCE, DTSTAMP and fingerprint kept), so that `sync` neither adds the deadline again
    nor publishes the old UID CANCELLED. The migration moved every state; this catches a state
    written meanwhile by a process of the previous release (a rolling upgrade). A deadline held
    under both UIDs keeps its new record (the later one). Unchanged (the same object) when no
    UID of before is there: the common case costs one pass over the keys."""
    if not any(uid.endswith(LEGACY_SUFFIX) for uid in previous):
        return previous
    adopted = {uid: r for uid, r in previous.items() if not uid.endswith(LEGACY_SUFFIX)}
    for uid, record in previous.items():
        if uid.endswith(LEGACY_SUFFIX):
            item = record.get("item") or {}
            new = uid_for(installation, str(item.get("case_id")), str(item.get("deadline_key")))
            adopted.setdefault(new, {**record, "item": {**item, "uid": new}})
    return adopted


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
