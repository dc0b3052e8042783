"""Admin page: the background jobs and their failures (`/admin/taches`)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from casefile.api.auth import Actor, requires
from casefile.api.web.pages import page
from casefile.jobs import app as jobs
from casefile.services import job_admin
from casefile.settings import get_settings


class JobsController(Controller):
    path = "/admin/taches"
    include_in_schema = False

    @get("/", guards=[requires("jobs.read")])
    async def jobs_page(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        off = get_settings().jobs == "off"
        listed = [] if off else await jobs.current().job_manager.list_jobs_async()
        return page(
            request,
            "jobs.html",
            overview=await job_admin.overview(listed),
            embedded=jobs.embedded(),
            off=off,
            task_label=job_admin.task_label,
            period_label=job_admin.period_label,
            status_label=lambda status: job_admin.STATUS_LABELS.get(status, status),
        )
