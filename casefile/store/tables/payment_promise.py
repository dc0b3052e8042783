"""A promise to pay (issue 17 item 2): the debtor committed to pay `amount_cents` by
`promised_for`, for one invoice (`claim`) or the balance. It suspends the reminder scenario until
that day and is a deadline of the case's agenda; not paid by then, it is broken (`rompue`) and
the scenario moves to its next level.

`status`: `en_cours`, `tenue` (paid: the payments recorded from `made_on` to `promised_for`
reach the amount), `rompue`, `annulee` (withdrawn by a user)."""

from piccolo.columns import BigInt, Date, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case
from casefile.store.tables.claim import Claim


class PaymentPromise(Table, tablename="payment_promises"):
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade)
    claim = ForeignKey(references=Claim, null=True, on_delete=OnDelete.set_null)
    amount_cents = BigInt()
    promised_for = Date()
    made_on = Date()
    made_by = Varchar(length=300, default="")  # who promised ("M. Paul Muller, gérant")
    channel = Varchar(length=20)  # telephone | email | courrier | rendez_vous | autre
    note = Text(default="")
    recorded_by = Varchar(length=150, default="")
    status = Varchar(length=12, default="en_cours")
    settled_on = Date(null=True, default=None)  # when it was found kept or broken
    created_at = Timestamptz()
