"""Admin page: the impact of a proposed version of the law data on pending cases (read-only).

The proposed version is a git revision of the repository holding the law data in service
(a directory path is accepted by the CLI only: the web does not read arbitrary folders).
The listing is `casefile.services.law_impact.impact`, as `casefile law impact` prints it.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Template

from casefile import clock
from casefile.api.auth import Actor, requires
from casefile.api.web.pages import page
from casefile.errors import CasefileError, InputError
from casefile.labels import date_long_fr
from casefile.services import law_impact

PAGE_LIMIT = 500  # cases listed on the page; the CLI lists them all


class LawImpactController(Controller):
    path = "/admin/droit"
    include_in_schema = False

    @get("/", guards=[requires("law.impact")])
    async def impact_page(
        self, request: Request[Any, Any, Any], actor: Actor, revision: FromQuery[str] = ""
    ) -> Template:
        report = error = None
        if revision.strip():
            try:
                if revision.strip().startswith(("/", ".")):
                    raise InputError(
                        "indiquez une révision git (un dossier se compare en ligne de commande)"
                    )
                proposed = law_impact.proposed_law(revision)
                report = await law_impact.impact(actor, proposed, clock.today())
            except CasefileError as failure:
                error = str(failure)
        return page(
            request,
            "law_impact.html",
            status_code=422 if error else 200,
            revision=revision,
            report=report,
            error=error,
            limit=PAGE_LIMIT,
            day=lambda text: date_long_fr(text) if text else "absent",
            euros=law_impact.amount_words,
        )
