"""Browser sessions, held by the server: the cookie carries a random session id, the table only
its SHA-256. Logging out deletes the row, so a copied cookie stops working at once;
deactivating a user deletes all of theirs."""

from piccolo.columns import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.user_account import UserAccount


class WebSession(Table, tablename="sessions"):
    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(references=UserAccount, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz()
    expires_at = Timestamptz()
