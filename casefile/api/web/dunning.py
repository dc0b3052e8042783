"""Pages of the reminder scenarios (issue 17 items 1 and 2): the "À envoyer" list of letters,
the "Appels à passer" list, and the forms of the case page (promise to pay, dispute of an
invoice, a failed action tried again). Forms post here (CSRF-protected, session-authenticated);
the use cases are `casefile.services.dunning_actions`, `promises` and `claims`."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from casefile import clock
from casefile.api.auth import Actor, requires
from casefile.api.web.pages import Form, flash, page
from casefile.errors import CasefileError, InputError
from casefile.law.money import parse_amount
from casefile.services import claims, dunning, dunning_actions, promises
from casefile.store.cases import resolve_case


def _day(text: str, label: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{label} : « {text} » n'est pas une date (AAAA-MM-JJ)") from None


def _version(data: dict[str, str]) -> int | None:
    text = str(data.get("expected_version", "")).strip()
    return int(text) if text.isascii() and text.isdigit() else None


class DunningPagesController(Controller):
    path = "/relances"
    include_in_schema = False
    guards = (requires("case.write"),)

    @get("/a-envoyer")
    async def letters(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        found = await dunning_actions.waiting(actor, "courrier")
        return page(request, "dunning_letters.html", letters=found, today=clock.today())

    @get("/appels")
    async def calls(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        today = clock.today()
        found = []
        for action in await dunning_actions.waiting(actor, "telephone"):
            heading, script = await dunning_actions.call_script(action, today)
            found.append({"action": action, "heading": heading, "script": script})
        return page(request, "dunning_calls.html", calls=found, today=today)

    @post("/{action_id:int}/envoye", status_code=303)
    async def sent(
        self, request: Request[Any, Any, Any], action_id: FromPath[int], actor: Actor, data: Form
    ) -> Redirect:
        try:
            day = _day(str(data.get("sent_on", "")), "date d'envoi")
            result = await dunning_actions.mark_sent(
                action_id, actor, day, str(data.get("tracking", ""))
            )
        except CasefileError as error:
            flash(request, f"Courrier non marqué envoyé : {error}", "error")
            return Redirect(path="/relances/a-envoyer", status_code=303)
        if result["status"] == "annulee":
            flash(
                request, f"Courrier {result['reference']} annulé : {result['message']}", "warning"
            )
        else:
            flash(
                request,
                f"Courrier « {result['level_label']} » du dossier {result['reference']} marqué envoyé.",
            )
        return Redirect(path="/relances/a-envoyer", status_code=303)

    @post("/{action_id:int}/appel", status_code=303)
    async def call(
        self, request: Request[Any, Any, Any], action_id: FromPath[int], actor: Actor, data: Form
    ) -> Redirect:
        try:
            result = await dunning_actions.record_call(
                action_id, actor, str(data.get("outcome", ""))
            )
        except CasefileError as error:
            flash(request, f"Appel non enregistré : {error}", "error")
            return Redirect(path="/relances/appels", status_code=303)
        flash(request, f"Résultat de l'appel du dossier {result['reference']} enregistré.")
        return Redirect(path="/relances/appels", status_code=303)

    @post("/{action_id:int}/reessayer", status_code=303)
    async def retry(
        self, request: Request[Any, Any, Any], action_id: FromPath[int], actor: Actor, data: Form
    ) -> Redirect:
        case_id = str(data.get("case", "")).strip()
        target = f"/dossiers/{case_id}#h-relances" if case_id.isdigit() else "/relances/a-envoyer"
        try:
            report = await dunning_actions.retry(action_id, actor)
        except CasefileError as error:
            flash(request, f"Action non réessayée : {error}", "error")
            return Redirect(path=target, status_code=303)
        created = dunning.created_fr(report["created"])
        flash(request, f"Action réessayée : {created or 'rien à faire aujourd’hui'}.")
        return Redirect(path=target, status_code=303)


class CaseDunningPagesController(Controller):
    path = "/dossiers"
    include_in_schema = False

    @post("/{case_id:str}/promesses", guards=[requires("payment.write")], status_code=303)
    async def add_promise(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Redirect:
        row = await resolve_case(case_id, actor)
        try:
            promised_for = _day(str(data.get("promised_for", "")), "date promise")
            if promised_for is None:
                raise InputError("date promise : obligatoire")
            result = await promises.add_promise(
                row["id"],
                promises.PromiseIn(
                    amount=parse_amount(str(data.get("amount", "")), "montant promis"),
                    promised_for=promised_for,
                    made_by=str(data.get("made_by", "")),
                    channel=str(data.get("channel", "telephone")),
                    note=str(data.get("note", "")),
                    made_on=_day(str(data.get("made_on", "")), "date de la promesse"),
                    invoice=str(data.get("invoice", "")).strip() or None,
                ),
                actor,
                expected_version=_version(data),
            )
        except CasefileError as error:
            flash(
                request, f"Promesse non enregistrée : {error}", "error", form="promesse", kept=data
            )
            return Redirect(path=f"/dossiers/{row['id']}#h-relances", status_code=303)
        warnings = list(result["warnings"])
        flash(
            request,
            "Promesse de paiement enregistrée : elle figure dans les échéances du dossier.",
            "warning" if warnings else "info",
            warnings,
        )
        return Redirect(path=f"/dossiers/{row['id']}#h-relances", status_code=303)

    @post(
        "/{case_id:str}/promesses/{promise_id:int}/annuler",
        guards=[requires("payment.write")],
        status_code=303,
    )
    async def cancel_promise(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        promise_id: FromPath[int],
        actor: Actor,
        data: Form,
    ) -> Redirect:
        row = await resolve_case(case_id, actor)
        try:
            await promises.cancel_promise(
                row["id"], promise_id, actor, str(data.get("reason", "")), _version(data)
            )
        except CasefileError as error:
            flash(request, f"Promesse non annulée : {error}", "error")
        else:
            flash(request, "Promesse de paiement annulée.")
        return Redirect(path=f"/dossiers/{row['id']}#h-relances", status_code=303)

    @post("/{case_id:str}/contestations", guards=[requires("claim.write")], status_code=303)
    async def dispute(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Redirect:
        row = await resolve_case(case_id, actor)
        disputed = data.get("disputed", "1") == "1"
        try:
            result = await claims.set_dispute(
                row["id"],
                str(data.get("invoice", "")),
                actor,
                disputed=disputed,
                reason=str(data.get("reason", "")),
                on=_day(str(data.get("on", "")), "contestée le"),
                expected_version=_version(data),
            )
        except CasefileError as error:
            flash(
                request,
                f"Contestation non enregistrée : {error}",
                "error",
                form="contestation",
                kept=data,
            )
            return Redirect(path=f"/dossiers/{row['id']}#h-relances", status_code=303)
        flash(
            request,
            f"Facture {result['invoice_number']} "
            + (
                "contestée : exclue des relances, du décompte et des actes."
                if disputed
                else "à nouveau réclamée (contestation levée)."
            ),
        )
        return Redirect(path=f"/dossiers/{row['id']}#h-relances", status_code=303)
