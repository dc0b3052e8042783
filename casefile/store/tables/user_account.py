"""Users and their role (roles: casefile.store.permissions)."""

from piccolo.columns import Boolean, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class UserAccount(Table, tablename="users"):
    id = Serial(primary_key=True)
    name = Varchar(length=150, unique=True)
    role = Varchar(length=40)
    password_hash = Text(null=True, default=None)  # argon2id; None: token-only account
    active = Boolean(default=True)
    created_at = Timestamptz()
