"""Courts are data (issue 13 item 3): the `courts` table an administrator fills (name, kind,
department, greffe address, e-mail, phone) and the nullable link of a case to its court
(`cases.court_id`, set to NULL if the court is deleted).

A new table, then ADD COLUMN of a nullable foreign key (SQLite accepts it: default NULL).
Written as `add_table`/`add_column` calls so that piccolo's `--auto` sees them next time.
"""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Text, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-30T04:05:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "courts table and the case's court"


class Court(Table, tablename="courts", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name=None,
        secret=False,
    )


# (column, column class, length or None for Text, default)
COLUMNS: tuple[tuple[str, type[Any], int | None, str], ...] = (
    ("name", Varchar, 200, ""),
    ("kind", Varchar, 30, ""),
    ("department", Varchar, 3, ""),
    ("address", Text, None, ""),
    ("postcode", Varchar, 10, ""),
    ("city", Varchar, 100, ""),
    ("greffe_email", Varchar, 254, ""),
    ("phone", Varchar, 30, ""),
)


def _params(**extra: Any) -> dict[str, Any]:
    return {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)
    manager.add_table(class_name="Court", tablename="courts", schema=None, columns=None)
    manager.add_column(
        table_class_name="Court",
        tablename="courts",
        column_name="id",
        db_column_name="id",
        column_class_name="Serial",
        column_class=Serial,
        params=_params(primary_key=True),
        schema=None,
    )
    for column, column_class, length, default in COLUMNS:
        extra: dict[str, Any] = {"default": default}
        if length is not None:
            extra["length"] = length
        manager.add_column(
            table_class_name="Court",
            tablename="courts",
            column_name=column,
            db_column_name=column,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=_params(**extra),
            schema=None,
        )
    manager.add_column(
        table_class_name="Case",
        tablename="cases",
        column_name="court_id",
        db_column_name="court_id",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params=_params(
            references=Court,
            on_delete=OnDelete.set_null,
            on_update=OnUpdate.cascade,
            target_column=None,
            null=True,
        ),
        schema=None,
    )
    return manager
