"""Dated facts of a procedure: record, correct or withdraw them; the deadlines follow.

Each change runs in one transaction: the event row, the case's version, the recompute of the
deadlines and the audit entry (before/after, the reason given, the deadlines added, moved and
removed). A correction or a withdrawal names its event by key (the latest one when the key
repeats, the CLI's contract) or by id (the case page's rows).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from casefile import clock
from casefile.definitions import engine
from casefile.errors import InputError, InvalidFields, NotFound
from casefile.services.parties import change_summary
from casefile.services.plausibility import event_warnings
from casefile.store import audit
from casefile.store.cases import bump_version, resolve_case
from casefile.store.db import atomic
from casefile.store.permissions import User, require_event
from casefile.store.recompute import recompute_case
from casefile.store.tables import Event

MAX_REASON = 500
HEARING_TIME = "heure"  # attribute of the hearing ("HH:MM"), read by the pleadings
_TIME = re.compile(r"(\d{1,2})\s*(?:h|:)\s*(\d{2})?", re.IGNORECASE)


def hearing_time(text: object) -> str:
    """ "9h30", "9 h 30", "09:30", "14h" → "09:30", "14:00"; anything else is refused."""
    found = _TIME.fullmatch(str(text).strip())
    if found:
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise InvalidFields(
        {HEARING_TIME: f"heure de l'audience : « {text} » n'est pas une heure (HH:MM, ex. 09:30)"}
    )


def _json_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, (bool, int, str)) else str(v) for k, v in attributes.items()}


def _reason(reason: str | None) -> str | None:
    text = " ".join((reason or "").split())
    if len(text) > MAX_REASON:
        raise InputError(f"motif : {MAX_REASON} caractères au plus")
    return text or None


async def _target(case_id: int, reference: str, key: str | None, event_id: int | None) -> Any:
    query = Event.select().where(Event.case == case_id)
    if event_id is not None:
        query = query.where(Event.id == event_id)
    else:
        query = query.where(Event.key == key)
    latest = (
        await query.order_by(Event.date, ascending=False)
        .order_by(Event.id, ascending=False)
        .output(load_json=True)
        .first()
    )
    if latest is None:
        what = f"n° {event_id}" if event_id is not None else f"« {key} »"
        raise NotFound(f"le dossier {reference} n'a pas d'événement {what}")
    if key is not None and latest["key"] != key:
        raise InputError(f"l'événement n° {event_id} est « {latest['key']} », pas « {key} »")
    return latest


async def _event_change(
    case: int | str,
    key: str | None,
    actor: User,
    expected_version: int | None,
    change: str,
    day: date | str | None = None,
    attributes: dict[str, Any] | None = None,
    reason: str | None = None,
    event_id: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    why = _reason(reason)
    if key is not None:
        require_event(actor, key, change)
    async with atomic():
        row = await resolve_case(case, actor)
        eng = engine()
        procedure = eng.procedure(row["procedure"])
        before: dict[str, Any] | None = None
        after: dict[str, Any] | None = None
        latest = None
        event_row_id: int | None = None
        if change != "add":
            latest = await _target(row["id"], row["reference"], key, event_id)
            key = str(latest["key"])
            label = procedure.events[key].label if key in procedure.events else key
            require_event(actor, key, change, label)
            event_row_id = int(latest["id"])
            before = {
                "key": key,
                "date": latest["date"].isoformat(),
                "attributes": latest["attributes"],
            }
        assert key is not None
        warnings: list[str] = []
        if change in ("add", "edit"):
            text = day.isoformat() if isinstance(day, date) else day
            attributes = dict(attributes or {})
            if attributes.get(HEARING_TIME) not in (None, ""):
                attributes[HEARING_TIME] = hearing_time(attributes[HEARING_TIME])
            event = eng.parse_event(procedure, key, text, attributes)
            attrs = _json_attributes(dict(event.attributes))
            after = {"key": key, "date": event.date.isoformat(), "attributes": attrs}
            label = procedure.events[key].label if key in procedure.events else key
            territory = eng.territories.for_court(row["court_department"])
            warnings = event_warnings(key, label, event.date, today or clock.today(), territory)
            if latest is None:
                inserted = await Event.insert(
                    Event(
                        case=row["id"],
                        key=key,
                        date=event.date,
                        attributes=attrs,
                        created_by=actor.name,
                        created_at=datetime.now(UTC),
                    )
                )
                event_row_id = int(inserted[0]["id"])
            else:
                await Event.update({Event.date: event.date, Event.attributes: attrs}).where(
                    Event.id == latest["id"]
                )
        elif latest is not None:
            await Event.delete().where(Event.id == latest["id"])
        version = await bump_version(row, expected_version)
        changes = await recompute_case(row)
        record_after: dict[str, Any] = {
            **(after or {"key": key}),
            "version": version,
            "changes": change_summary(changes),
        }
        if why:
            record_after["reason"] = why
        if warnings:
            record_after["warnings"] = warnings
        await audit.record(actor, f"event.{change}", "case", row["id"], before, record_after)
    # `id`: the event recorded, changed or withdrawn (`?event_id=` of a later edit or delete)
    return {**changes, "version": version, "warnings": warnings, "id": event_row_id}


async def add_event(
    case: int | str,
    key: str,
    day: date | str,
    attributes: dict[str, Any],
    actor: User,
    expected_version: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Record an event; the deadlines are recomputed in the same transaction."""
    return await _event_change(
        case, key, actor, expected_version, "add", day, attributes, today=today
    )


async def edit_event(
    case: int | str,
    key: str | None,
    day: date | str,
    attributes: dict[str, Any],
    actor: User,
    expected_version: int | None = None,
    reason: str | None = None,
    event_id: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Change the date/attributes of the event `event_id`, else of the latest with that key."""
    return await _event_change(
        case, key, actor, expected_version, "edit", day, attributes, reason, event_id, today
    )


async def delete_event(
    case: int | str,
    key: str | None,
    actor: User,
    expected_version: int | None = None,
    reason: str | None = None,
    event_id: int | None = None,
) -> dict[str, Any]:
    """Withdraw the event `event_id`, else the latest with that key."""
    return await _event_change(
        case, key, actor, expected_version, "delete", reason=reason, event_id=event_id
    )
