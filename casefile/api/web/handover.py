"""The handover button of an amicable file's page (issue 17 item 3): `POST
/dossiers/{id}/contentieux` with the procedure chosen (empty: the advice's first open one),
then back to the case page with what was carried, or the refusal in French."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from casefile import clock
from casefile.api.auth import Actor, requires
from casefile.api.web.pages import flash
from casefile.documents.formatting import date_fr
from casefile.errors import CasefileError
from casefile.labels import count_fr
from casefile.services.handover import hand_over
from casefile.store.cases import resolve_case

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class HandoverPageController(Controller):
    path = "/dossiers"
    include_in_schema = False

    @post("/{case_id:str}/contentieux", guards=[requires("case.write")], status_code=303)
    async def handover(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Redirect:
        row = await resolve_case(case_id, actor)
        procedure = str(data.get("procedure", "")).strip() or None
        version = str(data.get("expected_version", "")).strip()
        try:
            result = await hand_over(
                row["id"],
                actor,
                procedure,
                clock.today(),
                expected_version=int(version) if version.isdigit() else None,
            )
        except CasefileError as error:
            flash(request, f"Transmission au contentieux refusée : {error}", "error")
            return Redirect(path=f"/dossiers/{row['id']}#h-handover", status_code=303)
        carried = result["carried"]
        details = [
            f"{count_fr(carried['invoices'], 'facture', 'factures')}, "
            f"{count_fr(carried['payments'], 'paiement', 'paiements')} et "
            f"{count_fr(carried['pieces'], 'pièce', 'pièces')} conservés au dossier",
            "mise en demeure du " + date_fr(date.fromisoformat(carried["mise_en_demeure"]))
            if carried["mise_en_demeure"]
            else "aucune mise en demeure enregistrée",
            *result["notes"],
        ]
        flash(
            request,
            f"Dossier transmis au contentieux : {result['procedure_label']}.",
            "warning" if result["notes"] else "info",
            details,
        )
        return Redirect(path=f"/dossiers/{row['id']}", status_code=303)
