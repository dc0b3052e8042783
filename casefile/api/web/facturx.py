"""The page of a pièce's e-invoice (issue 16 item 3): what the Factur-X / ZUGFeRD XML says, how
it differs from the case, and the form that creates the claim (or links the pièce to the claim
already recorded). Same services as the API; post/redirect/get, errors beside their field."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, Parameter
from litestar.response import Redirect, Template

from casefile.api.auth import Actor, requires
from casefile.api.web.case_forms import SUPPLY_OPTIONS, Form, _errors, _form, _version
from casefile.api.web.pages import flash, page
from casefile.documents.formatting import siren_fr
from casefile.errors import CasefileError, InputError, InvalidFields
from casefile.evidence.facturx import money_fr
from casefile.law.periods import parse_date
from casefile.services import cases, facturx
from casefile.store.permissions import User

PieceNumber = Annotated[int, Parameter(ge=1, le=2**31 - 1)]

TYPE_LABELS = {
    "380": "facture commerciale",
    "381": "avoir",
    "384": "facture rectificative",
    "386": "facture d'acompte",
    "389": "facture d'autofacturation",
}


async def _page(
    request: Request[Any, Any, Any],
    case_id: str,
    number: int,
    actor: User,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    error: str | None = None,
) -> Template:
    proposal = await facturx.proposal(case_id, number, actor)
    case = await cases.resolve_case(case_id, actor)
    if values is None:
        values = {
            "due_date": proposal.due_date.isoformat() if proposal.due_date else "",
            "supply": "",
            "description": "",
        }
    return page(
        request,
        "facturx.html",
        status_code=422 if errors or error else 200,
        case=case,
        p=proposal,
        values=values,
        errors=errors or {},
        error=error,
        version=case["version"],
        supply_options=SUPPLY_OPTIONS,
        type_label=TYPE_LABELS.get(proposal.type_code, f"document de type {proposal.type_code}"),
        siren=siren_fr,
        money=lambda amount: "—" if amount is None else money_fr(amount, proposal.currency),
    )


class FacturxPagesController(Controller):
    path = "/dossiers"
    include_in_schema = False

    @get(
        "/{case_id:str}/pieces/{number:int}/facture-electronique",
        guards=[requires("evidence.read")],
    )
    async def show(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        number: PieceNumber,
        actor: Actor,
    ) -> Template:
        return await _page(request, case_id, number, actor)

    @post(
        "/{case_id:str}/pieces/{number:int}/facture-electronique",
        guards=[requires("claim.write")],
        status_code=303,
    )
    async def accept(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        number: PieceNumber,
        actor: Actor,
        data: Form,
    ) -> Template | Redirect:
        form = _form(data)
        try:
            due = None
            if form.get("due_date"):
                try:
                    due = parse_date(form["due_date"], "date d'échéance")
                except InputError as bad:
                    raise InvalidFields(
                        {"due_date": "date d'échéance : une date (AAAA-MM-JJ) est requise"}
                    ) from bad
            done = await facturx.accept(
                case_id,
                number,
                actor,
                due_date=due,
                supply=form.get("supply") or None,
                description=form.get("description") or None,
                expected_version=_version(data),
            )
        except CasefileError as failure:
            errors, error = _errors(failure)
            return await _page(request, case_id, number, actor, form, errors, error)
        case = await cases.resolve_case(case_id, actor)
        message = (
            f"Créance {done.invoice_number} créée d'après la facture électronique de la pièce "
            f"n° {number}, et rattachée à cette pièce."
            if done.created
            else f"Pièce n° {number} rattachée à la créance {done.invoice_number} déjà enregistrée."
        )
        details = [*done.disagreements, *done.warnings]
        flash(request, message, "warning" if details else "info", details)
        return Redirect(path=f"/dossiers/{case['id']}#h-evidence", status_code=303)
