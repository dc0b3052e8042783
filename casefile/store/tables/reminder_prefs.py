"""A user's choice of e-mail reminders: the address, a daily digest of our side's deadlines in
the next `digest_days` days (and the overdue ones), and an alert `alert_days` days before each
deadline they own. No row: no e-mail."""

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.user_account import UserAccount


class ReminderPrefs(Table, tablename="reminder_prefs"):
    id = Serial(primary_key=True)
    user = ForeignKey(references=UserAccount, on_delete=OnDelete.cascade, unique=True)
    email = Varchar(length=254, default="")
    digest = Boolean(default=False)
    digest_days = Integer(default=7)
    alerts = Boolean(default=False)
    alert_days = Integer(default=3)
    updated_at = Timestamptz()
