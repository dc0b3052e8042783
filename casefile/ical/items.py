"""What one deadline looks like in a calendar: the plain values the export writes.

`CalendarEntry` is what the store supplies (a deadline and its case); `FeedItem` is the rendered
text of one VEVENT, kept as plain data so the feed state can remember it and still publish a
deadline as CANCELLED after the engine stopped producing it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from casefile.errors import InputError
from casefile.law.schedule import Deadline

# Actors who perform an act themselves get a VTODO: the debtor and the greffe act on their own.
ACTING_ACTORS = frozenset({"creancier", "avocat", "commissaire_de_justice"})
COMMISSAIRE = "commissaire_de_justice"
# An installation's identifier: 12 lowercase base32 characters (60 random bits), drawn once.
INSTALLATION = re.compile(r"[a-z2-7]{12}")

ACTOR_LABELS = {
    "creancier": "Créancier",
    "avocat": "Avocat",
    "commissaire_de_justice": "Commissaire de justice",
    "debiteur": "Débiteur",
    "greffe": "Greffe",
}
STATUS_LABELS = {
    "pending": "à venir",
    "done": "accompli",
    "missed": "dépassé",
    "moot": "sans objet",
    "uncertain": "date incertaine (la plus précoce possible)",
}
# Appended to SUMMARY so a calendar shows the state without opening the event.
_SUMMARY_SUFFIX = {
    "done": " (accompli)",
    "missed": " (dépassé)",
    "moot": " (sans objet)",
    "uncertain": " (date incertaine)",
}
# RFC 5545 §3.8.1.11: a moot deadline is CANCELLED so subscribed apps remove it; an uncertain
# date (earliest plausible, art. 1416 al. 2) is TENTATIVE.
_ICAL_STATUS = {
    "pending": "CONFIRMED",
    "done": "CONFIRMED",
    "missed": "CONFIRMED",
    "moot": "CANCELLED",
    "uncertain": "TENTATIVE",
}

# RFC 5545 §3.3.11: TEXT may not hold control characters other than HTAB (and the escaped
# newline); a stray one in a debtor's name would make libical reject the whole feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_IN_URI = re.compile(r"[\x00-\x20\x7f]")


def clean(text: str) -> str:
    """Text without forbidden control characters, newlines normalised to LF."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One deadline of one case, as the store hands it to the export."""

    case_id: str
    case_reference: str
    debtor_name: str
    procedure: str
    deadline: Deadline
    case_url: str
    installation: str  # this installation's identifier (`casefile.store.installation`)
    sequence: int = 0
    cancelled: bool = False
    modified_at: datetime | None = None  # DTSTAMP; derived from the data when None

    @property
    def uid(self) -> str:
        return uid_for(self.installation, self.case_id, self.deadline.key)


def uid_for(installation: str, case_id: str, deadline_key: str) -> str:
    """A deadline's UID: `{case}-{deadline}@{installation}.casefile`.

    Stable across exports, restarts and domain moves (the installation's identifier is drawn
    once and stored in its database, never derived from CASEFILE_BASE_URL), and globally unique
    (RFC 5545 §3.8.4.7): case 12 of two installations are two events in one calendar."""
    if not INSTALLATION.fullmatch(installation):
        raise InputError(f"identifiant d'installation {installation!r} invalide")
    return f"{case_id}-{deadline_key}@{installation}.casefile"


def todo_uid_for(uid: str) -> str:
    """The VTODO beside a deadline's VEVENT: `-todo` appended to the UID's left-hand side, so
    it belongs to the same installation (`…-opposition-todo@{installation}.casefile`)."""
    local, at, domain = uid.rpartition("@")
    return f"{local}-todo@{domain}" if at else f"{uid}-todo"


@dataclass(frozen=True, slots=True)
class FeedItem:
    """The rendered fields of one deadline's VEVENT (and VTODO), plain and JSON-ready."""

    uid: str
    case_id: str
    case_reference: str
    deadline_key: str
    day: date
    summary: str
    description: str
    url: str
    categories: tuple[str, ...]
    actor: str
    deadline_status: str  # the engine's status: pending, done, missed, moot, uncertain
    status: str  # the iCalendar STATUS: CONFIRMED, TENTATIVE, CANCELLED
    sequence: int
    stamp: datetime  # DTSTAMP, UTC

    @property
    def todo_uid(self) -> str:
        return todo_uid_for(self.uid)

    @property
    def has_todo(self) -> bool:
        return self.actor in ACTING_ACTORS

    @property
    def reminds(self) -> bool:
        """Alarms only for what is still to be done: never on done, missed or cancelled dates."""
        return self.status != "CANCELLED" and self.deadline_status in ("pending", "uncertain")

    @property
    def todo_status(self) -> str:
        if self.status == "CANCELLED":
            return "CANCELLED"
        return "COMPLETED" if self.deadline_status == "done" else "NEEDS-ACTION"

    def content(self) -> dict[str, Any]:
        """What the fingerprint covers: the date and every text a user sees."""
        return {
            "day": self.day.isoformat(),
            "summary": self.summary,
            "description": self.description,
            "url": self.url,
            "categories": list(self.categories),
            "status": self.status,
            "deadline_status": self.deadline_status,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "case_id": self.case_id,
            "case_reference": self.case_reference,
            "deadline_key": self.deadline_key,
            **self.content(),
            "actor": self.actor,
            "sequence": self.sequence,
            "stamp": self.stamp.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeedItem:
        try:
            stamp = datetime.fromisoformat(data["stamp"])
            return cls(
                uid=str(data["uid"]),
                case_id=str(data["case_id"]),
                case_reference=str(data["case_reference"]),
                deadline_key=str(data["deadline_key"]),
                day=date.fromisoformat(data["day"]),
                summary=str(data["summary"]),
                description=str(data["description"]),
                url=str(data["url"]),
                categories=tuple(str(c) for c in data["categories"]),
                actor=str(data["actor"]),
                deadline_status=str(data["deadline_status"]),
                status=str(data["status"]),
                sequence=int(data["sequence"]),
                stamp=stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(
                f"feed state item {data.get('uid')!r} is malformed: {error}"
            ) from error


def summary_for(entry: CalendarEntry) -> str:
    deadline = entry.deadline
    text = f"[{entry.case_reference}] {deadline.label} — {entry.debtor_name}".strip(" —")
    return clean(text + _SUMMARY_SUFFIX.get(deadline.status, ""))


def _procedure(name: str) -> Any:
    """The procedure an entry names, by key (as the store gives it) or by label."""
    from casefile.definitions import engine

    procedures = engine().procedures
    found = procedures.get(name)
    if found is None:
        found = next((p for p in procedures.values() if p.title == name), None)
    return found


def procedure_label(name: str) -> str:
    """An entry's procedure as a person reads it (CATEGORIES): its label, never its key."""
    procedure = _procedure(name)
    return str(procedure.title) if procedure is not None else name


def start_label(procedure_name: str, deadline: Deadline) -> str | None:
    """The label of what starts `deadline` (an event, or another time limit), from the
    procedure's definition; None when the definition no longer has it."""
    # Here, not at the top: `casefile.labels` loads Babel, which a feed otherwise never needs.
    from casefile.labels import CASE_STARTS

    procedure = _procedure(procedure_name)
    key = deadline.start.key
    if procedure is None:
        return CASE_STARTS.get(key)
    if deadline.start.kind == "event":
        event = procedure.events.get(key)
        return str(event.label) if event is not None else CASE_STARTS.get(key)
    return next((str(rule.label) for rule in procedure.deadlines if rule.key == key), None)


def description_for(entry: CalendarEntry) -> str:
    """The same trace as the CLI and the documents (STYLE.md habit 6), then the case link."""
    deadline = entry.deadline
    lines = list(deadline.explanation(start_label(entry.procedure, deadline)))
    if deadline.consequence:
        lines.append(f"Conséquence : {deadline.consequence}")
    lines.append(f"À accomplir par : {ACTOR_LABELS.get(deadline.actor, deadline.actor)}")
    lines.append(f"Statut : {STATUS_LABELS.get(deadline.status, deadline.status)}")
    if entry.case_url:
        lines.append(f"Dossier : {entry.case_url}")
    return clean("\n".join(lines))


def derived_stamp(deadline: Deadline) -> datetime:
    """A DTSTAMP that depends only on the data (never the clock): the start date, midnight UTC.

    Used when the store has no modification time, so an unchanged feed stays byte-identical.
    """
    return datetime.combine(deadline.start.date, time(0, 0), tzinfo=UTC)


# Each entry's rendered item, kept: a feed polled again renders nothing. The key is the whole
# entry (its deadline with the full trace, the case's texts, SEQUENCE, cancelled, DTSTAMP), so a
# kept item is always what the entry renders to. Bounded (emptied when full, ~3 KB an item).
MAX_RENDERED = 20_000
_rendered: dict[CalendarEntry, FeedItem] = {}


def feed_item(entry: CalendarEntry) -> FeedItem:
    """Render one entry's text; `entry.sequence`, `cancelled` and `modified_at` are kept."""
    item = _rendered.get(entry)
    if item is None:
        item = _render(entry)
        if len(_rendered) >= MAX_RENDERED:
            _rendered.clear()
        _rendered[entry] = item
    return item


# The day a backward limit's note keeps when its last useful day is not worked
# (`schedule._paper_filing_note`, `schedule._service_note`; tied by tests/ical/test_backward_day).
_KEPT_DAY = re.compile(r"(?:agir au plus tard le|date retenue le) (\d{4}-\d{2}-\d{2})")


def calendar_day(deadline: Deadline) -> date:
    """The day a deadline's event sits on: its due date, except a backward limit (« au moins
    15 jours avant l'audience ») whose last useful day is not worked. That day stays the due
    date (LEGAL.md §1: never moved), but the act must be done by the last working day before
    it, which the deadline's note names: the event sits there, the earlier date, so that
    neither the calendar nor its alarms show a Sunday on which no greffe or office is open
    (the description still says both)."""
    if deadline.counting == "backward" and deadline.notes:
        for note in deadline.notes:
            found = _KEPT_DAY.search(note)
            if found is not None:
                kept = date.fromisoformat(found.group(1))
                if kept < deadline.due:
                    return kept
    return deadline.due


def _render(entry: CalendarEntry) -> FeedItem:
    deadline = entry.deadline
    status = "CANCELLED" if entry.cancelled else _ICAL_STATUS.get(deadline.status, "CONFIRMED")
    actor = ACTOR_LABELS.get(deadline.actor) or clean(deadline.actor)
    categories = tuple(c for c in (clean(procedure_label(entry.procedure)), actor) if c)
    stamp = entry.modified_at or derived_stamp(deadline)
    if stamp.tzinfo is None:
        raise InputError(f"modified_at of {entry.uid!r} must be timezone-aware")
    return FeedItem(
        uid=clean(entry.uid),
        case_id=entry.case_id,
        case_reference=entry.case_reference,
        deadline_key=deadline.key,
        day=calendar_day(deadline),
        summary=summary_for(entry),
        description=description_for(entry),
        url=_NOT_IN_URI.sub("", entry.case_url),
        categories=categories,
        actor=deadline.actor,
        deadline_status=deadline.status,
        status=status,
        sequence=entry.sequence,
        stamp=stamp if stamp.tzinfo is UTC else stamp.astimezone(UTC),
    )
