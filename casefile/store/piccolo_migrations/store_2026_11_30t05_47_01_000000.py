"""One reading per pièce version: unique index on `invoice_readings (piece, version)` (raw DDL
with IF NOT EXISTS, both engines), after the table's own migration has created it."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T05:47:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique invoice reading per pièce version"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(
            'CREATE UNIQUE INDEX IF NOT EXISTS "invoice_readings_piece_version" '
            'ON "invoice_readings" ("piece", "version")'
        )

    manager.add_raw(run)
    return manager
