"""The date of a reminder letter (`dunning_actions.letter_on`, issue 17 item 1): the day the
letter was rendered and dated, so that a mise en demeure marked sent later records the payment
deadline the letter itself states."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T06:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "date of a reminder letter"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl("ALTER TABLE dunning_actions ADD COLUMN letter_on DATE NULL")

    manager.add_raw(run)
    return manager
