"""Background jobs (issue 15 item 1): `job_runs`, one row per run of a job keyed by its natural
key, so that a job deferred or run twice for the same period changes nothing twice."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T04:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "job runs keyed by their natural key"

POSTGRES = (
    """CREATE TABLE IF NOT EXISTS job_runs (
        id SERIAL PRIMARY KEY,
        key VARCHAR(200) NOT NULL UNIQUE,
        task VARCHAR(80) NOT NULL,
        status VARCHAR(12) NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        result JSON NOT NULL DEFAULT '{}',
        started_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
        finished_at TIMESTAMPTZ NULL)""",
)

SQLITE = (
    """CREATE TABLE IF NOT EXISTS job_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key VARCHAR(200) NOT NULL UNIQUE,
        task VARCHAR(80) NOT NULL,
        status VARCHAR(12) NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        result JSON NOT NULL DEFAULT '{}',
        started_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
        finished_at TIMESTAMPTZ NULL)""",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in POSTGRES if engine.engine_type == "postgres" else SQLITE:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
