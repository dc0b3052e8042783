"""Rendered documents (pleadings) of a case, stored in the object store by SHA-256."""

from piccolo.columns import BigInt, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case


class Document(Table, tablename="documents"):
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade)
    template = Varchar(length=100)
    sha256 = Varchar(length=64)
    size = BigInt()
    version = Integer(default=1)
    created_by = Varchar(length=150, default="")
    created_at = Timestamptz()
