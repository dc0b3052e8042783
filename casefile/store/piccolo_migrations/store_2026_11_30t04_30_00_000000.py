"""PostgreSQL: announce every change to what the server keeps in memory (issue 14 item 3).

The server keeps the users of recently seen API tokens and the stored deadlines of recently
read cases a few seconds (`casefile.store.read_cache`) and LISTENs on `casefile_changes`; these
triggers NOTIFY it, from whatever process writes (server, CLI, jobs), when a token is revoked
or deleted, a user's name, role or active flag changes, a deadline is written or deleted, or a
case's reference or assignment changes or the case is deleted (and on TRUNCATE). SQLite has no
notifications: there the caches are off.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T04:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "NOTIFY casefile_changes on token, user, deadline and assignment changes"

FUNCTION = """
CREATE OR REPLACE FUNCTION casefile_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('casefile_changes', TG_TABLE_NAME);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
TRIGGERS = (
    (
        "api_tokens_auth_changed",
        "api_tokens",
        'UPDATE OF "revoked", "user", "token_hash" OR DELETE OR TRUNCATE',
    ),
    ("users_auth_changed", "users", 'UPDATE OF "name", "role", "active" OR DELETE OR TRUNCATE'),
    ("deadlines_changed", "deadlines", "INSERT OR UPDATE OR DELETE OR TRUNCATE"),
    (
        "cases_access_changed",
        "cases",
        'UPDATE OF "reference", "commissaire", "lawyer" OR DELETE OR TRUNCATE',
    ),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        if engine.engine_type != "postgres":
            return
        await engine.run_ddl(FUNCTION)
        for name, table, events in TRIGGERS:
            await engine.run_ddl(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            await engine.run_ddl(
                f'CREATE TRIGGER "{name}" AFTER {events} ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION casefile_changed()"
            )

    manager.add_raw(run)
    return manager
