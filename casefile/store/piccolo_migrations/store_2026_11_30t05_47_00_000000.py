"""Factur-X / ZUGFeRD invoices (issue 16 item 3): `invoice_readings`, what was read in a PDF
pièce's embedded e-invoice, one row per examined version (unique (piece, version)), with the
claim created from it once confirmed (set to NULL if that claim is withdrawn).

A new table written as `add_table`/`add_column` calls so that piccolo's `--auto` sees it next
time; its unique index follows in the next migration (piccolo runs raw SQL before it creates
the tables of the same migration).
"""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    JSON,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-30T05:47:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "invoice readings of Factur-X pièces"


def _id() -> Serial:
    return Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name=None,
        secret=False,
    )


class Piece(Table, tablename="pieces", schema=None):
    id = _id()


class Claim(Table, tablename="claims", schema=None):
    id = _id()


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
    (
        "piece",
        ForeignKey,
        _params(
            references=Piece,
            on_delete=OnDelete.cascade,
            on_update=OnUpdate.cascade,
            target_column=None,
            index=True,
        ),
    ),
    ("version", Integer, _params(default=0)),
    ("sha256", Varchar, _params(default="", length=64)),
    ("status", Varchar, _params(default="", length=10)),
    ("profile", Varchar, _params(default="", length=20)),
    ("attachment", Varchar, _params(default="", length=100)),
    ("invoice", JSON, _params(default="{}")),
    ("message", Text, _params(default="")),
    ("details", JSON, _params(default="[]")),
    (
        "claim",
        ForeignKey,
        _params(
            references=Claim,
            on_delete=OnDelete.set_null,
            on_update=OnUpdate.cascade,
            target_column=None,
            null=True,
            default=None,
        ),
    ),
    ("examined_at", Timestamptz, _params(default=TimestamptzNow())),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)
    manager.add_table(
        class_name="InvoiceReading", tablename="invoice_readings", schema=None, columns=None
    )
    for column, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="InvoiceReading",
            tablename="invoice_readings",
            column_name=column,
            db_column_name=column,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )

    return manager
