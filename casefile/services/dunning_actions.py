"""What people do with the reminder actions (issue 17 item 1): the "À envoyer" list of letters
(mark one sent: a mise en demeure is then recorded as the case's event), the "Appels à passer"
list (record the call's outcome), a failed action tried again once its data are corrected, and
the scenario state of one case for its page and the API. Every change is audited on the case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from casefile import clock
from casefile.definitions import dunning, engine
from casefile.documents.formatting import date_fr
from casefile.errors import Conflict, InputError, InvalidFields, NotFound, Unavailable
from casefile.law.dunning import CHANNEL_LABELS, LevelSpec
from casefile.law.money import cents_text, from_cents
from casefile.law.periods import add_period
from casefile.notify.debtor_mail import render_text
from casefile.services import dunning as flow
from casefile.services.events import add_event
from casefile.store.cases import resolve_case
from casefile.store.db import atomic
from casefile.store.permissions import User, assigned_only, require
from casefile.store.tables import Case, DunningAction, Party

MAX_OUTCOME = 2000
MAX_TRACKING = 100


def _level(state: flow.CaseDunning, key: str) -> LevelSpec:
    for level in state.scenario.levels:
        if level.key == key:
            return level
    for scenario in dunning().scenarios.values():
        for level in scenario.levels:
            if level.key == key:
                return level
    raise NotFound(f"niveau de relance « {key} » inconnu")


async def _action(action_id: int, actor: User) -> tuple[dict[str, Any], dict[str, Any]]:
    """The action and its case row, after the case's read check."""
    row = await DunningAction.select().where(DunningAction.id == action_id).first()
    if row is None:
        raise NotFound(f"action de relance n° {action_id} inconnue")
    case = await resolve_case(row["case"], actor)
    return dict(row), case


def letter_delay(event: str, letter_on: date | None, sent_on: date) -> dict[str, Any]:
    """The event's delay attribute that makes the case's deadline the one the letter states:
    the letter dated `letter_on` gives the debtor the period of `procedures/amiable.toml` from
    its own date (the mise en demeure: 8 days unless recorded otherwise); sent on `sent_on`, the
    debtor has the days left. None left: the letter is out of date."""
    if letter_on is None:
        return {}
    rule = next(
        (
            r
            for r in engine().procedure(flow.AMICABLE).deadlines
            if r.period_attribute and any(s.event == event for s in r.starts)
        ),
        None,
    )
    if rule is None or rule.period_attribute is None:
        return {}
    deadline = add_period(letter_on, rule.period)
    left = (deadline - sent_on).days
    if left < 1:
        raise Conflict(
            f"la lettre datée du {date_fr(letter_on)} fixe le paiement au plus tard le "
            f"{date_fr(deadline)} : envoyée le {date_fr(sent_on)}, elle ne laisse aucun délai ; "
            "générez une nouvelle lettre (« Régénérer ») avant de l'envoyer"
        )
    return {rule.period_attribute: f"{left} days"}


async def mark_sent(
    action_id: int,
    actor: User,
    sent_on: date | None = None,
    tracking: str = "",
    today: date | None = None,
) -> dict[str, Any]:
    """The letter went out on `sent_on` (default today), with its registered-post number when
    it has one. A letter whose scenario stopped meanwhile is cancelled instead, with why."""
    require(actor, "case.write")
    today = today or clock.today()
    day = sent_on or today
    tracking = " ".join((tracking or "").split())
    if len(tracking) > MAX_TRACKING:
        raise InvalidFields({"tracking": f"numéro d'envoi : {MAX_TRACKING} caractères au plus"})
    if day > today:
        raise InvalidFields({"sent_on": f"date d'envoi : le {date_fr(day)} est dans le futur"})
    async with atomic():
        action, case = await _action(action_id, actor)
        if action["channel"] != "courrier" or action["status"] != "a_envoyer":
            raise Conflict(
                f"ce courrier n'est plus à envoyer (statut : "
                f"{flow.STATUS_LABELS.get(action['status'], action['status'])})"
            )
        letter_on = action["letter_on"]
        if letter_on is not None and day < letter_on:
            raise InvalidFields(
                {
                    "sent_on": f"date d'envoi : le {date_fr(day)} précède la date du courrier "
                    f"({date_fr(letter_on)}) ; un courrier part le jour de sa date ou après"
                }
            )
        state = await flow.for_case(case, today)
        level = _level(state, action["level"])
        if state.step.state == "arrete":
            await flow.cancel_waiting(state, actor)
            return await action_view(action_id)
        await DunningAction.update(
            {
                DunningAction.status: "envoyee",
                DunningAction.done_on: day,
                DunningAction.done_by: actor.name,
                DunningAction.outcome: tracking,
            }
        ).where(DunningAction.id == action_id)
        await flow.record_action(
            actor,
            "dunning.letter_sent",
            state,
            level,
            {
                "status": "envoyee",
                "date": day.isoformat(),
                **({"tracking": tracking} if tracking else {}),
            },
        )
        if level.event:
            attributes = letter_delay(level.event, action["letter_on"], day)
            await add_event(case["id"], level.event, day, attributes, actor, today=today)
    return await action_view(action_id)


async def record_call(
    action_id: int, actor: User, outcome: str, today: date | None = None
) -> dict[str, Any]:
    """The call was made: what came of it (in a sentence, required)."""
    require(actor, "case.write")
    today = today or clock.today()
    text = " ".join((outcome or "").split())
    if not text:
        raise InvalidFields({"outcome": "résultat de l'appel : obligatoire"})
    if len(text) > MAX_OUTCOME:
        raise InvalidFields({"outcome": f"résultat de l'appel : {MAX_OUTCOME} caractères au plus"})
    async with atomic():
        action, case = await _action(action_id, actor)
        if action["channel"] != "telephone" or action["status"] != "a_appeler":
            raise Conflict(
                f"cet appel n'est plus à passer (statut : "
                f"{flow.STATUS_LABELS.get(action['status'], action['status'])})"
            )
        state = await flow.for_case(case, today)
        level = _level(state, action["level"])
        await DunningAction.update(
            {
                DunningAction.status: "faite",
                DunningAction.done_on: today,
                DunningAction.done_by: actor.name,
                DunningAction.outcome: text,
            }
        ).where(DunningAction.id == action_id)
        await flow.record_action(
            actor, "dunning.call", state, level, {"status": "faite", "outcome": text}
        )
    return await action_view(action_id)


async def retry(action_id: int, actor: User, today: date | None = None) -> dict[str, Any]:
    """Try a failed action again once its data are corrected, or render again a letter still
    to send (dated today: one kept too long gives the debtor no delay any more): the action is
    withdrawn and created anew for this case at once."""
    require(actor, "case.write")
    today = today or clock.today()
    async with atomic():
        action, case = await _action(action_id, actor)
        letter = action["channel"] == "courrier" and action["status"] == "a_envoyer"
        if action["status"] != "echec" and not letter:
            raise Conflict(
                "seule une action en échec (ou un courrier encore à envoyer) peut être refaite"
            )
        if (case.get("phase") or flow.AMICABLE) != flow.AMICABLE:
            raise Conflict("le dossier est passé au contentieux : les relances sont arrêtées")
        state = await flow.for_case(case, today)
        await DunningAction.delete().where(DunningAction.id == action_id)
        await flow.record_action(
            actor,
            "dunning.regenerate" if letter else "dunning.retry",
            state,
            _level(state, action["level"]),
            {"status": "retiree", **({"message": action["message"]} if action["message"] else {})},
        )
    try:
        return await flow.run_due(today, [case["id"]])
    except flow.MailServerUnavailable as error:
        raise Unavailable(str(error)) from None


# -- views --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionLine:
    id: int
    case_id: int
    reference: str
    debtor: str
    scenario: str
    level: str
    level_label: str
    channel: str
    channel_label: str
    due_on: str
    status: str
    status_label: str
    recipient: str
    message: str
    outcome: str
    document_id: int | None
    registered: bool
    done_on: str | None
    done_by: str


def _line(row: Mapping[str, Any], reference: str, debtor: str) -> ActionLine:
    level: LevelSpec | None = None
    scenario = dunning().scenarios.get(row["scenario"])
    if scenario is not None:
        level = next((lv for lv in scenario.levels if lv.key == row["level"]), None)
    return ActionLine(
        id=row["id"],
        case_id=row["case"],
        reference=reference,
        debtor=debtor,
        scenario=row["scenario"],
        level=row["level"],
        level_label=level.label if level else row["level"],
        channel=row["channel"],
        channel_label=CHANNEL_LABELS.get(row["channel"], row["channel"]),
        due_on=row["due_on"].isoformat(),
        status=row["status"],
        status_label=flow.STATUS_LABELS.get(row["status"], row["status"]),
        recipient=row["recipient"],
        message=row["message"],
        outcome=row["outcome"],
        document_id=row["document"],
        registered=bool(level and level.registered),
        done_on=row["done_on"].isoformat() if row["done_on"] else None,
        done_by=row["done_by"],
    )


async def action_view(action_id: int) -> dict[str, Any]:
    row = await DunningAction.select().where(DunningAction.id == action_id).first()
    if row is None:
        raise NotFound(f"action de relance n° {action_id} inconnue")
    case = await Case.select(Case.reference).where(Case.id == row["case"]).first()
    debtor = (
        await Party.select(Party.name)
        .where((Party.case == row["case"]) & (Party.role == "debtor"))
        .first()
    )
    line = _line(row, case["reference"] if case else "", debtor["name"] if debtor else "")
    return dict(line.__dict__)


async def waiting(actor: User, channel: str) -> list[ActionLine]:
    """The letters to send (`courrier`) or the calls to make (`telephone`) of the cases the
    reader may work on, oldest due first."""
    require(actor, "case.write")
    status = "a_envoyer" if channel == "courrier" else "a_appeler"
    rows = await (
        DunningAction.select()
        .where((DunningAction.status == status) & (DunningAction.channel == channel))
        .order_by(DunningAction.due_on)
        .order_by(DunningAction.id)
    )
    if not rows:
        return []
    ids = sorted({r["case"] for r in rows})
    cases = {
        r["id"]: r
        for r in await Case.select(Case.id, Case.reference, Case.commissaire).where(
            Case.id.is_in(ids) & (Case.phase == flow.AMICABLE)  # handed over: no longer to do
        )
    }
    debtors = {
        r["case"]: r["name"]
        for r in await Party.select(Party.case, Party.name).where(
            Party.case.is_in(ids) & (Party.role == "debtor")
        )
    }
    out = []
    for row in rows:
        case = cases.get(row["case"])
        if case is None or (assigned_only(actor.role) and case["commissaire"] != actor.id):
            continue
        out.append(_line(row, case["reference"], debtors.get(row["case"], "")))
    return out


async def call_script(action: ActionLine, today: date) -> tuple[str, str]:
    """(heading, script) of a call, rendered with the case's fields of today."""
    case = await Case.select().where(Case.id == action.case_id).first()
    if case is None:
        raise NotFound(f"dossier n° {action.case_id} inconnu")
    state = await flow.for_case(case, today)
    level = _level(state, action.level)
    message = dunning().messages.get(level.template)
    if message is None:
        return level.label, ""
    return render_text(message, flow.message_fields(state))


@dataclass(frozen=True)
class ScenarioState:
    """The scenario of one case on a day, as its page and the API show it."""

    case_id: int
    reference: str
    phase: str
    scenario: str
    scenario_title: str
    state: str
    state_label: str
    next_level: str | None
    next_label: str | None
    next_channel: str | None
    next_due: str | None
    reason: str
    outstanding: str  # undisputed principal left, decimal string
    disputed: list[str]
    levels: list[dict[str, Any]]  # each level with its action's status, if any
    actions: list[ActionLine]
    promises: list[dict[str, Any]]
    notice: str = ""  # why the due level was not carried out (no mail server), and what to do


STATE_LABELS = {
    "arrete": "relances arrêtées",
    "termine": "scénario terminé",
    "attente": "en attente",
    "prevu": "prochaine relance prévue",
    "du": "relance due",
}
PROMISE_LABELS = {
    "en_cours": "en cours",
    "tenue": "tenue",
    "rompue": "rompue",
    "annulee": "annulée",
}


async def case_state(case: int | str, actor: User, today: date) -> ScenarioState:
    require(actor, "case.read")
    row = await resolve_case(case, actor)
    state = await flow.for_case(row, today)
    debtor = str(state.debtor.get("name") or "")
    by_level = {a["level"]: a for a in state.actions if a["scenario"] == state.scenario.key}
    step = state.step
    levels = []
    for position, level in enumerate(state.scenario.levels, start=1):
        action = by_level.get(level.key)
        levels.append(
            {
                "position": position,
                "key": level.key,
                "label": level.label,
                "channel": level.channel,
                "channel_label": CHANNEL_LABELS[level.channel],
                "delay_days": level.delay_days,
                "from": level.from_,
                "tone": level.tone,
                "status": action["status"] if action else None,
                "status_label": flow.STATUS_LABELS.get(action["status"], "") if action else "",
                "done_on": action["done_on"].isoformat() if action and action["done_on"] else None,
            }
        )
    return ScenarioState(
        case_id=row["id"],
        reference=row["reference"],
        phase=str(row.get("phase") or flow.AMICABLE),
        scenario=state.scenario.key,
        scenario_title=state.scenario.title,
        state=step.state,
        state_label=STATE_LABELS[step.state],
        next_level=step.level.key if step.level else None,
        next_label=step.level.label if step.level else None,
        next_channel=step.level.channel if step.level else None,
        next_due=step.due.isoformat() if step.due else None,
        reason=step.reason,
        outstanding=cents_text(state.total_cents),
        disputed=list(state.disputed),
        levels=levels,
        actions=[_line(a, row["reference"], debtor) for a in state.actions],
        promises=[
            {
                "id": p["id"],
                "amount": str(from_cents(p["amount_cents"])),
                "promised_for": p["promised_for"].isoformat(),
                "made_on": p["made_on"].isoformat(),
                "made_by": p["made_by"],
                "channel": p["channel"],
                "note": p["note"],
                "recorded_by": p["recorded_by"],
                "status": p["status_today"],
                "status_label": PROMISE_LABELS.get(p["status_today"], p["status_today"]),
            }
            for p in state.promises
        ],
        notice=(
            flow.NO_MAIL_SERVER
            if step.state == "du"
            and step.level is not None
            and step.level.channel == "email"
            and flow.mail_server_missing()
            else ""
        ),
    )


def check_channel(channel: str) -> str:
    if channel not in ("courrier", "telephone"):
        raise InputError("liste : « courrier » (à envoyer) ou « telephone » (appels à passer)")
    return channel
