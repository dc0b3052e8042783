"""Evidence the database itself keeps (issue 11 item 7): the audit log cannot be emptied by
TRUNCATE (PostgreSQL; SQLite has no TRUNCATE and its DELETE is already refused), and the
SHA-256 and size of a pièce version or a generated document cannot be changed once recorded.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T04:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit log safe from TRUNCATE; recorded hashes immutable"

HASHED_TABLES = ("piece_versions", "documents")

SQLITE = tuple(
    f"""CREATE TRIGGER IF NOT EXISTS {table}_hash_fixed BEFORE UPDATE OF sha256, size ON {table}
    WHEN OLD.sha256 IS NOT NEW.sha256 OR OLD.size IS NOT NEW.size
    BEGIN SELECT RAISE(ABORT, 'a recorded SHA-256 and size never change'); END"""
    for table in HASHED_TABLES
)

POSTGRES = (
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE OR REPLACE FUNCTION recorded_hash_fixed() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'a recorded SHA-256 and size never change'; END; $$
    LANGUAGE plpgsql""",
    *(
        f"""CREATE TRIGGER {table}_hash_fixed BEFORE UPDATE OF sha256, size ON {table}
        FOR EACH ROW WHEN (OLD.sha256 IS DISTINCT FROM NEW.sha256
                           OR OLD.size IS DISTINCT FROM NEW.size)
        EXECUTE FUNCTION recorded_hash_fixed()"""
        for table in HASHED_TABLES
    ),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in POSTGRES if engine.engine_type == "postgres" else SQLITE:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
