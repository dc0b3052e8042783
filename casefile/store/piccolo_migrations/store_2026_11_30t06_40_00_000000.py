"""Indexes for the metadata part of the pièce search (issue 16 item 2): on PostgreSQL, trigram
indexes on the lower-cased description, invoice numbers and original file name, so that each
word's `LIKE '%…%'` lookup is answered by an index at 100 000 pièces (the search builds one set
of pièces per word from these lookups). pg_trgm ships with PostgreSQL; without it the search
still works, by sequential scan. Nothing on SQLite (no trigram indexes there).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-30T06:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "trigram indexes for the pièce search (description, invoice numbers, file name)"

TRIGRAM_INDEXES = (
    ("pieces_description_trgm", "pieces", 'lower("description")'),
    ("pieces_invoice_numbers_trgm", "pieces", 'lower(CAST("invoice_numbers" AS TEXT))'),
    ("piece_versions_filename_trgm", "piece_versions", 'lower("original_filename")'),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        if engine.engine_type != "postgres":
            return
        available = await engine.run_ddl(
            "SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'pg_trgm'"
        )
        if not available:
            return
        await engine.run_ddl("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, expression in TRIGRAM_INDEXES:
            await engine.run_ddl(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                f"USING gin (({expression}) gin_trgm_ops)"
            )

    manager.add_raw(run)
    return manager
