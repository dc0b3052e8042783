"""Disputed invoices and the aged balance (issue 17 items 2 and 4): a claim may be marked
disputed (`disputed`, `dispute_reason`, `disputed_on`); the aged balance reads payments by the
invoice they name and claims by case and due date, so both get an index.

ADD COLUMN with constant defaults (SQLite accepts them), written as `add_column` calls so that
piccolo's `--auto` sees them next time; the indexes are raw DDL with IF NOT EXISTS (both engines).
"""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean, Date, Text
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder

ID = "2026-11-30T04:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "disputed invoices; indexes for the aged balance"

# (column, column class, default, null)
COLUMNS: tuple[tuple[str, type[Any], Any, bool], ...] = (
    ("disputed", Boolean, False, False),
    ("dispute_reason", Text, "", False),
    ("disputed_on", Date, None, True),
)
INDEXES = (
    ("payments_claim", "payments", '"claim"'),
    ("claims_case_due_date", "claims", '"case", "due_date"'),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)
    for column, column_class, default, null in COLUMNS:
        manager.add_column(
            table_class_name="Claim",
            tablename="claims",
            column_name=column,
            db_column_name=column,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={
                "default": default,
                "null": null,
                "primary_key": False,
                "unique": False,
                "index": False,
                "index_method": IndexMethod.btree,
                "choices": None,
                "db_column_name": None,
                "secret": False,
            },
            schema=None,
        )

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for name, table, columns in INDEXES:
            await engine.run_ddl(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({columns})')

    manager.add_raw(run)
    return manager
