"""A case file: one creditor against one debtor in one procedure.

Its `phase` says where the file stands for a credit manager: `amiable` (procedure `amiable`:
reminders, mise en demeure, promises) until the handover turns it into `contentieux` with a court
procedure (`casefile.services.handover`); a case opened with a court procedure starts there.

`version` is the optimistic lock: every change runs `UPDATE … SET version = version + 1
WHERE id = ? AND version = ?` and checks the row count, so a stale edit is refused.
"""

from piccolo.columns import JSON, BigInt, Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.court import Court
from casefile.store.tables.user_account import UserAccount


class Case(Table, tablename="cases"):
    id = Serial(primary_key=True)
    reference = Varchar(length=100, unique=True)
    procedure = Varchar(length=60)
    court = Varchar(length=40, null=True, default=None)
    court_department = Varchar(length=3)
    court_id = ForeignKey(references=Court, null=True, on_delete=OnDelete.set_null)  # its court
    lawyer = ForeignKey(references=UserAccount, null=True, on_delete=OnDelete.set_null)
    commissaire = ForeignKey(references=UserAccount, null=True, on_delete=OnDelete.set_null)
    status = Varchar(length=20, default="open")
    version = Integer(default=1)
    warnings = JSON(default=[])  # the engine's schedule warnings at the last recompute
    created_at = Timestamptz()
    updated_at = Timestamptz()
    # The portfolio's summary, kept by the recompute (store_schedules): earliest open deadline,
    # earliest open deadline of ours (creditor side), claims − payments in cents.
    next_due = Date(null=True, default=None)
    overdue_since = Date(null=True, default=None)
    outstanding_cents = BigInt(null=True, default=None)
    # The phase (issue 17 item 3): "amiable" (reminders, mise en demeure) or "contentieux" (a
    # court procedure); `handed_over_on` is the day an amicable file went to litigation.
    phase = Varchar(length=12, default="contentieux")
    handed_over_on = Date(null=True, default=None)
    # The latest day that changes the stored `claims.outstanding_cents` (casefile.store.ledger)
    ledger_on = Date(null=True, default=None)
    # Kept with it: Σ principal claimed, Σ principal still due, the last payment's date.
    claimed_cents = BigInt(null=True, default=None)
    principal_due_cents = BigInt(null=True, default=None)
    last_paid_on = Date(null=True, default=None)
