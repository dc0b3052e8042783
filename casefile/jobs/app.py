"""The procrastinate app of this installation: a PostgreSQL connector on the database of
`CASEFILE_DATABASE_URL`, or the in-memory connector run in-process with SQLite (see the package
docstring for the choice)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from procrastinate import App, BaseConnector, PsycopgConnector

from casefile.jobs import tasks  # noqa: F401 - declares the tasks on the app
from casefile.jobs.engine import EmbeddedConnector, app
from casefile.settings import get_settings
from casefile.store.engines import sqlite_path


def embedded(url: str | None = None) -> bool:
    """True when the jobs run in-process (SQLite database)."""
    return sqlite_path(url or get_settings().database_url) is not None


def postgres_conninfo(url: str) -> str:
    """psycopg takes the libpq URL as the store does (`postgresql://user@host:port/db`)."""
    return "postgresql://" + url.split("://", 1)[1]


def connector_for(url: str) -> BaseConnector:
    if embedded(url):
        return EmbeddedConnector()
    return PsycopgConnector(conninfo=postgres_conninfo(url), min_size=1, max_size=4)


def bind(url: str | None = None, connector: BaseConnector | None = None) -> App:
    """The app, connected (once opened) to the database of `url` (default: the settings)."""
    connector = connector or connector_for(url or get_settings().database_url)
    app.connector = connector
    app.job_manager.connector = connector
    app.perform_import_paths()  # type: ignore[no-untyped-call]
    return app


_bound = False


def current() -> App:
    """This process's app, bound to the configured database on first use."""
    global _bound
    if not _bound:
        bind()
        _bound = True
    return app


def reset() -> None:
    """For tests that change the environment."""
    global _bound
    _bound = False


async def schema_present(engine: App) -> bool:
    row = await engine.connector.execute_query_one_async(
        "SELECT to_regclass('procrastinate_jobs') IS NOT NULL AS present"
    )
    return bool(row["present"])


async def apply_schema(url: str) -> bool:
    """Apply procrastinate's schema to the PostgreSQL database once; True when applied now.
    (The lock pins procrastinate: a new version's migrations come with the upgrade.)"""
    own = App(connector=connector_for(url))
    async with own.open_async():
        if await schema_present(own):
            return False
        await own.schema_manager.apply_schema_async()
        return True


_workers_here = 0


def worker_here() -> bool:
    """True while `in_process` runs a worker in this process (`serve` with SQLite)."""
    return _workers_here > 0


async def defer(task: str, queueing_lock: str, **kwargs: Any) -> None:
    """Queue one job of `task` unless one with the same lock waits already: on the app as this
    process opened it (`serve`, a worker, a test), else opened for the call (the CLI)."""
    from procrastinate import exceptions

    engine = app if _open(app) else current()

    async def send() -> None:
        with contextlib.suppress(exceptions.AlreadyEnqueued):
            await engine.configure_task(task, queueing_lock=queueing_lock).defer_async(**kwargs)

    if isinstance(engine.connector, EmbeddedConnector) or _open(engine):
        await send()
        return
    async with engine.open_async():
        await send()


def _open(engine: App) -> bool:
    """Whether the app's PostgreSQL pool is open (procrastinate keeps it private)."""
    return getattr(engine.connector, "_async_pool", None) is not None


WORKER_OPTIONS: dict[str, Any] = {"install_signal_handlers": False, "delete_jobs": "never"}


@contextlib.asynccontextmanager
async def in_process(engine: App, **options: Any) -> AsyncIterator[asyncio.Task[None]]:
    """Run a worker of `engine` on the running event loop for the duration of the block (the
    `serve` lifespan with SQLite; tests)."""
    global _workers_here
    async with engine.open_async():
        worker = asyncio.create_task(engine.run_worker_async(**{**WORKER_OPTIONS, **options}))
        _workers_here += 1
        try:
            yield worker
        finally:
            _workers_here -= 1
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
