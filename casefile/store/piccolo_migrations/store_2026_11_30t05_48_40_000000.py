"""The stored ledger (issue 17 item 4): `claims.outstanding_cents` (principal still owed after
the recorded payments) and `cases.ledger_on` (the latest day that changes it), kept by
`casefile.store.ledger`; an index on `ledger_on` finds the cases whose figures must be
recomputed for a past date. Both NULL until the case's next recompute (`casefile recompute`,
the nightly job, or any change): the reports compute those cases in full meanwhile.
"""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Date
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T05:48:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "stored outstanding principal per invoice and ledger date per case"

# (table class, table, column, column class)
COLUMNS: tuple[tuple[str, str, str, type[Any]], ...] = (
    ("Claim", "claims", "outstanding_cents", BigInt),
    ("Case", "cases", "ledger_on", Date),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)
    for class_name, table, column, column_class in COLUMNS:
        manager.add_column(
            table_class_name=class_name,
            tablename=table,
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
