"""Deadline requests as plain data: the shape shared by the CLI flags, the batch JSONL lines
and the API's what-if simulator (DESIGN.md §4). Validation names the faulty input."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from casefile.errors import InputError
from casefile.law.money import parse_amount
from casefile.law.periods import parse_date
from casefile.law.schedule import CaseFacts, Engine, RecordedEvent, Schedule

REQUEST_KEYS = frozenset(
    {"procedure", "events", "court", "court_department", "debtor_residence", "claim_total", "today"}
)


def parse_event_spec(spec: str) -> tuple[str, str, dict[str, str]]:
    """Split `EVENT=YYYY-MM-DD[:attr=value,…]` into its key, date text and attributes."""
    key, sep, rest = spec.partition("=")
    if not sep or not key.strip():
        raise InputError(f"event {spec!r} must be written EVENT=YYYY-MM-DD[:attr=value,…]")
    day, _, attr_text = rest.partition(":")
    attributes: dict[str, str] = {}
    if attr_text:
        for item in attr_text.split(","):
            name, eq, value = item.partition("=")
            if not eq or not name.strip():
                raise InputError(f"event {key}: attribute {item!r} must be written name=value")
            attributes[name.strip()] = value.strip()
    return key.strip(), day.strip(), attributes


def _absent(value: object) -> bool:
    """A field left out, null or empty takes its default (DESIGN.md §4); nothing else does."""
    return value is None or value == ""


def _place_code(value: object, what: str) -> str | int | None:
    """A department or collectivity code, as a JSON string or integer (checked by the engine)."""
    if _absent(value):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(
            f'{what}: {value!r} must be a department code such as "75", "2A" or "974"'
            + (" or 'etranger'" if what == "debtor_residence" else "")
        )
    return value


def facts_from(engine: Engine, request: Mapping[str, object]) -> CaseFacts:
    department = _place_code(request.get("court_department"), "court_department") or "75"
    residence = _place_code(request.get("debtor_residence"), "debtor_residence")
    court_department, _, _ = engine.place(department, residence)  # validates both
    claim_total = request.get("claim_total")
    court = request.get("court")
    if court is not None and not isinstance(court, str):
        raise InputError(f"court: {court!r} must be a string")
    return CaseFacts(
        court=court,
        court_department=court_department,
        debtor_residence=str(residence) if residence is not None else None,
        claim_total=None if _absent(claim_total) else parse_amount(claim_total, "claim_total"),
    )


def schedule_for(engine: Engine, request: Mapping[str, object]) -> Schedule:
    """Compute the deadlines of one request: {"procedure", "events": {key: {"date", attrs…}}, …}."""
    unknown = set(request) - REQUEST_KEYS
    if unknown:
        raise InputError(
            f"unknown field(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(REQUEST_KEYS))})"
        )
    procedure = engine.procedure(request.get("procedure"))
    raw_events = request.get("events")
    if raw_events is None:
        raw_events = {}
    if not isinstance(raw_events, Mapping):
        raise InputError('events must be an object {event_key: {"date": "YYYY-MM-DD", …}}')
    events: dict[str, RecordedEvent] = {}
    for key, body in raw_events.items():
        if isinstance(body, str):
            body = {"date": body}
        if not isinstance(body, Mapping) or "date" not in body:
            raise InputError(f'event {key}: expected {{"date": "YYYY-MM-DD", …attributes}}')
        attributes = {name: value for name, value in body.items() if name != "date"}
        events[key] = engine.parse_event(procedure, key, body["date"], attributes)
    today_text = request.get("today")
    today: date | None = None
    if not _absent(today_text):
        today = parse_date(today_text, "today")
    return engine.compute(procedure.key, events, facts_from(engine, request), today=today)
