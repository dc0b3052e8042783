"""Deadline requests as plain data: the shape shared by the CLI flags, the batch JSONL lines
and the API's what-if simulator (DESIGN.md §4). Validation names the faulty input."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import msgspec

from casefile.errors import InputError
from casefile.law.money import parse_amount
from casefile.law.periods import parse_date
from casefile.law.procedures import Procedure
from casefile.law.schedule import CaseFacts, Engine, RecordedEvent, Schedule
from casefile.law.suggestions import procedure_of
from casefile.law.wording import labelled, quoted

_NO_ATTRIBUTES: Mapping[str, object] = {}
REQUEST_KEYS = frozenset(
    {"procedure", "events", "court", "court_department", "debtor_residence", "claim_total", "today"}
)


def parse_event_spec(spec: str) -> tuple[str, str, dict[str, str]]:
    """Split `EVENT=YYYY-MM-DD[:attr=value,…]` into its key, date text and attributes."""
    key, sep, rest = spec.partition("=")
    if not sep or not key.strip():
        raise InputError(
            f"événement {quoted(spec)} : forme attendue EVENT=AAAA-MM-JJ[:attribut=valeur,…]"
        )
    day, _, attr_text = rest.partition(":")
    attributes: dict[str, str] = {}
    if attr_text:
        for item in attr_text.split(","):
            name, eq, value = item.partition("=")
            if not eq or not name.strip():
                raise InputError(
                    f"événement {quoted(key)} : attribut {quoted(item)} à écrire nom=valeur"
                )
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
            f"{what} : {quoted(value)} doit être un code de département comme « 75 », « 2A » "
            "ou « 974 »" + (" ou « étranger »" if what == "debtor_residence" else "")
        )
    return value


class Request(msgspec.Struct, forbid_unknown_fields=True):
    """A request as the batch decodes it, straight from its JSON line (no intermediate dict).

    Each event's body is kept as its raw JSON bytes: a batch repeats the same event bodies
    (same dates, same attributes), and the validated event is found by those bytes alone
    (`RequestMemo`); a body not seen before is decoded then. A line whose other fields have
    the wrong types (a list where a date belongs, a boolean department…) fails here and goes
    through `schedule_for`, which names the faulty input exactly as for a request given as a
    mapping — the two paths share `compute_request` and its checks."""

    procedure: str
    events: dict[str, msgspec.Raw] | None = None
    court: str | None = None
    court_department: str | int | None = None
    debtor_residence: str | int | None = None
    claim_total: str | int | float | None = None
    today: str | None = None


def facts_from(engine: Engine, request: Mapping[str, object]) -> CaseFacts:
    return _facts(
        engine,
        request.get("court"),
        request.get("court_department"),
        request.get("debtor_residence"),
        request.get("claim_total"),
    )


def _facts(
    engine: Engine, court: object, department: object, residence: object, claim_total: object
) -> CaseFacts:
    department = _place_code(department, "court_department") or "75"
    residence = _place_code(residence, "debtor_residence")
    court_department, _, _ = engine.place(department, residence)  # validates both
    if court is not None and not isinstance(court, str):
        raise InputError(f"court : {quoted(court)} doit être un texte")
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
            f"champ(s) inconnu(s) {', '.join(quoted(name) for name in sorted(unknown))} "
            f"(autorisés : {', '.join(sorted(REQUEST_KEYS))})"
        )
    return compute_request(
        engine,
        request.get("procedure"),
        request.get("events"),
        request.get("court"),
        request.get("court_department"),
        request.get("debtor_residence"),
        request.get("claim_total"),
        request.get("today"),
    )


def schedule_for_request(
    engine: Engine, request: Request, memo: RequestMemo | None = None
) -> Schedule:
    """`schedule_for` of a decoded `Request` (same checks, same messages); `memo` keeps the
    validated parts for the next requests (a batch's)."""
    return compute_request(
        engine,
        request.procedure,
        request.events,
        request.court,
        request.court_department,
        request.debtor_residence,
        request.claim_total,
        request.today,
        RequestMemo() if memo is None else memo,
    )


class RequestMemo:
    """The validated parts of requests already seen, for a batch that repeats dates, places and
    attributes: an event or a set of facts is immutable once validated, so a repeat of the same
    input reuses it — an event by its body's raw JSON bytes (`true` and `1` differ there), the
    facts by their values and JSON types. Only successes are kept; at most `limit` entries of
    each kind (emptied when full)."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self.events: dict[tuple[str, str, bytes], RecordedEvent] = {}
        self.facts: dict[tuple[object, ...], CaseFacts] = {}

    def keep(self, memo: dict[Any, Any], key: tuple[object, ...], value: Any) -> None:
        if len(memo) >= self.limit:
            memo.clear()
        memo[key] = value


def compute_request(
    engine: Engine,
    procedure_key: object,
    raw_events: object,
    court: object,
    court_department: object,
    debtor_residence: object,
    claim_total: object,
    today_text: object,
    memo: RequestMemo | None = None,
) -> Schedule:
    """Validate each field of a request in a fixed order (the first fault is the one named)
    and compute its deadlines. With `memo`, `raw_events` maps each event key to its body's raw
    JSON (`Request.events`)."""
    procedure = procedure_of(engine.procedures, procedure_key)
    if raw_events is None:
        raw_events = {}
    if not isinstance(raw_events, Mapping):
        raise InputError('events doit être un objet {clé_événement: {"date": "AAAA-MM-JJ", …}}')
    events: dict[str, RecordedEvent] = {}
    if memo is None:
        for key, body in raw_events.items():
            events[key] = _event(engine, procedure, key, body)
    else:
        known = memo.events
        for key, raw in raw_events.items():
            cache_key = (procedure.key, key, bytes(raw))
            event = known.get(cache_key)
            if event is None:
                event = _event(engine, procedure, key, msgspec.json.decode(raw))
                memo.keep(known, cache_key, event)
            events[key] = event
    today: date | None = None
    if not _absent(today_text):
        today = parse_date(today_text, "today")
    if memo is None:
        facts = _facts(engine, court, court_department, debtor_residence, claim_total)
    else:
        facts_key = (
            court,
            type(court_department),
            court_department,
            type(debtor_residence),
            debtor_residence,
            type(claim_total),
            claim_total,
        )
        found_facts = memo.facts.get(facts_key)
        if found_facts is None:
            found_facts = _facts(engine, court, court_department, debtor_residence, claim_total)
            memo.keep(memo.facts, facts_key, found_facts)
        facts = found_facts
    return engine.compute(procedure.key, events, facts, today=today)


def _event(engine: Engine, procedure: Procedure, key: str, body: object) -> RecordedEvent:
    """One event of the request, `{"date": …, attributes…}` or its date alone, validated."""
    if isinstance(body, str):
        return engine.parse_event(procedure, key, body, _NO_ATTRIBUTES)
    if not isinstance(body, Mapping) or "date" not in body:
        name = labelled(procedure.event(key).label, key)  # an unknown key is named first
        raise InputError(f'événement {name} : forme attendue {{"date": "AAAA-MM-JJ", …attributs}}')
    if len(body) == 1:
        return engine.parse_event(procedure, key, body["date"], _NO_ATTRIBUTES)
    attributes = {name: value for name, value in body.items() if name != "date"}
    return engine.parse_event(procedure, key, body["date"], attributes)
