"""PostgreSQL: announce the changes a subscription feed's 304 depends on (issue 14 item 4).

The server keeps, a few seconds, the ETag a feed token's feed had when last checked
(`casefile.store.read_cache.FEEDS`), so that a poll of an unchanged feed is answered without a
query. These triggers NOTIFY `casefile_changes` (function of migration 2026-11-30T04:30) when a
feed token is revoked, re-scoped or deleted, a feed state is written, or a case is created or
bumped to a new `version` (every change to it, its parties, invoices, payments, events and
plans). `last_used`, written at most hourly by polling, is left out. SQLite: nothing.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T07:06:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "NOTIFY casefile_changes on feed token, feed state and case version changes"

TRIGGERS = (
    (
        "feed_tokens_changed",
        "feed_tokens",
        'UPDATE OF "revoked_at", "token_hash", "kind", "subject", "created_by"'
        " OR DELETE OR TRUNCATE",
    ),
    ("feed_states_changed", "feed_states", "INSERT OR UPDATE OR DELETE OR TRUNCATE"),
    ("cases_version_changed", "cases", 'INSERT OR UPDATE OF "version"'),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        if engine.engine_type != "postgres":
            return
        for name, table, events in TRIGGERS:
            await engine.run_ddl(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            await engine.run_ddl(
                f'CREATE TRIGGER "{name}" AFTER {events} ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION casefile_changed()"
            )

    manager.add_raw(run)
    return manager
