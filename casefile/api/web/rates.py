"""Admin page Taux (issue 13 item 5): which semester rates are known, and the form recording a
published value with the address of its publication (`casefile.services.rates`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from casefile import clock
from casefile.api.auth import Actor, requires
from casefile.api.web.pages import flash, page
from casefile.errors import CasefileError, InvalidFields
from casefile.law.wording import decimal_fr
from casefile.services import rates

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
KIND_OPTIONS = [("", "— choisir —"), *rates.KIND_LABELS.items()]


def _page(
    request: Request[Any, Any, Any],
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    error: str | None = None,
) -> Template:
    return page(
        request,
        "rates.html",
        status_code=422 if errors or error else 200,
        overview=rates.rate_overview(clock.today()),
        values=values,
        errors=errors or {},
        error=error,
        kind_options=KIND_OPTIONS,
        semester_fr=rates.semester_label_fr,
        decimal_fr=lambda value: decimal_fr(Decimal(str(value))),
        field_ids={k: f"rate-{k}" for k in rates.LABELS},
        labels={k: v[0].upper() + v[1:] for k, v in rates.LABELS.items()},
        help=rates.HELP,
    )


class RateAdminController(Controller):
    path = "/admin/taux"
    include_in_schema = False

    @get("/", guards=[requires("law.apply")])
    async def rates_page(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        return _page(request, {})

    @post("/", guards=[requires("law.apply")], status_code=303)
    async def record(
        self, request: Request[Any, Any, Any], actor: Actor, data: Form
    ) -> Template | Redirect:
        values = {k: str(data.get(k, "")).strip() for k in rates.LABELS}
        try:
            result = await rates.record_rate(rates.RateIn(**values), actor, clock.today())
        except InvalidFields as failure:
            return _page(request, values, dict(failure.errors))
        except CasefileError as failure:
            return _page(request, values, None, str(failure))
        message = (
            f"Taux enregistré : {result['label']}, "
            f"{rates.semester_label_fr(result['semester'])} = "
            f"{decimal_fr(Decimal(str(result['value'])))}\u00a0%."
        )
        details = (
            []
            if result["complete"]
            else [
                "Le taux légal d'un semestre a deux valeurs (particulier, autres) : les décomptes "
                "l'utilisent quand les deux sont enregistrées."
            ]
        )
        flash(request, message, "warning" if details else "info", details)
        return Redirect(path="/admin/taux/", status_code=303)


__all__ = ["RateAdminController"]
