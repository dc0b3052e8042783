"""Pièces (evidence) of a case, numbered for the bordereau; the bytes live in the object store."""

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case


class Piece(Table, tablename="pieces"):
    # unique (case, number): migration `unique_indexes`
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade)
    number = Integer(null=True, default=None)  # pièce n°; None once withdrawn
    kind = Varchar(length=40)
    date = Date(null=True, default=None)
    description = Text(default="")
    invoice_numbers = JSON(default=[])
    current_version = Integer(default=1)
    deleted = Boolean(default=False)
    deleted_at = Timestamptz(null=True, default=None)
    deleted_by = Varchar(length=150, null=True, default=None)
    deletion_reason = Text(null=True, default=None)
    created_at = Timestamptz()
