"""Drop the index on `deadlines.due` alone (issue 14 item 5): every query that filters or sorts
deadlines on their due date also names their status or their case, and
`deadlines_status_due` (the agenda, the portfolio's "due within N days") or
`deadlines_case_status_due` (the reminders, a case's deadlines) serves it. The index was one
of five that every deadline row written by the recomputation goes into. SQLite and
PostgreSQL (`DROP INDEX IF EXISTS`).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Date

ID = "2026-11-30T12:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "drop deadlines_due (covered by deadlines_status_due and deadlines_case_status_due)"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)
    manager.alter_column(
        table_class_name="DeadlineRecord",
        tablename="deadlines",
        column_name="due",
        db_column_name="due",
        params={"index": False},
        old_params={"index": True},
        column_class=Date,
        old_column_class=Date,
        schema=None,
    )
    return manager
