"""Room in each page of `cases` for its next row versions (issue 14 item 5): every
recomputation that changes a case writes a new version of its row (summary, version,
`updated_at`); with a free fifth of the page the new version stays in the same page and, when
no indexed column changed (a new `version` alone, the usual case), it is a HOT update that
touches none of the table's twelve indexes. Rows written from now on get the room; `VACUUM
FULL cases` gives it to the existing ones at once. PostgreSQL only (SQLite has no fillfactor).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T08:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "fillfactor 80 on cases (HOT updates of the recomputed summaries)"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        if engine.engine_type != "postgres":
            return
        await engine.run_ddl('ALTER TABLE "cases" SET (fillfactor = 80)')

    manager.add_raw(run)
    return manager
