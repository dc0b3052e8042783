"""Payments received after the claim was recorded (integer cents)."""

from piccolo.columns import BigInt, Date, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case
from casefile.store.tables.claim import Claim


class Payment(Table, tablename="payments"):
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade)
    claim = ForeignKey(references=Claim, null=True, on_delete=OnDelete.set_null)
    date = Date()
    amount_cents = BigInt()
    reference = Varchar(length=100, default="")
    created_at = Timestamptz()
