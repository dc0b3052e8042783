"""The phase of a case (issue 17 item 3): `amiable` (reminders, mise en demeure, promises to
pay) or `contentieux` (a court procedure), and the day it was handed over to litigation.

Every existing case gets `contentieux`; the next migration puts those opened with the `amiable`
procedure in the amicable phase (piccolo runs a migration's raw SQL before its new columns). Reminder scenarios run only on `amiable` cases and stop at the
handover (`casefile.services.handover`).
"""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Date, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T05:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "case phase (amiable | contentieux) and handover date"

# (column, column class, default, null, extra params)
COLUMNS: tuple[tuple[str, type[Any], Any, bool, dict[str, Any]], ...] = (
    ("phase", Varchar, "contentieux", False, {"length": 12}),
    ("handed_over_on", Date, None, True, {}),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)
    for column, column_class, default, null, extra in COLUMNS:
        manager.add_column(
            table_class_name="Case",
            tablename="cases",
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
                **extra,
            },
            schema=None,
        )
    return manager
