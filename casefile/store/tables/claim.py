"""Invoices claimed in a case. Amounts incl. VAT in integer cents.

`creditor_key` (the creditor's SIREN or normalised name) makes an invoice number unique per
creditor across all cases: importing the same invoice twice is a Conflict, not a double claim.
"""

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
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
    # Contested by the debtor (issue 17 item 2): kept apart in the aged balance.
    disputed = Boolean(default=False)
    dispute_reason = Text(default="")
    disputed_on = Date(null=True, default=None)
    # Principal still owed after the recorded payments (C. civ. 1342-10), kept by
    # `casefile.store.ledger`; NULL until the case's first recompute.
    outstanding_cents = BigInt(null=True, default=None)
    created_at = Timestamptz()
