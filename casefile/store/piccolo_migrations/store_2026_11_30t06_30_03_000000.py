"""The stored ledger per case (issue 17 item 4): `claimed_cents` (principal claimed: Σ amount −
already paid when recorded), `principal_due_cents` (Σ `claims.outstanding_cents`) and
`last_paid_on` (its last payment), kept with `cases.ledger_on` by `casefile.store.ledger`, so
that the litigation and recovery figures read the cases only. NULL until the case's next
recompute: the figures compute those cases from their invoices meanwhile.
"""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Date
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T06:30:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "stored claimed and due principal and last payment per case"

COLUMNS: tuple[tuple[str, type[Any]], ...] = (
    ("claimed_cents", BigInt),
    ("principal_due_cents", BigInt),
    ("last_paid_on", Date),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)
    for column, column_class in COLUMNS:
        manager.add_column(
            table_class_name="Case",
            tablename="cases",
            column_name=column,
            db_column_name=column,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={
                "default": None,
                "null": True,
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
    return manager
