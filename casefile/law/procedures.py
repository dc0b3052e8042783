"""Load and validate `procedures/*.toml` into typed, frozen definitions.

A procedure is data: its events, its deadlines (what starts each one, the period, the counting
rule, the article and its Légifrance source, the dates it is valid for) and the documents it
produces. Loading checks everything a lawyer could get wrong when editing the files: unknown
references, cycles, missing sources, overlapping validity. Errors name the file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from casefile.errors import DefinitionError, InputError
from casefile.law.periods import Period, parse_date

Counting = Literal["cpc", "civil", "backward", "calendar"]
COUNTINGS: tuple[str, ...] = ("cpc", "civil", "backward", "calendar")
ACTORS = ("creancier", "avocat", "commissaire_de_justice", "debiteur", "greffe")
ATTRIBUTE_TYPES = ("bool", "choice", "text", "period", "int", "place")
AttributeValue = bool | int | str


@dataclass(frozen=True, slots=True)
class AttributeDef:
    key: str
    type: str
    label: str
    choices: tuple[str, ...] = ()

    def parse(self, raw: object, where: str) -> AttributeValue:
        """Turn a flag or JSON value into the typed attribute value, or say why not."""
        if self.type == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("true", "1", "yes", "oui", "vrai"):
                return True
            if text in ("false", "0", "no", "non", "faux"):
                return False
            raise InputError(f"{where}: attribute {self.key}={raw!r} must be true or false")
        if self.type == "int":
            try:
                return int(str(raw))
            except ValueError:
                raise InputError(
                    f"{where}: attribute {self.key}={raw!r} must be an integer"
                ) from None
        text = str(raw)
        if self.type == "choice" and text not in self.choices:
            raise InputError(
                f"{where}: attribute {self.key}={raw!r} must be one of {', '.join(self.choices)}"
            )
        if self.type == "period":
            Period.parse(text)
        return text


@dataclass(frozen=True, slots=True)
class EventDef:
    key: str
    label: str
    after: tuple[str, ...] = ()
    attributes: Mapping[str, AttributeDef] | None = None


@dataclass(frozen=True, slots=True)
class Start:
    """One alternative start of a deadline: an event (with conditions) or another deadline's
    expiry. `uncertain` marks the fallback that gives the earliest plausible date."""

    event: str | None = None
    deadline: str | None = None
    when: tuple[tuple[str, AttributeValue], ...] = ()
    when_event: tuple[tuple[str, tuple[tuple[str, AttributeValue], ...]], ...] = ()
    uncertain: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class NextStep:
    """What the creditor's side does about a deadline (the case page's "À faire"). For a
    deadline of ours: the act that meets it. For the other side's: what we do once it has run
    out unmet (e.g. the opposition period → ask for the certificat de non-opposition).
    `documents` are template keys to render for it; `event` records it done."""

    label: str
    documents: tuple[str, ...] = ()
    event: str | None = None


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """One time limit as the law states it. Several rules may share a key (court variants,
    dated versions, conditional periods); the first that applies wins."""

    key: str
    label: str
    starts: tuple[Start, ...]
    period: Period
    counting: Counting
    distance_extension: bool
    actor: str
    satisfied_by: tuple[str, ...]
    moot_by: tuple[str, ...]
    consequence: str
    basis: str
    source: str
    text: str
    notes: tuple[str, ...] = ()
    courts: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    validity_event: str | None = None
    pick: Literal["first", "latest"] = "first"
    period_attribute: str | None = None
    waiting: tuple[tuple[str, str], ...] = ()  # (event, warning) when recorded but not started
    next_step: NextStep | None = None
    ident: str = ""  # "procedure/deadlines[i]", unique, for caching and messages


@dataclass(frozen=True, slots=True)
class DocumentStep:
    template: str
    step: str
    court: str | None = None


@dataclass(frozen=True, slots=True)
class CostItem:
    """One cost of a procedure; its amount is the dated `parameter` of parameters.toml, if any
    sourced value exists ("non renseigné" otherwise)."""

    label: str
    basis: str
    parameter: str | None = None
    courts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    """What the procedure yields (its title) and costs, for the side-by-side comparison."""

    title: str
    title_basis: str
    title_source: str
    duration_parameter: str | None = None
    costs: tuple[CostItem, ...] = ()


@dataclass(frozen=True)
class Procedure:
    key: str
    title: str
    legal_basis: str
    courts: tuple[str, ...]
    default_court: str | None
    summary: str
    verified_on: date | None
    events: Mapping[str, EventDef]
    deadlines: tuple[DeadlineRule, ...]  # in dependency order
    documents: tuple[DocumentStep, ...]
    eligibility: Mapping[str, Any]
    origin: str
    comparison: Comparison | None = None

    def event(self, key: str) -> EventDef:
        try:
            return self.events[key]
        except KeyError:
            raise InputError(
                f"unknown event {key!r} for procedure {self.key} (known: {', '.join(self.events)})"
            ) from None

    @property
    def deadline_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(rule.key for rule in self.deadlines))


def _req(entry: Mapping[str, Any], name: str, origin: str, where: str) -> Any:
    value = entry.get(name)
    if value is None or value == "":
        raise DefinitionError(origin, f"{where}.{name}", "is required")
    return value


def _dated(value: object, origin: str, where: str) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value if isinstance(value, date) else str(value), where)
    except InputError as error:
        raise DefinitionError(origin, where, str(error)) from None


def _conditions(raw: object, origin: str, where: str) -> tuple[tuple[str, AttributeValue], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise DefinitionError(origin, where, "must be a table of attribute = value")
    return tuple(sorted((str(k), v) for k, v in raw.items()))


def parse_procedure(data: Mapping[str, Any], origin: str) -> Procedure:
    """Validate one parsed procedure file; every problem names `origin` and the key."""
    key = _req(data, "key", origin, "procedure")
    events: dict[str, EventDef] = {}
    for index, entry in enumerate(data.get("events", [])):
        where = f"events[{index}]"
        event_key = _req(entry, "key", origin, where)
        if event_key in events:
            raise DefinitionError(origin, event_key, "event defined twice")
        attributes: dict[str, AttributeDef] = {}
        for attr in entry.get("attributes", []):
            attr_key = _req(attr, "key", origin, f"{event_key}.attributes")
            attr_type = attr.get("type", "text")
            if attr_type not in ATTRIBUTE_TYPES:
                raise DefinitionError(
                    origin, f"{event_key}.{attr_key}", f"unknown type {attr_type!r}"
                )
            choices = tuple(str(c) for c in attr.get("choices", []))
            if attr_type == "choice" and not choices:
                raise DefinitionError(origin, f"{event_key}.{attr_key}", "a choice needs `choices`")
            attributes[attr_key] = AttributeDef(
                attr_key, attr_type, str(attr.get("label", attr_key)), choices
            )
        events[event_key] = EventDef(
            key=event_key,
            label=str(_req(entry, "label", origin, event_key)),
            after=tuple(entry.get("after", [])),
            attributes=attributes,
        )
    for event in events.values():
        for other in event.after:
            if other not in events:
                raise DefinitionError(origin, f"{event.key}.after", f"unknown event {other!r}")

    rules: list[DeadlineRule] = []
    for index, entry in enumerate(data.get("deadlines", [])):
        where = f"deadlines[{index}]"
        dkey = str(_req(entry, "key", origin, where))
        where = f"{dkey} ({where})"
        for required in ("label", "basis", "source", "actor", "consequence", "period", "counting"):
            _req(entry, required, origin, where)
        source = str(entry["source"])
        if not source.startswith("https://"):
            raise DefinitionError(origin, f"{where}.source", "must be an https:// URL (Légifrance)")
        counting = entry["counting"]
        if counting not in COUNTINGS:
            raise DefinitionError(
                origin, f"{where}.counting", f"must be one of {', '.join(COUNTINGS)}"
            )
        try:
            period = Period.parse(str(entry["period"]))
        except InputError as error:
            raise DefinitionError(origin, f"{where}.period", str(error)) from None
        if (counting == "backward") != period.backward:
            raise DefinitionError(
                origin,
                f"{where}.period",
                "a backward counting needs a '-N days' period and vice versa",
            )
        if counting == "civil" and (period.days or period.months):
            raise DefinitionError(
                origin, f"{where}.period", "a limitation period is counted in years"
            )
        if entry["actor"] not in ACTORS:
            raise DefinitionError(origin, f"{where}.actor", f"must be one of {', '.join(ACTORS)}")
        starts: list[Start] = []
        raw_starts = entry.get("start")
        if not isinstance(raw_starts, list) or not raw_starts:
            raise DefinitionError(origin, f"{where}.start", "at least one start is required")
        for alt in raw_starts:
            start = Start(
                event=alt.get("event"),
                deadline=alt.get("deadline"),
                when=_conditions(alt.get("when"), origin, f"{where}.start.when"),
                when_event=tuple(
                    sorted(
                        (str(ev), _conditions(cond, origin, f"{where}.start.when_event"))
                        for ev, cond in (alt.get("when_event") or {}).items()
                    )
                ),
                uncertain=bool(alt.get("uncertain", False)),
                note=str(alt.get("note", "")),
            )
            if (start.event is None) == (start.deadline is None):
                raise DefinitionError(
                    origin, f"{where}.start", "each start names an event or a deadline"
                )
            if start.event is not None:
                if start.event not in events:
                    raise DefinitionError(
                        origin, f"{where}.start", f"unknown event {start.event!r}"
                    )
                _check_conditions(events[start.event], start.when, origin, where)
            for ev, cond in start.when_event:
                if ev not in events:
                    raise DefinitionError(
                        origin, f"{where}.start.when_event", f"unknown event {ev!r}"
                    )
                _check_conditions(events[ev], cond, origin, where)
            if start.uncertain and not start.note:
                raise DefinitionError(
                    origin, f"{where}.start", "an uncertain start needs a `note` saying why"
                )
            starts.append(start)
        for field_name in ("satisfied_by", "moot_by"):
            for ev in entry.get(field_name, []):
                if ev not in events:
                    raise DefinitionError(origin, f"{where}.{field_name}", f"unknown event {ev!r}")
        validity_event = entry.get("validity_event")
        if validity_event is not None and validity_event not in events:
            raise DefinitionError(
                origin, f"{where}.validity_event", f"unknown event {validity_event!r}"
            )
        courts = tuple(entry.get("courts", []))
        for court in courts:
            if court not in data.get("courts", []):
                raise DefinitionError(
                    origin,
                    f"{where}.courts",
                    f"court {court!r} is not one of the procedure's courts",
                )
        period_attribute = entry.get("period_attribute")
        if period_attribute is not None:
            for start in starts:
                attrs = events[start.event].attributes if start.event else None
                if (
                    not attrs
                    or period_attribute not in attrs
                    or attrs[period_attribute].type != "period"
                ):
                    raise DefinitionError(
                        origin,
                        f"{where}.period_attribute",
                        f"{period_attribute!r} is not a period attribute of the start event",
                    )
        waiting: list[tuple[str, str]] = []
        for item in entry.get("waiting", []):
            if item.get("event") not in events or not item.get("note"):
                raise DefinitionError(
                    origin, f"{where}.waiting", "each entry names a known event and a note"
                )
            waiting.append((str(item["event"]), str(item["note"])))
        next_step = _next_step(entry.get("next_step"), events, origin, where)
        rule = DeadlineRule(
            key=dkey,
            label=str(entry["label"]),
            starts=tuple(starts),
            period=period,
            counting=counting,
            distance_extension=bool(entry.get("distance_extension", False)),
            actor=str(entry["actor"]),
            satisfied_by=tuple(entry.get("satisfied_by", [])),
            moot_by=tuple(entry.get("moot_by", [])),
            consequence=str(entry["consequence"]),
            basis=str(entry["basis"]),
            source=source,
            text=str(entry.get("text", "")),
            notes=tuple(str(n) for n in entry.get("notes", [])),
            courts=courts,
            valid_from=_dated(entry.get("valid_from"), origin, f"{where}.valid_from"),
            valid_until=_dated(entry.get("valid_until"), origin, f"{where}.valid_until"),
            validity_event=validity_event,
            pick="latest" if entry.get("pick") == "latest" else "first",
            period_attribute=period_attribute,
            waiting=tuple(waiting),
            next_step=next_step,
            ident=f"{key}/{index}",
        )
        if rule.valid_from and rule.valid_until and rule.valid_from > rule.valid_until:
            raise DefinitionError(origin, f"{where}.valid_until", "is before valid_from")
        rules.append(rule)

    _check_overlaps(rules, origin)
    ordered = _dependency_order(rules, origin)
    documents = tuple(
        DocumentStep(
            str(_req(d, "template", origin, "documents")), str(d.get("step", "")), d.get("court")
        )
        for d in data.get("documents", [])
    )
    return Procedure(
        key=str(key),
        title=str(_req(data, "title", origin, key)),
        legal_basis=str(data.get("legal_basis", "")),
        courts=tuple(data.get("courts", [])),
        default_court=data.get("default_court"),
        summary=str(data.get("summary", "")),
        verified_on=_dated(data.get("verified_on"), origin, "verified_on"),
        events=events,
        deadlines=tuple(ordered),
        documents=documents,
        eligibility=dict(data.get("eligibility", {})),
        origin=origin,
        comparison=_comparison(data.get("comparison"), origin),
    )


def _comparison(raw: object, origin: str) -> Comparison | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise DefinitionError(origin, "comparison", "must be a table")
    for name in ("title", "title_basis", "title_source"):
        _req(raw, name, origin, "comparison")
    if not str(raw["title_source"]).startswith("https://"):
        raise DefinitionError(origin, "comparison.title_source", "must be an https:// URL")
    costs: list[CostItem] = []
    for index, item in enumerate(raw.get("costs", [])):
        where = f"comparison.costs[{index}]"
        if not isinstance(item, Mapping):
            raise DefinitionError(origin, where, "must be a table")
        costs.append(
            CostItem(
                label=str(_req(item, "label", origin, where)),
                basis=str(_req(item, "basis", origin, where)),
                parameter=item.get("parameter"),
                courts=tuple(str(c) for c in item.get("courts", [])),
            )
        )
    return Comparison(
        title=str(raw["title"]),
        title_basis=str(raw["title_basis"]),
        title_source=str(raw["title_source"]),
        duration_parameter=raw.get("duration_parameter"),
        costs=tuple(costs),
    )


def _next_step(
    raw: object, events: Mapping[str, EventDef], origin: str, where: str
) -> NextStep | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not str(raw.get("label", "")).strip():
        raise DefinitionError(origin, f"{where}.next_step", "must be a table with a `label`")
    event = raw.get("event")
    if event is not None and event not in events:
        raise DefinitionError(origin, f"{where}.next_step.event", f"unknown event {event!r}")
    documents = raw.get("documents", [])
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        raise DefinitionError(origin, f"{where}.next_step.documents", "must be template keys")
    return NextStep(str(raw["label"]), tuple(documents), event)


def _check_conditions(
    event: EventDef, conditions: tuple[tuple[str, AttributeValue], ...], origin: str, where: str
) -> None:
    for attr, value in conditions:
        if not event.attributes or attr not in event.attributes:
            raise DefinitionError(
                origin, f"{where}.start.when", f"event {event.key!r} has no attribute {attr!r}"
            )
        definition = event.attributes[attr]
        if definition.type == "choice" and value not in definition.choices:
            raise DefinitionError(
                origin,
                f"{where}.start.when",
                f"{attr}={value!r} is not one of {definition.choices}",
            )


def _check_overlaps(rules: list[DeadlineRule], origin: str) -> None:
    """Two versions of one deadline with the same conditions must not overlap in time."""
    for i, first in enumerate(rules):
        for second in rules[i + 1 :]:
            if first.key != second.key:
                continue
            if (
                set(first.courts or ["*"]).isdisjoint(second.courts or ["*"])
                and first.courts
                and second.courts
            ):
                continue
            if {_signature(s) for s in first.starts}.isdisjoint(
                {_signature(s) for s in second.starts}
            ):
                continue
            lo1, hi1 = first.valid_from or date.min, first.valid_until or date.max
            lo2, hi2 = second.valid_from or date.min, second.valid_until or date.max
            if lo1 <= hi2 and lo2 <= hi1:
                raise DefinitionError(
                    origin,
                    first.key,
                    "two versions apply to the same court, conditions and dates (overlapping validity)",
                )


def _signature(start: Start) -> tuple[object, ...]:
    return (start.event, start.deadline, start.when, start.when_event, start.uncertain)


def _dependency_order(rules: list[DeadlineRule], origin: str) -> list[DeadlineRule]:
    """Order rules so that a deadline starting from another one comes after it; reject cycles."""
    keys = {rule.key for rule in rules}
    depends: dict[str, set[str]] = {k: set() for k in keys}
    for rule in rules:
        for start in rule.starts:
            if start.deadline is not None:
                if start.deadline not in keys:
                    raise DefinitionError(
                        origin, f"{rule.key}.start", f"unknown deadline {start.deadline!r}"
                    )
                depends[rule.key].add(start.deadline)
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(key: str, path: tuple[str, ...]) -> None:
        if state.get(key) == 2:
            return
        if state.get(key) == 1:
            raise DefinitionError(
                origin, key, f"cycle in deadline starts: {' -> '.join((*path, key))}"
            )
        state[key] = 1
        for dep in sorted(depends[key]):
            visit(dep, (*path, key))
        state[key] = 2
        order.append(key)

    for key in dict.fromkeys(rule.key for rule in rules):
        visit(key, ())
    rank = {key: i for i, key in enumerate(order)}
    return sorted(rules, key=lambda rule: rank[rule.key])


def load_procedure(path: Path) -> Procedure:
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise DefinitionError(str(path), "(file)", f"is not valid TOML: {error}") from None
    procedure = parse_procedure(data, str(path))
    if procedure.key != path.stem:
        raise DefinitionError(
            str(path), "key", f"{procedure.key!r} must match the file name {path.stem!r}"
        )
    return procedure


def load_procedures(directory: Path) -> dict[str, Procedure]:
    """Every procedure file of `directory` (parameters.toml excepted), keyed by procedure."""
    procedures: dict[str, Procedure] = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name == "parameters.toml":
            continue
        procedure = load_procedure(path)
        procedures[procedure.key] = procedure
    return procedures
