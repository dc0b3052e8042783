"""The instalments of a payment plan, as `casefile.law.payment_plans.make_plan` computed them."""

from piccolo.columns import BigInt, Date, ForeignKey, Integer, Serial
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.payment_plan import PaymentPlan


class PlanInstalment(Table, tablename="plan_instalments"):
    id = Serial(primary_key=True)
    plan = ForeignKey(references=PaymentPlan, on_delete=OnDelete.cascade, index=True)
    number = Integer()
    due = Date()
    amount_cents = BigInt()
