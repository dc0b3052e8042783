"""Room in each page of `cases` for a new version of every row (issue 14 item 5): the nightly
recomputation rewrites each case it changes (summary, version, `updated_at`), a chunk of 2 000
neighbouring cases in one transaction. With a fifth of the page free (migration
2026-11-30T08:55) few of those new versions found room in their page; the others went to
another page and were inserted in the table's twelve indexes (measured at 100 000 cases after
a few rounds: 4 207 HOT updates of 110 000, 44 ms a chunk). With half of each page free every row of a page has room
for its next version (the versions of the night before are pruned when the page is next
read): every update of an unchanged summary is HOT (2 000 of 2 000, 7 ms a chunk). The table
takes twice the pages (38 MB at 100 000 cases). Rows written from now on get the room; `VACUUM
FULL cases` gives it to the existing ones at once. PostgreSQL only (SQLite has no fillfactor).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T11:58:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "fillfactor 50 on cases (every recomputed summary's update HOT)"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        if engine.engine_type != "postgres":
            return
        await engine.run_ddl('ALTER TABLE "cases" SET (fillfactor = 50)')

    manager.add_raw(run)
    return manager
