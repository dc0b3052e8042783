"""Users and their role (roles: casefile.store.permissions), and who they are to the people
reading the documents: a full name and title; an avocat's barreau and toque; a commissaire de
justice's étude and its address. Empty text means "not given"."""

from piccolo.columns import Boolean, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class UserAccount(Table, tablename="users"):
    id = Serial(primary_key=True)
    name = Varchar(length=150, unique=True)
    role = Varchar(length=40)
    password_hash = Text(null=True, default=None)  # argon2id; None: token-only account
    active = Boolean(default=True)
    created_at = Timestamptz()
    full_name = Varchar(length=200, default="")
    title = Varchar(length=50, default="")  # "Maître", "M.", "Mme"
    email = Varchar(length=254, default="")
    phone = Varchar(length=40, default="")
    barreau = Varchar(length=100, default="")  # avocat: "Strasbourg", "barreau des Hauts-de-Seine"
    toque = Varchar(length=20, default="")  # avocat: the toque (vestiaire) number
    etude_name = Varchar(length=200, default="")  # commissaire de justice: the étude
    etude_address = Varchar(length=500, default="")
