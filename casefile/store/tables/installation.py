"""This installation's identifier (one row): 12 lowercase base32 characters drawn once by the
migration that created the table (`casefile init`), never derived from CASEFILE_BASE_URL (a
domain can move). It makes the iCalendar UIDs globally unique (`casefile.ical.items.uid_for`):
two installations' case 12 are two different events in one calendar."""

from piccolo.columns import Serial, Timestamptz, Varchar
from piccolo.table import Table


class Installation(Table, tablename="installation"):
    id = Serial(primary_key=True)
    token = Varchar(length=12, unique=True)
    created_at = Timestamptz()
