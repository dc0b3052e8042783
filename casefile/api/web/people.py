"""The administrator's pages for people: the user list, a user's identity (edit, deactivate,
reactivate) and a case's assignment to an avocat and a commissaire de justice.

Thin over `casefile.services.users` and `casefile.services.assignments`; forms post here with
their session-bound CSRF token and redirect back (post/redirect/get) with a flash message, or
show the form again with the French error and what was typed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from msgspec import UNSET

from casefile.api.auth import Actor, requires
from casefile.api.web.pages import Form, flash, page
from casefile.errors import CasefileError
from casefile.labels import ROLES as ROLE_LABELS
from casefile.services import assignments
from casefile.services import users as service
from casefile.store.permissions import ROLES
from casefile.store.tables import UserAccount


def _user_path(name: str) -> str:
    return "/utilisateurs/" + quote(name, safe="")


def _changes(form: dict[str, str]) -> service.ProfileChanges:
    values: dict[str, Any] = {key: form.get(key, "") for key, _, _ in service.PROFILE_FIELDS}
    values["role"] = form.get("role", "")
    password = form.get("password", "")
    values["password"] = password if password else UNSET
    return service.ProfileChanges(**values)


class PeopleController(Controller):
    path = "/"
    include_in_schema = False

    @get("/utilisateurs", guards=[requires("user.admin")])
    async def users(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        people = await service.list_profiles(actor)
        return page(request, "users.html", people=people, user_path=_user_path)

    @get("/utilisateurs/{name:str}", guards=[requires("user.admin")])
    async def user_form(
        self, request: Request[Any, Any, Any], name: FromPath[str], actor: Actor
    ) -> Template:
        person = await service.get_profile(name, actor)
        return self._form(request, person, {}, None)

    def _form(
        self,
        request: Request[Any, Any, Any],
        person: service.UserProfile,
        typed: dict[str, str],
        error: str | None,
        status_code: int = 200,
    ) -> Template:
        values = {key: typed.get(key, getattr(person, key)) for key, _, _ in service.PROFILE_FIELDS}
        values["role"] = typed.get("role", person.role)
        return page(
            request,
            "user_edit.html",
            status_code=status_code,
            person=person,
            values=values,
            error=error,
            roles=[(role, ROLE_LABELS[role]) for role in ROLES],
            fields=service.PROFILE_FIELDS,
            action=_user_path(person.name),
        )

    @post("/utilisateurs/{name:str}", guards=[requires("user.admin")], status_code=303)
    async def save_user(
        self, request: Request[Any, Any, Any], name: FromPath[str], data: Form, actor: Actor
    ) -> Template | Redirect:
        try:
            person = await service.edit_user(name, _changes(data), actor)
        except CasefileError as error:
            if error.http_status == 404:
                raise
            current = await service.get_profile(name, actor)
            return self._form(request, current, data, str(error), error.http_status)
        flash(request, f"Utilisateur {person.name} enregistré : {person.display}.")
        return Redirect(path=_user_path(person.name), status_code=303)

    @post("/utilisateurs/{name:str}/desactiver", guards=[requires("user.admin")], status_code=303)
    async def deactivate(
        self, request: Request[Any, Any, Any], name: FromPath[str], actor: Actor
    ) -> Redirect:
        try:
            person = await service.deactivate_user(name, actor)
        except CasefileError as error:
            flash(request, str(error), "error")
        else:
            flash(
                request,
                f"Utilisateur {person.name} désactivé : ses sessions sont fermées, ses jetons "
                "d'API et ses abonnements de calendrier révoqués.",
            )
        return Redirect(path=_user_path(name), status_code=303)

    @post("/utilisateurs/{name:str}/reactiver", guards=[requires("user.admin")], status_code=303)
    async def reactivate(
        self, request: Request[Any, Any, Any], name: FromPath[str], actor: Actor
    ) -> Redirect:
        person = await service.reactivate_user(name, actor)
        flash(
            request,
            f"Utilisateur {person.name} réactivé. Ses anciens jetons et abonnements restent "
            "révoqués : émettez-en de nouveaux.",
        )
        return Redirect(path=_user_path(name), status_code=303)

    @get("/dossiers/{case_id:str}/attribution", guards=[requires("case.assign")])
    async def assignment_form(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor
    ) -> Template:
        from casefile.store.cases import get_case

        case = await get_case(case_id, actor)
        return await self._assignment(request, case, None)

    async def _assignment(
        self,
        request: Request[Any, Any, Any],
        case: dict[str, Any],
        error: str | None,
        status_code: int = 200,
    ) -> Template:
        rows = await (
            UserAccount.select(UserAccount.name, UserAccount.role, UserAccount.full_name)
            .where(
                UserAccount.role.is_in(list(assignments.ROLE_FOR.values()))
                & (UserAccount.active == True)  # noqa: E712
            )
            .order_by(UserAccount.name)
        )
        choices = {
            slot: [r for r in rows if r["role"] == role]
            for slot, role in assignments.ROLE_FOR.items()
        }
        return page(
            request,
            "case_assignment.html",
            status_code=status_code,
            case=case,
            choices=choices,
            error=error,
        )

    @post("/dossiers/{case_id:str}/attribution", guards=[requires("case.assign")], status_code=303)
    async def assign(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], data: Form, actor: Actor
    ) -> Template | Redirect:
        from casefile.store.cases import get_case

        current = await get_case(case_id, actor)
        # Only what the form changes: an unchanged holder is left alone (even if deactivated).
        wanted = {slot: data.get(slot) or None for slot in assignments.ROLE_FOR}
        change = assignments.Assignment(
            **{slot: name for slot, name in wanted.items() if name != current[slot]},
            expected_version=int(data["version"]) if data.get("version", "").isdigit() else None,
        )
        if change.lawyer is UNSET and change.commissaire is UNSET:
            flash(request, "Attribution inchangée.")
            return Redirect(path=f"/dossiers/{current['id']}", status_code=303)
        try:
            case = await assignments.assign_case(case_id, change, actor)
        except CasefileError as error:
            if error.http_status in (403, 404):
                raise
            return await self._assignment(request, current, str(error), error.http_status)
        flash(
            request,
            f"Dossier {case['reference']} : avocat {case['lawyer'] or 'aucun'}, "
            f"commissaire de justice {case['commissaire'] or 'aucun'}.",
        )
        return Redirect(path=f"/dossiers/{case['id']}", status_code=303)
