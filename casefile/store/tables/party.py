"""The creditor and the debtor of a case (one of each)."""

from piccolo.columns import ForeignKey, Serial, Text, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from casefile.store.tables.case import Case


class Party(Table, tablename="parties"):
    # unique (case, role): migration `unique_indexes`
    id = Serial(primary_key=True)
    case = ForeignKey(references=Case, on_delete=OnDelete.cascade)
    role = Varchar(length=10)  # creditor | debtor
    name = Varchar(length=300)
    kind = Varchar(length=20, default="professionnel")  # professionnel | consommateur
    person_or_company = Varchar(length=10, default="societe")  # personne | societe
    siren = Varchar(length=9, null=True, default=None)
    address = Text(default="")
    residence = Varchar(length=10)  # department / collectivity code, or "etranger"
    lookup_key = Varchar(length=320, index=True)  # SIREN, else the normalised name (imports)
