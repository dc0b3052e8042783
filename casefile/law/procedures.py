"""Load and validate `procedures/*.toml` into typed, frozen definitions.

A procedure is data: its events, its deadlines (what starts each one, the period, the counting
rule, the article and its Légifrance source, the dates it is valid for) and the documents it
produces. The file is first decoded into the `*Spec` structures below (unknown, missing or
mistyped keys are refused by msgspec, see `casefile.law.schema`); then the references between
keys are checked (events, deadlines, attributes, courts), cycles and overlapping versions are
refused, and the engine's definitions are built. Errors name the file and the key path.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from casefile.errors import DefinitionError, InputError
from casefile.law.periods import Period
from casefile.law.schema import Key, Spec, Text, Url, decode, read_toml
from casefile.law.suggestions import unknown_event
from casefile.law.wording import choices_fr, labelled, quoted

Counting = Literal["cpc", "civil", "backward", "calendar"]
Actor = Literal["creancier", "avocat", "commissaire_de_justice", "debiteur", "greffe"]
Court = Literal["tribunal_judiciaire", "tribunal_de_commerce", "commissaire_de_justice"]
AttributeType = Literal["bool", "choice", "text", "period", "int", "place"]
ClaimNature = Literal["contractuelle", "statutaire", "delictuelle"]
COUNTINGS: tuple[str, ...] = ("cpc", "civil", "backward", "calendar")
ACTORS: tuple[str, ...] = ("creancier", "avocat", "commissaire_de_justice", "debiteur", "greffe")
ATTRIBUTE_TYPES: tuple[str, ...] = ("bool", "choice", "text", "period", "int", "place")
# A rule's `text` quotes the article verbatim (the version in force for the rule's validity
# dates: elisions marked "[…]") unless `text_kind = "paraphrase"` says it does not.
TextKind = Literal["verbatim", "paraphrase"]
TEXT_KINDS: tuple[str, ...] = ("verbatim", "paraphrase")
AttributeValue = bool | int | str
# The attributes of the event recording a prior amicable attempt (`amicable_attempt_event`):
# how it was attempted, or the dispense relied on (CPC art. 750-1).
AMICABLE_ATTEMPT_ATTRIBUTES: tuple[str, ...] = ("mode", "dispense")
Conditions = dict[str, AttributeValue]


# --- The file as written (decoded by msgspec: unknown keys refused) ---------------------------


class ChoiceSpec(Spec, frozen=True):
    """A choice described in the data: its label (what a page shows and a pleading states) and,
    for a choice the law defines (a dispense of CPC art. 750-1), its article and source.
    `uncertain` marks a choice whose rule is not confirmed (its `note` says why)."""

    value: Key
    label: Text
    basis: Text | None = None
    source: Url | None = None
    note: Text | None = None
    uncertain: bool = False


class AttributeSpec(Spec, frozen=True):
    key: Key
    type: AttributeType
    label: Text  # what the attribute is, wherever it is read (history, documents, exports)
    help: Text | None = None  # the form's hint beside the field only (« ex. : 8 jours »)
    # A bare value ("professionnel", shown through casefile.labels) or a described choice.
    choices: tuple[Text | ChoiceSpec, ...] = ()


class EventSpec(Spec, frozen=True):
    key: Key
    label: Text
    after: tuple[Key, ...] = ()
    attributes: tuple[AttributeSpec, ...] = ()
    expected_before: tuple[Key, ...] = ()
    expected_after: tuple[Key, ...] = ()
    exclusive_with: tuple[Key, ...] = ()


class StartSpec(Spec, frozen=True):
    """One alternative start: `event` (with conditions) or `deadline` (its expiry)."""

    event: Key | None = None
    deadline: Key | None = None
    when: Conditions = msgspec.field(default_factory=dict)
    when_event: dict[str, Conditions] = msgspec.field(default_factory=dict)
    uncertain: bool = False
    note: str = ""
    not_before: Key | None = None


class WaitingSpec(Spec, frozen=True):
    event: Key
    note: Text


class NextStepSpec(Spec, frozen=True):
    """What the creditor's side does about the deadline (the case page's "À faire")."""

    label: Text
    documents: tuple[Key, ...] = ()
    event: Key | None = None


class FirstStepSpec(Spec, frozen=True):
    """What to do first on a case of the procedure, before any of its events is recorded
    (the case page's "À faire"). `event` records it done; its documents are the procedure's
    `[[documents]]` of that step."""

    label: Text
    event: Key
    actor: Actor
    basis: Text
    source: Url | None = None


class DeadlineSpec(Spec, frozen=True):
    key: Key
    label: Text
    start: Annotated[tuple[StartSpec, ...], msgspec.Meta(min_length=1)]
    period: Text
    counting: Counting
    distance_extension: bool
    actor: Actor
    satisfied_by: tuple[Key, ...]
    consequence: Text
    basis: Text
    source: Url
    text: Text
    text_kind: TextKind = "verbatim"
    moot_by: tuple[Key, ...] = ()
    notes: tuple[Text, ...] = ()
    courts: tuple[Court, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    validity_event: Key | None = None
    pick: Literal["first", "latest", "earliest"] = "first"
    period_attribute: Key | None = None
    waiting: tuple[WaitingSpec, ...] = ()
    voids: tuple[Key, ...] = ()
    cap_event: Key | None = None
    cap_note: Text | None = None
    notice_event: Key | None = None
    next_step: NextStepSpec | None = None


class DocumentSpec(Spec, frozen=True):
    template: Key
    step: Key
    court: Court | None = None


class Eligibility(Spec, frozen=True):
    """Who may use the procedure (read by the advice and the engine's eligibility warnings)."""

    claim_nature: tuple[ClaimNature, ...] = ()
    amicable_attempt_required: bool | Literal["parameter", "uncertain"] = False
    amicable_attempt_parameter: Key | None = None
    amicable_attempt_note: Text | None = None
    # The event recording the attempt made or the dispense relied on (choice attributes `mode`
    # and `dispense`): the pleadings state it and are refused when the rule applies without it.
    amicable_attempt_event: Key | None = None
    amount_max_parameter: Key | None = None
    amount_includes: Text | None = None
    amount_date_event: Key | None = None  # the ceiling is read at this event's date


class CostSpec(Spec, frozen=True):
    label: Text
    basis: Text
    parameter: Key | None = None  # without a sourced dated value: "non renseigné"
    courts: tuple[Court, ...] = ()


class ComparisonSpec(Spec, frozen=True):
    """What the procedure yields (its title) and costs, for the side-by-side comparison."""

    title: Text
    title_basis: Text
    title_source: Url
    duration_parameter: Key | None = None
    costs: tuple[CostSpec, ...] = ()


class ProcedureSpec(Spec, frozen=True):
    key: Key
    title: Text
    legal_basis: Text
    courts: tuple[Court, ...]
    summary: Text
    verified_on: date
    events: Annotated[tuple[EventSpec, ...], msgspec.Meta(min_length=1)]
    deadlines: Annotated[tuple[DeadlineSpec, ...], msgspec.Meta(min_length=1)]
    default_court: Court | None = None
    eligibility: Eligibility = Eligibility()
    documents: tuple[DocumentSpec, ...] = ()
    comparison: ComparisonSpec | None = None
    first_step: FirstStepSpec | None = None


# --- The engine's definitions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """A described choice of an attribute (`ChoiceSpec`)."""

    value: str
    label: str
    basis: str = ""
    source: str = ""
    note: str = ""
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class AttributeDef:
    key: str
    type: str
    label: str
    choices: tuple[str, ...] = ()
    # The choices the data describes (label, article, source), in the order of `choices`.
    described: tuple[Choice, ...] = ()
    help: str = ""  # the form's hint (an example), never part of the label

    def choice(self, value: object) -> Choice | None:
        """The described choice of that value, if the data describes it."""
        return next((c for c in self.described if c.value == value), None)

    def parse(self, raw: object, where: str) -> AttributeValue:
        """Turn a flag or JSON value into the typed attribute value, or say why not."""
        if isinstance(raw, bool | int) and self.type not in ("bool", "int", "place"):
            raise self.refused(raw, where, "un texte")
        if not isinstance(raw, str | int):  # bool is an int
            raise self.refused(raw, where, "un texte, un nombre ou true/false")
        if self.type == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("true", "1", "yes", "oui", "vrai"):
                return True
            if text in ("false", "0", "no", "non", "faux"):
                return False
            raise self.refused(raw, where, "oui ou non (true ou false)")
        if self.type == "int":
            try:
                return int(str(raw))
            except ValueError:
                raise self.refused(raw, where, "un nombre entier") from None
        text = str(raw)
        if self.type == "choice" and text not in self.choices:
            raise self.refused(raw, where, choices_fr(self.choices))
        if self.type == "period" and Period.parse(text).backward:
            raise InputError(
                f"{where} : attribut {self.name} : reçu {quoted(raw)}, une durée négative n'a "
                "pas de sens ici (écrire par exemple « 8 jours »)"
            )
        return text

    @property
    def name(self) -> str:
        """« Signifiée à personne » (a_personne): the label, and the key a flag or field takes."""
        return labelled(self.label, self.key)

    def refused(self, raw: object, where: str, expected: str) -> InputError:
        return InputError(
            f"{where} : attribut {self.name} : reçu {quoted(raw)}, attendu {expected}"
        )


@dataclass(frozen=True, slots=True)
class EventDef:
    key: str
    label: str
    after: tuple[str, ...] = ()
    attributes: Mapping[str, AttributeDef] | None = None
    # Soft ordering: a recorded date contradicting these gets a French warning, not a refusal
    # (an assignation served after its hearing, a judgment before it, an agreement and a refusal).
    expected_before: tuple[str, ...] = ()
    expected_after: tuple[str, ...] = ()
    exclusive_with: tuple[str, ...] = ()
    where: str = field(init=False, compare=False, repr=False)
    """« événement « Label » (key) », how a refusal names it: written once, not per event
    parsed (a batch parses hundreds of thousands)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "where", f"événement {labelled(self.label, self.key)}")


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
    # The start counts only if its event is not dated before this event (when recorded): an act
    # à personne before the ordonnance was served starts no opposition period (art. 1416 al. 2).
    not_before: str | None = None


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
class FirstStep:
    """What to do first on a case of the procedure while none of its events is recorded.
    `documents` are the template keys of the procedure's documents for `event`."""

    label: str
    event: str
    actor: str
    basis: str
    source: str = ""
    documents: tuple[str, ...] = ()


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
    text_kind: TextKind = "verbatim"
    courts: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    validity_event: str | None = None
    # "first": the first start in order ("à défaut"); "earliest": the earliest date among the
    # starts found (warned when it differs from "first"); "latest": a later start counts only if
    # it happens while the period from the earlier one still runs (an interruption, C. civ. 2240).
    pick: Literal["first", "latest", "earliest"] = "first"
    period_attribute: str | None = None
    waiting: tuple[tuple[str, str], ...] = ()  # (event, warning) when recorded but not started
    # Deadlines that lapse when this one is missed (a non-avenue ordonnance has no opposition).
    voids: tuple[str, ...] = ()
    # The due date never falls after this event's date (CPC 763 al. 2: until the hearing).
    cap_event: str | None = None
    cap_note: str = ""
    # The rule applies only when this event (the notice of the date counted back from) is dated
    # on or before the computed due date, or is not recorded (CPC 754 al. 2).
    notice_event: str | None = None
    next_step: NextStep | None = None
    ident: str = ""  # "procedure/index in the file", unique, for caching and messages


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
    eligibility: Eligibility
    origin: str
    comparison: Comparison | None = None
    first_step: FirstStep | None = None

    def event(self, key: str) -> EventDef:
        try:
            return self.events[key]
        except KeyError:
            raise unknown_event(key, self) from None

    @property
    def deadline_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(rule.key for rule in self.deadlines))

    @cached_property
    def prior_events(self) -> frozenset[str]:
        """The facts recorded before the procedure (the mise en demeure sent before the
        requête or the assignation): the events expected before its first step. They are not
        steps of the procedure: recording one does not begin it."""
        first = self.first_step
        if first is None:
            return frozenset()
        return frozenset(
            key for key, event in self.events.items() if first.event in event.expected_before
        )


# --- From the file to the definitions --------------------------------------------------------


def parse_procedure(data: object, origin: str) -> Procedure:
    """Decode and check one parsed procedure file; every problem names `origin` and the key."""
    spec = decode(data, ProcedureSpec, origin)
    events = _events(spec, origin)
    rules = [
        _rule(spec, index, entry, events, origin) for index, entry in enumerate(spec.deadlines)
    ]
    _check_overlaps(rules, origin)
    ordered = _dependency_order(rules, origin)
    if spec.default_court is not None and spec.default_court not in spec.courts:
        raise DefinitionError(
            origin, "default_court", f"{quoted(spec.default_court)} ne figure pas dans `courts`"
        )
    steps = set(events) | {rule.key for rule in rules}
    for index, document in enumerate(spec.documents):
        where = f"documents[{index}]"
        if document.step not in steps:
            raise DefinitionError(
                origin,
                f"{where}.step",
                f"{quoted(document.step)} n'est ni un événement ni un délai",
            )
        if document.court is not None and document.court not in spec.courts:
            raise DefinitionError(
                origin, f"{where}.court", f"{quoted(document.court)} ne figure pas dans `courts`"
            )
    _check_eligibility(spec.eligibility, events, origin)
    comparison = spec.comparison
    if comparison is not None:
        for index, cost in enumerate(comparison.costs):
            for position, court in enumerate(cost.courts):
                if court not in spec.courts:
                    raise DefinitionError(
                        origin,
                        f"comparison.costs[{index}].courts[{position}]",
                        f"juridiction {quoted(court)} absente des juridictions de la procédure",
                    )
    first = spec.first_step
    if first is not None:
        if first.event not in events:
            raise DefinitionError(
                origin, "first_step.event", f"événement inconnu {quoted(first.event)}"
            )
        if events[first.event].after:
            raise DefinitionError(
                origin,
                "first_step.event",
                f"{quoted(first.event)} suit d'autres événements ({', '.join(events[first.event].after)}) :"
                " le premier pas est un événement sans prérequis",
            )
    return Procedure(
        key=spec.key,
        title=spec.title,
        legal_basis=spec.legal_basis,
        courts=spec.courts,
        default_court=spec.default_court,
        summary=spec.summary,
        verified_on=spec.verified_on,
        events=events,
        deadlines=tuple(ordered),
        documents=tuple(DocumentStep(d.template, d.step, d.court) for d in spec.documents),
        eligibility=spec.eligibility,
        origin=origin,
        comparison=Comparison(
            comparison.title,
            comparison.title_basis,
            comparison.title_source,
            comparison.duration_parameter,
            tuple(CostItem(c.label, c.basis, c.parameter, c.courts) for c in comparison.costs),
        )
        if comparison
        else None,
        first_step=FirstStep(
            first.label,
            first.event,
            first.actor,
            first.basis,
            first.source or "",
            tuple(dict.fromkeys(d.template for d in spec.documents if d.step == first.event)),
        )
        if first
        else None,
    )


def _events(spec: ProcedureSpec, origin: str) -> dict[str, EventDef]:
    events: dict[str, EventDef] = {}
    for index, entry in enumerate(spec.events):
        where = f"events[{index}]"
        if entry.key in events:
            raise DefinitionError(
                origin, f"{where}.key", f"événement {quoted(entry.key)} défini deux fois"
            )
        attributes: dict[str, AttributeDef] = {}
        for position, attr in enumerate(entry.attributes):
            at = f"{where}.attributes[{position}]"
            if attr.key in attributes:
                raise DefinitionError(
                    origin, f"{at}.key", f"attribut {quoted(attr.key)} défini deux fois"
                )
            if (attr.type == "choice") != bool(attr.choices):
                raise DefinitionError(
                    origin,
                    f"{at}.choices",
                    "obligatoire pour un attribut `choice`, et pour lui seul",
                )
            described = tuple(
                Choice(c.value, c.label, c.basis or "", c.source or "", c.note or "", c.uncertain)
                for c in attr.choices
                if isinstance(c, ChoiceSpec)
            )
            values = tuple(c if isinstance(c, str) else c.value for c in attr.choices)
            for number, choice in enumerate(attr.choices):
                if isinstance(choice, ChoiceSpec) and choice.uncertain and not choice.note:
                    raise DefinitionError(
                        origin,
                        f"{at}.choices[{number}].note",
                        "obligatoire pour un choix incertain (uncertain = true) : dire pourquoi",
                    )
            if len(set(values)) != len(values):
                raise DefinitionError(origin, f"{at}.choices", "une valeur figure deux fois")
            attributes[attr.key] = AttributeDef(
                attr.key, attr.type, attr.label, values, described, attr.help or ""
            )
        events[entry.key] = EventDef(
            entry.key,
            entry.label,
            entry.after,
            attributes,
            entry.expected_before,
            entry.expected_after,
            entry.exclusive_with,
        )
    for index, entry in enumerate(spec.events):
        for name in ("after", "expected_before", "expected_after", "exclusive_with"):
            for position, other in enumerate(getattr(entry, name)):
                if other not in events:
                    raise DefinitionError(
                        origin,
                        f"events[{index}].{name}[{position}]",
                        f"événement inconnu {quoted(other)}",
                    )
    return events


def _rule(
    spec: ProcedureSpec,
    index: int,
    entry: DeadlineSpec,
    events: Mapping[str, EventDef],
    origin: str,
) -> DeadlineRule:
    where = f"deadlines[{index}]"

    def fail(key: str, message: str) -> DefinitionError:
        return DefinitionError(origin, f"{where}.{key}", f"{message} (dans {quoted(entry.key)})")

    try:
        period = Period.parse(entry.period)
    except InputError as error:
        raise fail("period", str(error)) from None
    if (entry.counting == "backward") != period.backward:
        raise fail(
            "period",
            "un décompte à rebours (backward) demande une durée '-N days', et une durée "
            f"négative un décompte à rebours (reçu {quoted(entry.period)} avec counting "
            f"{quoted(entry.counting)})",
        )
    if entry.counting == "civil" and (period.days or period.months):
        raise fail("period", "une prescription (counting 'civil') se compte en années")
    if entry.text_kind == "verbatim" and (
        "[" in entry.text.replace("[…]", "") or "]" in entry.text.replace("[…]", "")
    ):
        raise fail(
            "text",
            "une citation verbatim n'a pas d'insertion entre [crochets] (seul \"[…]\" marque "
            'une coupure) : citez l\'article ou indiquez text_kind = "paraphrase"',
        )
    starts = tuple(
        _start(start, position, events, fail) for position, start in enumerate(entry.start)
    )
    for name in ("satisfied_by", "moot_by"):
        for position, key in enumerate(getattr(entry, name)):
            if key not in events:
                raise fail(f"{name}[{position}]", f"événement inconnu {quoted(key)}")
    for name in ("validity_event", "cap_event", "notice_event"):
        named = getattr(entry, name)
        if named is not None and named not in events:
            raise fail(name, f"événement inconnu {quoted(named)}")
    if (entry.cap_event is None) != (entry.cap_note is None):
        raise fail(
            "cap_note", "un plafond (`cap_event`) va avec la note qui cite sa règle (`cap_note`)"
        )
    if entry.validity_event is not None and not (entry.valid_from or entry.valid_until):
        raise fail("validity_event", "demande `valid_from` ou `valid_until`")
    if entry.valid_from and entry.valid_until and entry.valid_from > entry.valid_until:
        raise fail("valid_until", "précède valid_from")
    for position, court in enumerate(entry.courts):
        if court not in spec.courts:
            raise fail(
                f"courts[{position}]",
                f"juridiction {quoted(court)} absente des juridictions de la procédure",
            )
    if entry.period_attribute is not None:
        for position, start in enumerate(starts):
            attrs = events[start.event].attributes if start.event else None
            definition = (attrs or {}).get(entry.period_attribute)
            if definition is None or definition.type != "period":
                raise fail(
                    "period_attribute",
                    f"{quoted(entry.period_attribute)} n'est pas un attribut de durée de l'événement de "
                    f"start[{position}]",
                )
    for position, item in enumerate(entry.waiting):
        if item.event not in events:
            raise fail(f"waiting[{position}].event", f"événement inconnu {quoted(item.event)}")
    step = entry.next_step
    if step is not None and step.event is not None and step.event not in events:
        raise fail("next_step.event", f"événement inconnu {quoted(step.event)}")
    return DeadlineRule(
        key=entry.key,
        label=entry.label,
        starts=starts,
        period=period,
        counting=entry.counting,
        distance_extension=entry.distance_extension,
        actor=entry.actor,
        satisfied_by=entry.satisfied_by,
        moot_by=entry.moot_by,
        consequence=entry.consequence,
        basis=entry.basis,
        source=entry.source,
        text=entry.text,
        notes=entry.notes,
        text_kind=entry.text_kind,
        courts=entry.courts,
        valid_from=entry.valid_from,
        valid_until=entry.valid_until,
        validity_event=entry.validity_event,
        pick=entry.pick,
        period_attribute=entry.period_attribute,
        waiting=tuple((item.event, item.note) for item in entry.waiting),
        voids=entry.voids,
        cap_event=entry.cap_event,
        cap_note=entry.cap_note or "",
        notice_event=entry.notice_event,
        next_step=NextStep(step.label, step.documents, step.event) if step else None,
        ident=f"{spec.key}/{index}",
    )


Fail = Callable[[str, str], DefinitionError]


def _start(spec: StartSpec, position: int, events: Mapping[str, EventDef], fail: Fail) -> Start:
    at = f"start[{position}]"
    if (spec.event is None) == (spec.deadline is None):
        raise fail(at, "chaque départ nomme un `event` ou un `deadline` (un seul des deux)")
    if spec.event is not None and spec.event not in events:
        raise fail(f"{at}.event", f"événement inconnu {quoted(spec.event)}")
    if spec.deadline is not None and (spec.when or spec.when_event):
        raise fail(
            at, "les conditions (`when`, `when_event`) ne valent que pour un départ par événement"
        )
    if spec.event is not None:
        _check_conditions(events[spec.event], spec.when, f"{at}.when", fail)
    for other, conditions in spec.when_event.items():
        if other not in events:
            raise fail(f"{at}.when_event.{other}", f"événement inconnu {quoted(other)}")
        _check_conditions(events[other], conditions, f"{at}.when_event.{other}", fail)
    if spec.uncertain and not spec.note:
        raise fail(f"{at}.note", "un départ incertain demande une `note` qui dit pourquoi")
    if spec.not_before is not None and spec.not_before not in events:
        raise fail(f"{at}.not_before", f"événement inconnu {quoted(spec.not_before)}")
    return Start(
        event=spec.event,
        deadline=spec.deadline,
        when=tuple(sorted(spec.when.items())),
        when_event=tuple(
            sorted((event, tuple(sorted(cond.items()))) for event, cond in spec.when_event.items())
        ),
        uncertain=spec.uncertain,
        note=spec.note,
        not_before=spec.not_before,
    )


def _check_conditions(event: EventDef, conditions: Conditions, where: str, fail: Fail) -> None:
    """Each condition names an attribute of the event, with a value of the attribute's type."""
    for attr, value in conditions.items():
        definition = (event.attributes or {}).get(attr)
        if definition is None:
            raise fail(
                f"{where}.{attr}",
                f"l'événement {quoted(event.key)} n'a pas d'attribut {quoted(attr)}",
            )
        expected = {"bool": bool, "int": int}.get(definition.type, str)
        if type(value) is not expected:
            raise fail(
                f"{where}.{attr}",
                f"{quoted(value)} ne convient pas à l'attribut {quoted(attr)} (type {definition.type})",
            )
        if definition.type == "choice" and value not in definition.choices:
            raise fail(
                f"{where}.{attr}", f"{quoted(value)} : attendu {choices_fr(definition.choices)}"
            )


def _check_eligibility(
    eligibility: Eligibility, events: Mapping[str, EventDef], origin: str
) -> None:
    dated_by = eligibility.amount_date_event
    if dated_by is not None and dated_by not in events:
        raise DefinitionError(
            origin, "eligibility.amount_date_event", f"événement inconnu {quoted(dated_by)}"
        )
    by_parameter = eligibility.amicable_attempt_required == "parameter"
    if by_parameter != (eligibility.amicable_attempt_parameter is not None):
        raise DefinitionError(
            origin,
            "eligibility.amicable_attempt_parameter",
            'obligatoire quand amicable_attempt_required = "parameter", et seulement alors',
        )
    recorded_by = eligibility.amicable_attempt_event
    if recorded_by is None:
        return
    where = "eligibility.amicable_attempt_event"
    if not by_parameter:
        raise DefinitionError(
            origin, where, 'seulement quand amicable_attempt_required = "parameter"'
        )
    event = events.get(recorded_by)
    if event is None:
        raise DefinitionError(origin, where, f"événement inconnu {quoted(recorded_by)}")
    for name in AMICABLE_ATTEMPT_ATTRIBUTES:
        attribute = (event.attributes or {}).get(name)
        if attribute is None or attribute.type != "choice":
            raise DefinitionError(
                origin,
                where,
                f"l'événement {quoted(recorded_by)} doit avoir un attribut `choice` {quoted(name)}",
            )


def _check_overlaps(rules: list[DeadlineRule], origin: str) -> None:
    """Two versions of one deadline with the same conditions must not overlap in time."""
    for i, first in enumerate(rules):
        for second in rules[i + 1 :]:
            if first.key != second.key:
                continue
            if first.courts and second.courts and set(first.courts).isdisjoint(second.courts):
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
                    _path(second),
                    f"deux versions de {quoted(first.key)} ({_path(first)} et {_path(second)}) valent "
                    "pour la même juridiction, les mêmes conditions et les mêmes dates "
                    "(validités qui se chevauchent)",
                )


def _path(rule: DeadlineRule) -> str:
    return f"deadlines[{rule.ident.rpartition('/')[2]}]"


def _signature(start: Start) -> tuple[object, ...]:
    return (start.event, start.deadline, start.when, start.when_event, start.uncertain)


def _dependency_order(rules: list[DeadlineRule], origin: str) -> list[DeadlineRule]:
    """Order rules so that a deadline starting from another one comes after it; reject cycles."""
    keys = {rule.key for rule in rules}
    depends: dict[str, set[str]] = {k: set() for k in keys}
    for rule in rules:
        for position, start in enumerate(rule.starts):
            if start.deadline is not None:
                if start.deadline not in keys:
                    raise DefinitionError(
                        origin,
                        f"{_path(rule)}.start[{position}].deadline",
                        f"délai inconnu {quoted(start.deadline)} (dans {quoted(rule.key)})",
                    )
                depends[rule.key].add(start.deadline)
        for position, voided in enumerate(rule.voids):
            if voided not in keys:
                raise DefinitionError(
                    origin,
                    f"{_path(rule)}.voids[{position}]",
                    f"délai inconnu {quoted(voided)} (dans {quoted(rule.key)})",
                )
            depends[voided].add(rule.key)
    first_rule = {rule.key: rule for rule in reversed(rules)}
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(key: str, path: tuple[str, ...]) -> None:
        if state.get(key) == 2:
            return
        if state.get(key) == 1:
            raise DefinitionError(
                origin,
                f"{_path(first_rule[key])}.start",
                f"cycle dans les départs des délais : {' -> '.join((*path, key))}",
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


def check_parameter_references(
    procedures: Mapping[str, Procedure], parameter_keys: Collection[str]
) -> None:
    """The parameters a procedure names (`eligibility.*_parameter`) exist in parameters.toml."""
    for procedure in procedures.values():
        for name in ("amount_max_parameter", "amicable_attempt_parameter"):
            value = getattr(procedure.eligibility, name)
            if value is not None and value not in parameter_keys:
                raise DefinitionError(
                    procedure.origin,
                    f"eligibility.{name}",
                    f"paramètre inconnu {quoted(value)} (absent de procedures/parameters.toml)",
                )


def load_procedure(path: Path) -> Procedure:
    procedure = parse_procedure(read_toml(path), str(path))
    if procedure.key != path.stem:
        raise DefinitionError(
            str(path),
            "key",
            f"{quoted(procedure.key)} doit correspondre au nom du fichier {quoted(path.stem)}",
        )
    return procedure


NOT_PROCEDURES = frozenset({"parameters.toml", "relances.toml"})
"""Files of `procedures/` that hold no procedure: the dated parameters, the reminder scenarios
(`casefile.law.dunning`)."""


def load_procedures(directory: Path) -> dict[str, Procedure]:
    """Every procedure file of `directory` (NOT_PROCEDURES excepted), keyed by procedure."""
    procedures: dict[str, Procedure] = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name in NOT_PROCEDURES:
            continue
        procedure = load_procedure(path)
        procedures[procedure.key] = procedure
    return procedures
