"""Index on `cases.ledger_on` (the column comes from the previous migration: piccolo runs a
migration's raw SQL before its new columns)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T05:48:41:000000"
VERSION = "1.38.0"
DESCRIPTION = "index on cases.ledger_on"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(
            'CREATE INDEX IF NOT EXISTS "cases_ledger_on" ON "cases" ("ledger_on")'
        )

    manager.add_raw(run)
    return manager
