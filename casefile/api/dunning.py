"""Reminder scenarios and promises to pay (issue 17 items 1 and 2), HTTP only:

- `GET /api/cases/{id}/relances` — the case's scenario, its levels, actions and promises;
- `POST /api/cases/{id}/promises` — a promise to pay (`{"amount", "promised_for", "made_by",
  "channel", "note", "made_on"?, "invoice"?}`) → 201; `DELETE /api/cases/{id}/promises/{p}`;
- `GET /api/relances/courriers` (letters to send) and `GET /api/relances/appels` (calls to make);
- `POST /api/relances/{action}/sent` (`{"sent_on"?, "tracking"?}`), `POST
  /api/relances/{action}/call` (`{"outcome"}`), `POST /api/relances/{action}/retry`.

The use cases are `casefile.services.dunning_actions` and `casefile.services.promises`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody, Parameter

from casefile import clock
from casefile.api.auth import Actor, allows, requires
from casefile.services import dunning_actions, promises

Version = Annotated[int | None, Parameter(ge=0, description="refuser si le dossier a changé")]
RowId = Annotated[int, Parameter(ge=1, le=2**31 - 1)]


class ActionOut(msgspec.Struct):
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


class CallOut(ActionOut):
    heading: str = ""
    script: str = ""


class LevelOut(msgspec.Struct):
    position: int
    key: str
    label: str
    channel: str
    channel_label: str
    delay_days: int
    from_: str = msgspec.field(name="from")
    tone: str = ""
    status: str | None = None
    status_label: str = ""
    done_on: str | None = None


class PromiseOut(msgspec.Struct):
    id: int
    amount: str
    promised_for: str
    made_on: str
    made_by: str
    channel: str
    note: str
    recorded_by: str
    status: str
    status_label: str


class ScenarioOut(msgspec.Struct):
    case_id: int
    reference: str
    phase: str
    scenario: str
    scenario_title: str
    state: str  # arrete | termine | attente | prevu | du
    state_label: str
    next_level: str | None
    next_label: str | None
    next_channel: str | None
    next_due: str | None
    reason: str
    outstanding: str
    disputed: list[str]
    levels: list[LevelOut]
    actions: list[ActionOut]
    promises: list[PromiseOut]
    notice: str = ""  # why the due level was not carried out (no mail server), what to do


class PromiseIn(msgspec.Struct, forbid_unknown_fields=True):
    amount: Decimal
    promised_for: date
    made_by: Annotated[str, msgspec.Meta(max_length=300)] = ""
    channel: Annotated[str, msgspec.Meta(max_length=20)] = "telephone"
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    made_on: date | None = None
    invoice: Annotated[str, msgspec.Meta(max_length=100)] | None = None


class PromiseCreated(msgspec.Struct):
    id: int
    version: int
    promise: dict[str, str]
    added: list[str]
    warnings: list[str] = []  # valid but unlikely: a promise above what is owed


class Changed(msgspec.Struct):
    version: int
    added: list[str]
    removed: list[str]


class SentIn(msgspec.Struct, forbid_unknown_fields=True):
    sent_on: date | None = None
    tracking: Annotated[str, msgspec.Meta(max_length=100)] = ""


class CallIn(msgspec.Struct, forbid_unknown_fields=True):
    outcome: Annotated[str, msgspec.Meta(max_length=2000)]


class RunOut(msgspec.Struct):
    day: str
    examined: int
    created: dict[str, int]
    cancelled: int
    promises_settled: int
    errors: list[str]
    deferred_emails: int
    skipped: str = ""


def _keys(items: list[dict[str, Any]]) -> list[str]:
    return [str(d["key"]) for d in items]


class CaseDunningController(Controller):
    path = "/api/cases"
    tags = ("relances",)

    @get(
        "/{case_id:str}/relances",
        opt=allows("case.read"),
        summary="Scénario de relance du dossier : niveaux, actions, promesses",
    )
    async def state(self, case_id: FromPath[str], actor: Actor) -> ScenarioOut:
        found = await dunning_actions.case_state(case_id, actor, clock.today())
        return msgspec.convert(found, ScenarioOut, from_attributes=True)

    @post(
        "/{case_id:str}/promises",
        opt=allows("payment.write"),
        summary="Enregistrer une promesse de paiement (échéance du dossier)",
    )
    async def add_promise(
        self,
        case_id: FromPath[str],
        actor: Actor,
        data: JSONBody[PromiseIn],
        expected_version: Version = None,
    ) -> PromiseCreated:
        result = await promises.add_promise(
            case_id,
            promises.PromiseIn(
                amount=data.amount,
                promised_for=data.promised_for,
                made_by=data.made_by,
                channel=data.channel,
                note=data.note,
                made_on=data.made_on,
                invoice=data.invoice,
            ),
            actor,
            expected_version=expected_version,
        )
        return PromiseCreated(
            result["id"],
            result["version"],
            result["promise"],
            _keys(result["added"]),
            result["warnings"],
        )

    @delete(
        "/{case_id:str}/promises/{promise_id:int}",
        opt=allows("payment.write"),
        status_code=200,
        summary="Annuler une promesse de paiement",
    )
    async def cancel_promise(
        self,
        case_id: FromPath[str],
        promise_id: RowId,
        actor: Actor,
        reason: Annotated[str, Parameter(max_length=500)] = "",
        expected_version: Version = None,
    ) -> Changed:
        result = await promises.cancel_promise(
            case_id, promise_id, actor, reason, expected_version=expected_version
        )
        return Changed(result["version"], _keys(result["added"]), _keys(result["removed"]))


class DunningController(Controller):
    path = "/api/relances"
    tags = ("relances",)
    guards = (requires("case.write"),)

    @get("/courriers", summary="Courriers de relance à envoyer")
    async def letters(self, actor: Actor) -> list[ActionOut]:
        found = await dunning_actions.waiting(actor, "courrier")
        return [msgspec.convert(a, ActionOut, from_attributes=True) for a in found]

    @get("/appels", summary="Appels de relance à passer, avec leur script")
    async def calls(self, actor: Actor) -> list[CallOut]:
        out = []
        today = clock.today()
        for action in await dunning_actions.waiting(actor, "telephone"):
            heading, script = await dunning_actions.call_script(action, today)
            out.append(CallOut(**{**action.__dict__, "heading": heading, "script": script}))
        return out

    @post("/{action_id:int}/sent", status_code=200, summary="Marquer un courrier envoyé")
    async def sent(self, action_id: RowId, actor: Actor, data: JSONBody[SentIn]) -> ActionOut:
        result = await dunning_actions.mark_sent(action_id, actor, data.sent_on, data.tracking)
        return msgspec.convert(result, ActionOut)

    @post("/{action_id:int}/call", status_code=200, summary="Noter le résultat d'un appel")
    async def call(self, action_id: RowId, actor: Actor, data: JSONBody[CallIn]) -> ActionOut:
        result = await dunning_actions.record_call(action_id, actor, data.outcome)
        return msgspec.convert(result, ActionOut)

    @post("/{action_id:int}/retry", status_code=200, summary="Réessayer une action en échec")
    async def retry(self, action_id: RowId, actor: Actor) -> RunOut:
        return msgspec.convert(await dunning_actions.retry(action_id, actor), RunOut)
