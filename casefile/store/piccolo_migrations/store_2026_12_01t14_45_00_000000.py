"""The installation's identifier (`installation`, one row): what makes the iCalendar UIDs
globally unique (RFC 5545 §3.8.4.7). The table is written as `add_table`/`add_column` calls so
that piccolo's `--auto` sees it; its row is drawn, and the stored feed states moved to the new
UIDs, by the next migration (piccolo runs raw SQL before it creates the tables of the same
migration)."""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T14:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the installation's identifier (iCalendar UIDs)"


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


# (column, column class, params)
COLUMNS: tuple[tuple[str, type[Any], dict[str, Any]], ...] = (
    ("id", Serial, _params(primary_key=True)),
    ("token", Varchar, _params(default="", length=12, unique=True)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)
    manager.add_table(
        class_name="Installation", tablename="installation", schema=None, columns=None
    )
    for column, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="Installation",
            tablename="installation",
            column_name=column,
            db_column_name=column,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
