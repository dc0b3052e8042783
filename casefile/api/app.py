"""`create_app()`: the Litestar application (API, pages, OpenAPI at /schema).

Settings are read when the app is created, so tests set the environment first. The store's
connection (and PostgreSQL pool) lives in the lifespan: one pool per process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from casefile.api import auth, errors, headers, limits, openapi, procedures, source, system
from casefile.api import metrics as metrics_route
from casefile.api.web import filters
from casefile.metrics import request_metrics
from casefile.settings import get_settings

WEB = Path(__file__).resolve().parent / "web"
# JSON bodies are small; uploads stream with their own limit (settings.max_upload_bytes).
JSON_BODY_LIMIT = 1024 * 1024


@asynccontextmanager
async def store_lifespan(app: Litestar) -> AsyncIterator[None]:
    from casefile.store import db
    from casefile.store.engines import SERVER_BUSY_TIMEOUT_SECONDS

    await db.connect(get_settings().database_url, busy_timeout=SERVER_BUSY_TIMEOUT_SECONDS)
    try:
        yield
    finally:
        await db.close()


@asynccontextmanager
async def jobs_lifespan(app: Litestar) -> AsyncIterator[None]:
    """The job engine: in-process worker with SQLite (`make run` needs nothing else); with
    PostgreSQL only the connection that defers and lists jobs (`casefile worker` runs them)."""
    from casefile.jobs import app as jobs

    if get_settings().jobs == "off":
        yield
        return
    engine = jobs.current()
    if jobs.embedded():
        async with jobs.in_process(engine):
            yield
    else:
        async with engine.open_async():
            yield


def _route_handlers() -> list[Any]:
    from casefile.api import (
        audit,
        calendars,
        case_data,
        cases,
        disputes,
        documents,
        dunning,
        evidence,
        facturx,
        feeds,
        handover,
        reports,
        search,
        tasks,
        users,
    )
    from casefile.api.web import (
        case_forms,
        courts,
        hearing,
        jobs,
        law,
        pages,
        people,
        portfolio,
        rates,
        reminders,
    )
    from casefile.api.web import dunning as dunning_pages
    from casefile.api.web import facturx as facturx_pages
    from casefile.api.web import handover as handover_pages
    from casefile.api.web import reports as report_pages
    from casefile.api.web import search as search_pages
    from casefile.api.web import tasks as task_pages

    handlers: list[Any] = [
        system.health,
        system.live,
        system.ready,
        metrics_route.metrics_page,
        source.source,
        procedures.ProcedureController,
        cases.CaseController,
        case_data.CaseDataController,
        disputes.DisputeController,
        dunning.CaseDunningController,
        dunning.DunningController,
        dunning_pages.DunningPagesController,
        dunning_pages.CaseDunningPagesController,
        handover.HandoverController,
        handover_pages.HandoverPageController,
        reports.ReportsController,
        report_pages.ReportPagesController,
        search.search,
        search_pages.search_page,
        hearing.hearing_page,
        calendars.CalendarController,
        feeds.feed,
        feeds.FeedController,
        feeds.PaymentPlanController,
        audit.AuditController,
        *evidence.handlers(),
        tasks.TaskController,
        task_pages.TaskPagesController,
        facturx.FacturxController,
        documents.DocumentController,
        users.UserController,
        users.AssignmentController,
        *pages.handlers(),
        people.PeopleController,
        *portfolio.handlers(),
        case_forms.CaseFormsController,
        facturx_pages.FacturxPagesController,
        law.LawImpactController,
        courts.CourtAdminController,
        courts.CaseCourtController,
        rates.RateAdminController,
        jobs.JobsController,
        reminders.PreferencesController,
        reminders.UnsubscribeController,
        create_static_files_router(
            path="/static",
            directories=[WEB / "static"],
            opt={"exclude_from_auth": True},
            include_in_schema=False,
        ),
    ]
    return handlers


def _register_filters(engine: JinjaTemplateEngine) -> None:
    """French dates ("1er mars 2027") and amounts, the same filters as the documents."""
    from casefile.documents.formatting import amount_fr, date_fr
    from casefile.services import background

    def blank_or(format_: Any) -> Any:
        return lambda value: "—" if value in (None, "") else format_(value)

    engine.engine.filters["date_fr"] = blank_or(date_fr)
    engine.engine.filters["amount_fr"] = blank_or(amount_fr)
    filters.register(engine.engine)
    engine.engine.globals["bundle_formats"] = background.bundle_choices


def create_app(debug: bool = False) -> Litestar:
    from casefile.store.permissions import User

    settings = get_settings()
    secure = settings.base_url.startswith("https://")
    return Litestar(
        route_handlers=_route_handlers(),
        lifespan=[store_lifespan, jobs_lifespan],
        middleware=[
            request_metrics,
            headers.security_headers,
            auth.session_middleware(settings.secret_key, secure),
            auth.auth_middleware(),
            auth.csrf_middleware(settings.secret_key),
        ],
        dependencies={"actor": Provide(auth.provide_actor)},
        before_request=limits.guard_input,
        # Handlers annotate `actor: User` under TYPE_CHECKING; Litestar resolves it here.
        signature_namespace={"User": User},
        exception_handlers=errors.EXCEPTION_HANDLERS,
        openapi_config=openapi.openapi_config(),
        template_config=TemplateConfig(
            directory=WEB / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=_register_filters,
        ),
        request_max_body_size=JSON_BODY_LIMIT,
        debug=debug,
    )
