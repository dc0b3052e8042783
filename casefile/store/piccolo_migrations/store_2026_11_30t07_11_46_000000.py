"""Index for the DSO (issue 17 item 4): the amounts invoiced by issue day over 12 months are
read from `claims (issue_date, amount_cents)` alone (an index-only range scan)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T07:11:46:000000"
VERSION = "1.38.0"
DESCRIPTION = "index on claims (issue_date, amount_cents)"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(
            'CREATE INDEX IF NOT EXISTS "claims_issue_date_amount" '
            'ON "claims" ("issue_date", "amount_cents")'
        )

    manager.add_raw(run)
    return manager
