"""Pages of the background tasks a user asks for (issue 15): the bundle of a case prepared in
the background (button on the case page), the claims import (`/import`), and the task's page
(`/mes-taches/{id}`), which refreshes itself until the task is done and then offers the
result: the download, or the import's report."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from casefile.api.auth import Actor, requires
from casefile.api.tasks import import_task
from casefile.api.web.pages import Form, check_csrf, flash, page
from casefile.definitions import engine
from casefile.errors import CasefileError, shown_on_page
from casefile.jobs.submit import submitted
from casefile.services import background
from casefile.store.imports import ImportOptions

REFRESH_SECONDS = 2


class TaskPagesController(Controller):
    include_in_schema = False

    @get("/mes-taches", guards=[requires("case.read")])
    async def list_page(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        return page(request, "tasks.html", tasks=await background.mine(actor))

    @get("/mes-taches/{task_id:int}", guards=[requires("case.read")])
    async def task_page(
        self, request: Request[Any, Any, Any], task_id: FromPath[int], actor: Actor
    ) -> Template:
        task = await background.get(task_id, actor)
        pending = task.status in ("todo", "running")
        return page(request, "task.html", task=task, refresh=REFRESH_SECONDS if pending else None)

    @post(
        "/dossiers/{case_id:str}/dossier-de-pieces",
        guards=[requires("evidence.read")],
        status_code=303,
    )
    async def bundle(
        self, request: Request[Any, Any, Any], case_id: FromPath[str], actor: Actor, data: Form
    ) -> Redirect:
        try:
            task = await background.request_bundle(case_id, actor, data.get("format") or "zip")
            task = await submitted(task, actor)
        except CasefileError as error:
            flash(request, str(error), "error")
            return Redirect(path=f"/dossiers/{case_id}", status_code=303)
        return Redirect(path=f"/mes-taches/{task.id}", status_code=303)

    @get("/import", guards=[requires("claim.write")])
    async def import_form(self, request: Request[Any, Any, Any]) -> Template:
        return _import_page(request)

    @post(
        "/import",
        guards=[requires("claim.write")],
        status_code=303,
        request_max_body_size=None,
        # Streamed: the CSRF token is checked here, from the fields sent before the file.
        opt={"exclude_from_csrf": True},
    )
    async def import_file(self, request: Request[Any, Any, Any], actor: Actor) -> Any:
        from casefile.api.evidence import open_upload

        upload = await open_upload(request, None)
        check_csrf(request, upload.fields.get("_csrf_token"))
        fields = upload.fields
        options = ImportOptions(
            fec=fields.get("fec") == "1",
            skip_bad=fields.get("skip_bad") == "1",
            creditor=fields.get("creditor", "").strip() or None,
            procedure=fields.get("procedure") or "injonction_de_payer",
        )
        try:
            task = await import_task(request, actor, None, options, upload)
        except CasefileError as error:
            return _import_page(request, error=shown_on_page(error), form=fields, status_code=422)
        return Redirect(path=f"/mes-taches/{task.id}", status_code=303)


def _import_page(
    request: Request[Any, Any, Any],
    error: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        request,
        "import.html",
        status_code=status_code,
        error=error,
        form=form or {},
        procedures={key: p.title for key, p in engine().procedures.items()},
    )
