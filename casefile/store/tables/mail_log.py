"""Every reminder e-mail, keyed by what it reminds of: `(user, kind, date)` for a digest,
`(user, kind, case, deadline, due date)` for an alert. A row is reserved (`sending`) before the
message goes out and becomes `sent` once the server accepted it; a failed send removes its
reservation. A key already `sent` is never sent again."""

from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.user_account import UserAccount


class MailLog(Table, tablename="mail_log"):
    id = Serial(primary_key=True)
    key = Varchar(length=200, unique=True)
    user = ForeignKey(references=UserAccount, on_delete=OnDelete.cascade)
    kind = Varchar(length=12)  # digest | alert
    status = Varchar(length=10)  # sending | sent
    message_id = Varchar(length=250)
    sent_at = Timestamptz(null=True, default=None)
