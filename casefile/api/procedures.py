"""Procedure definitions and the what-if simulator: the pure core over HTTP, no database."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import Body, FromPath

from casefile.errors import InputError, NotFound
from casefile.labels import choice_fr
from casefile.law.procedures import AttributeDef, Procedure
from casefile.law.suggestions import unknown_procedure
from casefile.law.wording import quoted


def procedure_summary(procedure: Procedure) -> dict[str, Any]:
    return {
        "key": procedure.key,
        "title": procedure.title,
        "legal_basis": procedure.legal_basis,
        "courts": list(procedure.courts),
        "events": list(procedure.events),
        "deadlines": list(procedure.deadline_keys),
    }


def _option(attribute: AttributeDef, value: str) -> dict[str, Any]:
    """A choice as a form offers it: its label from the definition (else the French word for
    the value), and for a choice the law defines its article, source and whether it is
    confirmed (`uncertain`, with the `note` saying why)."""
    described = attribute.choice(value)
    if described is None:
        return {
            "value": value,
            "label": choice_fr(value),
            "basis": "",
            "source": "",
            "note": "",
            "uncertain": False,
        }
    return {
        "value": value,
        "label": described.label,
        "basis": described.basis,
        "source": described.source,
        "note": described.note,
        "uncertain": described.uncertain,
    }


def procedure_detail(procedure: Procedure) -> dict[str, Any]:
    """Everything a client needs to build an event form and explain each rule."""
    return {
        **procedure_summary(procedure),
        "summary": procedure.summary,
        "default_court": procedure.default_court,
        "verified_on": procedure.verified_on.isoformat() if procedure.verified_on else None,
        "events": [
            {
                "key": event.key,
                "label": event.label,
                "attributes": [
                    {
                        "key": attr.key,
                        "type": attr.type,
                        "label": attr.label,
                        "help": attr.help,
                        "choices": list(attr.choices),
                        "options": [_option(attr, value) for value in attr.choices],
                    }
                    for attr in (event.attributes or {}).values()
                ],
            }
            for event in procedure.events.values()
        ],
        "rules": [
            {
                "key": rule.key,
                "label": rule.label,
                "period": str(rule.period),
                "counting": rule.counting,
                "actor": rule.actor,
                "basis": rule.basis,
                "source": rule.source,
                "text": rule.text,
                "consequence": rule.consequence,
                "courts": list(rule.courts),
                "valid_from": rule.valid_from.isoformat() if rule.valid_from else None,
                "valid_until": rule.valid_until.isoformat() if rule.valid_until else None,
                "next_step": {
                    "label": rule.next_step.label,
                    "documents": list(rule.next_step.documents),
                    "event": rule.next_step.event,
                }
                if rule.next_step
                else None,
            }
            for rule in procedure.deadlines
        ],
    }


def find_procedure(key: str) -> Procedure:
    from casefile.definitions import engine

    procedure = engine().procedures.get(key)
    if procedure is None:
        refused = unknown_procedure(key, engine().procedures)
        missing = NotFound(str(refused))
        missing.page_message = refused.page_message
        raise missing
    return procedure


def simulate(key: str, body: dict[str, Any]) -> dict[str, Any]:
    """The CLI's request shape with the procedure taken from the path."""
    from casefile.definitions import engine
    from casefile.law.requests import schedule_for

    find_procedure(key)
    if body.get("procedure", key) != key:
        raise InputError(
            f"procedure : {quoted(body['procedure'])} dans le corps de la requête diffère de "
            f"{quoted(key)} "
            "dans l'adresse"
        )
    return schedule_for(engine(), {**body, "procedure": key}).as_dict()


class ProcedureController(Controller):
    path = "/api/procedures"
    tags = ("procédures",)

    @get("/", summary="Les procédures et leurs délais")
    async def list_procedures(self) -> list[dict[str, Any]]:
        from casefile.definitions import engine

        return [procedure_summary(p) for p in engine().procedures.values()]

    @get("/{key:str}", summary="Une procédure : événements, attributs, règles sourcées")
    async def show_procedure(self, key: FromPath[str]) -> dict[str, Any]:
        return procedure_detail(find_procedure(key))

    @post(
        "/{key:str}/simulate",
        status_code=200,
        summary="Simulateur : événements datés → délais (sans dossier)",
        description=(
            'Corps : {"events": {clé: {"date": "AAAA-MM-JJ", attributs…}}, "court", '
            '"court_department", "debtor_residence", "claim_total", "today"}.'
        ),
    )
    async def simulate_procedure(
        self,
        key: FromPath[str],
        data: Annotated[dict[str, Any], Body(description="la demande de calcul")],
    ) -> dict[str, Any]:
        return simulate(key, data)
