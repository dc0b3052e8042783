"""Reminder scenarios (relances amiables, `procedures/relances.toml`) and where a case stands in
its scenario on a given day. Pure: definitions and facts in, a decision out; no clock.

A scenario is an ordered list of levels. The next level is the first one not yet carried out;
it is due `delay_days` after the oldest due date of the unpaid, undisputed invoices (`from =
"echeance"`) or after the day the previous level was carried out (`"niveau_precedent"`), and
never sooner than `min_days_between_contacts` after the last contact. A level waiting for a
person (a letter to send, a call to make) holds the scenario: the next one counts from the day it
is done. A level whose action failed (an e-mail the mail server refused, a letter without a
postal address) is not carried out: nothing reached the debtor, so it holds the scenario until it
is tried again — by the daily run on the failure's `retry_on` day, or by a person's
« Réessayer » — and the next level counts from the day it succeeds. A promise to pay suspends
the scenario until its date; broken (not kept by its date), it brings the next level forward to
the day after the promised date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Literal

import msgspec

from casefile.errors import DefinitionError
from casefile.law.identifiers import normalise_key
from casefile.law.schema import Key, Spec, Text, Url, decode, read_toml
from casefile.law.wording import date_fr

Channel = Literal["email", "courrier", "telephone"]
Tone = Literal["courtois", "ferme", "formel"]
DebtorKind = Literal["professionnel", "consommateur"]
Days = Annotated[int, msgspec.Meta(ge=0, le=365)]

CHANNEL_LABELS: Mapping[str, str] = {
    "email": "e-mail",
    "courrier": "courrier",
    "telephone": "appel téléphonique",
}
TONE_LABELS: Mapping[str, str] = {"courtois": "courtois", "ferme": "ferme", "formel": "formel"}
MESSAGE_FIELDS = frozenset(
    {
        "creancier",
        "creancier_adresse",
        "signataire",
        "debiteur",
        "reference",
        "factures",
        "total_du",
        "date_du_jour",
        "entre_professionnels",
        "relance_precedente",
    }
)
"""What an e-mail or a call script may use (each invoice of `factures` has `numero`,
`date_emission`, `echeance`, `reste_du`)."""


class LevelSpec(Spec, frozen=True):
    key: Key
    label: Text
    delay_days: Days
    channel: Channel
    template: Key
    tone: Tone
    from_: Literal["echeance", "niveau_precedent"] = msgspec.field(name="from")
    registered: bool = False  # a letter sent by lettre recommandée avec accusé de réception
    event: Key | None = None  # the case event recorded when the letter is marked sent


class ScenarioSpec(Spec, frozen=True):
    key: Key
    title: Text
    debtor: DebtorKind
    levels: tuple[LevelSpec, ...]
    min_days_between_contacts: Days = 0


class ConsumerRuleSpec(Spec, frozen=True):
    key: Key
    basis: Text
    source: Url
    text: Text
    effect: Text
    forbidden: tuple[Text, ...] = ()


class CreditorSpec(Spec, frozen=True):
    siren: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{9}$")] | None = None
    name: Text | None = None
    professionnel: Key | None = None
    consommateur: Key | None = None


class MessageSpec(Spec, frozen=True):
    key: Key
    channel: Literal["email", "telephone"]
    audience: tuple[DebtorKind, ...]
    subject: Text
    body: Text


class DefaultsSpec(Spec, frozen=True):
    professionnel: Key
    consommateur: Key


class DunningFile(Spec, frozen=True):
    verified_on: date
    defaults: DefaultsSpec
    scenarios: tuple[ScenarioSpec, ...]
    messages: tuple[MessageSpec, ...]
    consumer_rules: tuple[ConsumerRuleSpec, ...] = ()
    creditors: tuple[CreditorSpec, ...] = ()


@dataclass(frozen=True)
class Dunning:
    """The loaded file: scenarios and messages by key, with the choices of each creditor."""

    origin: str
    verified_on: date
    defaults: Mapping[str, str]
    scenarios: Mapping[str, ScenarioSpec]
    messages: Mapping[str, MessageSpec]
    consumer_rules: tuple[ConsumerRuleSpec, ...]
    creditors: tuple[CreditorSpec, ...]

    def scenario_for(
        self, debtor_kind: str, creditor_siren: str | None, creditor_name: str
    ) -> ScenarioSpec:
        """The creditor's own scenario for this kind of debtor, else the default one."""
        kind = debtor_kind if debtor_kind in self.defaults else "professionnel"
        name_key = normalise_key(creditor_name or "")
        for choice in self.creditors:
            matches = (choice.siren is not None and choice.siren == creditor_siren) or (
                choice.name is not None and normalise_key(choice.name) == name_key
            )
            chosen = getattr(choice, kind) if matches else None
            if chosen:
                return self.scenarios[chosen]
        return self.scenarios[self.defaults[kind]]


def parse_dunning(data: object, origin: str) -> Dunning:
    spec = decode(data, DunningFile, origin)
    scenarios: dict[str, ScenarioSpec] = {}
    for i, scenario in enumerate(spec.scenarios):
        where = f"scenarios[{i}]"
        if scenario.key in scenarios:
            raise DefinitionError(
                origin, f"{where}.key", f"scénario « {scenario.key} » défini deux fois"
            )
        if not scenario.levels:
            raise DefinitionError(
                origin, f"{where}.levels", "un scénario doit avoir au moins un niveau"
            )
        if scenario.levels[0].from_ != "echeance":
            raise DefinitionError(
                origin,
                f"{where}.levels[0].from",
                "le premier niveau compte à partir de « echeance »",
            )
        seen: set[str] = set()
        for j, level in enumerate(scenario.levels):
            if level.key in seen:
                raise DefinitionError(
                    origin, f"{where}.levels[{j}].key", f"niveau « {level.key} » défini deux fois"
                )
            seen.add(level.key)
            if level.channel != "courrier" and (level.registered or level.event):
                raise DefinitionError(
                    origin,
                    f"{where}.levels[{j}]",
                    "`registered` et `event` ne valent que pour un courrier (canal courrier)",
                )
        scenarios[scenario.key] = scenario
    messages: dict[str, MessageSpec] = {}
    for i, message in enumerate(spec.messages):
        if message.key in messages:
            raise DefinitionError(
                origin, f"messages[{i}].key", f"message « {message.key} » défini deux fois"
            )
        messages[message.key] = message
    for i, scenario in enumerate(spec.scenarios):
        for j, level in enumerate(scenario.levels):
            if level.channel == "courrier":
                continue  # a .docx of the manifest: checked with the templates
            found = messages.get(level.template)
            where = f"scenarios[{i}].levels[{j}].template"
            if found is None:
                raise DefinitionError(origin, where, f"message « {level.template} » inconnu")
            message = found
            if message.channel != level.channel:
                raise DefinitionError(
                    origin,
                    where,
                    f"le message « {level.template} » est destiné au canal {message.channel}",
                )
            if scenario.debtor not in message.audience:
                raise DefinitionError(
                    origin,
                    where,
                    f"le message « {level.template} » n'est pas destiné à un débiteur "
                    f"{scenario.debtor} (destinataires : {', '.join(message.audience)})",
                )
    defaults = {
        "professionnel": spec.defaults.professionnel,
        "consommateur": spec.defaults.consommateur,
    }
    for kind, key in defaults.items():
        if key not in scenarios:
            raise DefinitionError(origin, f"defaults.{kind}", f"scénario « {key} » inconnu")
        if scenarios[key].debtor != kind:
            raise DefinitionError(
                origin,
                f"defaults.{kind}",
                f"le scénario « {key} » est prévu pour une autre qualité de débiteur",
            )
    for i, choice in enumerate(spec.creditors):
        if choice.siren is None and choice.name is None:
            raise DefinitionError(
                origin, f"creditors[{i}]", "désignez le créancier : `siren` ou `name`"
            )
        for kind in ("professionnel", "consommateur"):
            key = getattr(choice, kind)
            if key is None:
                continue
            if key not in scenarios:
                raise DefinitionError(
                    origin, f"creditors[{i}].{kind}", f"scénario « {key} » inconnu"
                )
            if scenarios[key].debtor != kind:
                raise DefinitionError(
                    origin,
                    f"creditors[{i}].{kind}",
                    f"le scénario « {key} » est prévu pour une autre qualité de débiteur",
                )
    return Dunning(
        origin=origin,
        verified_on=spec.verified_on,
        defaults=defaults,
        scenarios=scenarios,
        messages=messages,
        consumer_rules=tuple(spec.consumer_rules),
        creditors=tuple(spec.creditors),
    )


def load_dunning(path: Path) -> Dunning:
    return parse_dunning(read_toml(path), str(path))


def consumer_problems(dunning: Dunning) -> list[str]:
    """Messages of a consumer scenario that say what a consumer rule forbids (in French)."""
    used = {
        level.template
        for scenario in dunning.scenarios.values()
        if scenario.debtor == "consommateur"
        for level in scenario.levels
        if level.channel != "courrier"
    }
    problems = []
    for key in sorted(used):
        message = dunning.messages[key]
        text = f"{message.subject}\n{message.body}".lower()
        for rule in dunning.consumer_rules:
            for phrase in rule.forbidden:
                if phrase.lower() in text:
                    problems.append(
                        f"message « {key} » (destiné à un consommateur) contient « {phrase} » : "
                        f"{rule.basis}"
                    )
    return problems


# -- where a case stands ------------------------------------------------------------------------

StopReason = Literal["solde", "contestation", "echeancier", "contentieux", "clos"]
STOP_LABELS: Mapping[str, str] = {
    "solde": "arrêtées : plus rien n'est dû (paiement reçu)",
    "contestation": "arrêtées : toutes les factures impayées sont contestées",
    "echeancier": "arrêtées : un échéancier de paiement est en cours",
    "contentieux": "arrêtées : le dossier est passé au contentieux",
    "clos": "arrêtées : le dossier est clos",
}


@dataclass(frozen=True)
class Promise:
    promised_for: date
    status: Literal["en_cours", "tenue", "rompue", "annulee"]


@dataclass(frozen=True)
class Failure:
    """A level whose action failed on `on` (`message`: why, in French). `retry_on`: the day the
    daily run tries it again by itself (a refusal that may pass); None: it waits for a person
    (« Réessayer » once the cause is corrected)."""

    on: date
    message: str
    retry_on: date | None = None

    def reason(self, channel: str) -> str:
        channel_fr = CHANNEL_LABELS.get(channel, channel)
        what = f"{channel_fr} en échec le {date_fr(self.on)} : {self.message}"
        if self.retry_on is not None:
            return f"{what} ; nouvel essai automatique le {date_fr(self.retry_on)}"
        if "« Réessayer »" in self.message:  # the message says already what to do
            return what
        return f"{what} ; « Réessayer » une fois la cause corrigée"


@dataclass(frozen=True)
class Facts:
    """What the scenario depends on, read from the case."""

    due_dates: Sequence[date]  # of the unpaid, undisputed invoices
    carried_out: Mapping[str, date]  # level key → the day it was carried out
    waiting: frozenset[str]  # levels created, waiting for a person (letter, call)
    last_contact: date | None
    stop: StopReason | None
    promise: Promise | None  # the latest promise to pay not cancelled
    failed: Mapping[str, Failure] = field(default_factory=dict)  # level key → its failure


@dataclass(frozen=True)
class Step:
    """`state`: `arrete` (stopped: `reason`), `termine` (every level done), `attente` (the
    level waits for a person, or for a promise: `reason`), `prevu` (the level is due on `due`,
    later), `du` (the level is due on `due`, today or before: create its action)."""

    state: Literal["arrete", "termine", "attente", "prevu", "du"]
    level: LevelSpec | None = None
    due: date | None = None
    reason: str = ""


def next_step(scenario: ScenarioSpec, facts: Facts, today: date) -> Step:
    if facts.stop is not None:
        return Step("arrete", reason=STOP_LABELS[facts.stop])
    levels = scenario.levels
    index = next((i for i, lv in enumerate(levels) if lv.key not in facts.carried_out), None)
    if index is None:
        return Step("termine", reason="tous les niveaux sont faits : à transmettre au contentieux")
    level = levels[index]
    if level.key in facts.waiting:
        what = "courrier à envoyer" if level.channel == "courrier" else "appel à passer"
        return Step("attente", level, reason=f"{what} : {level.label}")
    failure = facts.failed.get(level.key)
    if failure is not None and failure.retry_on is None:
        return Step("attente", level, reason=failure.reason(level.channel))
    if not facts.due_dates:
        return Step("arrete", reason="aucune facture impayée non contestée")
    if level.from_ == "echeance" or index == 0:
        due = min(facts.due_dates) + timedelta(days=level.delay_days)
    else:
        due = facts.carried_out[levels[index - 1].key] + timedelta(days=level.delay_days)
    reason = ""
    if failure is not None and failure.retry_on is not None:
        due = max(due, failure.retry_on)
        reason = failure.reason(level.channel)
    promise = facts.promise
    if promise is not None and promise.status == "en_cours" and today <= promise.promised_for:
        return Step(
            "attente",
            level,
            promise.promised_for + timedelta(days=1),
            reason=f"promesse de paiement jusqu'au {date_fr(promise.promised_for)}",
        )
    broken = promise is not None and (
        promise.status == "rompue"
        or (promise.status == "en_cours" and today > promise.promised_for)
    )
    if (
        promise is not None
        and broken
        and (facts.last_contact is None or facts.last_contact <= promise.promised_for)
    ):
        due = min(due, promise.promised_for + timedelta(days=1))
    if facts.last_contact is not None and scenario.min_days_between_contacts:
        due = max(due, facts.last_contact + timedelta(days=scenario.min_days_between_contacts))
    return Step("du" if due <= today else "prevu", level, due, reason)


# -- promises to pay ----------------------------------------------------------------------------


def promise_kept_on(
    amount_cents: int, made_on: date, promised_for: date, payments: Sequence[tuple[date, int]]
) -> date | None:
    """The day the payments made from the promise to its date reached the promised amount."""
    total = 0
    for day, cents in sorted(payments):
        if day < made_on or cents <= 0:
            continue
        if day > promised_for:
            break
        total += cents
        if total >= amount_cents:
            return day
    return None


def promise_status(
    recorded: str,
    amount_cents: int,
    made_on: date,
    promised_for: date,
    payments: Sequence[tuple[date, int]],
    today: date,
) -> Literal["en_cours", "tenue", "rompue", "annulee"]:
    """What a promise is on `today`: kept once the payments reach it by its date, broken the day
    after its date without them; a cancelled one stays cancelled."""
    if recorded == "annulee":
        return "annulee"
    if promise_kept_on(amount_cents, made_on, promised_for, payments) is not None:
        return "tenue"
    return "rompue" if today > promised_for else "en_cours"
