"""The cases opened with the `amiable` procedure are in the amicable phase (issue 17 item 3;
the column comes from the previous migration)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T05:45:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "amicable cases in the amiable phase"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl("UPDATE cases SET phase = 'amiable' WHERE procedure = 'amiable'")

    manager.add_raw(run)
    return manager
