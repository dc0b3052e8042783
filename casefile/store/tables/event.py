"""Dated facts of the procedure (ordonnance rendue, signification…) with typed attributes.
A key may repeat (a hearing postponed): the latest one counts for the deadlines."""

from piccolo.columns import JSON, Date, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case


class Event(Table, tablename="events"):
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, index=True)
    key = Varchar(length=80)
    date = Date()
    attributes = JSON(default={})
    created_by = Varchar(length=150, default="")
    created_at = Timestamptz()
