"""Background tasks a user asked for (issue 15: imports and bundles as jobs): `background_tasks`,
one row per distinct request, with its state and where its result is."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T05:57:12:000000"
VERSION = "1.38.0"
DESCRIPTION = "background tasks requested by users"

COLUMNS = """
        key VARCHAR(300) NOT NULL UNIQUE,
        kind VARCHAR(20) NOT NULL,
        status VARCHAR(12) NOT NULL,
        requested_by VARCHAR(100) NOT NULL,
        case_id INTEGER NULL,
        label VARCHAR(300) NOT NULL DEFAULT '',
        params JSON NOT NULL DEFAULT '{}',
        result JSON NOT NULL DEFAULT '{}',
        error TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        output_sha256 VARCHAR(64) NOT NULL DEFAULT '',
        output_size BIGINT NOT NULL DEFAULT 0,
        output_name VARCHAR(300) NOT NULL DEFAULT '',
        output_mime VARCHAR(100) NOT NULL DEFAULT '',
        created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
        finished_at TIMESTAMPTZ NULL)"""

POSTGRES = (
    "CREATE TABLE IF NOT EXISTS background_tasks (id SERIAL PRIMARY KEY," + COLUMNS,
    "CREATE INDEX IF NOT EXISTS background_tasks_requested_by "
    "ON background_tasks (requested_by, id)",
)

SQLITE = (
    "CREATE TABLE IF NOT EXISTS background_tasks (id INTEGER PRIMARY KEY AUTOINCREMENT," + COLUMNS,
    "CREATE INDEX IF NOT EXISTS background_tasks_requested_by "
    "ON background_tasks (requested_by, id)",
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
