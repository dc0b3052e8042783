"""The portfolio's per-case summary (issue 12 item 4): `next_due` (earliest open deadline),
`overdue_since` (earliest open deadline of ours: creditor, avocat, commissaire de justice) and
`outstanding_cents` (claims − payments), kept by the recompute, indexed, so that sorting by
deadline or amount and the "overdue on our side" filter stay fast at 100 000 cases.

ADD COLUMN with NULL defaults (SQLite accepts them); the next migration fills them from the
stored deadlines and amounts and indexes them.
"""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Date
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T04:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "case summary for the portfolio: next_due, overdue_since, outstanding_cents"

COLUMNS: tuple[tuple[str, type[Any]], ...] = (
    ("next_due", Date),
    ("overdue_since", Date),
    ("outstanding_cents", BigInt),
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
