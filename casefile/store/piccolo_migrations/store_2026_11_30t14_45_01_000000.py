"""Drop `deadlines_case_status_due` (issue 14 item 5): every query that names a case's
deadlines (a case's page and API answer, the reminders, the portfolio's late deadlines, the
nightly comparison, the feeds' inputs) finds them through the unique (case, key) index, a case
having a handful of rows; the queries on status and due date without a case (the agenda, the
portfolio's "due within N days") have `deadlines_status_due`. One index fewer on every deadline
row the recomputation copies in. SQLite and PostgreSQL (`DROP INDEX IF EXISTS`).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T14:45:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "drop deadlines_case_status_due (covered by the unique (case, key) index)"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl('DROP INDEX IF EXISTS "deadlines_case_status_due"')

    manager.add_raw(run)
    return manager
