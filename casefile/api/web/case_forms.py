"""The case's data on the web (issue 12 item 1): parties, invoices, payments, events and the
nature, date and designation of a pièce, each entered or corrected on its own page (a pièce's also from
the small form beside it on the case page), through the same services as the API and the CLI.

Forms post here (session, CSRF). On success: redirect to the case page with the deadlines'
changes and any warning (post/redirect/get). On a refusal: the same form again, status 422,
with what was typed and each message beside its field — nothing is lost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, Parameter
from litestar.response import Redirect, Template

from casefile import clock
from casefile.api.auth import Actor, requires
from casefile.api.cases import check_event_permission
from casefile.api.integrations import evidence_kind_labels
from casefile.api.procedures import find_procedure, procedure_detail
from casefile.api.web.case_data_view import CATEGORY_OPTIONS, CIVILITY_OPTIONS, ROLE_LABELS
from casefile.api.web.pages import flash, page
from casefile.errors import (
    CasefileError,
    Forbidden,
    InputError,
    InvalidFields,
    NotFound,
    shown_on_page,
)
from casefile.evidence.bundle import designation, title_of
from casefile.evidence.records import KIND_LABELS
from casefile.evidence.service import KEEP, Keep
from casefile.labels import changes_fr, humanise
from casefile.law.money import parse_amount
from casefile.law.periods import parse_date
from casefile.services import cases, claims, events, parties, payments, piece_details
from casefile.store import pieces
from casefile.store.cases import InvoiceIn, PaymentIn
from casefile.store.permissions import User

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
RowId = Annotated[int, Parameter(ge=1, le=2**31 - 1)]
HIDDEN = ("_csrf_token", "expected_version")

SUPPLY_OPTIONS = [("", "— non renseignée —"), *claims.SUPPLIES.items()]
KIND_OPTIONS = list(evidence_kind_labels().items())
"""The natures of a pièce, as the correction form's select offers them (as the upload's)."""


def _form(data: Mapping[str, str]) -> dict[str, str]:
    return {k: str(v).strip() for k, v in data.items() if k not in HIDDEN}


def _version(data: Mapping[str, str]) -> int | None:
    text = str(data.get("expected_version", "")).strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _errors(error: CasefileError, field: str | None = None) -> tuple[dict[str, str], str | None]:
    if isinstance(error, InvalidFields):
        return dict(error.errors), None
    if field is not None:
        return {field: shown_on_page(error)}, None
    return {}, shown_on_page(error)


def _done(
    request: Request[Any, Any, Any], case_id: int, message: str, result: Mapping[str, Any]
) -> Redirect:
    summary, lines = changes_fr(result)
    if lines:
        message += f" {summary}"
    warnings = list(result.get("warnings", []))
    flash(request, message, "warning" if warnings else "info", lines + warnings)
    return Redirect(path=f"/dossiers/{case_id}#h-case-data", status_code=303)


def _form_page(
    request: Request[Any, Any, Any],
    template: str,
    case: Mapping[str, Any],
    values: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
    error: str | None = None,
    **context: Any,
) -> Template:
    return page(
        request,
        template,
        status_code=422 if errors or error else 200,
        case=case,
        values=values,
        errors=errors or {},
        error=error,
        version=case["version"],
        **context,
    )


WITHDRAW_REASON = "retrait : indiquez le motif (il est conservé au journal d'audit)"


@dataclass(frozen=True)
class _Target:
    """Where a submitted form goes back to when the service refuses it."""

    case_id: str
    actor: User
    template: str
    context: Callable[[Mapping[str, Any], Any], dict[str, Any]]  # (case, row) -> page extras


async def _submit(
    request: Request[Any, Any, Any],
    target: _Target,
    form: Mapping[str, str],
    field_errors: Mapping[str, str],
    action: Callable[[], Awaitable[Mapping[str, Any]]],
    success: str,
) -> Template | Redirect:
    """Run a form's service call: redirect on success, the same form with its messages on a
    refusal (what was typed is kept)."""
    try:
        if field_errors:
            raise InvalidFields(dict(field_errors))
        result = await action()
    except CasefileError as failure:
        case = await cases.get_case(target.case_id, target.actor)
        found, error = _errors(failure)
        return _form_page(
            request,
            target.template,
            case,
            form,
            {**field_errors, **found},
            error,
            **target.context(case, None),
        )
    case = await cases.resolve_case(target.case_id, target.actor)
    return _done(request, case["id"], success, result)


async def _withdraw(
    request: Request[Any, Any, Any],
    case: Mapping[str, Any],
    template: str,
    values: Mapping[str, Any],
    context: Mapping[str, Any],
    data: Mapping[str, str],
    action: Callable[[str], Awaitable[Mapping[str, Any]]],
    success: str,
) -> Template | Redirect:
    """Withdraw a record: a reason is required (kept in the audit log)."""
    reason = _form(data).get("reason", "")
    if not reason:
        return _form_page(request, template, case, values, {"reason": WITHDRAW_REASON}, **context)
    result = await action(reason)
    return _done(request, case["id"], success, result)


def _invoice_changes(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Form text → typed invoice fields; unreadable ones are named beside their field."""
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in ("issue_date", "due_date"):
        try:
            out[name] = parse_date(form.get(name) or None, claims.LABELS[name])
        except InputError:
            errors[name] = f"facture, {claims.LABELS[name]} : une date (AAAA-MM-JJ) est requise"
    for name in ("amount", "paid"):
        text = form.get(name) or ("0" if name == "paid" else "")
        try:
            out[name] = parse_amount(text, claims.LABELS[name])
        except InputError as error:
            errors[name] = f"facture, {error}"  # why: negative, three decimals, not a number
    out["invoice_number"] = form.get("invoice_number", "")
    out["supply"] = form.get("supply") or None
    out["description"] = form.get("description", "")
    if errors and "issue_date" in out and "due_date" in out:
        # The service's own checks of the fields that could be read, so that every faulty
        # field is named at once (a due date before the issue date beside a bad amount), not
        # one correction after another. The amounts stand in only to reach those checks.
        trial = {**out, "amount": out.get("amount", Decimal(1)), "paid": out.get("paid", 0)}
        try:
            claims.claim_values(InvoiceIn(**trial))
        except InvalidFields as failure:
            for field, message in failure.errors.items():
                if field not in ("amount", "paid"):
                    errors.setdefault(field, message)
    return out, errors


def _payment_changes(form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    try:
        out["date"] = parse_date(form.get("date") or None, "date")
    except InputError:
        errors["date"] = "paiement, date : une date (AAAA-MM-JJ) est requise"
    text = form.get("amount", "")
    try:
        out["amount"] = parse_amount(text, "montant")
    except InputError as error:
        errors["amount"] = f"paiement, {error}"  # why: negative, three decimals, not a number
    out["invoice_number"] = form.get("invoice_number") or None
    out["reference"] = form.get("reference", "")
    return out, errors


class CaseFormsController(Controller):
    path = "/dossiers"
    include_in_schema = False

    # -- parties ------------------------------------------------------------------------------

    async def _party_page(
        self,
        request: Request[Any, Any, Any],
        case: Mapping[str, Any],
        role: str,
        values: Mapping[str, Any],
        errors: Mapping[str, str] | None = None,
        error: str | None = None,
    ) -> Template:
        return _form_page(
            request,
            "party_form.html",
            case,
            values,
            errors,
            error,
            role=role,
            role_label=ROLE_LABELS[role],
            category_options=CATEGORY_OPTIONS,
            civility_options=CIVILITY_OPTIONS,
        )

    @get("/{case_id:str}/parties/{role:str}", guards=[requires("case.write")])
    async def party_form(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        role: FromPath[str],
        actor: Actor,
    ) -> Template:
        case = await cases.get_case(case_id, actor)
        party = (
            case["creditor"]
            if role == "creditor"
            else case["debtor_party"]
            if role == "debtor"
            else None
        )
        if party is None:
            raise NotFound(f"le dossier {case['reference']} n'a pas de partie « {role} »")
        values = {k: ("" if v is None else v) for k, v in party.items()}
        if values.get("address") and not any(values.get(k) for k in ("street", "postcode", "city")):
            # A free-text address (an import's) in the fields that hold it, not blank ones.
            values["street"], values["postcode"], values["city"] = parties.address_fields(
                values["address"]
            )
        return await self._party_page(request, case, role, values)

    @post("/{case_id:str}/parties/{role:str}", guards=[requires("case.write")], status_code=303)
    async def party_save(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        role: FromPath[str],
        actor: Actor,
        data: Form,
    ) -> Template | Redirect:
        form = _form(data)
        changes: dict[str, str | None] = {k: v for k, v in form.items() if k in parties.EDITABLE}
        for name in ("siren", "siret", "category", "residence"):
            if name in changes and not changes[name]:
                changes[name] = None
        if "address" not in form:
            changes.pop("address", None)
        try:
            result = await parties.edit_party(case_id, role, changes, actor, _version(data))
        except CasefileError as failure:
            case = await cases.get_case(case_id, actor)
            errors, error = _errors(failure)
            if role not in ROLE_LABELS:
                raise
            return await self._party_page(request, case, role, form, errors, error)
        case_id_int = (await cases.resolve_case(case_id, actor))["id"]
        changes_made = result["changes"]
        return _done(
            request,
            case_id_int,
            f"{ROLE_LABELS[role].capitalize()} enregistré.",
            {**changes_made, "warnings": result["warnings"]},
        )

    # -- invoices -----------------------------------------------------------------------------

    def _claim_context(self, case: Mapping[str, Any], claim: Any) -> dict[str, Any]:
        return {"claim": claim, "supply_options": SUPPLY_OPTIONS}

    @get("/{case_id:str}/factures/nouvelle", guards=[requires("claim.write")])
    async def claim_new(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor
    ) -> Template:
        case = await cases.get_case(case_id, actor)
        return _form_page(request, "claim_form.html", case, {}, **self._claim_context(case, None))

    @post("/{case_id:str}/factures", guards=[requires("claim.write")], status_code=303)
    async def claim_add(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Template | Redirect:
        form = _form(data)
        values, errors = _invoice_changes(form)
        return await _submit(
            request,
            _Target(case_id, actor, "claim_form.html", self._claim_context),
            form,
            errors,
            lambda: claims.add_claim(
                case_id, InvoiceIn(**values), actor, expected_version=_version(data)
            ),
            f"Facture {values['invoice_number']} ajoutée.",
        )

    def _claim(self, case: Mapping[str, Any], claim_id: int) -> dict[str, Any]:
        claim = next((c for c in case["claims"] if c["id"] == claim_id), None)
        if claim is None:
            raise NotFound(f"le dossier {case['reference']} n'a pas de facture n° {claim_id}")
        return dict(claim)

    @get("/{case_id:str}/factures/{claim_id:int}", guards=[requires("claim.write")])
    async def claim_form(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], claim_id: RowId, actor: Actor
    ) -> Template:
        case = await cases.get_case(case_id, actor)
        claim = self._claim(case, claim_id)
        values = {**claim, "supply": claim["supply"] or ""}
        return _form_page(
            request, "claim_form.html", case, values, **self._claim_context(case, claim)
        )

    @post(
        "/{case_id:str}/factures/{claim_id:int}", guards=[requires("claim.write")], status_code=303
    )
    async def claim_edit(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        claim_id: RowId,
        actor: Actor,
        data: Form,
    ) -> Template | Redirect:
        form = _form(data)
        values, errors = _invoice_changes(form)

        return await _submit(
            request,
            _Target(
                case_id,
                actor,
                "claim_form.html",
                lambda case, _: self._claim_context(case, self._claim(case, claim_id)),
            ),
            form,
            errors,
            lambda: claims.edit_claim(
                case_id, claim_id, values, actor, expected_version=_version(data)
            ),
            f"Facture {values['invoice_number']} corrigée.",
        )

    @post(
        "/{case_id:str}/factures/{claim_id:int}/supprimer",
        guards=[requires("claim.write")],
        status_code=303,
    )
    async def claim_delete(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        claim_id: RowId,
        actor: Actor,
        data: Form,
    ) -> Template | Redirect:
        case = await cases.get_case(case_id, actor)
        claim = self._claim(case, claim_id)
        return await _withdraw(
            request,
            case,
            "claim_form.html",
            {**claim, "supply": claim["supply"] or ""},
            self._claim_context(case, claim),
            data,
            lambda reason: claims.delete_claim(
                case_id, claim_id, actor, expected_version=_version(data), reason=reason
            ),
            f"Facture {claim['invoice_number']} retirée.",
        )

    # -- payments -----------------------------------------------------------------------------

    def _payment_context(self, case: Mapping[str, Any], payment: Any) -> dict[str, Any]:
        options = [("", "— aucune en particulier —")] + [
            (c["invoice_number"], c["invoice_number"]) for c in case["claims"]
        ]
        return {"payment": payment, "invoice_options": options}

    @get("/{case_id:str}/paiements/nouveau", guards=[requires("payment.write")])
    async def payment_new(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor
    ) -> Template:
        case = await cases.get_case(case_id, actor)
        values = {"date": clock.today().isoformat()}
        return _form_page(
            request, "payment_form.html", case, values, **self._payment_context(case, None)
        )

    @post("/{case_id:str}/paiements", guards=[requires("payment.write")], status_code=303)
    async def payment_add(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Template | Redirect:
        form = _form(data)
        values, errors = _payment_changes(form)
        return await _submit(
            request,
            _Target(case_id, actor, "payment_form.html", self._payment_context),
            form,
            errors,
            lambda: payments.add_payment(
                case_id, PaymentIn(**values), actor, expected_version=_version(data)
            ),
            "Paiement enregistré.",
        )

    def _payment(self, case: Mapping[str, Any], payment_id: int) -> dict[str, Any]:
        payment = next((p for p in case["payments"] if p["id"] == payment_id), None)
        if payment is None:
            raise NotFound(f"le dossier {case['reference']} n'a pas de paiement n° {payment_id}")
        return dict(payment)

    @get("/{case_id:str}/paiements/{payment_id:int}", guards=[requires("payment.write")])
    async def payment_form(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        payment_id: RowId,
        actor: Actor,
    ) -> Template:
        case = await cases.get_case(case_id, actor)
        payment = self._payment(case, payment_id)
        values = {**payment, "invoice_number": payment["invoice_number"] or ""}
        return _form_page(
            request, "payment_form.html", case, values, **self._payment_context(case, payment)
        )

    @post(
        "/{case_id:str}/paiements/{payment_id:int}",
        guards=[requires("payment.write")],
        status_code=303,
    )
    async def payment_edit(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        payment_id: RowId,
        actor: Actor,
        data: Form,
    ) -> Template | Redirect:
        form = _form(data)
        values, errors = _payment_changes(form)

        return await _submit(
            request,
            _Target(
                case_id,
                actor,
                "payment_form.html",
                lambda case, _: self._payment_context(case, self._payment(case, payment_id)),
            ),
            form,
            errors,
            lambda: payments.edit_payment(
                case_id, payment_id, values, actor, expected_version=_version(data)
            ),
            "Paiement corrigé.",
        )

    @post(
        "/{case_id:str}/paiements/{payment_id:int}/supprimer",
        guards=[requires("payment.write")],
        status_code=303,
    )
    async def payment_delete(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        payment_id: RowId,
        actor: Actor,
        data: Form,
    ) -> Template | Redirect:
        case = await cases.get_case(case_id, actor)
        payment = self._payment(case, payment_id)
        return await _withdraw(
            request,
            case,
            "payment_form.html",
            {**payment, "invoice_number": payment["invoice_number"] or ""},
            self._payment_context(case, payment),
            data,
            lambda reason: payments.delete_payment(
                case_id, payment_id, actor, expected_version=_version(data), reason=reason
            ),
            "Paiement retiré.",
        )

    # -- pièces: their nature, date and designation (never their file) -----------------------

    def _piece(self, case: Mapping[str, Any], piece_id: int) -> dict[str, Any]:
        piece = next((p for p in case["evidence"] if p["id"] == piece_id), None)
        if piece is None:
            raise NotFound(
                f"le dossier {case['reference']} n'a pas de pièce id {piece_id} (ou elle a été "
                "retirée)"
            )
        return dict(piece)

    def _piece_page(
        self,
        request: Request[Any, Any, Any],
        case: Mapping[str, Any],
        piece: Mapping[str, Any],
        values: Mapping[str, Any],
        errors: Mapping[str, str] | None = None,
        error: str | None = None,
        status_code: int = 200,
    ) -> Template:
        title = title_of(piece["kind"], piece["invoice_numbers"], piece["description"] or "")
        return page(
            request,
            "piece_form.html",
            status_code=status_code,
            case=case,
            piece=piece,
            kind_label=KIND_LABELS.get(piece["kind"], "Pièce"),
            kind_options=KIND_OPTIONS
            if piece["kind"] in KIND_LABELS
            else [*KIND_OPTIONS, (piece["kind"], humanise(piece["kind"]))],  # kept if unknown
            designation=designation(title, piece["description"] or ""),
            values=values,
            errors=errors or {},
            error=error,
        )

    @get("/{case_id:str}/pieces/{piece_id:int}", guards=[requires("evidence.write")])
    async def piece_form(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], piece_id: RowId, actor: Actor
    ) -> Template:
        case = await cases.get_case(case_id, actor)
        piece = self._piece(case, piece_id)
        piece_details.check_correctable(await pieces.get_piece(piece_id), actor)
        values = {
            "kind": piece["kind"],
            "date": piece["date"] or "",
            "description": piece["description"],
        }
        return self._piece_page(request, case, piece, values)

    @post(
        "/{case_id:str}/pieces/{piece_id:int}",
        guards=[requires("evidence.write")],
        status_code=303,
    )
    async def piece_edit(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        piece_id: RowId,
        actor: Actor,
        data: Form,
    ) -> Template | Redirect:
        """The pièce's nature, date (empty: undated) and designation; a field the form did not send
        keeps its value. Refused: the same form again (422, or 409 when the pièce was withdrawn
        or corrected meanwhile) with each message beside its field."""
        form = _form(data)
        errors: dict[str, str] = {}
        day: date | Keep | None = KEEP
        if "date" in form:
            try:
                day = parse_date(form["date"], "date de la pièce") if form["date"] else None
            except InputError as unreadable:
                errors["date"] = str(unreadable)
        failure: CasefileError | None = InvalidFields(errors) if errors else None
        if failure is None:
            try:
                result = await piece_details.edit_details(
                    piece_id,
                    actor,
                    case=case_id,
                    piece_date=day,
                    description=form.get("description", KEEP),
                    kind=form.get("kind", KEEP),
                    reason=form.get("reason", ""),
                )
            except CasefileError as refused:
                failure = refused
            else:
                flash(request, piece_details.changed_fr(result))
                return Redirect(path=f"/dossiers/{result.case_id}#h-evidence", status_code=303)
        case = await cases.get_case(case_id, actor)
        piece = next((p for p in case["evidence"] if p["id"] == piece_id), None)
        if piece is None or isinstance(failure, (NotFound, Forbidden)):
            raise failure  # no form to show again (not a pièce of this case, withdrawn, not theirs)
        found, error = _errors(failure)
        status = failure.http_status if 400 <= failure.http_status < 500 else 422
        return self._piece_page(request, case, piece, form, found, error, status)

    # -- events -------------------------------------------------------------------------------

    async def _event(
        self, case: Mapping[str, Any], event_id: int, actor: User, change: str = "edit"
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        event = next((e for e in case["events"] if e["id"] == event_id), None)
        if event is None:
            raise NotFound(f"le dossier {case['reference']} n'a pas d'événement n° {event_id}")
        check_event_permission(actor, event["key"], change, case["procedure"])
        detail = procedure_detail(find_procedure(case["procedure"]))
        definition = next(e for e in detail["events"] if e["key"] == event["key"])
        return dict(event), definition

    def _event_page(
        self,
        request: Request[Any, Any, Any],
        case: Mapping[str, Any],
        event: Mapping[str, Any],
        definition: Mapping[str, Any],
        values: Mapping[str, Any],
        errors: Mapping[str, str] | None = None,
        error: str | None = None,
    ) -> Template:
        return _form_page(
            request,
            "event_form.html",
            case,
            values,
            errors,
            error,
            event=event,
            event_def=definition,
        )

    @get("/{case_id:str}/evenements/{event_id:int}", guards=[requires("case.read")])
    async def event_form(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], event_id: RowId, actor: Actor
    ) -> Template:
        case = await cases.get_case(case_id, actor)
        event, definition = await self._event(case, event_id, actor)
        values = {"date": event["date"], **event["attributes"]}
        return self._event_page(request, case, event, definition, values)

    @post(
        "/{case_id:str}/evenements/{event_id:int}", guards=[requires("case.read")], status_code=303
    )
    async def event_edit(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        event_id: RowId,
        actor: Actor,
        data: Form,
    ) -> Template | Redirect:
        form = _form(data)
        case = await cases.get_case(case_id, actor)
        event, definition = await self._event(case, event_id, actor)
        reason = form.pop("reason", "")
        form.pop("delete_reason", None)
        attributes = {k: v for k, v in form.items() if k != "date" and v != ""}
        errors: dict[str, str] = {}
        if not reason:
            errors["reason"] = "correction : indiquez le motif (il est conservé au journal d'audit)"
        try:
            day = parse_date(form.get("date") or None, "date")
        except InputError:
            errors["date"] = "date : une date (AAAA-MM-JJ) est requise"
        if errors:
            return self._event_page(
                request, case, event, definition, {**form, "reason": reason}, errors
            )
        try:
            result = await events.edit_event(
                case_id,
                event["key"],
                day,
                attributes,
                actor,
                expected_version=_version(data),
                reason=reason,
                event_id=event_id,
            )
        except CasefileError as failure:
            found, error = _errors(failure, "date")
            return self._event_page(
                request, case, event, definition, {**form, "reason": reason}, found, error
            )
        return _done(request, case["id"], f"« {definition['label']} » corrigé.", result)

    @post(
        "/{case_id:str}/evenements/{event_id:int}/supprimer",
        guards=[requires("case.read")],
        status_code=303,
    )
    async def event_delete(
        self,
        request: Request[Any, Any, Any],
        case_id: FromPath[str],
        event_id: RowId,
        actor: Actor,
        data: Form,
    ) -> Template | Redirect:
        form = _form(data)
        case = await cases.get_case(case_id, actor)
        event, definition = await self._event(case, event_id, actor, "delete")
        reason = form.get("delete_reason", "")
        if not reason:
            values = {"date": event["date"], **event["attributes"]}
            return self._event_page(
                request,
                case,
                event,
                definition,
                values,
                {"delete_reason": WITHDRAW_REASON},
            )
        result = await events.delete_event(
            case_id,
            event["key"],
            actor,
            expected_version=_version(data),
            reason=reason,
            event_id=event_id,
        )
        return _done(request, case["id"], f"« {definition['label']} » retiré.", result)
