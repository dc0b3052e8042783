"""Complete party and invoice data (issue 12 item 1): the party's category, legal form, SIRET,
RCS city, postal address in parts, legal representative, civility, first name, e-mail and phone;
the invoice's nature of supply and description.

Only ADD COLUMN with constant defaults (SQLite accepts them; no type change). Written as
`add_column` calls, not raw DDL, so that piccolo's `--auto` sees these columns next time.
"""

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-30T02:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "party identity and address fields, invoice supply and description"

# (table class, table, column, column class, length or None for Text, default, null)
COLUMNS: tuple[tuple[str, str, str, type[Any], int | None, str | None, bool], ...] = (
    ("Party", "parties", "category", Varchar, 30, None, True),
    ("Party", "parties", "legal_form", Varchar, 60, "", False),
    ("Party", "parties", "siret", Varchar, 14, None, True),
    ("Party", "parties", "rcs_city", Varchar, 100, "", False),
    ("Party", "parties", "street", Text, None, "", False),
    ("Party", "parties", "postcode", Varchar, 20, "", False),
    ("Party", "parties", "city", Varchar, 100, "", False),
    ("Party", "parties", "country", Varchar, 100, "France", False),
    ("Party", "parties", "representative", Varchar, 300, "", False),
    ("Party", "parties", "civility", Varchar, 4, "", False),
    ("Party", "parties", "first_name", Varchar, 150, "", False),
    ("Party", "parties", "email", Varchar, 254, "", False),
    ("Party", "parties", "phone", Varchar, 30, "", False),
    ("Claim", "claims", "supply", Varchar, 20, None, True),
    ("Claim", "claims", "description", Text, None, "", False),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="store", description=DESCRIPTION)
    for class_name, tablename, column, column_class, length, default, null in COLUMNS:
        params: dict[str, Any] = {
            "default": default,
            "null": null,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        }
        if length is not None:
            params["length"] = length
        manager.add_column(
            table_class_name=class_name,
            tablename=tablename,
            column_name=column,
            db_column_name=column,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
