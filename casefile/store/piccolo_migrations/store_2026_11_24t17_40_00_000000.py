"""Composite unique indexes (piccolo's `Unique` constraint is an ALTER TABLE, which SQLite
refuses) and the append-only audit log, enforced by the database itself."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-24T17:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique indexes and append-only audit log"

UNIQUE_INDEXES = (
    ("parties_one_role_per_case", "parties", '"case", "role"'),
    ("claims_one_invoice_per_creditor", "claims", '"creditor_key", "invoice_number"'),
    ("deadlines_one_key_per_case", "deadlines", '"case", "key"'),
    ("pieces_one_number_per_case", "pieces", '"case", "number"'),
    ("piece_versions_one_version_number", "piece_versions", '"piece", "version"'),
)

PLAIN_INDEXES = (
    ("claims_case", "claims", '"case"'),
    ("parties_case", "parties", '"case"'),
    ("payments_case", "payments", '"case"'),
    ("pieces_case", "pieces", '"case"'),
    ("api_tokens_user", "api_tokens", '"user"'),
)

SQLITE_AUDIT = (
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
)

POSTGRES_AUDIT = (
    """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for name, table, columns in UNIQUE_INDEXES:
            await engine.run_ddl(f'CREATE UNIQUE INDEX "{name}" ON "{table}" ({columns})')
        for name, table, columns in PLAIN_INDEXES:
            await engine.run_ddl(f'CREATE INDEX "{name}" ON "{table}" ({columns})')
        for statement in POSTGRES_AUDIT if engine.engine_type == "postgres" else SQLITE_AUDIT:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
