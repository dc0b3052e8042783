"""PostgreSQL: announce every change that can take an API token's access away (issue 14 item 3).

The server keeps the users of recently seen tokens a few seconds (`casefile.store.token_cache`)
and LISTENs on `casefile_auth`; these triggers NOTIFY it, from whatever process writes (server,
CLI, jobs), when a token is revoked or deleted, or a user's name, role or active flag changes
or the user is deleted (and on TRUNCATE). SQLite has no notifications: there the cache is off.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T03:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "NOTIFY casefile_auth on token revocation and user changes (PostgreSQL)"

FUNCTION = """
CREATE OR REPLACE FUNCTION casefile_auth_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('casefile_auth', TG_TABLE_NAME);
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
                "FOR EACH STATEMENT EXECUTE FUNCTION casefile_auth_changed()"
            )

    manager.add_raw(run)
    return manager
