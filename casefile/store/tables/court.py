"""A court an administrator records (issue 13 item 3): its name as written in a pleading, its
kind, its department, the greffe's postal address and e-mail. A case may point to one
(`cases.court_id`); the pleadings then name it, write its address and are dated from its city.
"""

from piccolo.columns import Serial, Text, Varchar
from piccolo.table import Table


class Court(Table, tablename="courts"):
    id = Serial(primary_key=True)
    name = Varchar(length=200)  # "Tribunal judiciaire de Strasbourg"
    # tribunal_judiciaire | tribunal_de_commerce | chambre_commerciale (Alsace-Moselle)
    kind = Varchar(length=30)
    department = Varchar(length=3)
    address = Text(default="")  # street lines of the greffe
    postcode = Varchar(length=10, default="")
    city = Varchar(length=100, default="")
    greffe_email = Varchar(length=254, default="")
    phone = Varchar(length=30, default="")
