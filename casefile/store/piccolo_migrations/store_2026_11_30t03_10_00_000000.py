"""Indexes for the portfolio (issue 12 item 4): filters on the case columns, the SIREN and
invoice lookups, the deadline filters (case, status, due), and on PostgreSQL trigram indexes so
that the case-insensitive `LIKE '%…%'` search on references, party names and invoice numbers
stays fast at 100 000 cases (pg_trgm ships with PostgreSQL; without it the search still works,
by sequential scan). Raw DDL with IF NOT EXISTS: it runs on SQLite and PostgreSQL.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T03:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "portfolio indexes (filters, SIREN, invoice numbers, deadlines, trigram search)"

PLAIN_INDEXES = (
    ("cases_procedure", "cases", '"procedure"'),
    ("cases_status", "cases", '"status"'),
    ("cases_lawyer", "cases", '"lawyer"'),
    ("cases_commissaire", "cases", '"commissaire"'),
    ("cases_created_at", "cases", '"created_at"'),
    ("parties_siren", "parties", '"siren"'),
    ("claims_invoice_number", "claims", '"invoice_number"'),
    ("deadlines_case_status_due", "deadlines", '"case", "status", "due"'),
    ("deadlines_status_due", "deadlines", '"status", "due"'),
)
TRIGRAM_INDEXES = (
    ("cases_reference_trgm", "cases", "reference"),
    ("parties_name_trgm", "parties", "name"),
    ("claims_invoice_number_trgm", "claims", "invoice_number"),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for name, table, columns in PLAIN_INDEXES:
            await engine.run_ddl(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({columns})')
        if engine.engine_type != "postgres":
            return
        available = await engine.run_ddl(
            "SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'pg_trgm'"
        )
        if not available:
            return
        await engine.run_ddl("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, column in TRIGRAM_INDEXES:
            await engine.run_ddl(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f'USING gin (lower("{column}") gin_trgm_ops)'
            )

    manager.add_raw(run)
    return manager
