"""API bearer tokens: only the SHA-256 of the token is stored, the clear token is shown once."""

from piccolo.columns import Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.user_account import UserAccount


class ApiToken(Table, tablename="api_tokens"):
    id = Serial(primary_key=True)
    user = ForeignKey(references=UserAccount, on_delete=OnDelete.cascade)
    token_hash = Varchar(length=64, unique=True)
    label = Varchar(length=100, default="")
    created_at = Timestamptz()
    last_used = Timestamptz(null=True, default=None)
    revoked = Boolean(default=False)
