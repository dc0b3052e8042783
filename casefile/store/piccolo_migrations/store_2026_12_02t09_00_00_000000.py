"""A failed reminder e-mail tried again (`dunning_actions.attempts`, `dunning_actions.retry_on`):
how many sends were tried, and the day the daily run tries a temporarily refused e-mail again.
Existing rows: 0 attempts, no automatic retry (a failure recorded before waits for
« Réessayer », as it did)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-02T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "attempts and automatic retry day of a reminder e-mail"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(
            "ALTER TABLE dunning_actions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0"
        )
        await engine.run_ddl("ALTER TABLE dunning_actions ADD COLUMN retry_on DATE NULL")

    manager.add_raw(run)
    return manager
