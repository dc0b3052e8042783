"""Pages of the e-mail reminders: "Mes préférences" (each user's choice) and the one-click
unsubscribe link of every reminder (RFC 8058: a POST to the link unsubscribes at once, without
a session; a GET shows a confirmation button, so that a link scanner unsubscribes no one)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from casefile.api.auth import Actor
from casefile.api.web.pages import Form, flash, page
from casefile.errors import CasefileError, InputError
from casefile.services import reminders

KIND_WORDS = {"digest": "le récapitulatif quotidien", "alert": "les alertes d'échéance"}


def _days(data: dict[str, str], field: str, label: str, default: int) -> int:
    text = str(data.get(field, "")).strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()):
        raise InputError(f"{label} : un nombre de jours (ex. 7)")
    return int(text)


class PreferencesController(Controller):
    path = "/preferences"
    include_in_schema = False

    @get("/")
    async def form(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        prefs = await reminders.get_prefs(actor.id)
        return page(request, "preferences.html", prefs=prefs, error=None)

    @post("/", status_code=303)
    async def save(
        self, request: Request[Any, Any, Any], actor: Actor, data: Form
    ) -> Template | Redirect:
        entered = reminders.Prefs(
            email=str(data.get("email", "")),
            digest=data.get("digest") == "1",
            alerts=data.get("alerts") == "1",
        )
        try:
            entered = reminders.Prefs(
                email=entered.email,
                digest=entered.digest,
                digest_days=_days(data, "digest_days", "récapitulatif", 7),
                alerts=entered.alerts,
                alert_days=_days(data, "alert_days", "alerte", 3),
            )
            await reminders.save_prefs(actor, actor.id, entered)
        except CasefileError as error:
            return page(
                request, "preferences.html", status_code=422, prefs=entered, error=str(error)
            )
        flash(request, "Vos préférences de rappel sont enregistrées.")
        return Redirect(path="/preferences/", status_code=303)


class UnsubscribeController(Controller):
    path = "/desabonnement"
    include_in_schema = False

    @get("/{token:str}", opt={"exclude_from_auth": True})
    async def confirm(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        return page(request, "unsubscribe.html", token=token, done=None)

    # No session, no CSRF token: the signed link is the credential (RFC 8058 §3.2).
    @post(
        "/{token:str}",
        opt={"exclude_from_auth": True, "exclude_from_csrf": True},
        status_code=200,
    )
    async def unsubscribe(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        kind = await reminders.unsubscribe_by_token(token)
        return page(request, "unsubscribe.html", token=token, done=KIND_WORDS[kind])
