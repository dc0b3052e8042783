"""Events + procedure definition + territory → deadlines, each with its reasons.

`Engine.compute` is a pure function of its arguments: the same facts always give the same
calendar. Results of the date arithmetic are memoised (they depend only on the rule's counting,
the period, the start date, the territory and the extension), which is what makes a portfolio
of 100 000 cases cheap to recompute.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from operator import attrgetter
from typing import Any

import msgspec

from casefile.errors import InputError
from casefile.law.parameters import Parameter
from casefile.law.parties import court_label
from casefile.law.periods import (
    Period,
    add_months,
    add_period,
    backward_due,
    days_in_month,
    parse_date,
    same_date_years_later,
)
from casefile.law.plan_code import generated_source
from casefile.law.procedures import AttributeValue, DeadlineRule, Procedure, Start
from casefile.law.territories import Extension, Territories, Territory
from casefile.law.wording import (
    amount_fr,
    date_fr,
    dates_fr_in,
    day_fr,
    iso_date,
    labelled_list,
    period_fr,
    quoted,
)

MIN_YEAR, MAX_YEAR = 1950, 2199
# Whole schedules kept by `Engine.compute` (cleared when full; a case is ~1 KB).
SCHEDULE_MEMO_SIZE = 100_000
# Expiries and deadlines kept by the compiled plans, all plans together (dropped when full).
PLAN_MEMO_SIZE = 1_000_000
# Plans' functions specialised by the keys of the recorded events (`plan_code`): texts
# compiled per engine, and functions bound to plans, all plans together. Beyond, a case runs
# its plan's general function.
SPECIALISED_TEXTS = 256
SPECIALISED_RUNS = 4_096
# A set of keys is specialised for a plan's rules at its `SPECIALISE_AFTER`-th case; the cases
# before run the plan's step loop (no compilation: a rare set of events costs a few step loops,
# never a text compiled for it).
SPECIALISE_AFTER = 8
_NO_ATTRIBUTES: Mapping[str, AttributeValue] = {}
STATUSES = ("pending", "done", "missed", "moot", "uncertain")


# What identifies an event in the schedule memo, with its key: its date, or a tuple of the
# date and its typed attributes (a string for a value of another type).
_Identity = date | tuple[object, ...] | str
_PLAIN = (str, int)  # attribute value types a tuple keeps apart by `==` alone (with bool tagged)


class RecordedEvent(msgspec.Struct, frozen=True):
    """A dated fact of the case, with its attributes (a_personne = true…).

    Equal when key, date and attributes are equal, each attribute with its type (true is not
    1); hashable, so that a case's events can key the engine's memo of schedules. A frozen
    Struct (its C `__init__` is a quarter of a frozen dataclass's, paid per event read from the
    store), tracked by the collector as usual: its attributes are a mapping the caller gives.
    `_identity` is a cache, left out of equality, hash and repr (as the dataclass it was).
    """

    key: str
    date: date
    attributes: Mapping[str, AttributeValue] = msgspec.field(default_factory=dict)
    _identity: _Identity | None = None

    def _ident(self) -> _Identity:
        """What tells the event apart from another with the same key, kept: without attributes
        its date (a date keeps its hash); with some, one flat tuple of the date then, for each
        attribute by name, its name, whether the value is a bool, and the value. The flag keeps
        `True` apart from `1` (equal, with the same hash); a str never equals an int. Only
        atoms inside: the collector stops tracking the tuple (and the memo keys holding it) at
        its first pass, as it never tracked the string this used to be, which cost about eight
        times as much to build (a repr of the attributes). A value of any other type (never
        from `parse_event`) keeps that string: the key, the date, the attributes' repr. A date,
        a tuple and a string never equal one another."""
        identity = self._identity
        if identity is None:
            attributes = self.attributes
            if not attributes:
                identity = self.date
            elif len(attributes) == 1:
                ((name, value),) = attributes.items()
                kind = type(value)
                if kind is bool or kind in _PLAIN:
                    identity = (self.date, name, kind is bool, value)
                else:
                    identity = self._written()
            else:
                flat: list[object] = [self.date]
                for name, value in sorted(attributes.items()):
                    kind = type(value)
                    if kind is not bool and kind not in _PLAIN:
                        flat = []
                        break
                    flat += (name, kind is bool, value)
                identity = tuple(flat) if flat else self._written()
            _set_identity(self, identity)
        return identity

    def _written(self) -> str:
        """The identity of an event with an attribute value of an unexpected type: the key's
        repr (it ends at its closing quote), the date (ten characters), the sorted attributes'
        repr (each value written with its type)."""
        items = tuple(sorted(self.attributes.items()))
        return f"{self.key!r}{self.date.isoformat()}{items!r}"

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, RecordedEvent):
            return NotImplemented
        return self.key == other.key and self._ident() == other._ident()

    def __ne__(self, other: object) -> bool:
        # Written out: the Struct's own `__ne__` would compare the `_identity` cache too.
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.key, self._ident()))

    def __repr__(self) -> str:
        return (
            f"{type(self).__qualname__}(key={self.key!r}, date={self.date!r}, "
            f"attributes={self.attributes!r})"
        )


# The field's own slot setter (a frozen Struct refuses `setattr` and `object.__setattr__`).
_set_identity: Callable[[RecordedEvent, object], None] = RecordedEvent.__dict__["_identity"].__set__


class CaseFacts(msgspec.Struct, frozen=True, gc=False):
    """What the computation needs to know about the case besides its events. A frozen Struct
    (built per case read from the store: its C `__init__` costs a tenth of the dataclass's
    with keywords), outside the collector: strings and a Decimal, no cycle can pass through
    it."""

    court: str | None = None
    court_department: str = "75"
    debtor_residence: str | None = None  # default: the court's own department
    claim_total: Decimal | None = None


NO_FACTS = CaseFacts()  # the facts of a case that states none (immutable, shared)


# The engine's products (start points, deadlines, schedules, expiries) are msgspec Structs,
# frozen and outside the garbage collector (`gc=False`: CPython never tracks them, and a tuple
# or a dict holding only them and atoms is untracked at its first collection). A first pass
# builds some 150 000 of them, which the memos keep: as tracked objects they were a
# collector's visit each, twice (young then middle generation), and 10-20 % of the pass; a
# Struct's `__init__` (C, positional) also costs a quarter of a dataclass built through a
# mutable twin. An object the collector does not track must never be part of a reference
# cycle (it would never be freed): each class says why it cannot be.


class StartPoint(msgspec.Struct, frozen=True, gc=False):
    """Where a deadline runs from. Outside the collector: two strings and a date, no container,
    so no reference cycle can pass through it."""

    kind: str  # "event" or "deadline"
    key: str
    date: date


class Deadline(msgspec.Struct, frozen=True, gc=False):
    """A computed deadline and its trace: everything needed to check it by hand.

    Outside the collector: strings, dates, a tuple of strings, its (frozen) start point,
    period and extension, and the bytes of `json_bytes`; none of them can refer back to a
    deadline, so no reference cycle can pass through it. Equality, hash and repr are a frozen
    dataclass's: every field but `_json`, the cache of `json_bytes()` (a deadline whose bytes
    were asked for equals the same one whose bytes were not)."""

    key: str
    label: str
    due: date
    start: StartPoint
    period: Period
    extension: Extension | None
    unadjusted: date
    moved_because: str | None
    actor: str
    basis: str
    source: str
    status: str
    consequence: str
    counting: str
    notes: tuple[str, ...] = ()
    _json: bytes | None = None

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not Deadline:
            return NotImplemented
        return _compared(self) == _compared(other)

    def __ne__(self, other: object) -> bool:
        # Written out: the Struct's own `__ne__` would compare `_json` too.
        if self is other:
            return False
        if type(other) is not Deadline:
            return NotImplemented
        return _compared(self) != _compared(other)

    def __hash__(self) -> int:
        return hash(_compared(self))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}" for name, value in zip(_COMPARED, _compared(self), strict=True)
        )
        return f"{type(self).__qualname__}({shown})"

    def json_bytes(self) -> bytes:
        """`as_dict()` encoded once per (immutable, memoised) deadline: batch output reuses it."""
        if self._json is None:
            encoded = msgspec.json.encode(self.as_dict())
            _set_json(self, encoded)
            return encoded
        return self._json

    def as_dict(self) -> dict[str, Any]:
        """The contract shape of DESIGN.md §4 (plus `consequence`, `counting`, `notes`)."""
        return {
            "key": self.key,
            "label": self.label,
            "due": self.due.isoformat(),
            "start": {
                "kind": self.start.kind,
                "key": self.start.key,
                "date": self.start.date.isoformat(),
            },
            "period": str(self.period),
            "extension": f"{self.extension.months} month{'s' if self.extension.months > 1 else ''}"
            if self.extension
            else None,
            "unadjusted": self.unadjusted.isoformat(),
            "moved_because": self.moved_because,
            "actor": self.actor,
            "basis": self.basis,
            "source": self.source,
            "status": self.status,
            "consequence": self.consequence,
            "counting": self.counting,
            "notes": list(self.notes),
        }

    def explanation(self, start_label: str | None = None) -> list[str]:
        """The trace in French, one line a step, as the .ics DESCRIPTION shows it: the start's
        label when the caller knows it (its key otherwise), dates and periods in French."""
        lines = [
            f"Point de départ : {start_label or self.start.key} du {date_fr(self.start.date)}"
            + (" (expiration d'un autre délai)" if self.start.kind == "deadline" else ""),
            f"Délai : {period_fr(self.period)} ({_COUNTING_LABELS[self.counting]})",
        ]
        if self.extension:
            lines.append(
                f"Allongement pour distance : {self.extension.months} mois ({self.extension.basis}, {self.extension.reason})"
            )
        lines.append(f"Date brute : {day_fr(self.unadjusted)}")
        if self.moved_because:
            lines.append(f"Report : {dates_fr_in(self.moved_because)}")
        lines.append(f"Échéance : {day_fr(self.due)}")
        lines.append(f"Fondement : {self.basis} — {self.source}")
        lines.extend(f"Note : {dates_fr_in(note)}" for note in self.notes)
        return lines


# What a deadline's equality, hash and repr read: every field but the `_json` cache.
_COMPARED = Deadline.__struct_fields__[:-1]
_compared: Callable[[Deadline], tuple[Any, ...]] = attrgetter(*_COMPARED)
# The cache's own slot setter: a frozen Struct refuses `setattr` (and `object.__setattr__`).
_set_json: Callable[[Deadline, bytes], None] = Deadline.__dict__["_json"].__set__


_ROLLED = ("cpc", "backward")  # countings whose expiry depends on the territory's days

_COUNTING_LABELS = {
    "cpc": "CPC art. 641, report art. 642",
    "civil": "prescription, C. civ. art. 2228-2229, sans report",
    "backward": "délai à rebours, sans report",
    "calendar": "terme calendaire, sans report",
}


class Schedule(msgspec.Struct, frozen=True, gc=False):
    """A case's deadlines by due date then key, and its warnings. Outside the collector: two
    strings and two tuples, of deadlines and of strings, none of which can refer back to a
    schedule, so no reference cycle can pass through it."""

    procedure: str
    territory: str
    deadlines: tuple[Deadline, ...]
    warnings: tuple[str, ...]

    def json_bytes(self) -> bytes:
        """The contract JSON of the whole schedule, built from each deadline's cached bytes."""
        encode = msgspec.json.encode
        return b"".join(
            (
                b'{"procedure":',
                encode(self.procedure),
                b',"territory":',
                encode(self.territory),
                b',"deadlines":[',
                b",".join([d.json_bytes() for d in self.deadlines]),
                b'],"warnings":',
                encode(self.warnings),
                b"}",
            )
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure,
            "territory": self.territory,
            "deadlines": [d.as_dict() for d in self.deadlines],
            "warnings": list(self.warnings),
        }

    def get(self, key: str) -> Deadline | None:
        for deadline in self.deadlines:
            if deadline.key == key:
                return deadline
        return None


# Positional constructors, in the field order (a Struct's own `__init__`, in C).
_new_deadline: Callable[..., Deadline] = Deadline
_new_schedule: Callable[..., Schedule] = Schedule
_new_point: Callable[..., StartPoint] = StartPoint


def _with_status(deadline: Deadline, status: str, extra: Iterable[str] = ()) -> Deadline:
    """`replace(deadline, status=status, notes=notes + extra, _json=None)`, cheaper."""
    d = deadline
    return _new_deadline(
        d.key,
        d.label,
        d.due,
        d.start,
        d.period,
        d.extension,
        d.unadjusted,
        d.moved_because,
        d.actor,
        d.basis,
        d.source,
        status,
        d.consequence,
        d.counting,
        (*d.notes, *extra),
        None,
    )


class _Expiry(msgspec.Struct, frozen=True, gc=False):
    """The last day of a period, unadjusted and as it falls due, with why it moved and its
    warnings. Outside the collector: dates, strings and a tuple of strings (no cycle)."""

    unadjusted: date
    due: date
    moved_because: str | None
    warnings: tuple[str, ...]


_new_expiry: Callable[..., _Expiry] = _Expiry


@dataclass(slots=True, eq=False)
class _Step:
    """One deadline rule compiled for a plan, with its memos (expiries of the rule's own period
    by start date; built deadlines)."""

    rule: DeadlineRule
    applied: Extension | None  # the plan's distance extension if the rule takes one
    total: Period  # the rule's period lengthened by that extension
    only_event: str | None  # the event of a single start with no condition
    validity: bool
    needs_due: bool  # a notice or a cap event reads the due date before the status
    start_events: frozenset[str]  # the events of the starts that name one
    event_starts_only: bool  # no start is another deadline's expiry
    # Shared by every plan with the same rule, territory and extension:
    expiries: dict[date, _Expiry]
    # Shared by every plan with the same rule and extension (keyed by the expiry's values, its
    # warnings included):
    deadlines: dict[tuple[Any, ...], Deadline]


_Run = Callable[[Mapping[str, RecordedEvent], date | None], tuple[dict[str, Deadline], list[str]]]


@dataclass(slots=True, eq=False, weakref_slot=True)
class _Plan:
    """A procedure's rules compiled once per (procedure, court, court department, residence):
    the court's rules only, the territory and distance extension resolved."""

    procedure: Procedure
    court_department: str
    territory: Territory
    extension: Extension | None
    soft: bool
    steps: tuple[_Step, ...]
    # The plan as one generated function (`casefile.law.plan_code`): the events and today in,
    # the deadlines by key and the warnings out; None: `_compute` reads the steps itself.
    # Compiled when first needed (`Engine._general_run`: `compiled` then true): the cases run
    # the plan's functions specialised by their keys (`runs`).
    run: _Run | None = None
    compiled: bool = False
    known: Any = None  # the procedure's event keys (a keys view)
    procedure_key: str = ""
    territory_key: str = ""
    # The plan's number in the engine (`Engine._plan_ids`): what keys its schedules in the memo
    # shared by every court and place with this plan.
    memo_id: int = 0
    # The plan's functions specialised by the keys of the recorded events, by those keys as
    # the mapping gives them (one key alone, or a tuple), filled by `Engine._specialised`.
    runs: dict[Any, _Run] = field(default_factory=dict)
    signature: tuple[str, ...] = ()  # the rules' identifiers: what keys its compiled texts

    def __post_init__(self) -> None:
        self.signature = tuple(step.rule.ident for step in self.steps)
        self.known = self.procedure.events.keys()
        self.procedure_key = self.procedure.key
        self.territory_key = self.territory.key


class Engine:
    """The procedure engine: definitions and territories in, schedules out."""

    def __init__(
        self,
        procedures: Mapping[str, Procedure],
        territories: Territories,
        parameters: Mapping[str, Parameter] | None = None,
    ) -> None:
        self.procedures = procedures
        self.territories = territories
        self.parameters = parameters or {}
        self._expiries: dict[tuple[Any, ...], _Expiry] = {}
        self._deadlines: dict[tuple[Any, ...], tuple[Deadline, tuple[str, ...]]] = {}
        self._dates: dict[str, date] = {}
        # Start points of built deadlines, shared (immutable): (event, deadline, date) → point.
        self._points: dict[tuple[str | None, str | None, date], StartPoint] = {}
        self._places: dict[tuple[object, object], tuple[str, Territory, Extension | None]] = {}
        self._soft: dict[str, bool] = {}
        self._schedules: dict[tuple[Any, ...], Schedule] = {}
        # A number per plan's shared key, never reused (kept by `clear_memos`: small).
        self._plan_ids: dict[tuple[Any, ...], int] = {}
        self.schedule_memo_size = SCHEDULE_MEMO_SIZE
        # Plans by (procedure, court, court department, residence); their number
        # (`_Plan.memo_id`) is what the schedule memo's keys start with.
        self._plans: dict[tuple[Any, ...], _Plan] = {}
        self._shared_plans: dict[tuple[Any, ...], _Plan] = {}
        self._overseas_courts = territories.distance.overseas_courts
        self._step_memos: dict[tuple[Any, ...], dict[Any, Any]] = {}
        # Entries of the plans' memos, all plans together (one cell, shared with the generated
        # functions' fillers).
        self._plan_count = [0]
        # Generated plan functions by the rules they read (`make`, the constants shared by every
        # plan with those rules, the roles of the others); kept by `clear_memos`: they depend on
        # the definitions only. Also the texts specialised by the recorded keys, by (rules,
        # keys), at most `SPECIALISED_TEXTS` of them; and the count of specialised functions
        # bound to the plans (`SPECIALISED_RUNS` at most).
        self._plan_code: dict[tuple[Any, ...], Any] = {}
        self._specialised_texts = 0
        self._specialised_runs = 0
        # Cases met per (rules, keys) not yet specialised (emptied when 10 000 are counted).
        self._unspecialised: dict[tuple[Any, ...], int] = {}
        self.specialise_after = SPECIALISE_AFTER

    def clear_memos(self) -> None:
        """Forget every memoised result (the next computations run as on a fresh engine,
        the territories' holiday and working-day tables apart)."""
        self._expiries.clear()
        self._deadlines.clear()
        self._schedules.clear()
        self._points.clear()
        self._plans.clear()
        self._shared_plans.clear()
        self._step_memos.clear()
        self._plan_count[0] = 0
        self._specialised_runs = 0

    # -- input validation ---------------------------------------------------------------------

    def procedure(self, key: object) -> Procedure:
        if not isinstance(key, str) or key not in self.procedures:
            raise InputError(
                f"procédure inconnue {quoted(key)} (connues : {self.known_procedures()})"
            )
        return self.procedures[key]

    def known_procedures(self) -> str:
        """« Injonction de payer » (injonction_de_payer), …: the choices of a refused key."""
        return labelled_list((self.procedures[key].title, key) for key in sorted(self.procedures))

    def parse_event(
        self, procedure: Procedure, key: str, raw_date: object, raw_attributes: Mapping[str, object]
    ) -> RecordedEvent:
        """Validate one event of `procedure`: known key, real date, known typed attributes."""
        definition = procedure.events.get(key) or procedure.event(key)
        day = self._dates.get(raw_date) if isinstance(raw_date, str) else None
        if day is None:
            where = definition.where
            day = parse_date(raw_date, where)
            if not MIN_YEAR <= day.year <= MAX_YEAR:
                raise InputError(
                    f"{where} : le {date_fr(day)} est hors des années {MIN_YEAR}–{MAX_YEAR}"
                )
            if isinstance(raw_date, str) and len(self._dates) < 200_000:
                self._dates[raw_date] = day
        if not raw_attributes:
            return RecordedEvent(key, day, _NO_ATTRIBUTES)
        attributes: dict[str, AttributeValue] = {}
        known = definition.attributes or {}
        where = definition.where
        for name, raw in raw_attributes.items():
            if name not in known:
                allowed = labelled_list((a.label, a.key) for a in known.values())
                raise InputError(
                    f"{where} : attribut inconnu {quoted(name)} (autorisés : {allowed})"
                )
            value = known[name].parse(raw, where)
            if known[name].type == "place":
                try:
                    value = self.territories.normalise_residence(value)
                except InputError:
                    raise InputError(
                        f"{where} : attribut {known[name].name} : reçu {quoted(raw)}, attendu un "
                        "code de département ou « étranger »"
                    ) from None
            attributes[name] = value
        return RecordedEvent(key, day, attributes)

    def check_order(self, procedure: Procedure, events: Mapping[str, RecordedEvent]) -> None:
        """An event cannot be dated before an event it follows (a signification before the
        ordonnance it serves)."""
        for event in events.values():
            for earlier in procedure.events[event.key].after:
                other = events.get(earlier)
                if other is not None and event.date < other.date:
                    raise InputError(
                        f"événement « {_label(procedure, event.key)} » ({date_fr(event.date)}) "
                        f"daté avant « {_label(procedure, earlier)} » ({date_fr(other.date)}), "
                        "qu'il suit"
                    )

    def _soft_order(self, procedure: Procedure) -> bool:
        """Whether any event of `procedure` declares a soft ordering (memoised per key)."""
        known = self._soft.get(procedure.key)
        if known is None:
            known = any(
                e.expected_before or e.expected_after or e.exclusive_with
                for e in procedure.events.values()
            )
            self._soft[procedure.key] = known
        return known

    # -- computation --------------------------------------------------------------------------

    def place(
        self, court_department: object, residence: object
    ) -> tuple[str, Territory, Extension | None]:
        """The court's normalised department, its territory and the distance extension of a
        party residing in `residence` (memoised: a portfolio has few distinct places)."""
        cache_key = (court_department, residence)
        cached = self._places.get(cache_key)
        if cached is not None:
            return cached
        department = self.territories.normalise_department(
            court_department, "département de la juridiction"
        )
        territory = self.territories.for_court(department)
        where = self.territories.normalise_residence(residence) if residence else department
        result = (department, territory, self.territories.extension(department, where))
        self._places[cache_key] = result
        return result

    def compute(
        self,
        procedure_key: str,
        events: Mapping[str, RecordedEvent] | Iterable[RecordedEvent],
        facts: CaseFacts = NO_FACTS,
        today: date | None = None,
    ) -> Schedule:
        """The case's deadlines. `today` (a parameter, never the clock) marks missed ones.

        The result depends on nothing else: it is memoised whole, keyed by the case's plan (its
        number: every court and place with the same plan shares it), the events (with their
        attributes' types), the claim total as written (its text appears in warnings) and
        `today`.
        """
        if type(events) is not dict and not isinstance(events, Mapping):
            events = {event.key: event for event in events}
        place = (procedure_key, facts.court, facts.court_department, facts.debtor_residence)
        plan = self._plans.get(place)
        if plan is None:  # the first case of its procedure, court and place (or a refused one)
            schedule = self._compute(procedure_key, events, facts, today)
            plan = self._plans.get(place)
            if plan is not None:
                self._keep(plan, events, facts, today, schedule)
            return schedule
        memo_id = plan.memo_id
        claim = facts.claim_total
        written = None if claim is None else str(claim)
        # One flat tuple of plain values (the collector soon stops tracking it): the plan's
        # number, the claim, today, the mapping's keys, then each event's identity (a date, or
        # a tuple with its typed attributes; paired with the event's own key if the mapping
        # files it under another). Their count fixes the split. `_memo_key` writes the same
        # for any number of events.
        size = len(events)
        if size == 2:  # the usual cases, without a list
            one, two = events.values()
            key_one, key_two = events
            first = one._identity or one._ident()
            if one.key is not key_one:
                first = (one.key, first)
            second = two._identity or two._ident()
            if two.key is not key_two:
                second = (two.key, second)
            memo_key: tuple[Any, ...] = (
                memo_id,
                written,
                today,
                key_one,
                key_two,
                first,
                second,
            )
        elif size == 1:
            (one,) = events.values()
            (key_one,) = events
            first = one._identity or one._ident()
            if one.key is not key_one:
                first = (one.key, first)
            memo_key = (memo_id, written, today, key_one, first)
        else:
            memo_key = _memo_key(memo_id, written, today, events)
        schedules = self._schedules
        try:
            cached = schedules.get(memo_key)
        except TypeError:  # an unhashable attribute value: computed (and refused) below
            return self._compute(procedure_key, events, facts, today)
        if cached is not None:
            return cached
        # The plan's function for these keys (its events all known); then the deadlines by
        # due date and key (`_schedule`, inlined).
        keys: Any = (key_one, key_two) if size == 2 else key_one if size == 1 else tuple(events)
        run = plan.runs.get(keys)
        if run is None:
            run = self._specialised(plan, keys)
        if run is not None:
            results, warnings = run(events, today)
            if claim is not None:
                warnings.extend(self._eligibility_warnings(plan.procedure, events, facts))
            count = len(results)
            if count < 2:
                deadlines = tuple(results.values())
            elif count == 2:
                early, late = results.values()
                if early.due > late.due or (early.due == late.due and early.key > late.key):
                    early, late = late, early
                deadlines = (early, late)
            elif count == 3:
                # An insertion sort by (due, key) in line: a quarter of `sorted`'s cost with a
                # key function for three (keys are distinct: no tie to keep stable).
                d1, d2, d3 = results.values()
                if d2.due < d1.due or (d2.due == d1.due and d2.key < d1.key):
                    d1, d2 = d2, d1
                if d3.due < d2.due or (d3.due == d2.due and d3.key < d2.key):
                    d2, d3 = d3, d2
                    if d2.due < d1.due or (d2.due == d1.due and d2.key < d1.key):
                        d1, d2 = d2, d1
                deadlines = (d1, d2, d3)
            else:
                deadlines = tuple(sorted(results.values(), key=_DUE_AND_KEY))
            schedule = _new_schedule(
                plan.procedure_key,
                plan.territory_key,
                deadlines,
                tuple(warnings) if warnings else (),
            )
        else:
            schedule = self._compute(procedure_key, events, facts, today, dispatch=False)
        if len(schedules) >= self.schedule_memo_size:
            schedules.clear()
        schedules[memo_key] = schedule
        return schedule

    def _keep(
        self,
        plan: _Plan,
        events: Mapping[str, RecordedEvent],
        facts: CaseFacts,
        today: date | None,
        schedule: Schedule,
    ) -> None:
        """`schedule` kept under `compute`'s key (unless an attribute value is unhashable)."""
        claim = facts.claim_total
        memo_key = _memo_key(plan.memo_id, None if claim is None else str(claim), today, events)
        try:
            hash(memo_key)
        except TypeError:
            return
        if len(self._schedules) >= self.schedule_memo_size:
            self._schedules.clear()
        self._schedules[memo_key] = schedule

    def _compute(
        self,
        procedure_key: str,
        events: Mapping[str, RecordedEvent],
        facts: CaseFacts,
        today: date | None,
        dispatch: bool = True,
    ) -> Schedule:
        """`compute_reference`'s reading of the rules, through the plan compiled for the case's
        procedure, court and place (same results, same messages, same order). `dispatch`
        false: `compute` found no function for the keys (`_specialised` counted the case)."""
        plan = self._plans.get(
            (procedure_key, facts.court, facts.court_department, facts.debtor_residence)
        )
        found = plan.procedure if plan is not None else self.procedures.get(procedure_key)
        procedure = found if found is not None else self.procedure(procedure_key)
        known = procedure.events
        if not events.keys() <= known.keys():
            for key in events:
                if key not in known:
                    procedure.event(key)
        self.check_order(procedure, events)
        if plan is None:
            plan = self._plan(procedure, facts)
        keys = next(iter(events)) if len(events) == 1 else tuple(events)
        run = plan.runs.get(keys)
        if run is None and dispatch:
            run = self._specialised(plan, keys)
        if run is not None:
            results, warnings = run(events, today)
        else:
            warnings = order_warnings(procedure, events) if plan.soft else []
            results = self._run_steps(plan, events, today, warnings)
        return self._schedule(plan, results, warnings, events, facts)

    def _schedule(
        self,
        plan: _Plan,
        results: dict[str, Deadline],
        warnings: list[str],
        events: Mapping[str, RecordedEvent],
        facts: CaseFacts,
    ) -> Schedule:
        """The schedule of a plan's deadlines: by due date then key, eligibility warnings last."""
        if facts.claim_total is not None:
            warnings.extend(self._eligibility_warnings(plan.procedure, events, facts))
        if len(results) < 2:
            deadlines = tuple(results.values())
        else:
            deadlines = tuple(sorted(results.values(), key=_DUE_AND_KEY))
        return _new_schedule(plan.procedure.key, plan.territory.key, deadlines, tuple(warnings))

    def _run_steps(
        self,
        plan: _Plan,
        events: Mapping[str, RecordedEvent],
        today: date | None,
        warnings: list[str],
    ) -> dict[str, Deadline]:
        """The plan's steps read one by one (what its generated function does, flags read)."""
        results: dict[str, Deadline] = {}
        voided_by: dict[str, Deadline] = {}
        apply = self._apply_step
        for step in plan.steps:
            rule = step.rule
            if rule.key in results:
                continue
            voider = voided_by.get(rule.key) if voided_by else None
            deadline = apply(step, plan, events, results, today, warnings if voider is None else [])
            if deadline is None:
                continue
            if voider is not None and deadline.status != "moot":
                deadline = _made_moot(rule.key, deadline, voider, warnings)
            if deadline.status == "missed":
                for key in rule.voids:
                    voided_by.setdefault(key, deadline)
            results[rule.key] = deadline
        return results

    def _plan(self, procedure: Procedure, facts: CaseFacts) -> _Plan:
        """Compile the rules of `procedure` for one court and place (errors as in
        `compute_reference`: the court, then the place)."""
        court = facts.court or procedure.default_court
        if procedure.courts and court not in procedure.courts:
            raise court_refused(procedure, court, facts.court_department)
        court_department, territory, extension = self.place(
            facts.court_department, facts.debtor_residence
        )
        facts_key = (procedure.key, facts.court, facts.court_department, facts.debtor_residence)
        # The department itself matters only to a court overseas (art. 644, and art. 647 through
        # `place`): elsewhere every court of the territory with the same extension shares a plan.
        seat = court_department if court_department in self._overseas_courts else None
        rules = [r for r in procedure.deadlines if not r.courts or court in r.courts]
        if not any(rule.distance_extension for rule in rules):
            # No rule of the court takes the extension: neither it nor the seat changes a
            # deadline (they are read only through a step's extension), so the plans of every
            # place of the territory are one.
            extension, seat = None, None
        shared_key = (procedure.key, court, territory.key, extension, seat)
        plan = self._shared_plans.get(shared_key)
        if plan is not None:
            self._plans[facts_key] = plan
            return plan
        steps = []
        for rule in procedure.deadlines:
            if rule.courts and court not in rule.courts:
                continue
            applied = extension if rule.distance_extension else None
            only = rule.starts[0] if len(rule.starts) == 1 else None
            plain = (
                only is not None
                and only.event is not None
                and not only.when
                and not only.when_event
                and only.not_before is None
            )
            # Expiries depend on the territory's days; built deadlines do not (their key holds
            # the expiry's values), so every territory shares them.
            total = rule.period.with_extra_months(applied.months if applied else 0)
            # Civil and calendar terms never roll: their expiries and deadlines are the same in
            # every territory.
            local = territory.key if rule.counting in _ROLLED else None
            # A backward expiry's note depends on whether the act is served (`is_served`).
            expiries_key = (
                rule.counting,
                total,
                local,
                rule.counting == "backward" and is_served(rule),
            )
            expiries = self._step_memos.get(expiries_key)
            if expiries is None:
                expiries = self._step_memos[expiries_key] = {}
            built = self._step_memos.get((rule.ident, applied))
            if built is None:
                built = self._step_memos[(rule.ident, applied)] = {}
            steps.append(
                _Step(
                    rule=rule,
                    applied=applied,
                    total=total,
                    only_event=only.event if plain and only is not None else None,
                    validity=bool(rule.valid_from or rule.valid_until),
                    needs_due=rule.notice_event is not None or rule.cap_event is not None,
                    start_events=frozenset(s.event for s in rule.starts if s.event is not None),
                    event_starts_only=all(s.event is not None for s in rule.starts),
                    expiries=expiries,
                    deadlines=built,
                )
            )
        memo_id = self._plan_ids.get(shared_key)
        if memo_id is None:
            memo_id = self._plan_ids[shared_key] = len(self._plan_ids)
        plan = _Plan(
            procedure=procedure,
            court_department=court_department,
            territory=territory,
            extension=extension,
            soft=self._soft_order(procedure),
            steps=tuple(steps),
            memo_id=memo_id,
        )
        if len(self._plans) >= 10_000:
            self._plans.clear()
            self._shared_plans.clear()
            self._specialised_runs = 0
        self._plans[facts_key] = plan
        self._shared_plans[shared_key] = plan
        return plan

    def _specialised(self, plan: _Plan, keys: Any) -> _Run | None:
        """The plan's function for cases whose events are filed under `keys` (one key, or a
        tuple in the mapping's order), kept in `plan.runs`: the text specialised by those keys
        (`plan_code.generated_source`), compiled once per engine and rules, bound to the plan's
        memos (the general function's: same keys). The general function when the bounds are
        reached. None (the case then goes through `_compute`: its step loop, or its refusal
        with the reference's message) when a key is not the procedure's, when these keys have
        met fewer than `specialise_after` cases of these rules and their text is not compiled
        yet, or when the plan has no generated function."""
        recorded = frozenset((keys,) if type(keys) is str else keys)
        if not recorded <= plan.known:
            return None
        if (plan.signature, recorded) not in self._plan_code:
            # Not compiled yet: the first cases of these keys run the step loop (None).
            counted = (plan.signature, recorded)
            met = self._unspecialised.get(counted, 0) + 1
            if met < self.specialise_after:
                if len(self._unspecialised) >= 10_000:
                    self._unspecialised.clear()
                self._unspecialised[counted] = met
                return None
            self._unspecialised.pop(counted, None)
        run: _Run | None = None
        if self._specialised_runs < SPECIALISED_RUNS:
            run = self._generated_run(plan, recorded)
        if run is None:
            run = self._general_run(plan)
        if run is not None and self._specialised_runs < SPECIALISED_RUNS:
            self._specialised_runs += 1
            plan.runs[keys] = run
        return run

    def _general_run(self, plan: _Plan) -> _Run | None:
        """The plan's general function (any events), compiled and bound on first use."""
        if not plan.compiled:
            plan.run = self._generated_run(plan)
            plan.compiled = True
        return plan.run

    def _generated_run(self, plan: _Plan, recorded: frozenset[str] | None = None) -> Any:
        """The plan's generated function, bound to its memos (None if it cannot be written,
        or, specialised by the `recorded` keys, if `SPECIALISED_TEXTS` are compiled already).
        The text depends only on the rules (the same for every court and place) and those
        keys."""
        signature: tuple[Any, ...] = plan.signature
        if recorded is not None:
            signature = (signature, recorded)
        compiled = self._plan_code.get(signature)
        if compiled is None:
            if recorded is not None:
                if self._specialised_texts >= SPECIALISED_TEXTS:
                    return None
                self._specialised_texts += 1
            compiled = self._plan_code[signature] = self._compile_plan(plan, recorded)
        if compiled is None:
            return None
        make, shared, roles = compiled
        # The function is kept by the plan, itself kept by the engine: it reaches both through
        # weak proxies, so that a dropped engine is freed at once, not left to the collector.
        engine: Any = weakref.proxy(self)
        weak_plan: Any = weakref.proxy(plan)
        constants: dict[str, object] = dict(shared)
        constants.update(
            apply=partial(Engine._apply_step, engine),
            plan=weak_plan,
            made_moot=_made_moot,
            with_status=_with_status,
            pick=partial(Engine._pick, engine),
            rejected=_rejected_warnings,
            missed=_missed_note,
            procedure=plan.procedure,
            check_order=partial(Engine.check_order, engine),
            order_warnings=order_warnings,
        )
        for step, role in zip(plan.steps, roles, strict=True):
            constants[role["step"]] = step
            if "extended" in role:
                constants[role["extended"]] = step.applied is not None
            if "fast" in role:  # a step with a fast path
                local = plan.territory.key if step.rule.counting in _ROLLED else None
                memo_key = ("fast", step.rule.ident, local, step.applied)
                fast = self._step_memos.get(memo_key)
                if fast is None:
                    fast = self._step_memos[memo_key] = {}
                constants[role["expiries"]] = step.expiries
                constants[role["expire"]] = _expirer(engine, step, plan.territory)
                constants[role["fast"]] = fast
                constants[role["fill"]] = _filler(engine, step, fast, self._points, plan.procedure)
        return make(constants)

    def _compile_plan(
        self, plan: _Plan, recorded: frozenset[str] | None = None
    ) -> tuple[Any, dict[str, object], tuple[dict[str, str], ...]] | None:
        """`make`, the shared constants and the roles of the plan's generated source."""
        event_keys: dict[str, None] = {}
        for step in plan.steps:
            rule = step.rule
            for start in rule.starts:
                names = [start.event, start.not_before, *(k for k, _ in start.when_event)]
                event_keys.update((k, None) for k in names if k is not None)
            for k in (rule.validity_event, rule.notice_event, *rule.moot_by, *rule.satisfied_by):
                if k is not None:
                    event_keys[k] = None
            event_keys.update((k, None) for k, _ in rule.waiting)
        source = generated_source(plan.procedure, plan.steps, list(event_keys), recorded)
        if source is None:
            return None
        namespace: dict[str, Any] = {}
        name = (
            plan.procedure.key if recorded is None else f"{plan.procedure.key} {sorted(recorded)}"
        )
        exec(compile(source.text, f"<plan {name}>", "exec"), namespace)
        make = namespace.pop("make")  # (no cycle between the function and its globals)
        return make, source.shared, source.roles

    def _apply_step(
        self,
        step: _Step,
        plan: _Plan,
        events: Mapping[str, RecordedEvent],
        results: Mapping[str, Deadline],
        today: date | None,
        warnings: list[str],
    ) -> Deadline | None:
        """`_apply` for a compiled step: the same decisions, with the step's own memos."""
        rule = step.rule
        extra: list[str] | None = None
        only = step.only_event
        if only is not None:
            event = events.get(only)
            if event is None:
                for event_key, note in rule.waiting:
                    if event_key in events:
                        warnings.append(f"{rule.key}: {note}")
                return None
            index, start_date = 0, event.date
        else:
            if step.event_starts_only and step.start_events.isdisjoint(events):
                for event_key, note in rule.waiting:  # no start event recorded at all
                    if event_key in events:
                        warnings.append(f"{rule.key}: {note}")
                return None
            procedure = plan.procedure
            found, rejected = _start_candidates(rule, events, results)
            for rejected_key, rejected_date, follows in rejected:
                warnings.append(
                    f"{rule.key}: « {_label(procedure, rejected_key)} » du "
                    f"{rejected_date.isoformat()} est antérieur à « {_label(procedure, follows)} » "
                    f"du {events[follows].date.isoformat()} : il ne fait pas courir ce délai"
                )
            if not found:
                for event_key, note in rule.waiting:
                    if event_key in events:
                        warnings.append(f"{rule.key}: {note}")
                return None
            if len(found) == 1 or rule.pick == "first":
                index, start_date = found[0]
            else:
                extra = []
                index, start_date = self._pick(
                    rule, found, plan.territory, plan.extension, warnings, extra, procedure
                )
        start = rule.starts[index]
        validity_unknown = False
        if step.validity:
            reference_event = events.get(rule.validity_event) if rule.validity_event else None
            reference = reference_event.date if reference_event else start_date
            validity_unknown = rule.validity_event is not None and reference_event is None
            if (rule.valid_from and reference < rule.valid_from) or (
                rule.valid_until and reference > rule.valid_until
            ):
                return None
        period = rule.period
        custom: object = None
        if rule.period_attribute and start.event:
            custom = events[start.event].attributes.get(rule.period_attribute)
            if isinstance(custom, str):
                period = Period.parse(custom)
        applied = step.applied
        art_647 = False
        if applied is not None and start.event is not None:
            served = events[start.event]
            if "lieu" in served.attributes:  # else `_article_647` keeps the extension
                entitled = applied
                applied = self._article_647(served, plan.court_department, applied)
                art_647 = applied is not entitled
        plain = custom is None and not art_647
        moot = False
        for key in rule.moot_by:
            if key in events:
                moot = True
                break
        act: RecordedEvent | None = None
        if not moot:
            for key in rule.satisfied_by:
                event = events.get(key)
                if event is not None and (act is None or event.date < act.date):
                    act = event
        result: _Expiry | None = None
        cap: date | None = None
        notice_unknown = False
        if act is not None or step.needs_due:
            result = self._step_expiry(step, plan, period, start_date, applied, plain)
            if rule.notice_event is not None:
                notice = events.get(rule.notice_event)
                if notice is not None and notice.date > result.due:
                    return None  # the limit could not be met: the next version applies
                notice_unknown = notice is None
            if rule.cap_event is not None and rule.cap_event in events:
                cap_day = events[rule.cap_event].date
                if result.unadjusted >= cap_day or result.due > cap_day:
                    cap = cap_day
                    if result.due > cap_day:
                        result = _Expiry(result.unadjusted, cap_day, None, result.warnings)
        if moot:
            status = "moot"
        elif act is not None and result is not None:
            status = "done" if act.date <= result.due else "missed"
        else:
            status = "uncertain" if start.uncertain else "pending"
        if result is None:
            result = self._step_expiry(step, plan, period, start_date, applied, plain)
        cache_key: tuple[Any, ...]
        if plain and not validity_unknown and cap is None and not notice_unknown:
            cache_key = (
                start_date,
                status,
                index,
                result.due,
                result.moved_because,
                result.warnings,
            )
        else:
            cache_key = (
                start_date,
                status,
                index,
                result.unadjusted,
                result.due,
                result.moved_because,
                result.warnings,
                custom,
                applied,
                validity_unknown,
                cap,
                notice_unknown,
                art_647,
            )
        deadline = step.deadlines.get(cache_key)
        if deadline is None:
            added = _added_notes(rule, plan.procedure, notice_unknown, cap)
            deadline, _ = self._build(
                rule,
                start,
                start_date,
                period,
                result,
                applied,
                status,
                validity_unknown,
                art_647,
                added,
            )
            self._plan_count[0] += 1
            if self._plan_count[0] > PLAN_MEMO_SIZE:
                self._drop_plans()
            step.deadlines[cache_key] = deadline
        expiry_warnings = result.warnings
        if expiry_warnings and status != "moot":
            warnings.extend(f"{rule.key}: {w}" for w in expiry_warnings)
        if act is not None and status == "missed":
            if extra is None:
                extra = []
            extra.append(
                f"« {_label(plan.procedure, act.key)} » le {act.date.isoformat()}, après "
                f"l'échéance du {deadline.due.isoformat()} : délai manqué. {rule.consequence}"
            )
        if today is not None and status in ("pending", "uncertain") and today > deadline.due:
            status = "missed"
        if extra or status != deadline.status:
            return _with_status(deadline, status, extra or ())
        return deadline

    def _step_expiry(
        self,
        step: _Step,
        plan: _Plan,
        period: Period,
        start: date,
        applied: Extension | None,
        plain: bool,
    ) -> _Expiry:
        if not plain:
            months = applied.months if applied else 0
            return self._expiry(
                step.rule.counting, period, start, plan.territory, months, is_served(step.rule)
            )
        found = step.expiries.get(start)
        if found is None:
            found = _expiry_of_total(
                step.rule.counting, step.total, start, plan.territory, is_served(step.rule)
            )
            self._plan_count[0] += 1
            if self._plan_count[0] > PLAN_MEMO_SIZE:
                self._drop_plans()
            step.expiries[start] = found
        return found

    def _drop_plans(self) -> None:
        self._plans.clear()
        self._shared_plans.clear()
        self._step_memos.clear()
        self._plan_count[0] = 0
        self._specialised_runs = 0

    def compute_reference(
        self,
        procedure_key: str,
        events: Mapping[str, RecordedEvent],
        facts: CaseFacts = NO_FACTS,
        today: date | None = None,
    ) -> Schedule:
        """The rules read one by one from the procedure's definitions, without compiled plans
        nor the schedule memo: the oracle `compute` is tested against (tests/law)."""
        procedure = self.procedures.get(procedure_key)
        if procedure is None:
            procedure = self.procedure(procedure_key)
        known = procedure.events
        for key in events:
            if key not in known:
                procedure.event(key)
        self.check_order(procedure, events)
        court = facts.court or procedure.default_court
        if procedure.courts and court not in procedure.courts:
            raise court_refused(procedure, court, facts.court_department)
        court_department, territory, extension = self.place(
            facts.court_department, facts.debtor_residence
        )
        warnings: list[str] = (
            order_warnings(procedure, events) if self._soft_order(procedure) else []
        )
        results: dict[str, Deadline] = {}
        voided_by: dict[str, Deadline] = {}
        for rule in procedure.deadlines:
            if rule.key in results or (rule.courts and court not in rule.courts):
                continue
            voider = voided_by.get(rule.key)
            deadline = self._apply(
                rule,
                events,
                results,
                territory,
                extension,
                today,
                warnings if voider is None else [],
                court_department,
                procedure,
            )
            if deadline is None:
                continue
            if voider is not None and deadline.status != "moot":
                deadline = _made_moot(rule.key, deadline, voider, warnings)
            if deadline.status == "missed":
                for key in rule.voids:
                    voided_by.setdefault(key, deadline)
            results[rule.key] = deadline
        if facts.claim_total is not None:
            warnings.extend(self._eligibility_warnings(procedure, events, facts))
        deadlines = tuple(sorted(results.values(), key=_due_and_key))
        return Schedule(procedure.key, territory.key, deadlines, tuple(warnings))

    def _apply(
        self,
        rule: DeadlineRule,
        events: Mapping[str, RecordedEvent],
        results: Mapping[str, Deadline],
        territory: Territory,
        extension: Extension | None,
        today: date | None,
        warnings: list[str],
        court_department: str = "75",
        procedure: Procedure | None = None,
    ) -> Deadline | None:
        found, rejected = _start_candidates(rule, events, results)
        for rejected_key, rejected_date, follows in rejected:
            warnings.append(
                f"{rule.key}: « {_label(procedure, rejected_key)} » du "
                f"{rejected_date.isoformat()} est antérieur à « {_label(procedure, follows)} » du "
                f"{events[follows].date.isoformat()} : il ne fait pas courir ce délai"
            )
        if not found:
            for event_key, note in rule.waiting:
                if event_key in events:
                    warnings.append(f"{rule.key}: {note}")
            return None
        extra: list[str] = []
        if len(found) == 1 or rule.pick == "first":
            index, start_date = found[0]
        else:
            index, start_date = self._pick(
                rule, found, territory, extension, warnings, extra, procedure
            )
        start = rule.starts[index]
        validity_unknown = False
        if rule.valid_from or rule.valid_until:
            reference_event = events.get(rule.validity_event) if rule.validity_event else None
            reference = reference_event.date if reference_event else start_date
            validity_unknown = rule.validity_event is not None and reference_event is None
            if (rule.valid_from and reference < rule.valid_from) or (
                rule.valid_until and reference > rule.valid_until
            ):
                return None
        period = rule.period
        custom: object = None
        if rule.period_attribute and start.event:
            custom = events[start.event].attributes.get(rule.period_attribute)
            if isinstance(custom, str):
                period = Period.parse(custom)
        applied = extension if rule.distance_extension else None
        art_647 = False
        if applied is not None and start.event is not None:
            entitled = applied
            applied = self._article_647(events[start.event], court_department, applied)
            art_647 = applied is not entitled
        months = applied.months if applied else 0
        moot = False
        for key in rule.moot_by:
            if key in events:
                moot = True
                break
        act: RecordedEvent | None = None
        if not moot:
            for key in rule.satisfied_by:
                event = events.get(key)
                if event is not None and (act is None or event.date < act.date):
                    act = event
        # The due date is needed before the cache only when the status or the rule depends on it.
        result: _Expiry | None = None
        cap: date | None = None
        notice_unknown = False
        if act is not None or rule.notice_event is not None or rule.cap_event is not None:
            result = self._expiry(
                rule.counting, period, start_date, territory, months, is_served(rule)
            )
            if rule.notice_event is not None:
                notice = events.get(rule.notice_event)
                if notice is not None and notice.date > result.due:
                    return None  # the limit could not be met: the next version applies
                notice_unknown = notice is None
            if rule.cap_event is not None and rule.cap_event in events:
                cap_day = events[rule.cap_event].date
                if result.unadjusted >= cap_day or result.due > cap_day:
                    cap = cap_day
                    if result.due > cap_day:
                        result = _Expiry(result.unadjusted, cap_day, None, result.warnings)
        if moot:
            status = "moot"
        elif act is not None and result is not None:
            status = "done" if act.date <= result.due else "missed"
        else:
            status = "uncertain" if start.uncertain else "pending"
        # Plain, cheap-to-hash key: the Extension objects are memoised per place, so their id
        # is stable; a custom period is keyed by its text.
        cache_key = (
            art_647,
            rule.ident,
            index,
            start_date,
            custom,
            territory.key,
            id(applied),
            status,
            validity_unknown,
            cap,
            notice_unknown,
        )
        cached = self._deadlines.get(cache_key)
        if cached is None:
            if result is None:
                result = self._expiry(
                    rule.counting, period, start_date, territory, months, is_served(rule)
                )
            added = _added_notes(rule, procedure, notice_unknown, cap)
            cached = self._build(
                rule,
                start,
                start_date,
                period,
                result,
                applied,
                status,
                validity_unknown,
                art_647,
                added,
            )
            if len(self._deadlines) > 1_000_000:
                self._deadlines.clear()
            self._deadlines[cache_key] = cached
        deadline, expiry_warnings = cached
        if expiry_warnings and status != "moot":
            warnings.extend(f"{rule.key}: {w}" for w in expiry_warnings)
        if act is not None and status == "missed":
            extra.append(
                f"« {_label(procedure, act.key)} » le {act.date.isoformat()}, après l'échéance du "
                f"{deadline.due.isoformat()} : délai manqué. {rule.consequence}"
            )
        if today is not None and status in ("pending", "uncertain") and today > deadline.due:
            status = "missed"
        if extra or status != deadline.status:
            return _with_status(deadline, status, extra)
        return deadline

    def _pick(
        self,
        rule: DeadlineRule,
        candidates: list[tuple[int, date]],
        territory: Territory,
        extension: Extension | None,
        warnings: list[str],
        notes: list[str],
        procedure: Procedure | None = None,
    ) -> tuple[int, date]:
        """The start that applies among those found (see `DeadlineRule.pick`)."""
        if rule.pick == "first" or len(candidates) == 1:
            return candidates[0]
        if rule.pick == "earliest":
            chosen = min(candidates, key=lambda item: (item[1], item[0]))
            first = candidates[0]
            if chosen[1] < first[1]:
                warnings.append(
                    f"{rule.key}: deux points de départ possibles, "
                    f"« {_label(procedure, _start_name(rule, first[0]))} » du "
                    f"{first[1].isoformat()} et "
                    f"« {_label(procedure, _start_name(rule, chosen[0]))} » du "
                    f"{chosen[1].isoformat()} : le plus précoce est retenu, car à sa date l'autre "
                    "n'existait pas encore (lecture la plus prudente ; l'autre lecture donnerait "
                    f"le {first[1].isoformat()} pour point de départ, voir les notes du délai)"
                )
            return chosen
        # "latest": each later start interrupts the period only while it still runs.
        certain = [item for item in candidates if not rule.starts[item[0]].uncertain]
        ordered = sorted(certain or candidates, key=lambda item: (item[1], item[0]))
        current = ordered[0]
        months = extension.months if extension is not None and rule.distance_extension else 0
        for later in ordered[1:]:
            end = self._expiry(
                rule.counting, rule.period, current[1], territory, months, is_served(rule)
            ).due
            if later[1] <= end:
                current = later
                continue
            message = (
                f"« {_label(procedure, _start_name(rule, later[0]))} » du "
                f"{later[1].isoformat()}, postérieur à "
                f"l'expiration du délai le {end.isoformat()} : sans effet, un délai expiré n'est "
                "pas interrompu (C. civ. art. 2240 et 2241 ; seule une renonciation, art. "
                "2250-2251, pourrait le priver d'effet)"
            )
            notes.append(message[0].upper() + message[1:] + ".")
            warnings.append(f"{rule.key}: {message}")
        return current

    def _article_647(
        self, event: RecordedEvent, court_department: str, extension: Extension
    ) -> Extension | None:
        """CPC art. 647: a party entitled to a distance extension who is served *in person* in a
        place whose residents get a shorter one (or none) has only the shorter time limit."""
        place = event.attributes.get("lieu")
        in_person = event.attributes.get("a_personne") is True or event.key.endswith("a_personne")
        if not isinstance(place, str) or not in_person:
            return extension
        _, _, there = self.place(court_department, place)
        if there is None:
            return None
        return there if there.months < extension.months else extension

    def _build(
        self,
        rule: DeadlineRule,
        start: Start,
        start_date: date,
        period: Period,
        expiry: _Expiry,
        applied: Extension | None,
        status: str,
        validity_unknown: bool,
        art_647: bool = False,
        added: tuple[str, ...] = (),
    ) -> tuple[Deadline, tuple[str, ...]]:
        notes = (
            *_lead_notes(rule, start, validity_unknown, art_647, applied),
            *expiry.warnings,
            *added,
        )
        deadline = _make_deadline(
            self._points, rule, start, start_date, period, expiry, applied, status, notes
        )
        return deadline, expiry.warnings

    def _expiry(
        self,
        counting: str,
        period: Period,
        start: date,
        territory: Territory,
        months: int,
        served: bool = False,
    ) -> _Expiry:
        cache_key = (counting, period, start, territory.key, months, served)
        cached = self._expiries.get(cache_key)
        if cached is not None:
            return cached
        result = expiry(counting, period, start, territory, months, served)
        if len(self._expiries) > 2_000_000:
            self._expiries.clear()
        self._expiries[cache_key] = result
        return result

    def trim_memo(self, max_entries: int) -> None:
        """Empty each memo holding more than `max_entries` results (long batches and
        recomputations call it between chunks, so memory stays bounded)."""
        for memo in (
            self._expiries,
            self._deadlines,
            self._dates,
            self._schedules,
            self._points,
        ):
            if len(memo) > max_entries:
                memo.clear()
        if self._plan_count[0] > max_entries:
            self._plans.clear()
            self._shared_plans.clear()
            self._step_memos.clear()
            self._plan_count[0] = 0

    def _eligibility_warnings(
        self, procedure: Procedure, events: Mapping[str, RecordedEvent], facts: CaseFacts
    ) -> list[str]:
        """Declarative eligibility checks that need the claim amount (thresholds by date)."""
        out: list[str] = []
        parameter_key = procedure.eligibility.amount_max_parameter
        if facts.claim_total is None or not parameter_key or parameter_key not in self.parameters:
            return out
        dated_by = procedure.eligibility.amount_date_event
        if isinstance(dated_by, str) and dated_by in events:
            day = events[dated_by].date
        else:
            dates = sorted(e.date for e in events.values())
            if not dates:
                return out
            day = dates[0]
        value = self.parameters[parameter_key].at(day)
        if value.value is not None and facts.claim_total > value.value:
            out.append(
                f"montant {amount_fr(facts.claim_total)} supérieur au plafond de "
                f"{amount_fr(value.value)} applicable le {date_fr(day)} ({value.basis}) : "
                "procédure non ouverte"
            )
        return out


def expiry(
    counting: str,
    period: Period,
    start: date,
    territory: Territory,
    months: int = 0,
    served: bool = False,
) -> _Expiry:
    """The unadjusted and final dates of one time limit, with the reasons for any difference.
    `served`: the act that meets it is served by a commissaire de justice (`is_served(rule)`),
    which words the note of a backward limit whose last day is not worked."""
    return _expiry_of_total(counting, period.with_extra_months(months), start, territory, served)


def is_served(rule: DeadlineRule) -> bool:
    """Whether the act that meets `rule` is served by a commissaire de justice (its `actor`):
    a signification, which CPC art. 664 allows on a Saturday (not on a Sunday nor a public
    holiday or chômé day), where a filing at the greffe needs the greffe open."""
    return rule.actor == "commissaire_de_justice"


def _expiry_of_total(
    counting: str, total: Period, start: date, territory: Territory, served: bool = False
) -> _Expiry:
    """`expiry` of the period already lengthened by its distance extension."""
    if counting == "cpc":
        unadjusted = add_period(start, total)
        found: _Expiry | None = territory.derived.get(unadjusted)
        if found is None:
            found = _rolled(unadjusted, territory)
            territory.derived[unadjusted] = found
        return found
    if counting == "civil":
        end = (
            same_date_years_later(start, total.years)
            if not (total.months or total.days)
            else add_period(start, total)
        )
        notes: tuple[str, ...] = ()
        if start.month == 2 and start.day == 29 and end.day == 28:
            notes = (
                "point de départ un 29 février : fin retenue le 28 février (règle non "
                "confirmée, date la plus précoce)",
            )
        return _new_expiry(end, end, None, notes)
    if counting == "backward":
        due = backward_due(start, total)
        notes_: list[str] = []
        if total.total_months:
            due, note = _extended_backward(start, total)
            notes_.append(note)
        if not territory.is_working_day(due):
            notes_.append(
                _service_note(due, territory) if served else _paper_filing_note(due, territory)
            )
        return _new_expiry(due, due, None, tuple(notes_))
    unadjusted = add_period(start, total)
    if counting == "calendar":
        return _new_expiry(unadjusted, unadjusted, None, ())
    return _rolled(unadjusted, territory)


def _extended_backward(hearing: date, total: Period) -> tuple[date, str]:
    """A backward period lengthened by a distance extension (months): the day kept, the
    earlier of its two readings (counted back from the hearing; counted forward from the act,
    `forward_reading`), and the note saying so. Depends on no territory."""
    due = backward_due(hearing, total)
    forward = forward_reading(hearing, total)
    kept = min(due, forward)
    return kept, (
        f"délai à rebours allongé pour distance ({_forward_text(total)}) : "
        "compté à rebours depuis "
        f"l'audience, dernier jour utile le {iso_date(due)} ; compté depuis l'acte "
        f"pour que tout le délai expire avant l'audience, le {iso_date(forward)} ; "
        f"la date la plus précoce est retenue, le {iso_date(kept)} (aucun texte ne "
        "tranche entre ces lectures)"
    )


def _paper_filing_note(due: date, territory: Territory) -> str:
    """The note of a backward period whose last day `due` is not worked in `territory`
    (never rolled: the day before that is worked, for a filing at the registry)."""
    previous = territory.previous_working_day(due)
    reason = territory.why_not_working(due)
    return (
        f"le dernier jour utile {iso_date(due)} n'est pas un jour ouvrable ({reason}) : "
        f"pour un dépôt papier au greffe, agir au plus tard le {iso_date(previous)} "
        "(délai à rebours, jamais reporté)"
    )


def _service_note(due: date, territory: Territory) -> str:
    """`_paper_filing_note` for an act served by a commissaire de justice: the date kept is
    still the last working day before `due` (the earlier, safe one; the due date itself is
    never moved), and a Saturday in between on which a signification may still be made
    (CPC art. 664) is named."""
    previous = territory.previous_working_day(due)
    reason = territory.why_not_working(due)
    saturday = service_saturday(due, territory)
    possible = (
        f" ; une signification le samedi {iso_date(saturday)} reste possible (CPC art. 664), "
        "mais la date la plus précoce est retenue par prudence"
        if saturday is not None
        else ""
    )
    return (
        f"le dernier jour utile {iso_date(due)} n'est pas un jour ouvrable ({reason}) : "
        f"pour la signification, date retenue le {iso_date(previous)}, dernier jour ouvrable "
        f"avant{possible} (délai à rebours, jamais reporté)"
    )


def service_saturday(due: date, territory: Territory) -> date | None:
    """The latest Saturday from the last working day before `due` (excluded) to `due`
    (included) that is neither a public holiday or chômé day nor a doubtful one: a day on
    which CPC art. 664 lets a commissaire de justice serve an act. None when there is none
    (a Sunday after a holiday Saturday, a holiday in the week)."""
    previous = territory.previous_working_day(due)
    day = due
    while day > previous:
        if (
            day.weekday() == 5
            and territory.holiday(day) is None
            and territory.doubtful_day(day) is None
        ):
            return day
        day -= timedelta(days=1)
    return None


def _rolled(unadjusted: date, territory: Territory) -> _Expiry:
    """CPC art. 642 applied to the last day of a period: the day itself or the next working
    day, with the days skipped, and a warning when it is a doubtful day (kept per territory
    and day: it depends on nothing else)."""
    due, skipped = territory.next_working_day(unadjusted)
    moved = None
    if skipped:
        moved = (
            ", ".join([day.reason for day in skipped])
            + f" → report au premier jour ouvrable suivant, {iso_date(due)} (CPC art. 642)"
        )
    warnings: tuple[str, ...] = ()
    doubtful = territory.doubtful_day(due)
    if doubtful:
        later, _ = territory.next_working_day(due + timedelta(days=1))
        warnings = (
            f"le {iso_date(due)} est « {doubtful} », jour dont le caractère férié ou chômé "
            f"n'est pas établi pour l'art. 642 : date retenue {iso_date(due)} (la plus "
            f"précoce) ; date possible {iso_date(later)}",
        )
    return _new_expiry(unadjusted, due, moved, warnings)


_FORWARD_TEXTS: dict[Period, str] = {}


def _forward_text(period: Period) -> str:
    """`str(replace(period, backward=False))`, kept per period (a handful)."""
    text = _FORWARD_TEXTS.get(period)
    if text is None:
        text = _FORWARD_TEXTS[period] = str(replace(period, backward=False))
    return text


def forward_reading(hearing: date, period: Period) -> date:
    """The latest day for an act such that `period`, counted forward from it (art. 641, months
    first, then days), has wholly run by the eve of the hearing.

    Worked out, not walked: the act's day plus the months must be on or before `target`, the
    eve less the days. Months first land on the same day number, or on the month's last day
    when it has fewer: every day of the month `months` before `target`'s lands on or before
    `target` when `target` is its month's last day (the latest is that earlier month's last
    day); otherwise the days up to `target`'s day number do (as far as that month goes). The
    day-by-day search it replaces is kept in the tests, which compare both on every hearing
    from 1990 to 2070."""
    target = hearing - timedelta(days=period.days + 1)
    months = period.total_months
    if not months:
        return target
    year, month0 = divmod(target.month - 1 - months, 12)
    year += target.year
    month = month0 + 1
    last = days_in_month(year, month)
    if target.day == days_in_month(target.year, target.month) or target.day > last:
        return date(year, month, last)
    return date(year, month, target.day)


def _added_notes(rule: Any, procedure: Any, notice_unknown: bool, cap: object) -> tuple[str, ...]:
    """Notes a deadline carries beyond its rule's: an unrecorded notice date (the earlier
    reading is kept) and a cap applied."""
    added: list[str] = []
    if notice_unknown and rule.notice_event is not None:
        added.append(
            f"Date de l'événement « {_label(procedure, rule.notice_event)} » non "
            "enregistrée : cette règle est retenue (date la plus précoce)."
        )
    if cap is not None:
        added.append(rule.cap_note)
    return tuple(added)


def _made_moot(key: str, deadline: Deadline, voider: Deadline, warnings: list[str]) -> Deadline:
    """`deadline` lapses because `voider`, a period it depends on, was missed (`voids`)."""
    warnings.append(
        f"{key}: sans objet — délai « {voider.label} » manqué ({voider.basis}) : "
        f"{voider.consequence}"
    )
    return _with_status(
        deadline,
        "moot",
        (f"Sans objet : délai « {voider.label} » manqué ({voider.basis}) — {voider.consequence}",),
    )


def _memo_key(
    memo_id: int, written: str | None, today: date | None, events: Mapping[str, RecordedEvent]
) -> tuple[Any, ...]:
    """`Engine.compute`'s memo key for any number of events (the same tuple as its own for one
    or two): the plan's number, the claim, today, the mapping's keys, each event's identity."""
    identities = []
    for key, event in events.items():
        identity = event._identity or event._ident()
        identities.append(identity if event.key is key else (event.key, identity))
    return (memo_id, written, today, *events, *identities)


def _due_and_key(deadline: Deadline) -> tuple[date, str]:
    return deadline.due, deadline.key


_DUE_AND_KEY = attrgetter("due", "key")  # `_due_and_key`, without a Python call per deadline


def _matches(conditions: Iterable[tuple[str, AttributeValue]], event: RecordedEvent) -> bool:
    """Every condition holds; a yes/no attribute left unrecorded counts as "no" (a
    signification not stated to be à personne is not à personne)."""
    attributes = event.attributes
    for name, value in conditions:
        recorded = attributes.get(name)
        if recorded != value and not (value is False and recorded is None):
            return False
    return True


_NONE_REJECTED: list[tuple[str, date, str]] = []


def _start_candidates(
    rule: DeadlineRule, events: Mapping[str, RecordedEvent], results: Mapping[str, Deadline]
) -> tuple[list[tuple[int, date]], list[tuple[str, date, str]]]:
    """Every start alternative that applies, as (its index, its date) in the rule's order (only
    the first for `pick = "first"`), and the (event, date, event it must follow) that would
    start it but are dated before the event they must follow (`not_before`)."""
    found: list[tuple[int, date]] = []
    rejected = _NONE_REJECTED
    first = rule.pick == "first"
    index = -1
    for start in rule.starts:
        index += 1
        event_key = start.event
        if event_key is not None:
            event = events.get(event_key)
            if event is None:
                continue
            if start.when and not _matches(start.when, event):
                continue
            if start.when_event:
                ok = True
                for other, cond in start.when_event:
                    other_event = events.get(other)
                    if other_event is None or not _matches(cond, other_event):
                        ok = False
                        break
                if not ok:
                    continue
            if start.not_before is not None:
                reference = events.get(start.not_before)
                if reference is not None and event.date < reference.date:
                    if rejected is _NONE_REJECTED:
                        rejected = []
                    if (event_key, event.date, start.not_before) not in rejected:
                        rejected.append((event_key, event.date, start.not_before))
                    continue
            day = event.date
        else:
            previous = results.get(start.deadline or "")
            if previous is None or previous.status in ("done", "moot"):
                continue
            day = previous.due
        found.append((index, day))
        if first:
            break
    return found, rejected


def _lead_notes(
    rule: DeadlineRule,
    start: Start,
    validity_unknown: bool,
    art_647: bool,
    applied: Extension | None,
) -> tuple[str, ...]:
    """A deadline's notes before its expiry's warnings: the start's, an unknown validity date,
    the rule's, art. 647, the distance extension."""
    notes: list[str] = []
    if start.note:
        notes.append(start.note)
    if validity_unknown:
        notes.append(
            f"Date de l'événement {rule.validity_event} inconnue: règle choisie d'après la date de départ."
        )
    notes.extend(rule.notes)
    if art_647:
        notes.append(
            "Signification à personne en un lieu dont les résidents ont un allongement moindre "
            "ou nul: seul ce délai s'applique (CPC art. 647)."
        )
    if applied:
        notes.append(
            f"Allongement de {applied.months} mois ({applied.basis}, {applied.reason}), "
            "ajouté au délai avant le report."
        )
    return tuple(notes)


def _make_deadline(
    points: dict[tuple[str | None, str | None, date], StartPoint],
    rule: DeadlineRule,
    start: Start,
    start_date: date,
    period: Period,
    expiry: _Expiry,
    applied: Extension | None,
    status: str,
    notes: tuple[str, ...],
) -> Deadline:
    """The deadline, its start point shared through `points` (immutable)."""
    point_key = (start.event, start.deadline, start_date)
    point = points.get(point_key)
    if point is None:
        if start.event is not None:
            point = _new_point("event", start.event, start_date)
        else:
            point = _new_point("deadline", str(start.deadline), start_date)
        if len(points) >= 200_000:
            points.clear()
        points[point_key] = point
    return _new_deadline(  # positional, in the field order (the same object as Deadline(...))
        rule.key,
        rule.label,
        expiry.due,
        point,
        period,
        applied,
        expiry.unadjusted,
        expiry.moved_because,
        rule.actor,
        rule.basis,
        rule.source,
        status,
        rule.consequence,
        rule.counting,
        notes,
        None,
    )


def _filler(
    engine: Any,
    step: _Step,
    fast: dict[Any, Deadline | tuple[Deadline, tuple[str, ...]]],
    points: dict[tuple[str | None, str | None, date], StartPoint],
    procedure: Procedure,
) -> Callable[..., Deadline | tuple[Deadline, tuple[str, ...]]]:
    """What a generated plan calls for a deadline not yet in `fast`, its step's memo by start
    date and status: the deadline `_apply_step` would build (through the same shared memo, by
    the same key), alone or, if its expiry has warnings, with them prefixed once (a pair: one
    object fewer for the collector when there are none)."""
    rule, applied, built = step.rule, step.applied, step.deadlines
    count = engine._plan_count
    prefix = f"{rule.key}: "
    key, label, period, counting = rule.key, rule.label, rule.period, rule.counting
    actor, basis, source, consequence = rule.actor, rule.basis, rule.source, rule.consequence
    # Leading notes by start (its index; its complement when the validity is unknown).
    leads: dict[int, tuple[str, ...]] = {}
    # The expiries' warnings prefixed with the rule's key, by warnings (the same for every start
    # whose expiry falls on the same day: a doubtful day, a backward period's notes).
    prefixed: dict[tuple[str, ...], tuple[str, ...]] = {}

    def fill(
        fast_key: Any,
        start_date: date,
        status: str,
        index: int,
        validity_unknown: bool,
        result: _Expiry,
        notice_unknown: bool = False,
    ) -> Deadline | tuple[Deadline, tuple[str, ...]]:
        cache_key: tuple[Any, ...]
        if not (validity_unknown or notice_unknown):
            cache_key = (
                start_date,
                status,
                index,
                result.due,
                result.moved_because,
                result.warnings,
            )
        else:
            cache_key = (
                start_date,
                status,
                index,
                result.unadjusted,
                result.due,
                result.moved_because,
                result.warnings,
                None,
                applied,
                validity_unknown,
                None,
                notice_unknown,
                False,
            )
        cached = built.get(cache_key)
        warnings = result.warnings
        if cached is None:
            start = rule.starts[index]
            lead_key = ~index if validity_unknown else index
            lead = leads.get(lead_key)
            if lead is None:
                lead = leads[lead_key] = _lead_notes(rule, start, validity_unknown, False, applied)
            notes = lead + warnings if warnings else lead
            if notice_unknown:
                notes += _added_notes(rule, procedure, notice_unknown, None)
            # `_make_deadline`, inlined: the start point shared, the rule's fields read once.
            point_key = (start.event, start.deadline, start_date)
            point = points.get(point_key)
            if point is None:
                if start.event is not None:
                    point = _new_point("event", start.event, start_date)
                else:
                    point = _new_point("deadline", str(start.deadline), start_date)
                if len(points) >= 200_000:
                    points.clear()
                points[point_key] = point
            deadline = _new_deadline(
                key,
                label,
                result.due,
                point,
                period,
                applied,
                result.unadjusted,
                result.moved_because,
                actor,
                basis,
                source,
                status,
                consequence,
                counting,
                notes,
                None,
            )
            built[cache_key] = deadline
            count[0] += 2
        else:
            deadline = cached
            count[0] += 1
        # The deadline alone, or with its expiry's warnings (prefixed) when it has some.
        if warnings:
            shown = prefixed.get(warnings)
            if shown is None:
                shown = prefixed[warnings] = tuple([prefix + w for w in warnings])
            entry: Deadline | tuple[Deadline, tuple[str, ...]] = (deadline, shown)
        else:
            entry = deadline
        fast[fast_key] = entry
        if count[0] > PLAN_MEMO_SIZE:
            engine._drop_plans()
        return entry

    return fill


def _expirer(engine: Any, step: _Step, territory: Territory) -> Callable[[date], _Expiry]:
    """The expiry of `step`'s own period from a start date not in its memo, kept there
    (`Engine._step_expiry` for a plain start, fewer calls). A period counted by the CPC is date
    arithmetic and one look-up in the territory's expiries by last day; a backward one of days,
    a subtraction and one look-up in its roll table (the note of a day not worked written by
    `_expiry_of_total`)."""
    memo, counting, total = step.expiries, step.rule.counting, step.total
    count = engine._plan_count
    if counting == "cpc" and not total.backward:
        months = total.total_months
        months_less_one = months - 1
        days = total.days
        delta = timedelta(days=days)
        derived = territory.derived
        new_date = date

        def expire_cpc(start: date) -> _Expiry:
            if not months:
                unadjusted = start + delta
            else:
                day = start.day
                if day > 28:  # a day some months lack: `add_months` clamps it
                    unadjusted = add_months(start, months)
                else:  # `add_months` in line (every month has 28 days)
                    shifted = start.month + months_less_one
                    unadjusted = new_date(start.year + shifted // 12, shifted % 12 + 1, day)
                if days:
                    unadjusted += delta
            found: _Expiry | None = derived.get(unadjusted)
            if found is None:
                found = derived[unadjusted] = _rolled(unadjusted, territory)
            memo[start] = found
            count[0] += 1
            if count[0] > PLAN_MEMO_SIZE:
                engine._drop_plans()
            return found

        return expire_cpc
    if counting == "backward":
        # `_expiry_of_total`'s backward reading, its parts kept: the note of a last day not
        # worked by territory and day (`Territory.filing_notes`, or `service_notes` for an act
        # a commissaire de justice serves: every such backward rule of the territory shares
        # it), and a distance extension's two readings by hearing, shared by
        # every territory (`forward_reading`, worked out from the hearing).
        months = total.total_months
        before = timedelta(days=total.days + 1)  # `backward_due` without months
        next_working_day = territory.next_working_day
        by_service = is_served(step.rule)
        filing_notes = territory.service_notes if by_service else territory.filing_notes
        write_note = _service_note if by_service else _paper_filing_note
        readings: dict[date, tuple[date, str]] = {}
        if months:
            shared_key = ("extended backward", total)
            readings = engine._step_memos.get(shared_key)
            if readings is None:
                readings = engine._step_memos[shared_key] = {}

        def expire_backward(start: date) -> _Expiry:
            if months:
                reading = readings.get(start)
                if reading is None:
                    reading = readings[start] = _extended_backward(start, total)
                due, lead = reading
            else:
                due, lead = start - before, None
            if next_working_day(due)[0] == due:  # a working day: no note of filing
                found = _new_expiry(due, due, None, (lead,) if lead else ())
            else:
                note = filing_notes.get(due)
                if note is None:
                    note = filing_notes[due] = write_note(due, territory)
                found = _new_expiry(due, due, None, (lead, note) if lead else (note,))
            memo[start] = found
            count[0] += 1
            if count[0] > PLAN_MEMO_SIZE:
                engine._drop_plans()
            return found

        return expire_backward

    def expire(start: date) -> _Expiry:
        found = memo[start] = _expiry_of_total(
            counting, total, start, territory, is_served(step.rule)
        )
        count[0] += 1
        if count[0] > PLAN_MEMO_SIZE:
            engine._drop_plans()
        return found

    return expire


def _rejected_warnings(
    step: _Step,
    plan: _Plan,
    events: Mapping[str, RecordedEvent],
    rejected: list[tuple[str, date, str]],
    warnings: list[str],
) -> None:
    """The warnings of starts dated before the event they must follow (`_apply_step`'s)."""
    rule, procedure = step.rule, plan.procedure
    for rejected_key, rejected_date, follows in rejected:
        warnings.append(
            f"{rule.key}: « {_label(procedure, rejected_key)} » du "
            f"{rejected_date.isoformat()} est antérieur à « {_label(procedure, follows)} » "
            f"du {events[follows].date.isoformat()} : il ne fait pas courir ce délai"
        )


def _missed_note(rule: DeadlineRule, plan: _Plan, act: RecordedEvent, deadline: Deadline) -> str:
    """The note of a deadline met too late (`_apply_step`'s)."""
    return (
        f"« {_label(plan.procedure, act.key)} » le {act.date.isoformat()}, après "
        f"l'échéance du {deadline.due.isoformat()} : délai manqué. {rule.consequence}"
    )


def _start_name(rule: DeadlineRule, index: int) -> str:
    start = rule.starts[index]
    return str(start.event or start.deadline)


def court_refused(procedure: Procedure, court: object, department: object) -> InputError:
    """A court the procedure does not go before (or none given where it needs one), with the
    courts to choose from, each by its French name and its key."""
    seat = department if isinstance(department, str) else None
    choices = labelled_list((court_label(key, seat), key) for key in procedure.courts)
    named = "non précisée" if court is None else f"{quoted(court)} non disponible"
    return InputError(
        f"juridiction {named} pour la procédure « {procedure.title} » (au choix : {choices})"
    )


def _label(procedure: Procedure | None, event_key: str) -> str:
    if procedure is not None and event_key in procedure.events:
        return procedure.events[event_key].label
    return event_key


def order_warnings(procedure: Procedure, events: Mapping[str, RecordedEvent]) -> list[str]:
    """French warnings for events in an order the law makes impossible but a file may still
    record (an assignation served after its hearing, a judgment before it, an agreement and a
    refusal both recorded): the dates are kept, the lawyer is told.

    A fact prior to the procedure (`Procedure.prior_events`: the mise en demeure, expected
    before the requête or the assignation) is not a step whose order the law fixes: dated
    after the step it should precede, it is a date to check (a letter sent late), not an
    impossible order; sent the same day, it is no ordering error and is not warned about."""
    out: list[str] = []
    prior = procedure.prior_events
    for event in events.values():
        definition = procedure.events.get(event.key)
        if definition is None:
            continue
        is_prior = event.key in prior
        for other_key in definition.expected_before:
            other = events.get(other_key)
            if other is None:
                continue
            if is_prior:
                if event.date > other.date:
                    out.append(
                        f"date à vérifier : « {definition.label} » le {event.date.isoformat()}, "
                        f"après « {_label(procedure, other_key)} » du {other.date.isoformat()} "
                        "que ce fait préalable devrait précéder"
                    )
            elif event.date >= other.date:
                out.append(
                    f"ordre impossible : « {definition.label} » le {event.date.isoformat()} "
                    f"n'est pas antérieur à « {_label(procedure, other_key)} » du "
                    f"{other.date.isoformat()} ; vérifier les dates"
                )
        for other_key in definition.expected_after:
            other = events.get(other_key)
            if other is not None and event.date < other.date:
                out.append(
                    f"ordre impossible : « {definition.label} » le {event.date.isoformat()} "
                    f"précède « {_label(procedure, other_key)} » du {other.date.isoformat()} ; "
                    "vérifier les dates"
                )
        for other_key in definition.exclusive_with:
            other = events.get(other_key)
            if other is not None and event.key < other_key:
                out.append(
                    f"faits contradictoires : « {definition.label} » le "
                    f"{event.date.isoformat()} et « {_label(procedure, other_key)} » le "
                    f"{other.date.isoformat()} sont tous deux enregistrés ; un seul peut être vrai"
                )
    return out
