"""Courts on the web (issue 13 item 3): the administrator's page listing, adding and correcting
the courts (`/admin/juridictions`), and the case page's choice of the case's court.

Forms post here (session, CSRF); a refusal shows the same form again (422) with each message
beside its field. The use cases are `casefile.services.courts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, Parameter
from litestar.response import Redirect, Template

from casefile.api.auth import Actor, requires
from casefile.api.web.pages import flash, page
from casefile.errors import CasefileError, InvalidFields
from casefile.services import courts
from casefile.services.cases import resolve_case

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
CourtId = Annotated[int, Parameter(ge=1, le=2**31 - 1)]
KIND_OPTIONS = [("", "— choisir —"), *courts.KINDS.items()]


def _court_page(
    request: Request[Any, Any, Any],
    court: Mapping[str, Any] | None,
    values: Mapping[str, Any],
    listed: list[dict[str, Any]],
    errors: Mapping[str, str] | None = None,
    error: str | None = None,
) -> Template:
    return page(
        request,
        "courts.html",
        status_code=422 if errors or error else 200,
        court=court,
        courts=listed,
        values=values,
        errors=errors or {},
        error=error,
        kind_options=KIND_OPTIONS,
        field_ids={k: f"court-{k}" for k in courts.LABELS},
    )


def _failure(failure: CasefileError) -> tuple[dict[str, str], str | None]:
    if isinstance(failure, InvalidFields):
        return dict(failure.errors), None
    return {}, str(failure)


class CourtAdminController(Controller):
    path = "/admin/juridictions"
    include_in_schema = False

    @get("/", guards=[requires("court.admin")])
    async def courts_page(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        return _court_page(request, None, {}, await courts.list_courts(actor))

    @post("/", guards=[requires("court.admin")], status_code=303)
    async def add(
        self, request: Request[Any, Any, Any], actor: Actor, data: Form
    ) -> Template | Redirect:
        values = courts.court_input(data)
        try:
            added = await courts.add_court(courts.CourtIn(**courts.empty_court() | values), actor)
        except CasefileError as failure:
            errors, error = _failure(failure)
            listed = await courts.list_courts(actor)
            return _court_page(request, None, values, listed, errors, error)
        flash(request, f"Juridiction « {added['name']} » enregistrée.")
        return Redirect(path="/admin/juridictions/", status_code=303)

    @get("/{court_id:int}", guards=[requires("court.admin")])
    async def court_form(
        self, request: Request[Any, Any, Any], court_id: CourtId, actor: Actor
    ) -> Template:
        court = await courts.get_court(court_id, actor)
        return _court_page(request, court, court, await courts.list_courts(actor))

    @post("/{court_id:int}", guards=[requires("court.admin")], status_code=303)
    async def edit(
        self, request: Request[Any, Any, Any], court_id: CourtId, actor: Actor, data: Form
    ) -> Template | Redirect:
        values = courts.court_input(data)
        try:
            edited = await courts.edit_court(court_id, values, actor)
        except CasefileError as failure:
            errors, error = _failure(failure)
            court = await courts.get_court(court_id, actor)
            listed = await courts.list_courts(actor)
            return _court_page(request, court, values, listed, errors, error)
        flash(request, f"Juridiction « {edited['name']} » enregistrée.")
        return Redirect(path="/admin/juridictions/", status_code=303)


class CaseCourtController(Controller):
    path = "/dossiers"
    include_in_schema = False

    @post("/{case_id:str}/juridiction", guards=[requires("case.write")], status_code=303)
    async def set_court(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Redirect:
        version = str(data.get("expected_version", "")).strip()
        expected = int(version) if version.isascii() and version.isdigit() else None
        chosen = str(data.get("court_id", "")).strip() or None
        case = await resolve_case(case_id, actor)
        try:
            result = await courts.set_case_court(case["id"], chosen, actor, expected)
        except CasefileError as failure:
            flash(request, str(failure), "error")
        else:
            court = result["court"]
            message = (
                f"Juridiction du dossier : {court['name']}."
                if court
                else "Le dossier n'a plus de juridiction choisie."
            )
            warnings = result["warnings"]
            flash(request, message, "warning" if warnings else "info", warnings)
        return Redirect(path=f"/dossiers/{case['id']}#h-court", status_code=303)


__all__ = ["CaseCourtController", "CourtAdminController"]
