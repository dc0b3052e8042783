"""Invoices claimed in a case. Amounts incl. VAT in integer cents.

`creditor_key` (the creditor's SIREN or normalised name) makes an invoice number unique per
creditor across all cases: importing the same invoice twice is a Conflict, not a double claim.
"""

from piccolo.columns import BigInt, Date, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case


class Claim(Table, tablename="claims"):
    # unique (creditor_key, invoice_number): migration `unique_indexes`
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade)
    creditor_key = Varchar(length=320)
    invoice_number = Varchar(length=100)
    issue_date = Date()
    due_date = Date()
    amount_cents = BigInt()
    paid_cents = BigInt(default=0)  # already paid when the claim was recorded
    nature = Varchar(length=20, default="contractuelle")
    supply = Varchar(length=20, null=True, default=None)  # marchandises | services | travaux
    description = Text(default="")
    created_at = Timestamptz()
