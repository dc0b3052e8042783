"""Payment plans (échéancier, C. civ. 1343-5 or agreed) of a case. Money in integer cents.

Only the `active` plan of a case produces deadlines; a new plan supersedes the previous one
(kept for the record).
"""

from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case


class PaymentPlan(Table, tablename="payment_plans"):
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20)  # judiciaire | conventionnel
    granted_on = Date()
    total_cents = BigInt()
    instalment_count = Integer()
    first_due = Date()
    grace_days = Integer(default=0)
    active = Boolean(default=True)
    created_by = Varchar(length=150, default="")
    created_at = Timestamptz()
