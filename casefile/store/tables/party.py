"""The creditor and the debtor of a case (one of each).

`category` (société, entrepreneur individuel…, `casefile.services.parties.CATEGORIES`) is what a
person enters; `kind` (professionnel | consommateur) is derived from it and read by the law.
`address` is the composed postal address (street, postcode city, country) kept for the readers
that want one text.
"""

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
    category = Varchar(length=30, null=True, default=None)
    legal_form = Varchar(length=60, default="")
    siret = Varchar(length=14, null=True, default=None)
    rcs_city = Varchar(length=100, default="")
    street = Text(default="")
    postcode = Varchar(length=20, default="")
    city = Varchar(length=100, default="")
    country = Varchar(length=100, default="France")
    representative = Varchar(length=300, default="")
    civility = Varchar(length=4, default="")  # "M." | "Mme" | "" (a company)
    first_name = Varchar(length=150, default="")
    email = Varchar(length=254, default="")
    phone = Varchar(length=30, default="")
